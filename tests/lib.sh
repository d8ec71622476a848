# tests/lib.sh - shell helpers shared by the script tests (sourced)
# shellcheck shell=dash
# POSIX sh and `local`: sourced by sh (dash) and bash scripts alike.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PLUGIN:=$top_builddir/audisp-dracut}"

T_PASS=0
T_FAIL=0
T_NAME=$(basename "$0" .sh)

# ok MESSAGE: record a passed check
ok() {
	T_PASS=$((T_PASS + 1))
	echo "ok $T_PASS+$T_FAIL - $*"
}

# fail MESSAGE: record a failed check (the script goes on)
fail() {
	T_FAIL=$((T_FAIL + 1))
	echo "FAIL - $*" >&2
	echo "not ok - $*"
}

# check DESCRIPTION COMMAND...: run COMMAND, pass if it exits 0
check() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# skip REASON: exit 77, the automake code for a skipped test
skip() {
	echo "SKIP: $T_NAME: $*"
	exit 77
}

# skip_part REASON: say that one part of the test was skipped (it goes on)
skip_part() {
	echo "SKIP: $*"
}

# finish: print the summary line and exit with the right status
finish() {
	echo "$T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}

# have_valgrind: valgrind is installed and can run the plugin: not in a
# build with --enable-sanitizers (make check sets SANITIZERS=yes there;
# valgrind cannot run an ASan binary, and ASan checks the same things)
have_valgrind() {
	[ "${SANITIZERS:-no}" != yes ] && command -v valgrind >/dev/null 2>&1
}

# json_valid: every line of stdin is one JSON document
json_valid() {
	if command -v jq >/dev/null 2>&1; then
		jq -e -c . >/dev/null 2>&1
	else
		python3 -c 'import json,sys
for l in sys.stdin:
    json.loads(l)'
	fi
}

# need_root_audit: skip unless root with a kernel audit subsystem
need_root_audit() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for kernel audit"
	command -v auditctl >/dev/null 2>&1 || skip "auditctl not installed"
	auditctl -s >/dev/null 2>&1 || skip "kernel audit unavailable"
}

# proctitle_hex ARG...: the value of a PROCTITLE record for a process run
# with ARGs, as the kernel writes it: the arguments NUL-separated, in hex
# (upper case)
proctitle_hex() {
	local a sep=
	for a in "$@"; do
		printf '%s' "$sep"
		printf '%s' "$a" | od -An -tx1 | tr -d ' \n' | tr a-f A-F
		sep=00
	done
}

# synthetic_stream ARG: print a hand-written stream in the kernel's format:
# bash -i (pid 200) starts, then runs the dracut script (pid 300) with ARG
# through /bin/sh, as the kernel rewrites a #! exec. Replayed alone it
# raises exactly one alert: dracut by hand, parent bash. ARG must hold no
# space or quote (the EXECVE record writes it as is). Lines 1-6 are bash's
# event, lines 7-13 dracut's.
synthetic_stream() {
	cat <<LOG
type=SYSCALL msg=audit(1700000000.100:1001): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=100 pid=200 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="bash" exe="/usr/bin/bash" key="exec"
type=EXECVE msg=audit(1700000000.100:1001): argc=2 a0="bash" a1="-i"
type=CWD msg=audit(1700000000.100:1001): cwd="/root"
type=PATH msg=audit(1700000000.100:1001): item=0 name="/usr/bin/bash" inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PROCTITLE msg=audit(1700000000.100:1001): proctitle=$(proctitle_hex bash -i)
type=EOE msg=audit(1700000000.100:1001):
type=SYSCALL msg=audit(1700000001.250:1002): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=3 ppid=200 pid=300 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="dracut" exe="/usr/bin/dash" key="exec"
type=EXECVE msg=audit(1700000001.250:1002): argc=3 a0="/bin/sh" a1="/usr/bin/dracut" a2="$1"
type=CWD msg=audit(1700000001.250:1002): cwd="/root"
type=PATH msg=audit(1700000001.250:1002): item=0 name="/usr/bin/dracut" inode=2 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PATH msg=audit(1700000001.250:1002): item=1 name="/bin/sh" inode=3 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0
type=PROCTITLE msg=audit(1700000001.250:1002): proctitle=$(proctitle_hex /bin/sh /usr/bin/dracut "$1")
type=EOE msg=audit(1700000001.250:1002):
LOG
}

