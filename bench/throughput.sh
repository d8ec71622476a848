#!/usr/bin/env bash
# bench/throughput.sh - corpus throughput and memory, side by side
# with laurel (the peer plugin), in one run so the ratios are comparable on
# a shared, noisy machine. Not run by make check; prints figures, fails
# nothing.
#
#   bench/throughput.sh [ROUNDS]     (needs the built ./audisp-dracut)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
: "${PLUGIN:=$here/audisp-dracut}"
corpus_xz=${CORPUS:-$here/../shared/corpus/exec-stream-enriched.txt.xz}
rounds=${1:-5}

[ -x "$PLUGIN" ] || { echo "no plugin at $PLUGIN; build first"; exit 77; }
[ -r "$corpus_xz" ] || { echo "no corpus at $corpus_xz"; exit 77; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xz -dc "$corpus_xz" > "$tmp/corpus.txt"
bytes=$(stat -c %s "$tmp/corpus.txt")
lines=$(wc -l < "$tmp/corpus.txt")

# A private, permission-checked config writing alerts to a file.
printf 'output = file\noutput_file = %s/alerts.json\nrate_limit_alerts = 0\n' \
	"$tmp" > "$tmp/plugin.conf"
chmod 600 "$tmp/plugin.conf"

have_laurel=no
if command -v laurel >/dev/null 2>&1; then
	have_laurel=yes
	mkdir -p "$tmp/laurel"
	cat > "$tmp/laurel.toml" <<EOF2
directory = "$tmp/laurel"
user = "$(id -un)"
statusreport-period = 0
[auditlog]
file = "audit.log"
size = 10000000000
generations = 2
[transform]
execve-argv = [ "array" ]
[enrich]
pid = true
script = true
EOF2
fi

# run NAME CMD...: one timed run; appends "name wall cpu maxrss_kb"
run() {
	local name=$1
	shift
	rm -f "$tmp/alerts.json" "$tmp"/laurel/audit.log*
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/t" "$@" \
		< "$tmp/corpus.txt" > /dev/null 2>"$tmp/err" || {
		echo "$name failed:"; cat "$tmp/err"; exit 1; }
	read -r wall user sys rss < "$tmp/t"
	echo "$name $wall $(echo "$user + $sys" | bc -l) $rss" >> "$tmp/results"
}

for _ in $(seq "$rounds"); do
	run replay "$PLUGIN" -r - -o -
	run plugin "$PLUGIN" -c "$tmp/plugin.conf"
	[ $have_laurel = yes ] && run laurel laurel -c "$tmp/laurel.toml"
done

# median of column $2 for name $1
median() {
	awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$tmp/results" |
		sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

printf 'corpus: %d bytes, %d lines; %d rounds, medians\n' "$bytes" "$lines" "$rounds"
printf '%-8s %10s %10s %10s %12s\n' what wall_s cpu_s MB/s maxrss_KiB
for n in replay plugin laurel; do
	grep -q "^$n " "$tmp/results" || continue
	w=$(median $n 2); c=$(median $n 3); m=$(median $n 4)
	printf '%-8s %10.3f %10.3f %10.1f %12d\n' $n "$w" "$c" \
		"$(echo "$bytes / 1048576 / $c" | bc -l)" "$m"
done
if [ $have_laurel = yes ]; then
	pc=$(median plugin 3); lc=$(median laurel 3)
	pm=$(median plugin 4); lm=$(median laurel 4)
	printf 'ratio laurel/plugin: cpu %.2f, maxrss %.2f\n' \
		"$(echo "$lc / $pc" | bc -l)" "$(echo "$lm / $pm" | bc -l)"
fi
