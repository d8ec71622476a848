#!/usr/bin/env bash
# rules-cost.sh - what each rules file costs: none, the full rules, the lean
#
# Usage: bench/rules-cost.sh [ROUNDS]   (default 3; `make bench` runs it)
#
# One private auditd (auditd -n -c DIR, log_format ENRICHED, its log and
# plugins.d in DIR) runs the built audisp-dracut for the whole run. Each
# round loads, in turn, no rules, the full rules
# (rules.d/40-audisp-dracut.rules) and the lean rules
# (rules.d/41-audisp-dracut-lean.rules, turned on), and under each runs
# bench/execload: RATE execs/s of /bin/true (default 1000) for DURATION s
# (default 10), programs other than dracut. Measured over each load, from
# before it starts until its events are handled: until auditd's log is
# quiet, or, under the full rules, which also log every other program on
# the host, as soon as a dracut run made for the purpose has alerted:
#   - the CPU time of auditd, of kauditd (the kernel thread that hands the
#     records to auditd) and of audisp-dracut: the sum of their threads'
#     /proc/PID/task/TID/schedstat (the scheduler's runtime, in ns);
#   - the CPU time of the load itself (execload's getrusage of itself and
#     its children): the forks and execs, including the work the kernel's
#     audit does in them (checking the rules, building the records);
#   - the bytes auditd wrote to audit.log.
# The full rules audit every exec on the host, the load's and any other
# program's (on a shared machine, other programs may exec more than the
# load), so the costs are given per second of the measured window and,
# for the full rules, per exec in the log. Prints, per rules file, the
# medians over the rounds, and the lean rules' cost per second as a share
# of the full rules' (the median of the per-round ratios) against issue
# 16's target: lean at most 5% of full in auditd's CPU and in log bytes. A
# missed target is printed, not failed.
#
# Fails (exit 1) if auditd or the plugin does not start, or if the plugin
# is gone at the end. Exit 77 without root, auditd or kernel audit, or when
# another audit daemon is running (it is left alone). Everything runs under
# the lock /tmp/audisp-dracut-audit.lock and is undone on every exit: rules
# deleted (auditctl -D), auditd stopped by its pid.
#
# Environment: top_srcdir, top_builddir, PLUGIN, EXECLOAD, RATE, DURATION.
# shellcheck disable=SC2016 # col's arguments are awk expressions
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PLUGIN:=$top_builddir/audisp-dracut}"
: "${EXECLOAD:=$top_builddir/bench/execload}"
: "${RATE:=1000}"
: "${DURATION:=10}"
rounds=${1:-3}
TARGET_PCT=5 # lean rules <= 5% of the full rules, auditd CPU and log bytes
CONFIGS="none full lean"

say() { echo "rules-cost: $*"; }

# shellcheck source=SCRIPTDIR/../tests/e2e/lib.sh
. "$top_srcdir/tests/e2e/lib.sh"
# shellcheck source=SCRIPTDIR/lib.sh
. "$top_srcdir/bench/lib.sh"

if why=$(audit_skip_reason nodaemon); then
	say "skipped: $why"
	exit 77
fi
for p in "$PLUGIN" "$EXECLOAD"; do
	[ -x "$p" ] && continue
	say "$p is not built (make bench builds it)"
	exit 77
done

tmp=$(mktemp -d /tmp/bench-rules.XXXXXX) || exit 1
chmod 0700 "$tmp"
# shellcheck disable=SC2034 # e2e_sleep (waits without an exec) uses it
E2E_BASE=$tmp
LOAD_PID=
PLUGIN_PID=

