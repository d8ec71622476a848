#!/usr/bin/env bash
# live.sh - CPU of auditd and of its plugin (copier, laurel, ours) under execs
#
# Usage: bench/live.sh [ROUNDS]   (default 3; `make bench` runs it as root)
#
# For each configuration - auditd alone, auditd with bench/copier (a plugin
# that copies stdin to /dev/null), with laurel (when installed), and with
# the built audisp-dracut (a private config writing alerts to a file) -
# starts a private `auditd -n -c DIR` (log_format ENRICHED, its log and
# plugins.d in DIR, a queue deep enough not to drop), loads
#   -a always,exit -F arch=b64 -S execve,execveat -k exec   (and b32)
# runs bench/execload (RATE execs/s of /bin/true for DURATION s; default
# 1000 and 10) and reads the CPU time (utime + stime in /proc/PID/stat) of
# auditd and of the plugin before and after, once both are idle again.
# The configurations take turns, ROUNDS times; the medians are printed per
# 10,000 execs of the log, with the plugin's CPU as a share of auditd's
# against the target of issue 7 (audisp-dracut <= 15% of auditd).
#
# Fails (exit 1) if a daemon does not start, if auditd's log lacks one of
# execload's execs, or if audisp-dracut missed an exec or is not alive at
# the end. A missed target is printed, not failed. Exit 77 without root,
# auditd or kernel audit, or when another audit daemon is running (it is
# left alone). Everything runs under the lock /tmp/audisp-dracut-audit.lock
# and is undone on every exit: rules deleted, daemons stopped by pid.
#
# Environment: top_srcdir, top_builddir, PLUGIN, COPIER, EXECLOAD, RATE,
# DURATION.
# shellcheck disable=SC2119 # audit_skip_reason: no argument, no nodaemon
set -u

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PLUGIN:=$top_builddir/audisp-dracut}"
: "${COPIER:=$top_builddir/bench/copier}"
: "${EXECLOAD:=$top_builddir/bench/execload}"
: "${RATE:=1000}"
: "${DURATION:=10}"
rounds=${1:-3}
TARGET_PCT=15 # audisp-dracut's CPU <= 15% of auditd's

say() { echo "live: $*"; }

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

tmp=$(mktemp -d /tmp/bench-live.XXXXXX) || exit 1
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

bench_audit_lock live

printf '%s\n' \
	'-a always,exit -F arch=b64 -S execve,execveat -k exec' \
	'-a always,exit -F arch=b32 -S execve,execveat -k exec' \
	>"$tmp/exec.rules"

configs="none copier"
command -v laurel >/dev/null 2>&1 && configs="$configs laurel"
configs="$configs dracut"

# count_execs LOG [PPID]: execve/execveat SYSCALL records of the rules (of
# children of PPID when given) in auditd's log
count_execs() {
	if [ -n "${2:-}" ]; then
		grep -a -c "^type=SYSCALL .* ppid=$2 .*key=\"exec\"" "$1"
	else
		grep -a -c '^type=SYSCALL .*key="exec"' "$1"
	fi
}

