#!/usr/bin/env bash
# collector.sh - a collector's stream of 10, 100 and 1,000 hosts, replayed
#
# Usage: bench/collector.sh [ROUNDS]   (default 5; `make bench` runs it)
#
# Input: ../shared/corpus/exec-stream-enriched.txt.xz beside the source tree
# (or $CORPUS); exit 77 without it. For N hosts (BENCH_NODES, default
# "10 100 1000"), bench/collector.py cuts the corpus's events in N/2
# windows, in order, and gives each window to two hosts, which then
# collide on every pid, serial and time; tests/fleet/interleave.py builds
# what the collector gets: each line prefixed with node=NAME, no EOE
# record (audisp-remote drops them), the hosts interleaved round robin by
# record, and again by event (audisp-remote's order: a host's records come
# in its events' order). So a collector's stream holds the corpus twice,
# 64,000 events, however many hosts.
#
# Each is replayed (audisp-dracut -c PRIVATE -r FILE -o file:ALERTS) with
# the default bound (table_max_entries 4096, node_max 16384) and with the
# collector's (table_max_entries = 64 a node, as include/proctable.h and
# audisp-dracut(8) recommend), ROUNDS times, round robin with the
# single-host replay of the corpus (the baseline); medians. Prints one row
# each: CPU per event against the baseline's (target <= 1.2), peak RSS
# (target <= 64 MB at 1,000 nodes with the default bound), and whether
# the alerts are those of the hosts' own replays (each window replayed
# alone, the host named; compared whole but event.created and observer).
# A missed target, or alerts that differ, are printed, not failed: exit 0;
# exit 1 if a replay fails. About three minutes on two busy cores.
#
# Environment: top_srcdir, top_builddir, PLUGIN, CORPUS, BENCH_NODES.
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PLUGIN:=$top_builddir/audisp-dracut}"
: "${CORPUS:=$top_srcdir/../shared/corpus/exec-stream-enriched.txt.xz}"
rounds=${1:-5}
nodes_list=${BENCH_NODES:-10 100 1000}
PER_NODE=64		# table entries a node, the collector's bound
TARGET_CPU=1.2		# CPU per event <= 1.2 x the single host's
TARGET_RSS_KIB=62500	# peak RSS <= 64 MB at 1,000 nodes, default bound
split=$top_srcdir/bench/collector.py
interleave=$top_srcdir/tests/fleet/interleave.py

say() { echo "collector: $*"; }

[ -x "$PLUGIN" ] || { say "$PLUGIN is not built"; exit 77; }
[ -r "$CORPUS" ] || { say "no corpus at $CORPUS"; exit 77; }
command -v python3 >/dev/null 2>&1 || { say "needs python3"; exit 77; }
[ -x /usr/bin/time ] ||
	{ say "needs /usr/bin/time (apt-get install time)"; exit 77; }