# shellcheck disable=SC2317 # the EXIT trap runs it
cleanup() {
	[ -n "$LOAD_PID" ] && kill -TERM "$LOAD_PID" 2>/dev/null
	audit_stop
	if [ -n "$PLUGIN_PID" ] && kill -0 "$PLUGIN_PID" 2>/dev/null; then
		kill -KILL "$PLUGIN_PID" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

bench_audit_lock rules-cost

cp "$top_srcdir/rules.d/40-audisp-dracut.rules" "$tmp/full.rules"
chmod 0600 "$tmp/full.rules"
audit_rules_lean "$top_srcdir/rules.d/41-audisp-dracut-lean.rules" \
	"$tmp/lean.rules"
dir=$tmp/audit
log=$dir/audit.log
write_auditd_conf "$dir" ENRICHED 10000 90000
plugin_entry dracut "$dir"
audit_start "$dir" 9>&- || { say "auditd did not start"; exit 1; }
if ! PLUGIN_PID=$(plugin_pid "$AUDITD_PID" "$PLUGIN"); then
	say "auditd started no plugin"
	cat "$dir/auditd.out"
	exit 1
fi
KAUDITD_PID=$(pgrep -x kauditd | head -n 1)
BENCH_HZ=$(getconf CLK_TCK)

# usec: the wall clock in microseconds (a builtin: no exec)
usec() {
	local t=${EPOCHREALTIME/[.,]/}
	echo "$t"
}

# run_one CONFIG ROUND: one load under CONFIG's rules; appends to
# $tmp/results "CONFIG ROUND execs auditd_ns kauditd_ns plugin_ns load_ms
# log_bytes log_execs rate window_us"
run_one() {
	local c=$1 r=$2 a0 a1 k0 k1=0 p0 p1 s0 s1 t0 t1 load n rate ms all=0
	local -a out
	case $c in
	none) audit_load_rules ;;
	*) audit_load_rules "$tmp/$c.rules" ;;
	esac || { say "$c: cannot load the rules"; return 1; }
	if [ "$c" = full ]; then
		alert_sync "$dir/alerts.json" || { say "no sync alert"; return 1; }
	else
		audit_wait_quiet "$log" 300
	fi
	s0=$(stat -c %s "$log")
	t0=$(usec)
	a0=$(cpu_ns "$AUDITD_PID")
	k0=$(cpu_ns "$KAUDITD_PID")
	p0=$(cpu_ns "$PLUGIN_PID")

	"$EXECLOAD" -r "$RATE" -d "$DURATION" >"$tmp/load.out" 9>&- &
	LOAD_PID=$!
	if ! wait "$LOAD_PID"; then
		say "$c: execload failed: $(cat "$tmp/load.out")"
		return 1
	fi
	load=$LOAD_PID
	LOAD_PID=

	if [ "$c" = full ]; then
		alert_sync "$dir/alerts.json" || { say "no sync alert"; return 1; }
	else
		audit_wait_quiet "$log" 500
	fi
	a1=$(cpu_ns "$AUDITD_PID")
	k1=$(cpu_ns "$KAUDITD_PID")
	p1=$(cpu_ns "$PLUGIN_PID")
	t1=$(usec)
	s1=$(stat -c %s "$log")
	read -r -a out <"$tmp/load.out"
	n=${out[1]} rate=${out[7]} ms=${out[11]}
	if [ "$c" != none ]; then
		all=$(tail -c +$((s0 + 1)) "$log" |
			grep -a -c '^type=SYSCALL .*key="audisp-dracut"')
	fi
	if [ "$c" = full ]; then
		# every exec of the load must be in the log
		local ours
		ours=$(tail -c +$((s0 + 1)) "$log" |
			grep -a -c "^type=SYSCALL .* ppid=$load ")
		[ "$ours" = "$n" ] ||
			say "warning: full: the log holds $ours of the load's $n execs"
	fi
	printf '%-4s round %d: %s execs at %s/s; auditd %.0f ms, kauditd' \
		"$c" "$r" "$n" "$rate" "$(((a1 - a0) / 1000000))"
	printf ' %.0f ms, plugin %.0f ms, load %s ms, log %d bytes (%d execs)\n' \
		"$(((k1 - k0) / 1000000))" "$(((p1 - p0) / 1000000))" "$ms" \
		$((s1 - s0)) "$all"
	echo "$c $r $n $((a1 - a0)) $((k1 - k0)) $((p1 - p0)) $ms" \
		"$((s1 - s0)) $all $rate $((t1 - t0))" >>"$tmp/results"
}

