#!/bin/bash
# run.sh - end-to-end tests: a real auditd runs the plugin, real processes run
#
# Starts a private auditd (auditd -n -c DIR) whose plugin_dir holds the
# project's plugin/audisp-dracut.conf (path = $PLUGIN, args = -c a private
# config that writes alerts to a file and to syslog with "@cee: "), loads
# rules.d/ with auditctl, and runs every scenario group (alerts.sh,
# exclusions.sh, boundaries.sh) for rule version 1 and then 7. Each alert
# is checked against what the scenario really ran; each no-alert scenario
# is followed by a control dracut that does alert, so the plugin has caught
# up before absence is asserted. With E2E_RULES=lean, only
# rules.d/41-audisp-dracut-lean.rules (its rules turned on) is loaded
# instead, and the groups of lean.sh run as well: run-lean.sh runs its
# checks alone; the other groups under the lean rules, and the leanloss
# measurement (notes, never a failure), show what those rules lose (the
# rules file lists the result). A real rsyslogd with mmjsonparse receives
# the syslog output (syslog.sh). Prints the exec-to-alert latency (median,
# maximum; fails above 1 s) and "e2e: N passed, M failed".
#
# Everything runs under flock /tmp/audisp-dracut-audit.lock, inside a
# private mount namespace: overlays on /usr, /etc, /var and /tmp and a
# private /dev keep the host untouched (the rule's paths, /dev/log). Exits
# 77 when kernel audit cannot be used here (not root, no audit, another
# audit daemon). Environment: top_srcdir, PLUGIN (set by make check);
# E2E_VERSIONS (default "1 7"), E2E_RULES (full or lean; default full),
# E2E_GROUPS (default "alerts exclusions boundaries syslog", and "lean
# leanloss" after them under the lean rules), E2E_LOSS_RUNS (10),
# E2E_LONG_EXECS (3000), E2E_STORM_EXECS
# (1500 per loop), E2E_KEEP=DIR (copy the work files there at the end; it
# must be outside /usr, /etc, /var and /tmp, which are overlays here).
# Run alone: sudo tests/e2e/run.sh (after make), or make check
# TESTS=tests/e2e/run.sh.

set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
PLUGIN=${PLUGIN:-${top_builddir:-$top_srcdir}/audisp-dracut}
export top_srcdir PLUGIN
# shellcheck source=SCRIPTDIR/lib.sh
. "$here/lib.sh"

# ---------------------------------------------------------------- outside
[ -n "${E2E_INNER:-}" ] || e2e_outer e2e "jq perl python3" "$0" "$@"

# ---------------------------------------------------------------- inside
# Checked again under the lock: another test may have started a daemon.
if reason=$(audit_skip_reason); then
	echo "SKIP: e2e: $reason"
	exit 77
fi
audit_path
export LC_ALL=C
B=$E2E_BASE
RS_PID=
E2E_WATCH_PID=
PLUGIN_PID=

e2e_cleanup()
{
	audit_stop
	[ -n "$E2E_WATCH_PID" ] && kill "$E2E_WATCH_PID" 2>/dev/null
	[ -n "$RS_PID" ] && kill "$RS_PID" 2>/dev/null
	[ -n "$RS_PID" ] && wait "$RS_PID" 2>/dev/null
	# background scenario processes still running
	jobs -p | xargs -r kill 2>/dev/null
	e2e_keep e2e
	# the mounts go with the namespace
}

# A private tmpfs for every file of the test, then overlays on the trees
# where scenarios place files the rule names (writes land in the tmpfs).
e2e_workdir e2e_cleanup audisp-dracut-e2e 512m || exit 1
for d in usr etc var tmp; do
	mkdir -p "$B/ov/$d/up" "$B/ov/$d/work"
	if ! mount -t overlay "e2e-$d" \
		-o "lowerdir=/$d,upperdir=$B/ov/$d/up,workdir=$B/ov/$d/work" \
		"/$d"; then
		echo "SKIP: e2e: cannot mount an overlay on /$d"
		exit 77
	fi
done