tmp=$(mktemp -d /tmp/bench-collector.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
chmod 0700 "$tmp"
xz -dc "$CORPUS" >"$tmp/corpus.txt" || { say "cannot read $CORPUS"; exit 1; }

# conf NAME [KEY = VALUE]: a private configuration $tmp/NAME.conf
conf() {
	local f=$tmp/$1.conf
	shift
	printf 'output = file\noutput_file = /dev/null\nrate_limit_alerts = 0\n' \
		>"$f"
	[ $# -gt 0 ] && echo "$*" >>"$f"
	chmod 0600 "$f"
}

# timed OUT CMD...: run CMD, write "cpu_seconds maxrss_kib" to OUT: CPU
# (user + sys) from wait4(2) in microseconds, the peak RSS from
# /usr/bin/time run in between. Returns CMD's status.
timed() {
	python3 -c '
import os, sys
out = sys.argv[1]
pid = os.fork()
if pid == 0:
    try:
        os.execv("/usr/bin/time", ["time", "-f", "%M", "-o", out + ".rss"]
                 + sys.argv[2:])
    finally:
        os._exit(127)
_, st, ru = os.wait4(pid, 0)
with open(out + ".rss") as f:
    rss = f.read().split()[-1]
with open(out, "w") as f:
    f.write("%.4f %s\n" % (ru.ru_utime + ru.ru_stime, rss))
sys.exit(os.WEXITSTATUS(st) if os.WIFEXITED(st) else 1)
' "$@"
}

# replay LABEL CONF LOG ALERTS: one timed replay; appends "LABEL cpu rss"
# to $tmp/results
replay() {
	rm -f "$4"
	if ! timed "$tmp/t" "$PLUGIN" -c "$tmp/$2.conf" -r "$3" \
		-o "file:$4" >/dev/null 2>"$tmp/err"; then
		say "$1: the replay failed:"
		tail -n 5 "$tmp/err"
		exit 1
	fi
	echo "$1 $(cat "$tmp/t")" >>"$tmp/results"
}

# median LABEL COLUMN: the median of COLUMN (2: cpu, 3: rss) of LABEL
median() {
	awk -v l="$1" -v c="$2" '$1 == l { print $c }' "$tmp/results" |
		sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# row NODES ORDER BOUND EVENTS CPU RSS SAME: one row of the table; the
# ratio is CPU per event over the baseline's ($base, $single_events); a
# missed target is marked with "!"
row() {
	awk -v n="$1" -v o="$2" -v l="$3" -v e="$4" -v c="$5" -v r="$6" \
		-v same="$7" -v b="$base" -v s="$single_events" \
		-v tc="$TARGET_CPU" -v tr="$TARGET_RSS_KIB" -v def="$3" 'BEGIN {
		ratio = (c / e) / (b / s)
		mc = ratio > tc ? "!" : " "
		mr = (n == 1000 && def == "default" && r > tr) ? "!" : " "
		printf "%-6s %-6s %-18s %7d %6.2f%s %8.2f %10d%s %s\n", n, o, l,
			e, ratio, mc, c * 1e6 / e, r, mr, same }'
}

conf default
single_events=$(grep -c '^type=SYSCALL ' "$tmp/corpus.txt")
say "corpus: $(readlink -f "$CORPUS"), $single_events exec events; $rounds rounds, medians"
printf '%-6s %-6s %-18s %7s %7s %8s %11s %s\n' nodes order bound events \
	cpu/ev us/event rss_KiB "alerts = own replays"
for n in $nodes_list; do
	conf collector "table_max_entries = $((n * PER_NODE))"
	python3 "$split" split "$n" "$tmp/corpus.txt" "$tmp/w" \
		>"$tmp/hosts" || exit 1
	# each window replayed alone: its hosts' own alerts
	mkdir -p "$tmp/own"
	# shellcheck disable=SC2016 # expanded by sh
	printf '%s\n' "$tmp"/w/*.log | xargs -P 2 -I '{}' sh -c \
		'"$1" -c "$2" -r "$3" -o "file:$4/$(basename "$3" .log).json" \
			>/dev/null 2>&1' sh "$PLUGIN" "$tmp/default.conf" '{}' \
		"$tmp/own" || { say "a window's own replay failed"; exit 1; }
	mapfile -t hosts <"$tmp/hosts"
	for order in record event; do
		flag=--drop-eoe
		[ "$order" = event ] && flag="--drop-eoe --by-event"
		# shellcheck disable=SC2086 # two flags
		python3 "$interleave" $flag "${hosts[@]}" \
			>"$tmp/coll-$order.log" || exit 1
	done
	coll_events=$(awk '/^node=/ && / type=SYSCALL / { n++ } END { print n + 0 }' \
		"$tmp/coll-record.log")
	: >"$tmp/results"
	for _ in $(seq "$rounds"); do
		replay single default "$tmp/corpus.txt" "$tmp/single.json"
		for order in record event; do
			for b in default collector; do
				replay "$order-$b" "$b" "$tmp/coll-$order.log" \
					"$tmp/coll-$order-$b.json"
			done
		done
	done
	base=$(median single 2)
	python3 "$split" same "$tmp/hosts" "$tmp/own" \
		"$tmp"/coll-{record,event}-{default,collector}.json \
		>"$tmp/same" || exit 1
	row 1 - "single host" "$single_events" "$base" \
		"$(median single 3)" "- (the baseline of the $n below)"
	i=0
	for order in record event; do
		for b in default collector; do
			i=$((i + 1))
			label=$b
			[ "$b" = collector ] &&
				label="collector ($((n * PER_NODE)))"
			row "$n" "$order" "$label" "$coll_events" \
				"$(median "$order-$b" 2)" \
				"$(median "$order-$b" 3)" \
				"$(sed -n "${i}p" "$tmp/same")"
		done
	done
	rm -rf "$tmp/w" "$tmp/own" "$tmp"/coll-*
done
say "cpu/ev: CPU per exec event over the single host's (target <= $TARGET_CPU);" \
	"rss: peak RSS (target <= $TARGET_RSS_KIB KiB, 64 MB, at 1,000 nodes with" \
	"the default bound); ! marks a missed target"
exit 0
