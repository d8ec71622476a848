#!/usr/bin/env bash
# throughput.sh - CPU and memory on one stream: plugin, auparse floor, laurel
#
# Usage: bench/throughput.sh [ROUNDS]   (default 5; `make bench` runs it)
#
# Input: ../shared/corpus/exec-stream-enriched.txt.xz beside the source tree
# (or $CORPUS) when present; else a stream this script records from a
# private auditd under an exec-heavy load (root, auditd, and no other audit
# daemon needed; exit 77 otherwise). The stream is decompressed to a file
# before anything is timed. Contenders, on the same bytes, interleaved
# round-robin, ROUNDS times, medians reported:
#   plugin  audisp-dracut -c PRIVATE --replay FILE -o file:/dev/null
#   floor   bench/floor FILE: auparse visiting every field, nothing else
#   laurel  laurel with its packaged configuration (its default enrichment)
#           reading the stream on stdin and writing its log to a file,
#           when installed
# Prints events/s, CPU seconds (user + sys), wall seconds and peak RSS for
# each, and the ratios against the targets of issue 7. A missed target is
# printed, not failed: exit 0. Exit 1 if a contender fails, or if the
# plugin's alert count (an untimed run writing to a file) is not the
# expected one: 4000 for the corpus, the dracut runs for a recorded stream.
#
# Environment: top_srcdir, top_builddir, PLUGIN, FLOOR, COPIER, EXECLOAD,
# CORPUS (defaults: this tree, the built programs, the shared corpus).
# shellcheck disable=SC2119 # audit_skip_reason: no argument, no nodaemon
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PLUGIN:=$top_builddir/audisp-dracut}"
: "${FLOOR:=$top_builddir/bench/floor}"
# shellcheck source=SCRIPTDIR/lib.sh
. "$top_srcdir/bench/lib.sh"
: "${COPIER:=$top_builddir/bench/copier}"
: "${EXECLOAD:=$top_builddir/bench/execload}"
: "${CORPUS:=$top_srcdir/../shared/corpus/exec-stream-enriched.txt.xz}"
rounds=${1:-5}
CORPUS_ALERTS=4000      # dracut alerts in the shared corpus (its README)
TARGET_FLOOR=1.30       # plugin CPU <= 1.3 x the floor's
TARGET_LAUREL=0.25      # plugin CPU <= 0.25 x laurel's
TARGET_RSS_KIB=7812     # peak RSS <= 8 MB (8,000,000 bytes)
RECORD_DRACUTS=20       # dracut runs in a recorded stream

say() { echo "throughput: $*"; }

for p in "$PLUGIN" "$FLOOR"; do
	[ -x "$p" ] && continue
	say "$p is not built (make bench builds it)"
	exit 77
done
command -v python3 >/dev/null 2>&1 ||
	{ say "needs python3 (to time the runs)"; exit 77; }
[ -x /usr/bin/time ] ||
	{ say "needs /usr/bin/time (apt-get install time)"; exit 77; }

tmp=$(mktemp -d /tmp/bench-throughput.XXXXXX) || exit 1
chmod 0700 "$tmp"

