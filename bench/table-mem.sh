#!/bin/sh
# table-mem.sh - stream 1,000,000 pids through the process table, check memory
#
# Usage: table-mem.sh [BINARY]
# BINARY defaults to $top_builddir/bench/table_mem (make bench builds
# it). Runs two workloads at the default caps (32768 entries, 4096 bytes per
# image): typical images (~100-byte command lines) and long ones (~4 KB, a
# compiler's). Fails if the table outgrows its budget (entries and
# 1024 bytes per entry on average) or the process's peak RSS outgrows the
# table by more than a quarter. Exit 77 when the program is not built.

bin=${1:-${top_builddir:-.}/bench/table_mem}
if [ ! -x "$bin" ]; then
	echo "table-mem: $bin is not built (make bench/table_mem)"
	exit 77
fi

status=0
run() {
	label=$1
	shift
	out=$("$bin" "$@") || { echo "table-mem: $label: $bin failed"; return 1; }
	echo "== $label: $bin $*"
	echo "$out"
	echo "$out" | awk -v label="$label" '
		{ v[$1] = $2 }
		END {
			cap = v["max_entries"]
			buckets = 8 * 2 * cap  # hash buckets, at most 2 per entry
			budget = cap * 1024 + buckets + 4096
			rss = v["peak_maxrss_kib"] - v["baseline_maxrss_kib"]
			bad = 0
			if (v["entries"] > cap) {
				printf "table-mem: %s: %d entries > cap %d\n",
					label, v["entries"], cap; bad = 1
			}
			if (v["table_bytes"] > budget) {
				printf "table-mem: %s: %d bytes > budget %d\n",
					label, v["table_bytes"], budget; bad = 1
			}
			if (rss * 1024 > v["table_bytes"] * 1.25 + 4194304) {
				printf "table-mem: %s: RSS %d KiB for a %d-byte table\n",
					label, rss, v["table_bytes"]; bad = 1
			}
			exit bad
		}' || return 1
}

run typical 1000000 32768 4096 0 || status=1
run long-command-lines 1000000 32768 4096 4000 || status=1
exit $status
