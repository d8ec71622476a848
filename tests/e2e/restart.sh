#!/bin/bash
# restart.sh - auditd restarting the plugin: no alert repeated, none missed
#
# A private auditd 3.0.9 (max_restarts = 10, tests/lib.sh) runs the plugin
# from its plugin_dir, with rules.d/ loaded. Real dracut runs (dracut --help
# MARK from bash -c), each with a fresh marker, are made before and after:
#   - a SIGTERM sent by someone other than auditd: ignored (audisp-dracut(8)),
#     the same plugin runs on and alerts;
#   - SIGKILL, and SIGSEGV: the plugin dies, auditd starts a new one (a
#     new pid, its "started" message in syslog), which alerts on new runs;
#   - auditd stopping: its SIGTERM makes the plugin exit cleanly;
#   - max_restarts (10): an eleventh crash is not restarted.
# After each step every marker so far must be in exactly one alert: a
# restart must not repeat old alerts nor lose the ones that follow it. Runs
# made while no plugin is running (between the crash and the restart) are
# reported but not required: auditd hands nothing to a dead plugin.
#
# As tests/e2e/run.sh: under flock /tmp/audisp-dracut-audit.lock, in a
# private mount namespace with a tmpfs for every file, overlays on /usr,
# /etc, /var and /tmp, and a private /dev whose /dev/log is a private
# rsyslogd; cleanup deletes the rules (auditctl -D) and stops what it
# started by pid. Exits 77 when kernel audit cannot be used here.
# Prints "ok N - what" / "not ok N - what" and "restart: N passed, M
# failed".

set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
PLUGIN=${PLUGIN:-${top_builddir:-$top_srcdir}/audisp-dracut}
export top_srcdir PLUGIN
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

# ---------------------------------------------------------------- outside
[ -n "${E2E_INNER:-}" ] || e2e_outer restart "rsyslogd" "$0" "$@"

# ---------------------------------------------------------------- inside
if reason=$(audit_skip_reason); then
	echo "SKIP: restart: $reason"
	exit 77
fi
audit_path
export LC_ALL=C
B=$E2E_BASE
RS_PID=
N=0
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); N=$((N + 1)); echo "ok $N - $*"; }
fail() { FAIL=$((FAIL + 1)); N=$((N + 1)); echo "not ok $N - $*"; }

restart_cleanup() {
	audit_stop
	[ -n "$RS_PID" ] && kill "$RS_PID" 2>/dev/null
	[ -n "$RS_PID" ] && wait "$RS_PID" 2>/dev/null
	e2e_keep restart
}

e2e_workdir restart_cleanup audisp-dracut-restart 64m || exit 1
for d in usr etc var tmp; do
	mkdir -p "$B/ov/$d/up" "$B/ov/$d/work"
	if ! mount -t overlay "restart-$d" \
		-o "lowerdir=/$d,upperdir=$B/ov/$d/up,workdir=$B/ov/$d/work" \
		"/$d"; then
		echo "SKIP: restart: cannot mount an overlay on /$d"
		exit 77
	fi
done
private_dev "$B/dev" 1m "$B/log.sock" "null zero full random urandom tty" ||
	[ $? -eq 2 ] || exit 1
write_rsyslog_conf "$B" 256k audisp-dracut-restart "$B/syslog.log" \
	"$B/syslog-parsed.log"
rsyslogd -n -f "$B/rsyslog.conf" -i "$B/rsyslog.pid" >"$B/rsyslog.out" 2>&1 &
RS_PID=$!
echo "rsyslogd $RS_PID" >>"$E2E_PIDFILE"

# sleep without an exec (read with a timeout on a FIFO that stays empty)
mkfifo "$B/sleep.fifo"
exec {SLEEP_FD}<>"$B/sleep.fifo"
nap() { read -r -t "$1" -u "$SLEEP_FD" _ 2>/dev/null; return 0; }