# write_auditd_conf DIR FORMAT [MAX_LOG_FILE [Q_DEPTH]]: write
# DIR/auditd.conf (0640) for a private `auditd -n -c DIR` that logs to
# DIR/audit.log in FORMAT (RAW or ENRICHED), in files of MAX_LOG_FILE MB
# (default 200), queues up to Q_DEPTH records (default 20000), takes its
# plugins from DIR/plugins (created 0750; the caller fills it) and ignores
# a full disk. E2E_LOG_FORMAT, when set, replaces FORMAT (tests/audit4.sh:
# auditd 4.2 and 4.2.1 cut RAW records short for plugins).
write_auditd_conf() {
	local dir=$1 format=${E2E_LOG_FORMAT:-$2} max_log_file=${3:-200}
	local q_depth=${4:-20000}
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
max_log_file = $max_log_file
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
q_depth = $q_depth
overflow_action = SYSLOG
max_restarts = 10
plugin_dir = $dir/plugins
end_of_event_timeout = 2
EOF
	chmod 0640 "$dir/auditd.conf"
}

# private_dev STASH SIZE SOCKET NODES: in a private mount namespace, hide
# the host's /dev under a tmpfs of SIZE holding only the device NODES
# (names, space-separated) the host has, bound from it through the
# directory STASH (outside /dev), the /dev/fd and /dev/std* links, and
# /dev/log, a link to SOCKET. Returns 1 (/dev untouched) if the tmpfs
# cannot be mounted, 2 if a node could not be bound into STASH (mount says
# why on stderr), 0 otherwise.
private_dev() {
	local stash=$1 size=$2 sock=$3 nodes=$4 n rc=0
	mkdir -p "$stash"
	for n in $nodes; do
		[ -e "/dev/$n" ] || continue
		: >"$stash/$n"
		mount --bind "/dev/$n" "$stash/$n" || rc=2
	done
	mount -t tmpfs -o "mode=0755,size=$size" audisp-dracut-dev /dev ||
		return 1
	for n in $nodes; do
		[ -e "$stash/$n" ] || continue
		: >"/dev/$n"
		mount --bind "$stash/$n" "/dev/$n"
	done
	ln -s /proc/self/fd /dev/fd
	ln -s fd/0 /dev/stdin
	ln -s fd/1 /dev/stdout
	ln -s fd/2 /dev/stderr
	ln -s "$sock" /dev/log
	return $rc
}

# write_rsyslog_conf DIR MAX_MESSAGE_SIZE IDENT ALL_LOG PARSED_LOG: write
# DIR/rsyslog.conf for a private `rsyslogd -n -f DIR/rsyslog.conf` (work
# directory DIR/rsyslog, created) that listens on the socket DIR/log.sock
# only, writes every message to ALL_LOG as "facility.severity tag message"
# and the messages of IDENT that mmjsonparse accepts ("@cee: " JSON) to
# PARSED_LOG, one JSON document ($!all-json) a line.
write_rsyslog_conf() {
	local dir=$1 size=$2 ident=$3 all=$4 parsed=$5
	mkdir -p "$dir/rsyslog"
	cat >"$dir/rsyslog.conf" <<EOF
global(workDirectory="$dir/rsyslog" maxMessageSize="$size")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$dir/log.sock" CreatePath="off")
module(load="mmjsonparse")
template(name="raw" type="string"
	string="%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg:::sp-if-no-1st-sp%%msg:::drop-last-lf%\n")
template(name="parsed" type="list") {
	property(name="\$!all-json")
	constant(value="\n")
}
*.* action(type="omfile" file="$all" template="raw")
if \$programname == "$ident" then {
	action(type="mmjsonparse")
	if \$parsesuccess == "OK" then
		action(type="omfile" file="$parsed" template="parsed")
}
EOF
}

# wait_for SECONDS COMMAND...: poll COMMAND every 0.05 s until it succeeds;
# returns 1 if it has not within SECONDS
wait_for() {
	local n=$(($1 * 20))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" 2>/dev/null && return 0
		sleep 0.05
		n=$((n - 1))
	done
	return 1
}
