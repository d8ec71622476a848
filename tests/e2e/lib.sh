# lib.sh - shell helpers to run a private auditd for recordings and e2e tests
#
# Sourced by tests/record-fixture.sh and tests/e2e/*.sh. Everything that
# touches kernel audit must run under the lock /tmp/audisp-dracut-audit.lock
# (callers re-exec themselves under flock(1)) and must undo what it did:
# audit_cleanup deletes the rules, restores the enabled flag and stops the
# daemon by its pid. Bash only. tests/lib.sh, sourced here, writes the
# daemon's configuration (write_auditd_conf).
# shellcheck shell=bash

# shellcheck source=SCRIPTDIR/../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# shellcheck disable=SC2034 # used by the scripts that source this file
AUDIT_LOCK=/tmp/audisp-dracut-audit.lock
AUDITD_PID=
AUDIT_DIR=
AUDIT_ENABLED_BEFORE=
AUDIT_RULES_LOADED=

# audit_skip_reason [nodaemon]: print why kernel audit cannot be used here,
# or nothing (and return 1) when it can. With "nodaemon", a running audit
# daemon is not a reason (check that again under the lock, where a daemon
# can only be foreign).
audit_skip_reason()
{
	if [ "$(id -u)" != 0 ]; then
		echo "not root: a private auditd needs root"
		return 0
	fi
	local t
	for t in auditd auditctl; do
		if ! command -v "$t" >/dev/null 2>&1 &&
		   ! [ -x "/usr/sbin/$t" ] && ! [ -x "/sbin/$t" ]; then
			echo "$t is not installed (apt-get install auditd)"
			return 0
		fi
	done
	local st
	if ! st=$(auditctl -s 2>&1); then
		echo "kernel audit is not available: $st"
		return 0
	fi
	local pid
	pid=$(printf '%s\n' "$st" | awk '$1 == "pid" { print $2 }')
	if [ "${1:-}" != nodaemon ] && [ -n "$pid" ] && [ "$pid" != 0 ] &&
	   kill -0 "$pid" 2>/dev/null; then
		echo "another audit daemon (pid $pid) owns the kernel audit socket"
		return 0
	fi
	return 1
}

