#!/usr/bin/env bash
# rates.sh - plugin CPU at every exec rate, beside a copier and laurel, and alert latency
#
# Usage: bench/rates.sh [ROUNDS]   (default 3; `make bench` runs it)
#
# One private auditd (auditd -n -c DIR, log_format ENRICHED) feeds three
# plugins at once, the same stream to each: the built audisp-dracut, bench/copier (reads its stdin
# into /dev/null: the cost of waking for auditd's writes and nothing more)
# and laurel (when installed; bench/lib.sh's laurel_config). For each rate
# of RATES (default "50 200 1000"), ROUNDS times, the rates taking turns:
# bench/execload paces RATE execs/s of /bin/true for DURATION s (default
# 10), while DRACUT_RUNS (default 5) manual dracut runs (bash -c "dracut
# --help MARK; sleep 3; true", which alerts; the bash stays so that the
# plugin, running behind on a saturated machine, still finds it in /proc
# under RULES=load) are spread over the same time.
#
# RULES=load (the default) audits the execs of the load's program and of
# dracut only (the lean rules, and a path filter on /bin/true's file), so
# that the plugins see the rate asked for even on a machine where other
# programs exec; the dracut runs then find their parent in /proc.
# RULES=full loads rules.d/40-audisp-dracut.rules instead: every exec on
# the host, whatever its rate.
#
# CPU: for auditd and each plugin, the sum over its threads of
# /proc/PID/task/TID/schedstat (the scheduler's runtime: user and system,
# in ns), read before the load and after it, each time as soon as a
# dracut run made for the purpose has alerted (the plugin has caught up;
# the copier and laurel, which do less per event, are taken to have too);
# divided by the execs the log holds from that window (the table prints
# their rate: under RULES=full it can be well above the load's). The
# processes are auditd's children, not ours: no wait4/getrusage.
#
# Latency: for each dracut run, the alert's event.created (when the plugin
# built it) less its @timestamp (the exec's audit time), both in ms. The
# kernel stamps an event with its coarse clock, which can be up to one
# tick (4 ms at HZ=250) early: the figure may read a few ms high.
#
# Prints per rate: the execs/s the log saw, the medians over the rounds of
# CPU per exec, the plugin's CPU as a ratio of the copier's and of
# laurel's (medians of the per-round ratios), and the latency (median and
# maximum over every run), against issue 16's targets: plugin <= 1.0x the
# copier and <= 0.2x laurel at 50 and 200 execs/s, <= 0.5x and <= 0.15x at
# 1,000 execs/s; latency median <= 20 ms, maximum <= 100 ms. A missed
# target is printed, not failed. A load the machine cannot keep up with
# runs as fast as it can; the table shows the rate achieved.
#
# A dracut run that raised no alert is counted and printed. Fails (exit 1)
# if auditd or a plugin does not start, or if audisp-dracut is gone at the
# end. Exit 77 without
# root, auditd or kernel audit, or when another audit daemon is running (it
# is left alone). Everything runs under the lock
# /tmp/audisp-dracut-audit.lock and is undone on every exit: rules deleted
# (auditctl -D), auditd stopped by its pid.
#
# Environment: top_srcdir, top_builddir, PLUGIN, COPIER, EXECLOAD, RATES,
# DURATION, DRACUT_RUNS, RULES.
# shellcheck disable=SC2016 # col's arguments are awk expressions
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PLUGIN:=$top_builddir/audisp-dracut}"
: "${COPIER:=$top_builddir/bench/copier}"
: "${EXECLOAD:=$top_builddir/bench/execload}"
: "${RATES:=50 200 1000}"
: "${DURATION:=10}"
: "${DRACUT_RUNS:=5}"
: "${RULES:=load}"
rounds=${1:-3}
# issue 16's targets: the plugin's CPU as a ratio of the copier's and of
# laurel's, below and from BATCH_RATE execs/s; alert latency in ms
BATCH_RATE=1000
TARGET_COPIER_LOW=1.0
TARGET_LAUREL_LOW=0.2
TARGET_COPIER_HIGH=0.5
TARGET_LAUREL_HIGH=0.15
TARGET_LAT_MEDIAN=20
TARGET_LAT_MAX=100

