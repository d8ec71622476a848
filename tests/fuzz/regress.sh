#!/bin/sh
# tests/fuzz/regress.sh - the fuzzers' regression inputs through the plugin
#
# Run by `make check` with top_srcdir and PLUGIN set (and, in a sanitized
# build, under ASan and UBSan). Every input a fuzzer once failed on is kept
# under tests/fuzz/regress/HARNESS/ and replayed here with the plugin
# itself, so that it is checked in every build, not only with clang:
#  - plugin/ and exec_event/ files: replayed with -r FILE -o -, rules 1 and
#    7; exit 0 and JSON lines on stdout;
#  - config/ files: copied to a 0600 file and checked with --check-config;
#    exit 0 (valid) or 1 (refused), never a crash.
# `make fuzz-smoke` also runs each file through its own harness.
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"

regress=$top_srcdir/tests/fuzz/regress
tmp=$(mktemp -d /tmp/fuzz-regress.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
conf=$tmp/empty.conf
: >"$conf"
chmod 600 "$conf"

n=0
for f in "$regress"/plugin/* "$regress"/exec_event/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	rel=${f#"$regress"/}
	for v in 1 7; do
		timeout 120 "$PLUGIN" -c "$conf" --rule-version "$v" -r "$f" \
			-o - </dev/null >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ "$rc" -ne 0 ]; then
			fail "$rel, rule $v: exit $rc"
			sed -n '1,40p' "$tmp/err" >&2
		elif ! json_valid <"$tmp/out"; then
			fail "$rel, rule $v: stdout is not JSON lines"
		else
			ok "$rel, rule $v"
		fi
	done
done
for f in "$regress"/config/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	rel=${f#"$regress"/}
	cp "$f" "$tmp/conf"
	chmod 600 "$tmp/conf"
	timeout 60 "$PLUGIN" -c "$tmp/conf" --check-config </dev/null \
		>/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -le 1 ]; then
		ok "$rel: exit $rc"
	else
		fail "$rel: exit $rc"
		sed -n '1,40p' "$tmp/err" >&2
	fi
done
[ "$n" -gt 0 ] || skip "no regression input under $regress"
finish
