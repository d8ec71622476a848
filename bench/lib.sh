# lib.sh - shell helpers shared by the benchmark scripts (sourced, bash)
#
# The scripts source tests/e2e/lib.sh first: some helpers here use its
# e2e_sleep (with E2E_BASE set), AUDIT_LOCK and audit_skip_reason.
# shellcheck shell=bash

# laurel_config DIR USER OUT: write laurel's configuration to OUT, with its
# log in DIR (created) run as USER, and a log size that never rotates within
# a benchmark. It is the packaged /etc/laurel/config.toml with those values
# changed, or, without it, laurel's documented defaults. Prints which.
laurel_config() {
	local dir=$1 user=$2 out=$3
	mkdir -p "$dir"
	if [ -r /etc/laurel/config.toml ]; then
		sed -e "s|^directory = .*|directory = \"$dir\"|" \
		    -e "s|^user = .*|user = \"$user\"|" \
		    -e 's|^size = .*|size = 100000000000|' \
		    -e 's|^generations = .*|generations = 2|' \
		    /etc/laurel/config.toml >"$out"
		echo "/etc/laurel/config.toml, private paths"
		return
	fi
	cat >"$out" <<EOF2
directory = "$dir"
user = "$user"
statusreport-period = 0
[auditlog]
file = "audit.log"
size = 100000000000
generations = 2
[transform]
execve-argv = [ "array" ]
[enrich]
pid = true
execve-env = [ "LD_PRELOAD", "LD_LIBRARY_PATH" ]
container = true
script = true
EOF2
	echo "laurel's documented defaults"
}

# ticks PID: utime + stime of PID (all its threads) in clock ticks, from
# /proc/PID/stat; 0 when PID is gone. Builtins only: no exec, which the
# audit rules would log.
ticks() {
	local line
	read -r line <"/proc/$1/stat" 2>/dev/null || { echo 0; return; }
	line=${line##*) }
	# shellcheck disable=SC2086 # split into fields on purpose
	set -- $line
	echo $((${12} + ${13}))
}

# cpu_ns PID: CPU time of PID in nanoseconds, summed over its threads: the
# first field of /proc/PID/task/TID/schedstat (the scheduler's
# sum_exec_runtime, user and system together, ns resolution). A thread
# that has exited is no longer counted, so measure single-threaded
# processes, or threads that live as long as the measurement. Without
# schedstat (a kernel without CONFIG_SCHED_INFO): ticks converted to ns.
# Builtins only.
cpu_ns() {
	local f t sum=0 n=0
	for f in /proc/"$1"/task/*/schedstat; do
		read -r t _ <"$f" 2>/dev/null || continue
		sum=$((sum + t))
		n=$((n + 1))
	done
	if [ "$n" = 0 ]; then
		t=$(ticks "$1")
		sum=$((t * 1000000000 / ${BENCH_HZ:-100}))
	fi
	echo "$sum"
}

# wait_idle PID: wait until PID has used no CPU tick for 300 ms (at most
# 20 s); needs e2e_sleep (tests/e2e/lib.sh) and E2E_BASE
wait_idle() {
	local last now i
	last=$(ticks "$1")
	for ((i = 0; i < 66; i++)); do
		e2e_sleep 0.3
		now=$(ticks "$1")
		[ "$now" = "$last" ] && return 0
		last=$now
	done
	return 1
}

# plugin_entry CONFIG DIR: write DIR/plugins/CONFIG.conf, the plugins.d
# entry (and what it needs) of CONFIG: copier ($COPIER, to /dev/null),
# laurel (from PATH, laurel_config), dracut ($PLUGIN, alerts to
# DIR/alerts.json, SIGUSR1 report to DIR/state); nothing for "none"
plugin_entry() {
	local c=$1 dir=$2 path args
	case $c in
	none)
		return 0
		;;
	copier)
		path=$COPIER
		args=/dev/null
		;;
	laurel)
		path=$(command -v laurel)
		args="--config $dir/laurel.toml"
		laurel_config "$dir/laurel" root "$dir/laurel.toml" >/dev/null
		;;
	dracut)
		path=$PLUGIN
		args="-c $dir/dracut.conf"
		cat >"$dir/dracut.conf" <<EOF
output = file
output_file = $dir/alerts.json
rate_limit_alerts = 0
state_file = $dir/state
EOF
		chmod 0600 "$dir/dracut.conf"
		;;
	esac
	cat >"$dir/plugins/$c.conf" <<EOF
active = yes
direction = out
path = $path
args = $args
type = always
format = string
EOF
	chmod 0640 "$dir/plugins/$c.conf"
}

# plugin_pid AUDITD_PID PATH: the pid of auditd's child running PATH,
# waiting up to 5 s for it; prints nothing and returns 1 if there is none
plugin_pid() {
	local i pid
	for ((i = 0; i < 100; i++)); do
		pid=$(pgrep -P "$1" -f "^$2( |\$)" | head -n 1)
		[ -n "$pid" ] && { echo "$pid"; return 0; }
		e2e_sleep 0.05
	done
	return 1
}

# median: the median of the numbers on stdin, one a line ("-" when none)
median() {
	sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "-"; exit }
			print (NR % 2) ? v[(NR + 1) / 2] : \
				(v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

# bench_audit_lock NAME: take the audit lock (tests/e2e/lib.sh's AUDIT_LOCK)
# on descriptor 9, waiting up to 30 min; then exit 77 if kernel audit
# cannot be used, or if an audit daemon runs: under the lock it can only be
# someone else's, and it is left alone. Start every daemon with 9>&- so
# that it does not hold the lock after the benchmark.
bench_audit_lock() {
	local why
	exec 9>"$AUDIT_LOCK"
	if ! flock -n 9; then
		echo "$1: waiting for $AUDIT_LOCK"
		flock -w 1800 9 || {
			echo "$1: cannot take $AUDIT_LOCK"
			exit 1
		}
	fi
	# shellcheck disable=SC2119 # no argument: a running daemon counts
	if why=$(audit_skip_reason) || pgrep -x auditd >/dev/null; then
		echo "$1: skipped: ${why:-an auditd is running: $(pgrep -a -x auditd)}"
		echo "$1: (stop it first; this benchmark needs the audit socket to itself)"
		exit 77
	fi
}

# alert_sync FILE: run dracut by hand (bash -c, a fresh marker) and wait,
# up to 20 s, until an alert naming the marker is in FILE, the plugin's
# alert file: the plugin has then handled every event before it. The bash
# stays DRACUT_LINGER s (default 3) after dracut, so that a plugin running
# behind still finds it in /proc under the lean rules. Polls with bash
# alone (forks, no exec: the audit rules log execs). Returns 1 if no alert
# comes.
ALERT_SYNC_SEQ=0
alert_sync() {
	local i m
	ALERT_SYNC_SEQ=$((ALERT_SYNC_SEQ + 1))
	m=BENCHSYNC-$ALERT_SYNC_SEQ-$$
	/usr/bin/bash -c "dracut --help $m >/dev/null; sleep ${DRACUT_LINGER:-3}
		true" 9>&- &
	for ((i = 0; i < 1000; i++)); do
		[[ -f $1 && $(<"$1") == *"$m"* ]] && return 0
		e2e_sleep 0.02
	done
	return 1
}