say() { echo "rates: $*"; }

# shellcheck source=SCRIPTDIR/../tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"
# shellcheck source=SCRIPTDIR/lib.sh
. "$top_srcdir/bench/lib.sh"

if why=$(audit_skip_reason nodaemon); then
	say "skipped: $why"
	exit 77
fi
for p in "$PLUGIN" "$COPIER" "$EXECLOAD"; do
	[ -x "$p" ] && continue
	say "$p is not built (make bench builds it)"
	exit 77
done
if ! command -v jq >/dev/null 2>&1; then
	say "skipped: jq is not installed"
	exit 77
fi

tmp=$(mktemp -d /tmp/bench-rates.XXXXXX) || exit 1
chmod 0700 "$tmp"
# shellcheck disable=SC2034 # e2e_sleep (waits without an exec) uses it
E2E_BASE=$tmp
LOAD_PID=
RUNS_PID=
declare -A PID

# shellcheck disable=SC2317 # the EXIT trap runs it
cleanup() {
	local p
	[ -n "$LOAD_PID" ] && kill -TERM "$LOAD_PID" 2>/dev/null
	[ -n "$RUNS_PID" ] && kill -TERM "$RUNS_PID" 2>/dev/null
	audit_stop
	for p in "${PID[@]}"; do
		kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

bench_audit_lock rates

PLUGINS="dracut copier"
command -v laurel >/dev/null 2>&1 && PLUGINS="$PLUGINS laurel"
case $RULES in
load)
	audit_rules_lean "$top_srcdir/rules.d/41-audisp-dracut-lean.rules" \
		"$tmp/bench.rules"
	printf -- '-a always,exit -F arch=b64 -S execve,execveat -F path=%s %s\n' \
		"$(readlink -f /bin/true)" "-k audisp-dracut" >>"$tmp/bench.rules"
	;;
full)
	cp "$top_srcdir/rules.d/40-audisp-dracut.rules" "$tmp/bench.rules"
	chmod 0600 "$tmp/bench.rules"
	;;
*)
	say "RULES must be load or full, not '$RULES'"
	exit 1
	;;
esac
dir=$tmp/audit
log=$dir/audit.log
write_auditd_conf "$dir" ENRICHED 10000 90000
for c in $PLUGINS; do
	plugin_entry "$c" "$dir"
done
audit_start "$dir" 9>&- || { say "auditd did not start"; exit 1; }
PID[auditd]=$AUDITD_PID
for c in $PLUGINS; do
	case $c in
	dracut) path=$PLUGIN ;;
	copier) path=$COPIER ;;
	laurel) path=$(command -v laurel) ;;
	esac
	if ! PID[$c]=$(plugin_pid "$AUDITD_PID" "$path"); then
		say "auditd did not start $c"
		cat "$dir/auditd.out"
		exit 1
	fi
done
audit_load_rules "$tmp/bench.rules" || { say "cannot load the rules"; exit 1; }
BENCH_HZ=$(getconf CLK_TCK)

# dracut_runs TAG N SECONDS: N manual dracut runs, one every SECONDS / (N +
# 1) s, each with the marker RATESMARK-TAG-I; the markers go to
# $tmp/marks. Returns when every run has ended.
dracut_runs() {
	local i gap m
	gap=$(awk -v d="$3" -v n="$2" 'BEGIN { printf "%.3f", d / (n + 1) }')
	for ((i = 1; i <= $2; i++)); do
		e2e_sleep "$gap"
		m=RATESMARK-$1-$i-$$
		echo "$m" >>"$tmp/marks"
		/usr/bin/bash -c "dracut --help $m >/dev/null; sleep 3; true" &
	done
	wait
}