# A private /dev: a few device nodes bound from the host, the host's
# /dev/pts, and /dev/log pointing at the private rsyslogd's socket. auditd
# and the plugin, started below, run in this namespace.
mkdir -p "$B/devpts"
mount --bind /dev/pts "$B/devpts" 2>/dev/null
private_dev "$B/dev" 1m "$B/log.sock" \
	"null zero full random urandom tty ptmx" || [ $? -eq 2 ] || exit 1
mkdir /dev/pts /dev/shm
mount --bind "$B/devpts" /dev/pts 2>/dev/null
mount -t tmpfs -o mode=1777,size=16m e2e-shm /dev/shm

ALERTS=$B/alerts/alerts.json
ARRIVALS=$B/arrivals
: >"$ARRIVALS"
: >"$B/latency"
mkdir -p "$B/alerts" "$B/s"

# shellcheck source=SCRIPTDIR/syslog.sh
. "$here/syslog.sh"
# shellcheck source=SCRIPTDIR/alerts.sh
. "$here/alerts.sh"
# shellcheck source=SCRIPTDIR/exclusions.sh
. "$here/exclusions.sh"
# shellcheck source=SCRIPTDIR/boundaries.sh
. "$here/boundaries.sh"
# shellcheck source=SCRIPTDIR/evasion.sh
. "$here/evasion.sh"
# shellcheck source=SCRIPTDIR/lean.sh
. "$here/lean.sh"

E2E_RULES=${E2E_RULES:-full}
case $E2E_RULES in
full) E2E_GROUPS=${E2E_GROUPS:-alerts exclusions boundaries evasion syslog} ;;
lean) E2E_GROUPS=${E2E_GROUPS:-alerts exclusions boundaries syslog lean leanloss} ;;
*)
	echo "e2e: E2E_RULES must be full or lean, not '$E2E_RULES'" >&2
	exit 1
	;;
esac

e2e_syslog_start

# e2e_start_plugin V: start a private auditd whose plugin_dir holds the
# project's plugin entry for $PLUGIN with rule version V, load rules.d/
# (the lean rules alone under E2E_RULES=lean), and wait for the plugin to
# raise a first alert.
e2e_start_plugin()
{
	local v=$1 dir=$B/audit-v$1 m args rules
	mkdir -p "$dir"
	# version 1 runs on ENRICHED records, version 7 on RAW ones
	if [ "$v" = 1 ]; then
		write_auditd_conf "$dir" ENRICHED
	else
		write_auditd_conf "$dir" RAW
	fi
	cat >"$B/plugin-v$v.conf" <<EOF
output = file,syslog
output_file = $ALERTS
syslog_ident = audisp-dracut-e2e
syslog_facility = local4
syslog_priority = warning
syslog_cee = yes
syslog_max_message = 262144
rate_limit_alerts = 0
state_file = $B/state
EOF
	chmod 0600 "$B/plugin-v$v.conf"
	# the project's plugins.d entry, with path and args for this test;
	# version 1 is chosen in the config file, the others on the command
	# line, so that both ways are used. auditd passes at most 2 args
	# (auditd-plugins(5)): "-c FILE --rule-version N" would lose the
	# last two, so the long forms with "=" are used.
	args="-c $B/plugin-v$v.conf"
	if [ "$v" = 1 ]; then
		echo "rule_version = $v" >>"$B/plugin-v$v.conf"
	else
		args="--config=$B/plugin-v$v.conf --rule-version=$v"
	fi
	sed -e "s|^path = .*|path = $PLUGIN|" -e '/^args *=/d' \
		"$top_srcdir/plugin/audisp-dracut.conf" \
		>"$dir/plugins/audisp-dracut.conf"
	echo "args = $args" >>"$dir/plugins/audisp-dracut.conf"
	chmod 0640 "$dir/plugins/audisp-dracut.conf"
	if ! audit_start "$dir"; then
		e2e_fail "v$v: auditd did not start"
		return 1
	fi
	echo "auditd $AUDITD_PID" >>"$E2E_PIDFILE"
	rules=("$top_srcdir"/rules.d/*.rules)
	if [ "$E2E_RULES" = lean ]; then
		audit_rules_lean "$top_srcdir/rules.d/41-audisp-dracut-lean.rules" \
			"$B/lean.rules"
		rules=("$B/lean.rules")
	fi
	if ! audit_load_rules "${rules[@]}"; then
		e2e_fail "v$v: auditctl -R ${rules[*]##*/} failed"
		return 1
	fi
	local i
	for ((i = 0; i < 100; i++)); do
		PLUGIN_PID=$(pgrep -P "$AUDITD_PID" -f "$PLUGIN" | head -n 1)
		[ -n "$PLUGIN_PID" ] && break
		e2e_sleep 0.05
	done
	if [ -z "$PLUGIN_PID" ]; then
		e2e_fail "v$v: auditd did not start the plugin"
		cat "$dir/auditd.out"
		return 1
	fi
	m=$(e2e_mark start)
	/usr/bin/bash -c "dracut --help $m >/dev/null; true"
	if ! e2e_wait_seen "$m" 15; then
		e2e_fail "v$v: the plugin (pid $PLUGIN_PID) raised no first alert"
		cat "$dir/auditd.out"
		return 1
	fi
	if [ "$(jq -r '.rule.version' < <(e2e_alerts_of "$m"))" != "$v" ]; then
		e2e_fail "v$v: the first alert does not carry rule.version $v"
	fi
	e2e_ok "v$v: auditd $AUDITD_PID ($(sed -n 's/^log_format = //p' "$dir/auditd.conf")) started the plugin (pid $PLUGIN_PID), $E2E_RULES rules loaded, first alert"
	return 0
}