# ---------------------------------------------------------------- recording
# record_stream FILE: record what a private auditd writes to a plugin while
# execload and a few shells, pipelines and dracut runs execute. Runs under
# the audit lock; always deletes the rules and stops the daemon.
record_stream() {
	local out=$1 dir=$tmp/audit i long why
	# shellcheck source=SCRIPTDIR/../tests/e2e/lib.sh
	. "$top_srcdir/tests/e2e/lib.sh"
	if why=$(audit_skip_reason nodaemon); then
		say "no corpus at $CORPUS, and cannot record one: $why"
		return 77
	fi
	if ! [ -x "$COPIER" ] || ! [ -x "$EXECLOAD" ]; then
		say "$COPIER or $EXECLOAD is not built"
		return 77
	fi
	exec 9>"$AUDIT_LOCK"
	say "waiting for $AUDIT_LOCK"
	flock -w 900 9 || { say "cannot take $AUDIT_LOCK"; return 1; }
	# a daemon now running is not ours: leave it alone
	if why=$(audit_skip_reason); then
		say "cannot record: $why"
		return 77
	fi
	trap 'audit_stop; rm -rf "$tmp"' EXIT
	trap 'exit 1' INT TERM
	mkdir -p "$dir"
	write_auditd_conf "$dir" ENRICHED 200 90000
	cat >"$dir/plugins/copier.conf" <<EOF
active = yes
direction = out
path = $COPIER
args = $out
type = always
format = string
EOF
	chmod 0640 "$dir/plugins/copier.conf"
	printf '%s\n' \
		'-a always,exit -F arch=b64 -S execve,execveat -k exec' \
		'-a always,exit -F arch=b32 -S execve,execveat -k exec' \
		>"$dir/exec.rules"
	audit_start "$dir" 9>&- || return 1
	audit_load_rules "$dir/exec.rules" || return 1
	long=$(printf '%03000d' 0)
	say "recording: execload (4000 execs), 200 shell pipelines," \
	    "$RECORD_DRACUTS dracut runs"
	"$EXECLOAD" -r 1000 -d 4 9>&- >/dev/null || return 1
	for i in $(seq 200); do
		/bin/sh -c "ls / | wc -l >/dev/null; echo $long | cut -c1-3" \
			9>&- >/dev/null
	done
	for i in $(seq "$RECORD_DRACUTS"); do
		/usr/bin/bash -c \
			"dracut --help bench-$i >/dev/null 2>&1; true" 9>&-
	done
	audit_wait_quiet "$out" 1000
	audit_stop
	flock -u 9
	exec 9>&-
	trap 'rm -rf "$tmp"' EXIT
	[ -s "$out" ] || { say "the recording is empty"; return 1; }
	return 0
}

trap 'rm -rf "$tmp"' EXIT
input=$tmp/stream.txt
if [ -r "$CORPUS" ]; then
	source="corpus $(readlink -f "$CORPUS")"
	if ! xz -dc "$CORPUS" >"$input"; then
		say "cannot decompress $CORPUS"
		exit 1
	fi
	want_alerts=$CORPUS_ALERTS
else
	record_stream "$input"
	st=$?
	[ $st = 0 ] || exit $st
	command -v dracut >/dev/null 2>&1 ||
		say "dracut is not installed: the recording has no dracut runs"
	source="a stream recorded here"
	want_alerts=$RECORD_DRACUTS
	command -v dracut >/dev/null 2>&1 || want_alerts=0
fi
bytes=$(stat -c %s "$input")

# ---------------------------------------------------------------- contenders
# Plugin: a private config, so that no installed one is read.
printf 'output = file\noutput_file = /dev/null\nrate_limit_alerts = 0\n' \
	>"$tmp/plugin.conf"
chmod 0600 "$tmp/plugin.conf"

contenders="plugin floor"
if command -v laurel >/dev/null 2>&1; then
	contenders="$contenders laurel"
	laurel_conf=$(laurel_config "$tmp/laurel" "$(id -un)" "$tmp/laurel.toml")
fi

# timed OUT CMD...: run CMD with this shell's file descriptors and write
# "wall user sys maxrss_kib" to OUT. CPU and wall come from wait4(2), in
# microseconds (/usr/bin/time rounds them to 10 ms); the peak RSS from
# /usr/bin/time, run in between, as the RSS of a process forked from
# python would count python's. /usr/bin/time adds about 1 ms of CPU to
# every contender. Returns CMD's status (128 + a signal).
timed() {
	python3 -c '
import os, sys, time
out = sys.argv[1]
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execv("/usr/bin/time", ["time", "-f", "%M", "-o", out + ".rss"]
                 + sys.argv[2:])
    finally:
        os._exit(127)
_, st, ru = os.wait4(pid, 0)
wall = time.monotonic() - t0
with open(out + ".rss") as f:
    rss = f.read().split()[-1]
with open(out, "w") as f:
    f.write("%.4f %.4f %.4f %s\n" % (wall, ru.ru_utime, ru.ru_stime, rss))
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 128 + os.WTERMSIG(st))
' "$@"
}

