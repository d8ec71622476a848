#!/bin/sh
# table-mem.sh - 1,000,000 execs through the process table: memory at the cap
#
# Usage: bench/table-mem.sh [BINARY]
# BINARY defaults to $top_builddir/bench/table_mem (make bench builds it).
# Reads the default caps (table_max_entries, table_max_image_bytes) from
# plugin/config.c, the defaults the plugin runs with, and runs four
# workloads through a table: typical images (~100-byte command lines) and
# long ones (~4 KB, a compiler's) on one host, then typical images from
# 1,000 nodes interleaved, as on a collector, with the default cap and with
# the cap include/proctable.h recommends for 1,000 nodes (COLLECTOR_CAP,
# 64 entries a node); it prints the table's memory at 1,000 nodes, and
# ns_per_exec (the table's cost per exec). audisp-dracut.conf(5)
# documents the bound: at most table_max_entries KiB of strings plus about
# B bytes of bookkeeping per image (B read from man/audisp-dracut.conf.5).
# Prints the figures and the peak RSS growth over the baseline against that
# bound (met/MISSED, not a failure). Fails (exit 1) if the table breaks its
# own accounting: more entries than the cap, or more bytes than cap KiB
# plus its hash buckets and evicted record. Exit 77 when the program is not
# built.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
bin=${1:-$top_builddir/bench/table_mem}
conf_c=$top_srcdir/plugin/config.c
NODES=1000
COLLECTOR_CAP=65536 # 64 entries a node for 1,000 nodes
man5=$top_srcdir/man/audisp-dracut.conf.5
if [ ! -x "$bin" ]; then
	echo "table-mem: $bin is not built (make bench/table_mem)"
	exit 77
fi

# default KEY: the default plugin/config.c's keyword table gives KEY, the
# last argument of its KW_NUM("KEY", ...) entry (a number, not a macro)
default() {
	tr '\n' ' ' <"$conf_c" |
		grep -o "KW_NUM(\"$1\",[^)]*)" | head -n 1 |
		sed -n 's/.*,[[:space:]]*\([0-9][0-9]*\))$/\1/p'
}
cap=$(default table_max_entries)
img=$(default table_max_image_bytes)
if [ -z "$cap" ] || [ -z "$img" ]; then
	echo "table-mem: cannot read the default caps from $conf_c"
	exit 1
fi
echo "default caps (plugin/config.c): table_max_entries $cap," \
	"table_max_image_bytes $img"
# the bookkeeping per image that the manual adds to the cap's KiB
per=$(sed -n 's/.*KiB of strings plus about \([0-9][0-9]*\) bytes.*/\1/p' \
	"$man5" 2>/dev/null | head -n 1)
if [ -z "$per" ]; then
	echo "table-mem: no per-image bound in $man5; using the cap's KiB alone"
	per=0
fi
bound=$((cap * (1024 + per)))
echo "documented bound (audisp-dracut.conf(5)): $cap KiB of strings +" \
	"$per bytes per image = $((bound / 1024)) KiB"

status=0
run() {
	label=$1
	shift
	# the lookups find parents evicted on purpose: their warnings go
	if ! out=$("$bin" "$@" 2>/dev/null); then
		echo "table-mem: $label: $bin failed"
		return 1
	fi
	echo "== $label: $bin $*"
	echo "$out" | sed 's/^/   /'
	echo "$out" | awk -v label="$label" -v bound="$bound" \
		-v default_cap="$cap" '
		BEGIN { v["default_cap"] = default_cap }
		{ v[$1] = $2 }
		END {
			cap = v["max_entries"]
			buckets = 8 * 2 * cap         # at most 2 per entry
			record = 40 * cap / 4         # the evicted record
			rss = v["peak_maxrss_kib"] - v["baseline_maxrss_kib"]
			bound = cap * bound / v["default_cap"]
			bad = 0
			printf "%s: %d entries (cap %d) on %d nodes, table " \
				"%.0f KiB, registry %.0f KiB, peak RSS +%d " \
				"KiB, %d ns/exec; bound %d KiB: %s\n", label,
				v["entries"], cap, v["hosts"],
				v["table_bytes"] / 1024,
				v["registry_bytes"] / 1024, rss,
				v["ns_per_exec"], bound / 1024,
				rss * 1024 <= bound ? "met" : "MISSED"
			if (v["entries"] > cap) {
				printf "table-mem: %s: %d entries > cap %d\n",
					label, v["entries"], cap; bad = 1
			}
			limit = cap * 1024 + buckets + record + 4096
			if (v["table_bytes"] > limit) {
				printf "table-mem: %s: %d bytes > %d KiB " \
					"+ buckets\n", label, v["table_bytes"],
					cap; bad = 1
			}
			exit bad
		}' || return 1
}

run typical 1000000 "$cap" "$img" 0 || status=1
run long-command-lines 1000000 "$cap" "$img" 4000 || status=1
run "$NODES nodes, default cap" 1000000 "$cap" "$img" 0 "$NODES" || status=1
run "$NODES nodes, collector cap" 1000000 "$COLLECTOR_CAP" "$img" 0 \
	"$NODES" || status=1
exit $status