# run_one CONFIG ROUND: one measurement; appends to $tmp/results
# "CONFIG ROUND execs_ours execs_all auditd_ticks plugin_ticks"
run_one() {
	local c=$1 r=$2 dir=$tmp/$1-$2 a0 a1 p0=0 p1=0 i ours all seen
	local load lost0 lost1 v
	mkdir -p "$dir"
	write_auditd_conf "$dir" ENRICHED 10000 90000
	plugin_entry "$c" "$dir"
	audit_start "$dir" 9>&- || { say "$c: auditd did not start"; return 1; }
	PLUGIN_PID=
	if [ "$c" != none ]; then
		for ((i = 0; i < 100; i++)); do
			PLUGIN_PID=$(pgrep -P "$AUDITD_PID" | head -n 1)
			[ -n "$PLUGIN_PID" ] && break
			e2e_sleep 0.05
		done
		if [ -z "$PLUGIN_PID" ]; then
			say "$c: auditd started no plugin"
			cat "$dir/auditd.out"
			return 1
		fi
	fi
	if ! audit_load_rules "$tmp/exec.rules"; then
		say "cannot load the rules"
		return 1
	fi
	audit_wait_quiet "$dir/audit.log" 300
	[ -n "$PLUGIN_PID" ] && wait_idle "$PLUGIN_PID"
	lost0=$(auditctl -s | awk '$1 == "lost" { print $2 }')
	a0=$(ticks "$AUDITD_PID")
	[ -n "$PLUGIN_PID" ] && p0=$(ticks "$PLUGIN_PID")

	"$EXECLOAD" -r "$RATE" -d "$DURATION" >"$dir/load.out" 9>&- &
	LOAD_PID=$!
	if ! wait "$LOAD_PID"; then
		say "$c: execload failed: $(cat "$dir/load.out")"
		return 1
	fi
	load=$LOAD_PID
	LOAD_PID=

	audit_wait_quiet "$dir/audit.log" 500
	[ -n "$PLUGIN_PID" ] && wait_idle "$PLUGIN_PID"
	a1=$(ticks "$AUDITD_PID")
	[ -n "$PLUGIN_PID" ] && p1=$(ticks "$PLUGIN_PID")
	lost1=$(auditctl -s | awk '$1 == "lost" { print $2 }')
	all=$(count_execs "$dir/audit.log")
	ours=$(count_execs "$dir/audit.log" "$load")

	if [ "$c" = dracut ]; then
		if ! kill -0 "$PLUGIN_PID" 2>/dev/null ||
		   [ "$(ps -o stat= -p "$PLUGIN_PID" | cut -c1)" = Z ]; then
			say "dracut: audisp-dracut (pid $PLUGIN_PID) is gone"
			return 1
		fi
		rm -f "$dir/state"
		kill -USR1 "$PLUGIN_PID"
		for ((i = 0; i < 250; i++)); do
			[ -s "$dir/state" ] && break
			e2e_sleep 0.02
		done
		seen=$(awk -F' = ' '
			$1 == "execs" || $1 == "execs_failed" { n += $2 }
			END { print n + 0 }' "$dir/state" 2>/dev/null)
		if [ "${seen:-0}" -lt "$all" ]; then
			say "dracut: audisp-dracut saw ${seen:-0} execs;" \
			    "auditd logged $all"
			return 1
		fi
	fi
	audit_stop
	if [ -n "$PLUGIN_PID" ]; then
		for ((i = 0; i < 100; i++)); do
			kill -0 "$PLUGIN_PID" 2>/dev/null || break
			e2e_sleep 0.05
		done
		PLUGIN_PID=
	fi

	v=$(awk '{ print $2 }' "$dir/load.out")
	if [ "$ours" != "$v" ]; then
		say "$c: auditd logged $ours of execload's $v execs" \
		    "(kernel lost: $lost0 -> $lost1)"
		return 1
	fi
	printf '%-7s round %d: %s\n' "$c" "$r" "$(cat "$dir/load.out")"
	printf '%-7s          auditd %d ticks, plugin %d ticks, ' "" \
		$((a1 - a0)) $((p1 - p0))
	printf '%d execs in the log, kernel lost %d\n' "$all" \
		$((lost1 - lost0))
	echo "$c $r $ours $all $((a1 - a0)) $((p1 - p0))" >>"$tmp/results"
	rm -rf "$dir"
}

hz=$(getconf CLK_TCK)
say "$RATE execs/s for $DURATION s; $rounds rounds of: $configs"
for ((r = 1; r <= rounds; r++)); do
	for c in $configs; do
		run_one "$c" "$r" || exit 1
	done
done

# per10k CONFIG COLUMN: median over the rounds of COLUMN (ticks) in CPU
# seconds per 10,000 execs of the log
per10k() {
	awk -v c="$1" -v k="$2" -v hz="$hz" \
		'$1 == c { print $k / hz * 10000 / $4 }' "$tmp/results" |
		sort -g |
		awk '{ v[NR] = $1 } END { printf "%.3f", v[int((NR + 1) / 2)] }'
}
# pct CONFIG: median over the rounds of the plugin's CPU in % of auditd's
pct() {
	awk -v c="$1" '$1 == c { print ($5 > 0 ? 100 * $6 / $5 : 0) }' \
		"$tmp/results" | sort -g |
		awk '{ v[NR] = $1 } END { printf "%.1f", v[int((NR + 1) / 2)] }'
}

echo
echo "CPU seconds per 10,000 execs (all execs in auditd's log), medians" \
	"of $rounds rounds; $hz ticks/s"
printf '%-14s %9s %9s %15s\n' plugin auditd_s plugin_s plugin/auditd
for c in $configs; do
	name=$c
	[ "$c" = dracut ] && name=audisp-dracut
	[ "$c" = none ] && name="(none)"
	if [ "$c" = none ]; then
		printf '%-14s %9s %9s %15s\n' "$name" "$(per10k "$c" 5)" - -
	else
		printf '%-14s %9s %9s %14s%%\n' "$name" "$(per10k "$c" 5)" \
			"$(per10k "$c" 6)" "$(pct "$c")"
	fi
done
p=$(pct dracut)
printf 'cpu audisp-dracut/auditd %s%% (target <= %d%%): %s\n' "$p" \
	"$TARGET_PCT" "$(awk -v p="$p" -v t="$TARGET_PCT" \
	'BEGIN { print (p <= t) ? "met" : "MISSED" }')"
exit 0