ALERTS=$B/alerts/alerts.json
cat >"$B/plugin.conf" <<EOF
output = file
output_file = $ALERTS
rate_limit_alerts = 0
state_file = $B/state
EOF
chmod 0600 "$B/plugin.conf"
dir=$B/audit
mkdir -p "$dir"
write_auditd_conf "$dir" RAW
sed -e "s|^path = .*|path = $PLUGIN|" -e '/^args *=/d' \
	"$top_srcdir/plugin/audisp-dracut.conf" >"$dir/plugins/audisp-dracut.conf"
echo "args = -c $B/plugin.conf" >>"$dir/plugins/audisp-dracut.conf"
chmod 0640 "$dir/plugins/audisp-dracut.conf"

for _ in $(seq 100); do
	[ -S "$B/log.sock" ] && break
	nap 0.05
done
[ -S "$B/log.sock" ] || { echo "SKIP: restart: rsyslogd did not start"; exit 77; }

if ! audit_start "$dir"; then
	fail "auditd starts"
	echo "restart: $PASS passed, $FAIL failed"
	exit 1
fi
echo "auditd $AUDITD_PID" >>"$E2E_PIDFILE"
if ! audit_load_rules "$top_srcdir"/rules.d/*.rules; then
	fail "auditctl -R rules.d/*.rules"
	echo "restart: $PASS passed, $FAIL failed"
	exit 1
fi

# plugin_pid: the pid of the plugin auditd runs now (empty if none)
plugin_pid() {
	pgrep -P "$AUDITD_PID" -f "$PLUGIN" | head -n 1
}

# wait_plugin OLD [SECONDS]: wait up to SECONDS (15) for a running plugin
# other than OLD; print its pid. auditd notices a dead plugin when it next
# writes to it, so a few events are made meanwhile.
wait_plugin() {
	local old=$1 i p
	for ((i = 0; i < ${2:-15} * 10; i++)); do
		p=$(plugin_pid)
		if [ -n "$p" ] && [ "$p" != "$old" ] &&
		   grep -q '^SigCgt:.*[1-9a-f]' "/proc/$p/status" 2>/dev/null &&
		   [ -e "/proc/$p/fd/0" ]; then
			echo "$p"
			return 0
		fi
		/usr/bin/true
		nap 0.1
	done
	return 1
}

# count MARK: how many alert lines hold the argument MARK
count() {
	local n=0 line
	[ -f "$ALERTS" ] || { echo 0; return; }
	while IFS= read -r line; do
		[[ $line == *"\"$1\""* ]] && n=$((n + 1))
	done <"$ALERTS"
	echo "$n"
}

# run_dracut NAME: run dracut --help with a fresh marker from bash -c;
# the marker is in $MARK and appended to MARKS
SEQ=0
MARKS=()
run_dracut() {
	SEQ=$((SEQ + 1))
	MARK=RESTART-$1-$SEQ-$$
	MARKS+=("$MARK")
	/usr/bin/bash -c "dracut --help $MARK >/dev/null; true"
}

# wait_alert MARK: wait up to 15 s for an alert holding MARK
wait_alert() {
	local i
	for ((i = 0; i < 150; i++)); do
		[ "$(count "$1")" -ge 1 ] && return 0
		nap 0.1
	done
	return 1
}

# all_once [EXCEPT...]: every marker of MARKS but EXCEPT is in exactly one
# alert; prints the ones that are not, with their counts
all_once() {
	local m e bad=
	for m in "${MARKS[@]}"; do
		for e in "$@"; do [ "$m" = "$e" ] && continue 2; done
		[ "$(count "$m")" = 1 ] || bad="$bad $m:$(count "$m")"
	done
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}

# started: how many times a plugin said "started" to syslog
started() {
	grep -c "audisp-dracut.*started, rule version" "$B/syslog.log" 2>/dev/null
}

# step NAME: a dracut run that must alert once, and every earlier one still
# once (besides the ones in LOST)
LOST=()
step() {
	run_dracut "$1"
	if wait_alert "$MARK"; then
		ok "$1: the dracut run alerts"
	else
		fail "$1: the dracut run alerts"
	fi
	local bad
	if bad=$(all_once "${LOST[@]}"); then
		ok "$1: every run so far is in exactly one alert (${#MARKS[@]} runs)"
	else
		fail "$1: runs not in exactly one alert:$bad"
	fi
}

p1=$(wait_plugin "")
if [ -z "$p1" ]; then
	fail "auditd starts the plugin"
	cat "$dir/auditd.out"
	exit 1
fi
ok "auditd $AUDITD_PID started the plugin (pid $p1)"
step before-1
step before-2

# --- SIGTERM from another process: ignored
kill -TERM "$p1"
nap 1
if [ "$(plugin_pid)" = "$p1" ]; then
	ok "SIGTERM from another process: the plugin (pid $p1) runs on"
else
	fail "SIGTERM from another process: the plugin is now '$(plugin_pid)'"
fi
step after-sigterm

# --- crashes: auditd restarts the plugin
prev=$p1
for sig in KILL SEGV; do
	n0=$(started)
	kill "-$sig" "$prev"
	# a run while no plugin may be running: not required to alert
	run_dracut "during-$sig"
	gap=$MARK
	p=$(wait_plugin "$prev")
	if [ -n "$p" ]; then
		ok "SIG$sig: auditd started a new plugin (pid $p)"
	else
		fail "SIG$sig: auditd started no new plugin within 15 s"
		break
	fi
	for ((i = 0; i < 50; i++)); do
		[ "$(started)" -gt "$n0" ] && break
		nap 0.1
	done
	check_started=$(started)
	if [ "$check_started" -gt "$n0" ]; then
		ok "SIG$sig: the new plugin said it started ($check_started starts)"
	else
		fail "SIG$sig: no new \"started\" message in syslog"
	fi
	nap 0.5
	case $(count "$gap") in
	0) echo "# SIG$sig: the run made as the plugin died was not seen" \
		"(auditd had nobody to give it to)"
	   LOST+=("$gap") ;;
	1) echo "# SIG$sig: the run made as the plugin died alerted" ;;
	*) fail "SIG$sig: the run made as the plugin died alerted" \
		"$(count "$gap") times" ;;
	esac
	step "after-SIG$sig"
	step "after-SIG$sig-again"
	prev=$p
done

# --- auditd stops: its SIGTERM ends the plugin, which exits 0
run_dracut last
wait_alert "$MARK" || fail "last: the dracut run alerts"
last=$(plugin_pid)
audit_stop
# the plugin logs "stopped" only on its clean way out (exit 0); the two
# that were killed never did
for ((i = 0; i < 50; i++)); do
	grep -q "audisp-dracut.*stopped" "$B/syslog.log" && break
	nap 0.1
done
n=$(grep -c "audisp-dracut.*stopped" "$B/syslog.log")
if [ "$n" = 1 ]; then
	ok "auditd's SIGTERM: the plugin ($last) stopped cleanly (one \"stopped\" in syslog)"
else
	fail "auditd's SIGTERM: $n \"stopped\" messages in syslog, want 1"
fi
if bad=$(all_once "${LOST[@]}"); then
	ok "at the end: every run (${#MARKS[@]}, ${#LOST[@]} made while no plugin ran) is in exactly one alert, or in none for those"
else
	fail "at the end: runs not in exactly one alert:$bad"
fi
# --- max_restarts: auditd 3.0.9 restarts a crashed plugin at most
# max_restarts times (10 here, write_auditd_conf); after that the plugin
# stays down until auditd is reloaded or restarted
if audit_start "$dir" && audit_load_rules "$top_srcdir"/rules.d/*.rules
then
	echo "auditd $AUDITD_PID" >>"$E2E_PIDFILE"
	prev=$(wait_plugin "")
	restarts=0
	while [ -n "$prev" ] && [ "$restarts" -le 12 ]; do
		kill -KILL "$prev"
		# restarts come within a second; the eleventh never does
		p=$(wait_plugin "$prev" 4)
		[ -n "$p" ] || break
		restarts=$((restarts + 1))
		prev=$p
	done
	if [ "$restarts" = 10 ]; then
		ok "max_restarts = 10: auditd restarted the killed plugin 10 times, then no more"
	else
		fail "max_restarts = 10: auditd restarted the killed plugin $restarts times"
	fi
	audit_stop
else
	fail "auditd starts again"
fi

echo "restart: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
