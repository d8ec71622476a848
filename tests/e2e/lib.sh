# lib.sh - shell helpers to run a private auditd for recordings and e2e tests
#
# Sourced by tests/record-fixture.sh and tests/e2e/*.sh. Everything that
# touches kernel audit must run under the lock /tmp/audisp-dracut-audit.lock
# (callers re-exec themselves under flock(1)) and must undo what it did:
# audit_cleanup deletes the rules, restores the enabled flag and stops the
# daemon by its pid. Bash only.

AUDIT_LOCK=/tmp/audisp-dracut-audit.lock
AUDITD_PID=
AUDIT_DIR=
AUDIT_ENABLED_BEFORE=
AUDIT_RULES_LOADED=

# audit_skip_reason: print why kernel audit cannot be used here, or nothing
# (and return 1) when it can.
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
	if [ -n "$pid" ] && [ "$pid" != 0 ] && kill -0 "$pid" 2>/dev/null; then
		echo "another audit daemon (pid $pid) owns the kernel audit socket"
		return 0
	fi
	return 1
}

# audit_enabled: print the kernel's audit enabled flag (0, 1 or 2).
audit_enabled()
{
	auditctl -s | awk '$1 == "enabled" { print $2 }'
}

# audit_write_conf DIR FORMAT: write DIR/auditd.conf for a private daemon
# logging to DIR/audit.log in FORMAT (RAW or ENRICHED) with plugins from
# DIR/plugins. The caller fills DIR/plugins.
audit_write_conf()
{
	local dir=$1 format=$2
	mkdir -p "$dir/plugins"
	chmod 0750 "$dir" "$dir/plugins"
	cat >"$dir/auditd.conf" <<EOF
local_events = yes
write_logs = yes
log_file = $dir/audit.log
log_group = root
log_format = $format
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 200
num_logs = 2
priority_boost = 0
name_format = NONE
max_log_file_action = IGNORE
space_left = 2
space_left_action = IGNORE
admin_space_left = 1
admin_space_left_action = IGNORE
disk_full_action = IGNORE
disk_error_action = IGNORE
use_libwrap = no
tcp_listen_queue = 5
tcp_max_per_addr = 1
tcp_client_max_idle = 0
transport = TCP
distribute_network = no
q_depth = 20000
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $dir/plugins
end_of_event_timeout = 2
EOF
	chmod 0640 "$dir/auditd.conf"
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