# e2e_stop_plugin V: check that the plugin ran all along (auditd did not
# have to restart it), stop auditd, delete the rules.
e2e_stop_plugin()
{
	local v=$1 now
	now=$(pgrep -P "$AUDITD_PID" -f "$PLUGIN" | head -n 1)
	if [ "$now" = "$PLUGIN_PID" ]; then
		e2e_ok "v$v: the plugin ran throughout (no restart)"
	else
		e2e_fail "v$v: plugin pid $PLUGIN_PID is now '${now}': it was restarted"
	fi
	audit_stop
	if grep -qi 'error\|fatal\|segv\|abort' "$B/audit-v$v/auditd.out"; then
		echo "auditd/plugin stderr for v$v:"
		sed 's/^/  /' "$B/audit-v$v/auditd.out" | head -n 20
	fi
}

e2e_watch
echo "watcher $E2E_WATCH_PID" >>"$E2E_PIDFILE"
echo "rsyslogd $RS_PID" >>"$E2E_PIDFILE"

for E2E_V in ${E2E_VERSIONS:-1 7}; do
	echo "# rule version $E2E_V, $E2E_RULES rules"
	if e2e_start_plugin "$E2E_V"; then
		for g in $E2E_GROUPS; do
			case $g in
			syslog) [ "$E2E_V" = 1 ] && e2e_syslog_check ;;
			*) "e2e_group_$g" "$E2E_V" ;;
			esac
		done
		e2e_stop_plugin "$E2E_V"
	fi
	audit_stop
done

e2e_syslog_all

# ---------------------------------------------------------------- latency
if [ -s "$B/latency" ]; then
	read -r n med max < <(awk '$1 ~ /^-?[0-9]+$/ { print $1 }' \
		"$B/latency" | sort -n | awk '
		{ v[NR] = $1 }
		END {
			if (NR == 0) { print 0, "-", "-"; exit }
			m = (NR % 2) ? v[(NR + 1) / 2] : \
				(v[NR / 2] + v[NR / 2 + 1]) / 2
			print NR, m, v[NR]
		}')
	echo "latency (exec to alert line in the file, $n alerts):" \
		"median $med ms, max $max ms (targets: median <= 50 ms, max <= 1000 ms)"
	sort -n "$B/latency" | tail -n 3 | sed 's/^/  slowest: /'
	if [ "$n" -gt 0 ] && [ "$max" -le 1000 ]; then
		e2e_ok "latency: max $max ms <= 1000 ms"
	else
		e2e_fail "latency: max $max ms > 1000 ms"
	fi
	if [ "$n" -gt 0 ] && awk -v m="$med" 'BEGIN { exit !(m > 50) }'; then
		echo "note: median $med ms is above the 50 ms target"
	fi
else
	e2e_fail "latency: no alert was measured"
fi

echo "e2e: $E2E_PASS passed, $E2E_FAIL failed"
[ "$E2E_FAIL" -eq 0 ]