# audit_path: set PATH for the inside of an e2e test: the system's
# directories, after the directory of the auditd that the caller's PATH
# finds, so that PATH=/opt/audit-4.2.1/sbin:$PATH runs the test under that
# auditd and its auditctl (tests/audit4.sh). Prints which ones.
audit_path()
{
	local d
	d=$(command -v auditd 2>/dev/null) && d=${d%/*}
	case $d in
	/usr/sbin | /sbin | /usr/bin | /bin | "") d= ;;
	esac
	export PATH=${d:+$d:}/usr/sbin:/usr/bin:/sbin:/bin
	echo "# auditd: $(command -v auditd), $(auditctl -v 2>&1)"
}

# audit_enabled: print the kernel's audit enabled flag (0, 1 or 2).
audit_enabled()
{
	auditctl -s | awk '$1 == "enabled" { print $2 }'
}

# audit_capture_plugin DIR: install in DIR/plugins a string-format plugin
# that copies its stdin to DIR/stream.log byte for byte. It ignores SIGTERM
# so that it reads the pipe to EOF when auditd stops.
audit_capture_plugin()
{
	local dir=$1
	cat >"$dir/capture.sh" <<EOF
#!/bin/sh
trap '' TERM
exec cat >$dir/stream.log
EOF
	chmod 0750 "$dir/capture.sh"
	cat >"$dir/plugins/capture.conf" <<EOF
active = yes
direction = out
path = $dir/capture.sh
type = always
format = string
EOF
	chmod 0640 "$dir/plugins/capture.conf"
}

# audit_start DIR: start `auditd -n -c DIR` in the background, enable kernel
# audit, and wait until the daemon owns the audit socket. Sets AUDITD_PID.
# Returns 1 if it does not come up within 10 s.
audit_start()
{
	AUDIT_DIR=$1
	AUDIT_ENABLED_BEFORE=$(audit_enabled)
	auditd -n -c "$AUDIT_DIR" >"$AUDIT_DIR/auditd.out" 2>&1 &
	AUDITD_PID=$!
	local i pid
	for i in $(seq 100); do
		pid=$(auditctl -s 2>/dev/null |
		      awk '$1 == "pid" { print $2 }')
		[ "$pid" = "$AUDITD_PID" ] && break
		if ! kill -0 "$AUDITD_PID" 2>/dev/null; then
			echo "auditd exited at start:" >&2
			cat "$AUDIT_DIR/auditd.out" >&2
			AUDITD_PID=
			return 1
		fi
		sleep 0.1
	done
	if [ "$pid" != "$AUDITD_PID" ]; then
		echo "auditd (pid $AUDITD_PID) did not register" >&2
		return 1
	fi
	if [ "$AUDIT_ENABLED_BEFORE" = 0 ]; then
		auditctl -e 1 >/dev/null
	fi
	return 0
}

# audit_load_rules FILE...: delete every rule, then load each FILE with
# auditctl -R. Returns auditctl's failure.
audit_load_rules()
{
	auditctl -D >/dev/null || return 1
	AUDIT_RULES_LOADED=1
	local f
	for f in "$@"; do
		auditctl -R "$f" >/dev/null || return 1
	done
}

# audit_unload_rules FILE...: delete the rules each FILE added, the last file
# first. auditctl -D deletes in list order, so a "never" rule loaded first
# would go first and let other work through for a moment; this does not.
audit_unload_rules()
{
	local i f
	for ((i = $#; i > 0; i--)); do
		f=${!i}
		sed -n 's/^-a /-d /p' "$f" >"$f.unload"
		auditctl -R "$f.unload" >/dev/null 2>&1
		rm -f "$f.unload"
	done
}

# audit_rules_with_fork SRC DEST: copy the rules file SRC to DEST with its
# optional fork/vfork/clone rules turned on.
audit_rules_with_fork()
{
	sed -e 's/^#\(-a never,exit.*-S clone\)/\1/' \
	    -e 's/^#\(-a always,exit.*-S fork,vfork,clone\)/\1/' "$1" >"$2"
}

# audit_rules_lean SRC DEST: copy the lean rules file SRC
# (41-audisp-dracut-lean.rules, shipped with every rule commented out) to
# DEST with its rules turned on, as its comments tell an administrator to.
audit_rules_lean()
{
	sed -e 's/^#-a /-a /' "$1" >"$2" && chmod 0600 "$2"
}

# e2e_keep WHO: with E2E_KEEP=DIR set, copy the work files ($B) there, and
# say so (a suite's cleanup calls it last)
e2e_keep() {
	[ -n "${E2E_KEEP:-}" ] || return 0
	mkdir -p "$E2E_KEEP"
	cp -a "$B/." "$E2E_KEEP/" 2>/dev/null
	echo "$1: kept the work files in $E2E_KEEP"
}

# e2e_workdir CLEANUP NAME SIZE: CLEANUP runs at exit (INT, TERM and HUP
# exit), then a private tmpfs NAME of SIZE is mounted on $B, for every
# file of the suite. Returns mount's status.
e2e_workdir() {
	trap "$1" EXIT
	trap 'exit 1' INT TERM HUP
	mount -t tmpfs -o mode=0755,size="$3" "$2" "$B"
}

# audit_stop: delete the rules, stop the daemon by its pid (SIGTERM, then
# SIGKILL after 10 s) and wait for it, and restore the enabled flag.
audit_stop()
{
	if [ -n "$AUDIT_RULES_LOADED" ]; then
		auditctl -D >/dev/null 2>&1
		AUDIT_RULES_LOADED=
	fi
	if [ -n "$AUDITD_PID" ]; then
		kill -TERM "$AUDITD_PID" 2>/dev/null
		local i
		for i in $(seq 100); do
			kill -0 "$AUDITD_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$AUDITD_PID" 2>/dev/null; then
			echo "auditd $AUDITD_PID ignored SIGTERM; killing" >&2
			kill -KILL "$AUDITD_PID" 2>/dev/null
		fi
		wait "$AUDITD_PID" 2>/dev/null
		AUDITD_PID=
	fi
	if [ "$AUDIT_ENABLED_BEFORE" = 0 ]; then
		auditctl -e 0 >/dev/null 2>&1
		AUDIT_ENABLED_BEFORE=
	fi
}

# audit_wait_quiet FILE [MS]: wait until FILE has not grown for MS
# milliseconds (default 500), at most 30 s. One perl process does the
# polling, so that the wait does not itself fill the audit stream with
# execs.
audit_wait_quiet()
{
	perl -e '
		my ($f, $ms) = @ARGV;
		my ($last, $quiet) = (-1, 0);
		for (1 .. 1500) {
			my $size = -s $f || 0;
			if ($size == $last) {
				$quiet += 20;
				exit 0 if $quiet >= $ms;
			} else {
				($quiet, $last) = (0, $size);
			}
			select(undef, undef, undef, 0.02);
		}
		exit 1;' "$1" "${2:-500}"
}

# ---------------------------------------------------------------- e2e
# The helpers below run inside run.sh's private mount namespace. They use
# E2E_BASE (a private tmpfs), ALERTS (the plugin's alert file), ARRIVALS
# (what the watcher saw), PLUGIN_PID, and count into E2E_PASS/E2E_FAIL.

E2E_PASS=0
E2E_FAIL=0
E2E_SLEEP_FD=
declare -A E2E_STATE

# e2e_ok NAME: one check passed
e2e_ok()
{
	E2E_PASS=$((E2E_PASS + 1))
	echo "ok   - $*"
}

# e2e_fail NAME WHY...: one check failed; the run goes on
e2e_fail()
{
	E2E_FAIL=$((E2E_FAIL + 1))
	echo "FAIL - $*"
}

# e2e_sleep SECONDS: sleep without an exec (read with a timeout on a fifo
# that never has data), so that polling does not feed the audit stream
e2e_sleep()
{
	# shellcheck disable=SC2153 # E2E_BASE is in run.sh's environment
	if [ -z "$E2E_SLEEP_FD" ]; then
		# a subshell (a command substitution) may have made it already
		[ -p "$E2E_BASE/sleep.fifo" ] || mkfifo "$E2E_BASE/sleep.fifo"
		exec {E2E_SLEEP_FD}<>"$E2E_BASE/sleep.fifo"
	fi
	read -r -t "$1" -u "$E2E_SLEEP_FD" _ 2>/dev/null
	return 0
}

# e2e_mark NAME: print a fresh marker, an argument that names one run.
# Callers take it with $(...), a subshell, where a counter's increment is
# lost: the time in microseconds tells two markers of one NAME apart.
e2e_mark()
{
	printf 'E2EMARK-v%s-%s-%s-%d' "${E2E_V:-0}" "$1" \
		"${EPOCHREALTIME/[.,]/}" "$$"
}

# jarr ARG...: the arguments as a JSON array of strings (jq 1.6 takes an
# argument such as -p after --args for an option, so one jq per argument)
jarr()
{
	local a out=
	for a in "$@"; do
		out+=${out:+,}$(printf '%s' "$a" | jq -Rs .) || return 1
	done
	printf '[%s]\n' "$out"
}

# e2e_watch: start the watcher. It tails ALERTS and, for each complete line,
# appends to ARRIVALS "<arrival ms> TAB <latency ms> TAB <line>", where the
# latency is the arrival time less the alert's @timestamp (the exec's audit
# time), and touches E2E_BASE/seen/MARKER for every marker in the line.
e2e_watch()
{
	mkdir -p "$E2E_BASE/seen"
	perl -MTime::HiRes=time,sleep -MTime::Local=timegm -e '
		my ($in, $out, $seen) = @ARGV;
		$| = 1;
		open(my $o, ">>", $out) or die "$out: $!";
		$o->autoflush(1);
		my ($fh, $buf) = (undef, "");
		while (1) {
			if (!$fh) {
				# open() vivifies its handle even when it fails
				open(my $h, "<", $in) or do { sleep(0.001); next };
				$fh = $h;
			}
			my $n = sysread($fh, my $chunk, 1 << 20);
			if (!$n) { sleep(0.001); next; }
			my $now = int(time() * 1000);
			$buf .= $chunk;
			while ((my $i = index($buf, "\n")) >= 0) {
				my $line = substr($buf, 0, $i + 1, "");
				my $lat = "-";
				if ($line =~ /"\@timestamp":"(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z"/) {
					my $t = timegm($6, $5, $4, $3, $2 - 1, $1) * 1000 + $7;
					$lat = $now - $t;
				}
				print $o "$now\t$lat\t$line";
				while ($line =~ /(E2EMARK-[A-Za-z0-9_.-]+)/g) {
					open(my $t, ">", "$seen/$1"); close($t);
				}
			}
		}' "$ALERTS" "$ARRIVALS" "$E2E_BASE/seen" &
	# shellcheck disable=SC2034 # run.sh stops it
	E2E_WATCH_PID=$!
}

# e2e_wait_seen MARKER [SECONDS]: wait until an alert line names MARKER
e2e_wait_seen()
{
	local i n=$((${2:-10} * 50))
	for ((i = 0; i < n; i++)); do
		[ -e "$E2E_BASE/seen/$1" ] && return 0
		e2e_sleep 0.02
	done
	return 1
}

# e2e_alerts_of MARKER: the alerts whose process.args hold MARKER exactly
e2e_alerts_of()
{
	grep -F -- "$1" "$ALERTS" 2>/dev/null |
		jq -c --arg m "$1" 'select(any(.process.args[]; . == $m))'
}

# e2e_snap: have the plugin write its state report (SIGUSR1) and load the
# counters into E2E_STATE. Returns 1 if no report comes within 5 s.
e2e_snap()
{
	local i k v
	rm -f "$E2E_BASE/state"
	kill -USR1 "$PLUGIN_PID" 2>/dev/null || return 1
	for ((i = 0; i < 250; i++)); do
		[ -s "$E2E_BASE/state" ] && break
		e2e_sleep 0.02
	done
	[ -s "$E2E_BASE/state" ] || return 1
	E2E_STATE=()
	while IFS='=' read -r k v; do
		k=${k// /}
		v=${v# }
		E2E_STATE[$k]=$v
	done <"$E2E_BASE/state"
}

# e2e_control: run a dracut that alerts (bash -c, marker argument) and wait
# for its alert: every event before it has then been handled. Returns 1 if
# it does not come within 10 s.
e2e_control()
{
	local m
	m=$(e2e_mark control)
	/usr/bin/bash -c "dracut --help $m >/dev/null; true"
	e2e_wait_seen "$m" 10
}

# e2e_expect_alert NAME MARKER EXE ARGS_JSON PEXE PARGS_JSON [PPID]: wait for
# the one alert whose process.args hold MARKER and compare its process and
# parent fields with what the scenario ran: executable, name (basename),
# args, args_count, command_line (args joined by spaces), and the parent's
# pid when given. Records the latency.
e2e_expect_alert()
{
	local name=$1 m=$2 exe=$3 args=$4 pexe=$5 pargs=$6 ppid=${7:-}
	local docs n diffs lat
	if ! e2e_wait_seen "$m" 10; then
		e2e_fail "$name: no alert within 10 s"
		return
	fi
	docs=$(e2e_alerts_of "$m")
	n=$(printf '%s' "$docs" | grep -c '^{')
	if [ "$n" != 1 ]; then
		e2e_fail "$name: $n alerts hold the marker, want 1"
		return
	fi
	if ! diffs=$(printf '%s\n' "$docs" | jq -r --arg exe "$exe" \
		--argjson args "$args" --arg pexe "$pexe" \
		--argjson pargs "$pargs" --arg ppid "$ppid" '
		def chk(f; a; b):
			if a == b then empty
			else "\(f): got \(a | tojson | .[0:160]), want \(b | tojson | .[0:160])"
			end;
		chk("process.executable"; .process.executable; $exe),
		chk("process.name"; .process.name; $exe | split("/") | last),
		chk("process.args"; .process.args; $args),
		chk("process.args_count"; .process.args_count; $args | length),
		chk("process.command_line"; .process.command_line;
		    $args | join(" ")),
		chk("process.parent.executable"; .process.parent.executable;
		    $pexe),
		chk("process.parent.name"; .process.parent.name;
		    $pexe | split("/") | last),
		chk("process.parent.args"; .process.parent.args; $pargs),
		chk("process.parent.args_count"; .process.parent.args_count;
		    $pargs | length),
		chk("process.parent.command_line";
		    .process.parent.command_line; $pargs | join(" ")),
		if $ppid == "" then empty
		else chk("process.parent.pid"; .process.parent.pid;
			 $ppid | tonumber) end' 2>&1); then
		e2e_fail "$name: cannot compare (jq: ${diffs:0:200})"
		return
	fi
	if [ -n "$diffs" ]; then
		e2e_fail "$name:"
		printf '%s\n' "$diffs" | sed 's/^/       /'
		return
	fi
	lat=$(grep -F -- "$m" "$ARRIVALS" | head -n 1 | cut -f 2)
	echo "$lat $name" >>"$E2E_BASE/latency"
	e2e_ok "$name (alert in ${lat} ms)"
}

# e2e_expect_none NAME MARKER NEXCLUDED: after a scenario that must raise no
# alert, run the control dracut and wait for its alert (the plugin has then
# caught up), check that no alert holds MARKER, and that the plugin's
# counters moved as they must: NEXCLUDED more dracut execs excluded by the
# rule, none with an unknown parent, one alert (the control). Call e2e_snap
# before the scenario.
e2e_expect_none()
{
	local name=$1 m=$2 nexcl=$3
	local -A before
	local k d why=
	for k in candidates excluded parents_unknown alerts; do
		before[$k]=${E2E_STATE[$k]:-0}
	done
	if ! e2e_control; then
		e2e_fail "$name: the control alert did not come within 10 s"
		return
	fi
	if [ -n "$(e2e_alerts_of "$m")" ]; then
		e2e_fail "$name: an alert was raised"
		e2e_alerts_of "$m" | jq -c '{process: {executable:
			.process.executable, parent: .process.parent}}' |
			cut -c 1-400 | sed 's/^/       /'
		return
	fi
	if ! e2e_snap; then
		e2e_fail "$name: no state report from the plugin"
		return
	fi
	d=$((E2E_STATE[excluded] - before[excluded]))
	[ "$d" = "$nexcl" ] || why="$why excluded +$d (want +$nexcl);"
	d=$((E2E_STATE[parents_unknown] - before[parents_unknown]))
	[ "$d" = 0 ] || why="$why parents_unknown +$d (want +0);"
	d=$((E2E_STATE[alerts] - before[alerts]))
	[ "$d" = 1 ] || why="$why alerts +$d (want +1, the control);"
	d=$((E2E_STATE[candidates] - before[candidates]))
	[ "$d" = $((nexcl + 1)) ] ||
		why="$why candidates +$d (want +$((nexcl + 1)));"
	if [ -n "$why" ]; then
		e2e_fail "$name: no alert, but the counters say:$why"
		return
	fi
	e2e_ok "$name (no alert; excluded +$nexcl)"
}

# e2e_standin PATH [BODY]: write an executable #!/bin/sh stand-in at PATH
# that runs BODY (default: dracut --help "$E2E_MARK") as a child
e2e_standin()
{
	local path=$1
	# shellcheck disable=SC2016 # expanded by the stand-in
	local body=${2:-'dracut --help "$E2E_MARK" >/dev/null'}
	mkdir -p "$(dirname "$path")"
	printf '#!/bin/sh\n# stand-in written by tests/e2e\n%s\nexit 0\n' \
		"$body" >"$path"
	chmod 0755 "$path"
}

# e2e_outer NAME "TOOLS" SCRIPT ARGS...: the outer half of an e2e script.
# Exits 77 (skip) when kernel audit, a tool of TOOLS, mount namespaces or
# overlays cannot be used here; otherwise runs SCRIPT ARGS again, with
# E2E_INNER=1, under flock $AUDIT_LOCK in a private mount namespace, where
# a private tmpfs is mounted on a fresh /run directory (E2E_BASE; outside it
# stays empty). The inside records what it starts in E2E_PIDFILE, so that
# this side can stop a daemon that the inside could not (killed). Exits
# with the inside's status; never returns.
e2e_outer()
{
	local name=$1 tools=$2 script=$3 reason t base pidfile rc what pid
	shift 3
	if reason=$(audit_skip_reason nodaemon); then
		echo "SKIP: $name: $reason"
		exit 77
	fi
	for t in $tools unshare flock mount pgrep; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: $name: $t is not installed"
			exit 77
		fi
	done
	if ! unshare --mount --propagation private true 2>/dev/null; then
		echo "SKIP: $name: cannot create a mount namespace"
		exit 77
	fi
	if ! grep -qw overlay /proc/filesystems &&
	   ! modprobe overlay 2>/dev/null; then
		echo "SKIP: $name: the kernel has no overlay filesystem"
		exit 77
	fi
	if [ ! -x "$PLUGIN" ]; then
		echo "$name: no plugin binary at $PLUGIN" >&2
		exit 1
	fi
	PLUGIN=$(cd "$(dirname "$PLUGIN")" && pwd)/$(basename "$PLUGIN")
	base=$(mktemp -d "/run/audisp-dracut-$name.XXXXXX") || exit 1
	pidfile=$base.pids
	: >"$pidfile"
	E2E_INNER=1 E2E_BASE=$base E2E_PIDFILE=$pidfile PLUGIN=$PLUGIN \
		flock "$AUDIT_LOCK" unshare --mount --propagation private \
		bash "$script" "$@"
	rc=$?
	while read -r what pid; do
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			echo "$name: stopping leftover $what (pid $pid)" >&2
			kill -TERM "$pid" 2>/dev/null
			[ "$what" = auditd ] && flock "$AUDIT_LOCK" auditctl -D \
				>/dev/null 2>&1
		fi
	done <"$pidfile"
	rm -f "$pidfile"
	rmdir "$base" 2>/dev/null || rm -rf --one-file-system "$base"
	exit $rc
}