# latencies: for every marker in $tmp/marks, "marker latency_ms" of its
# alert (event.created less @timestamp), or "marker none"
latencies() {
	jq -r --rawfile marks "$tmp/marks" '
		def ms: capture("^(?<s>[^.]+)\\.(?<f>[0-9]+)Z$") |
			((.s + "Z") | fromdateiso8601) * 1000 + (.f | tonumber);
		($marks | split("\n") | map(select(. != ""))) as $m |
		select(any(.process.args[]; . as $a | $m | index([$a]))) |
		"\(.process.args | map(select(startswith("RATESMARK-")))[0])" +
		" \((.event.created | ms) - (.["@timestamp"] | ms))"' \
		"$dir/alerts.json" 2>/dev/null >"$tmp/lat.found"
	while read -r m; do
		grep -q "^$m " "$tmp/lat.found" || echo "$m none"
	done <"$tmp/marks"
	cat "$tmp/lat.found"
}

# run_one RATE ROUND: one load; appends to $tmp/results "RATE ROUND
# log_execs window_us auditd_ns dracut_ns copier_ns laurel_ns rate" and
# to $tmp/latency "RATE latency_ms"
run_one() {
	local rate=$1 r=$2 c s0 t0 t1 n all load
	local -A c0 c1
	alert_sync "$dir/alerts.json" || { say "no sync alert"; return 1; }
	: >"$tmp/marks"
	s0=$(stat -c %s "$log")
	t0=${EPOCHREALTIME/[.,]/}
	for c in auditd $PLUGINS; do
		c0[$c]=$(cpu_ns "${PID[$c]}")
	done

	dracut_runs "$rate-$r" "$DRACUT_RUNS" "$DURATION" 9>&- &
	RUNS_PID=$!
	"$EXECLOAD" -r "$rate" -d "$DURATION" >"$tmp/load.out" 9>&- &
	LOAD_PID=$!
	if ! wait "$LOAD_PID"; then
		say "$rate/s: execload failed: $(cat "$tmp/load.out")"
		return 1
	fi
	LOAD_PID=
	wait "$RUNS_PID"
	RUNS_PID=

	alert_sync "$dir/alerts.json" || { say "no sync alert"; return 1; }
	for c in auditd $PLUGINS; do
		c1[$c]=$(cpu_ns "${PID[$c]}")
	done
	t1=${EPOCHREALTIME/[.,]/}
	all=$(tail -c +$((s0 + 1)) "$log" |
		grep -a -c '^type=SYSCALL .*key="audisp-dracut"')
	read -r _ n _ _ _ _ _ load _ <"$tmp/load.out"
	latencies >"$tmp/lat.run"
	if grep -q ' none$' "$tmp/lat.run"; then
		say "$rate/s: no alert for: $(grep ' none$' "$tmp/lat.run" |
			cut -d' ' -f1 | tr '\n' ' ')"
		echo "$rate" >>"$tmp/missed"
	fi
	awk -v r="$rate" '$2 != "none" { print r, $2 }' "$tmp/lat.run" \
		>>"$tmp/latency"
	printf '%5s/s round %d: load %s execs at %s/s, log %d execs; CPU ms:' \
		"$rate" "$r" "$n" "$load" "$all"
	for c in auditd $PLUGINS; do
		printf ' %s %d' "$c" $(((c1[$c] - c0[$c]) / 1000000))
	done
	printf '; latency ms: %s\n' "$(cut -d' ' -f2 "$tmp/lat.run" |
		tr '\n' ' ')"
	echo "$rate $r $all $((t1 - t0)) $((c1[auditd] - c0[auditd]))" \
		"$((c1[dracut] - c0[dracut])) $((c1[copier] - c0[copier]))" \
		"$((${c1[laurel]:-0} - ${c0[laurel]:-0})) $load" >>"$tmp/results"
}

threads=
for c in auditd $PLUGINS; do
	threads="$threads $c $(find "/proc/${PID[$c]}/task" -mindepth 1 \
		-maxdepth 1 | grep -c .)"
done
say "rates $RATES execs/s for $DURATION s each, $DRACUT_RUNS dracut runs" \
	"in each; $rounds rounds; $RULES rules; pids: auditd ${PID[auditd]}$(for c in \
	$PLUGINS; do printf ', %s %s' "$c" "${PID[$c]}"; done); threads:$threads"
