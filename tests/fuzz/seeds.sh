#!/bin/sh
# tests/fuzz/seeds.sh - a harness's seed corpus, from the project's own files
#
# Usage: seeds.sh plugin|exec_event|config OUTDIR
# plugin, exec_event: every recorded fixture (tests/fixtures/*.log, and
# *.log.xz decompressed), each also cut into slices of a few events at EOE
# records, without the recording's '#' header, plus the synthetic stream
# of tests/lib.sh. config: the installed settings file, the same with every
# setting uncommented, each setting alone, and the exceptions the manual
# shows. Nothing is copied from outside the tree.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
kind=${1:?usage: seeds.sh plugin|exec_event|config OUTDIR}
out=${2:?usage: seeds.sh plugin|exec_event|config OUTDIR}
mkdir -p "$out"

case $kind in
plugin | exec_event)
	for log in "$top_srcdir"/tests/fixtures/*.log \
		"$top_srcdir"/tests/fixtures/*.log.xz; do
		[ -e "$log" ] || continue
		name=$(basename "$log")
		name=${name%.xz}
		name=${name%.log}
		case $log in
		*.xz) xz -dc "$log" >"$out/$name.log" ;;
		*) cp "$log" "$out/$name.log" ;;
		esac
		# the first 12 slices of 4 events, each starting after an EOE
		grep -v '^#' "$out/$name.log" | awk -v base="$out/$name" '
			BEGIN { n = 0; ev = 0 }
			n >= 12 { exit }
			{ print > (base "." n ".slice") }
			/^(node=[^ ]* )?type=EOE / {
				if (++ev % 4 == 0) {
					close(base "." n ".slice")
					n++
				}
			}'
	done
	(
		# shellcheck source=../lib.sh
		. "$top_srcdir/tests/lib.sh"
		synthetic_stream --force >"$out/synthetic.log"
		synthetic_stream --force | sed 's/^/node=host1 /' \
			>"$out/synthetic-node.log"
	)
	;;
config)
	conf=$top_srcdir/plugin/dracut-settings.conf
	cp "$conf" "$out/dracut-settings.conf"
	sed -n 's/^#\([a-z_]* *=.*\)/\1/p' "$conf" >"$out/uncommented.conf"
	i=0
	while IFS= read -r line; do
		i=$((i + 1))
		printf '%s\n' "$line" >"$out/setting-$i.conf"
	done <"$out/uncommented.conf"
	# the manual's examples, roff escapes undone
	sed -n 's/^\(exception = .*\)/\1/p' \
		"$top_srcdir/man/audisp-dracut.conf.5" |
		sed -e 's/\\-/-/g' -e 's/\\e/\\/g' >"$out/exceptions.conf"
	;;
*)
	echo "seeds.sh: unknown harness '$kind'" >&2
	exit 2
	;;
esac