# run NAME: one timed run of contender NAME; appends
# "NAME wall cpu maxrss_kib" to $tmp/results. Exits 1 if it fails.
run() {
	local name=$1 st
	case $name in
	plugin)
		timed "$tmp/t" "$PLUGIN" \
			-c "$tmp/plugin.conf" --replay "$input" \
			-o file:/dev/null >/dev/null 2>"$tmp/err"
		;;
	floor)
		timed "$tmp/t" "$FLOOR" "$input" \
			>"$tmp/floor.out" 2>"$tmp/err"
		;;
	laurel)
		rm -f "$tmp"/laurel/audit.log*
		timed "$tmp/t" laurel \
			-c "$tmp/laurel.toml" <"$input" >/dev/null 2>"$tmp/err"
		;;
	esac
	st=$?
	if [ $st != 0 ]; then
		say "$name failed (status $st):"
		tail -n 5 "$tmp/err" "$tmp/t" 2>/dev/null
		exit 1
	fi
	awk -v n="$name" \
		'{ printf "%s %s %.4f %s\n", n, $1, $2 + $3, $4 }' \
		"$tmp/t" >>"$tmp/results"
}

# The alert count, untimed: the same replay, writing the alerts to a file.
if ! "$PLUGIN" -c "$tmp/plugin.conf" --replay "$input" \
	-o "file:$tmp/alerts.json" >/dev/null 2>"$tmp/err"; then
	say "the plugin failed on the stream:"
	tail -n 5 "$tmp/err"
	exit 1
fi
alerts=$(wc -l <"$tmp/alerts.json")

for _ in $(seq "$rounds"); do
	for c in $contenders; do
		run "$c"
	done
done
read -r _ events _ records _ fields <"$tmp/floor.out"
if [ "$(echo "$contenders" | grep -c laurel)" = 1 ]; then
	laurel_lines=$(cat "$tmp"/laurel/audit.log* | wc -l)
fi

# median NAME COLUMN: the median of COLUMN over NAME's runs
median() {
	awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$tmp/results" |
		sort -g |
		awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# ratio A B: A / B with two decimals
ratio() {
	awk -v a="$1" -v b="$2" \
		'BEGIN { printf "%.2f", a / (b > 0 ? b : 0.001) }'
}

# verdict VALUE TARGET: "met" when VALUE <= TARGET, else "MISSED"
verdict() {
	awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "met" : "MISSED" }'
}

printf 'input: %s\n' "$source"
printf '  %d bytes, %d events, %d records, %d fields\n' "$bytes" \
	"$events" "$records" "$fields"
printf '%d rounds, round-robin, medians; events/s per CPU second\n' \
	"$rounds"
printf '%-8s %9s %9s %11s %9s %12s\n' what cpu_s wall_s events/s MB/s \
	peak_rss_KiB
for c in $contenders; do
	w=$(median "$c" 2)
	u=$(median "$c" 3)
	m=$(median "$c" 4)
	awk -v c="$c" -v w="$w" -v u="$u" -v m="$m" -v e="$events" \
		-v b="$bytes" 'BEGIN {
		if (u <= 0) u = 0.001
		printf "%-8s %9.3f %9.3f %11.0f %9.1f %12d\n", c, u, w, e / u,
			b / 1048576 / u, m }'
done
echo "plugin alerts: $alerts (expected $want_alerts)"
[ -n "${laurel_lines:-}" ] &&
	echo "laurel: $laurel_conf; $laurel_lines log lines"

pc=$(median plugin 3)
fc=$(median floor 3)
pm=$(median plugin 4)
r=$(ratio "$pc" "$fc")
printf 'cpu plugin/floor %s (target <= %s): %s\n' "$r" "$TARGET_FLOOR" \
	"$(verdict "$r" "$TARGET_FLOOR")"
if echo "$contenders" | grep -q laurel; then
	lc=$(median laurel 3)
	r=$(ratio "$pc" "$lc")
	printf 'cpu plugin/laurel %s (target <= %s): %s\n' "$r" \
		"$TARGET_LAUREL" "$(verdict "$r" "$TARGET_LAUREL")"
else
	echo "cpu plugin/laurel: laurel is not installed (Debian: laurel)"
fi
printf 'peak rss plugin %d KiB (target <= %d KiB, 8 MB): %s\n' "$pm" \
	"$TARGET_RSS_KIB" "$(verdict "$pm" "$TARGET_RSS_KIB")"

if [ "$alerts" != "$want_alerts" ]; then
	say "the plugin wrote $alerts alerts, expected $want_alerts"
	exit 1
fi
exit 0