say "$RATE execs/s of /bin/true for $DURATION s; $rounds rounds of:" \
	"$CONFIGS; auditd $AUDITD_PID, audisp-dracut $PLUGIN_PID," \
	"kauditd ${KAUDITD_PID:-?}"
for ((r = 1; r <= rounds; r++)); do
	for c in $CONFIGS; do
		run_one "$c" "$r" || exit 1
	done
done
if ! kill -0 "$PLUGIN_PID" 2>/dev/null; then
	say "audisp-dracut (pid $PLUGIN_PID) is gone"
	exit 1
fi

# col CONFIG EXPR: the median over the rounds of the awk expression EXPR
# of a result line ($3 load execs, $4-$6 auditd, kauditd, plugin ns, $7
# load ms, $8 log bytes, $9 log execs, $10 rate, $11 window us)
col() {
	awk -v c="$1" '$1 == c { print '"$2"' }' "$tmp/results" | median
}
# pct K: the median over the rounds of lean's column K per second of its
# window in % of full's
pct() {
	awk -v k="$1" '
		{ v[$1, $2] = $k / $11; rounds[$2] = 1 }
		END {
			for (r in rounds)
				if (v["full", r] > 0)
					print 100 * v["lean", r] / v["full", r]
		}' "$tmp/results" | median
}

echo
echo "per second of the measured window (the load, until its events are" \
	"handled): medians of $rounds rounds; CPU from schedstat (ns resolution)"
printf '%-5s %8s %9s %11s %9s %12s %11s %9s\n' rules window_s load/s \
	log_execs/s auditd_ms kauditd_ms plugin_ms log_KB
for c in $CONFIGS; do
	printf '%-5s %8.1f %9.0f %11.0f %9.2f %12.2f %11.2f %9.1f\n' "$c" \
		"$(col "$c" '$11 / 1e6')" "$(col "$c" '$10')" \
		"$(col "$c" '$9 * 1e6 / $11')" "$(col "$c" '$4 / $11')" \
		"$(col "$c" '$5 / $11')" "$(col "$c" '$6 / $11')" \
		"$(col "$c" '$8 * 1e6 / $11 / 1024')"
done
echo
printf 'full rules, per exec in the log: auditd %.1f us, kauditd %.1f us,' \
	"$(col full '$4 / $9 / 1e3')" "$(col full '$5 / $9 / 1e3')"
printf ' audisp-dracut %.1f us, %.0f bytes of audit.log\n' \
	"$(col full '$6 / $9 / 1e3')" "$(col full '$8 / $9')"
echo "the load's own CPU per exec (fork and exec, with the kernel's audit" \
	"work; getrusage):$(for c in $CONFIGS; do
		printf ' %s %.0f us' "$c" "$(col "$c" '$7 * 1e3 / $3')"
	done)"
echo
for k in 4:auditd_cpu 8:log_bytes 5:kauditd_cpu 6:plugin_cpu; do
	p=$(pct "${k%%:*}")
	if [ "${k%%:*}" = 4 ] || [ "${k%%:*}" = 8 ]; then
		printf 'lean/full %-11s %6.2f%% (target <= %d%%): %s\n' \
			"${k#*:}" "$p" "$TARGET_PCT" "$(awk -v p="$p" \
			-v t="$TARGET_PCT" 'BEGIN { print (p <= t) ? "met" : "MISSED" }')"
	else
		printf 'lean/full %-11s %6.2f%%\n' "${k#*:}" "$p"
	fi
done
exit 0
