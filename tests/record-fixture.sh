#!/bin/bash
# record-fixture.sh - record the stream a string-format plugin receives
#
# Usage: tests/record-fixture.sh [-f RAW|ENRICHED] [-k] [-l] [-o OUT] SCENARIO [ARG...]
#
# Starts a private auditd (auditd -n -c DIR) whose plugin_dir holds only a
# capture plugin (format = string, a script that copies its stdin to a
# file), loads rules.d/40-audisp-dracut.rules (with -k, with its optional
# fork/vfork/clone rules turned on) after two rules that drop every other
# audit session (this script gives itself a session), runs SCENARIO with ARGs, waits for the
# stream to go quiet, stops auditd, deletes the rules, and writes OUT: `#`
# lines saying how it was recorded (date, auditd version, kernel,
# log_format, the rules as loaded, the command, the scenario's text and what
# it printed), then the captured stream byte for byte. With -l, OUT holds
# the daemon's audit.log instead (no EOE records), as replay also reads it.
#
# Needs root and kernel audit; not run by make check. Everything runs under
# flock /tmp/audisp-dracut-audit.lock.

set -u
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/.." && pwd)}
# shellcheck source=SCRIPTDIR/e2e/lib.sh
. "$here/e2e/lib.sh"

if [ -z "${RECORD_FIXTURE_LOCKED:-}" ]; then
	export RECORD_FIXTURE_LOCKED=1
	exec flock "$AUDIT_LOCK" "$0" "$@"
fi

format=ENRICHED
fork=
log=
out=-
while getopts f:klo: opt; do
	case $opt in
	f) format=$OPTARG ;;
	k) fork=1 ;;
	l) log=1 ;;
	o) out=$OPTARG ;;
	*) echo "usage: $0 [-f RAW|ENRICHED] [-k] [-l] [-o OUT] SCENARIO [ARG...]" >&2
	   exit 1 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -lt 1 ]; then
	echo "usage: $0 [-f RAW|ENRICHED] [-k] [-l] [-o OUT] SCENARIO [ARG...]" >&2
	exit 1
fi
case $format in
RAW|ENRICHED) ;;
*) echo "$0: log format must be RAW or ENRICHED" >&2; exit 1 ;;
esac

# shellcheck disable=SC2119 # no argument: a running daemon is a reason
if reason=$(audit_skip_reason); then
	echo "$0: $reason" >&2
	exit 77
fi

rules_src=$top_srcdir/rules.d/40-audisp-dracut.rules
dir=$(mktemp -d /tmp/record-fixture.XXXXXX)

# Put this script, and so the scenario, in an audit session of its own (as
# a login does) and audit only that session, so that other work on the host
# stays out of the recording: the scenario's processes show auid=0 ses=N.
if ! echo 0 >/proc/self/loginuid 2>/dev/null; then
	echo "$0: cannot set /proc/self/loginuid (loginuid_immutable?)" >&2
	exit 77
fi
ses=$(cat /proc/self/sessionid)
printf -- '-a never,exit -F arch=b64 -S all -F sessionid!=%s\n' "$ses" \
	>"$dir/session.rules"
printf -- '-a never,exit -F arch=b32 -S all -F sessionid!=%s\n' "$ses" \
	>>"$dir/session.rules"
cleanup()
{
	audit_stop
	rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ -n "$fork" ]; then
	audit_rules_with_fork "$rules_src" "$dir/rules"
else
	cp "$rules_src" "$dir/rules"
fi
write_auditd_conf "$dir" "$format"
audit_capture_plugin "$dir"
audit_start "$dir" || exit 1
audit_load_rules "$dir/session.rules" "$dir/rules" || exit 1
auditctl -l >"$dir/rules.loaded"
# let the rule-loading events reach the plugin before the scenario starts
audit_wait_quiet "$dir/stream.log" 300

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
"$@" >"$dir/scenario.out" 2>&1
status=$?
audit_wait_quiet "$dir/stream.log" 1000
audit_unload_rules "$dir/session.rules" "$dir/rules"
audit_stop

{
	if [ -n "$log" ]; then
		echo "# Recorded $started by tests/record-fixture.sh: the audit.log"
		echo "# written by a private auditd (auditd -n -c DIR). Everything"
	else
		echo "# Recorded $started by tests/record-fixture.sh: the stream a"
		echo "# string-format plugin received from a private auditd (auditd"
		echo "# -n -c DIR, plugin_dir holding only a capture plugin that copies"
		echo "# stdin to a file). Everything"
	fi
	echo "# below the # lines is byte-exact. The first two rules keep other"
	echo "# sessions' work on the host out of the recording."
	echo "# auditd: $(auditctl -v 2>&1 | head -n 1); kernel: $(uname -srm)"
	echo "# log_format = $format"
	echo "# rules (auditctl -l while recording):"
	sed 's/^/#   /' "$dir/rules.loaded"
	echo "# command: tests/record-fixture.sh -f $format${fork:+ -k}${log:+ -l} $*"
	if [ -f "$1" ]; then
		echo "# $1:"
		sed 's/^/#   /' "$1"
	fi
	echo "# scenario exit status $status; it printed:"
	sed 's/^/#   /' "$dir/scenario.out"
	if [ -n "$log" ]; then
		cat "$dir/audit.log"
	else
		cat "$dir/stream.log"
	fi
} >"$dir/out"
if [ "$out" = - ]; then
	cat "$dir/out"
else
	cp "$dir/out" "$out"
fi