for ((r = 1; r <= rounds; r++)); do
	for rate in $RATES; do
		run_one "$rate" "$r" || exit 1
	done
done
if ! kill -0 "${PID[dracut]}" 2>/dev/null; then
	say "audisp-dracut (pid ${PID[dracut]}) is gone"
	exit 1
fi

# col RATE EXPR: the median over the rounds of the awk expression EXPR of a
# result line ($3 log execs, $4 window us, $5-$8 auditd, dracut, copier,
# laurel ns, $9 load rate)
col() {
	awk -v r="$1" '$1 == r && $3 > 0 { print '"$2"' }' "$tmp/results" |
		median
}
# verdict VALUE OP TARGET: "met" or "MISSED"
verdict() {
	awk -v v="$1" -v t="$3" -v op="$2" 'BEGIN {
		if (v == "-") { print "-"; exit }
		print ((op == "<=" && v + 0 <= t + 0) ? "met" : "MISSED") }'
}

echo
echo "CPU per exec in auditd's log (us; schedstat, ns resolution), medians" \
	"of $rounds rounds; ratios: medians of the per-round ratios; load/s:" \
	"the rate execload achieved; latency (ms): every run's alert"
printf '%6s %7s %8s %8s %8s %8s %14s %14s %8s %8s\n' rate load/s auditd \
	plugin copier laurel plugin/copier plugin/laurel lat_med lat_max
for rate in $RATES; do
	lat=$(awk -v r="$rate" '$1 == r { print $2 }' "$tmp/latency")
	printf '%6s %7.0f %8.1f %8.1f %8.1f %8s %14.2f %14s %8s %8s\n' \
		"$rate" "$(col "$rate" '$9')" \
		"$(col "$rate" '$5 / $3 / 1e3')" "$(col "$rate" '$6 / $3 / 1e3')" \
		"$(col "$rate" '$7 / $3 / 1e3')" \
		"$(col "$rate" '($8 > 0) ? sprintf("%.1f", $8 / $3 / 1e3) : "-"')" \
		"$(col "$rate" '$6 / $7')" \
		"$(col "$rate" '($8 > 0) ? sprintf("%.2f", $6 / $8) : "-"')" \
		"$(printf '%s\n' "$lat" | median)" \
		"$(printf '%s\n' "$lat" | sort -g | tail -n 1)"
done
echo
for rate in $RATES; do
	if [ "$rate" -ge "$BATCH_RATE" ]; then
		tc=$TARGET_COPIER_HIGH tl=$TARGET_LAUREL_HIGH
	else
		tc=$TARGET_COPIER_LOW tl=$TARGET_LAUREL_LOW
	fi
	pc=$(col "$rate" 'sprintf("%.2f", $6 / $7)')
	pl=$(col "$rate" '($8 > 0) ? sprintf("%.2f", $6 / $8) : "-"')
	lat=$(awk -v r="$rate" '$1 == r { print $2 }' "$tmp/latency")
	lm=$(printf '%s\n' "$lat" | median)
	lx=$(printf '%s\n' "$lat" | sort -g | tail -n 1)
	printf '%5s/s: plugin/copier %s (target <= %s): %s; plugin/laurel' \
		"$rate" "$pc" "$tc" "$(verdict "$pc" '<=' "$tc")"
	printf ' %s (target <= %s): %s; latency median %s ms (<= %d): %s,' \
		"$pl" "$tl" "$(verdict "$pl" '<=' "$tl")" "$lm" \
		"$TARGET_LAT_MEDIAN" "$(verdict "$lm" '<=' "$TARGET_LAT_MEDIAN")"
	printf ' max %s ms (<= %d): %s\n' "$lx" "$TARGET_LAT_MAX" \
		"$(verdict "$lx" '<=' "$TARGET_LAT_MAX")"
	n=$(grep -c -x "$rate" "$tmp/missed" 2>/dev/null)
	[ "${n:-0}" -gt 0 ] &&
		echo "       $n dracut runs raised no alert (not in the latency)"
done
exit 0
