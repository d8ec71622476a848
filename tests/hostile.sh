#!/usr/bin/env bash
# tests/hostile.sh - the bad-input matrix: one live plugin, case after case
#
# Runs tests/hostile/matrix.py (see its header): ONE plugin in plugin mode
# is fed every case of issue 8's bad-input matrix (truncated lines, events
# without EOE, interleaved and reordered records, a duplicate serial, 1 MiB
# lines, NUL bytes, binary garbage, text, node= prefixes (and names empty,
# of 10,000 or 256 bytes, with a space or not UTF-8, one event's records
# under two nodes, a node switching between RAW and ENRICHED), stray ENRICHED
# separators, broken EXECVE records, 100,000 arguments, missing SYSCALL,
# EXECVE or PATH records, ppid = pid, parent cycles, pid reuse, arguments
# that try to forge output, a dracut among 100,000 noise events), each
# followed by a valid dracut exec; after each, the plugin must still run,
# that exec must alert, every counter of the state report must have moved
# by the amount worked out by hand for the case, the alerts must be the
# expected ones (one valid JSON line each) and VmRSS back at its baseline.
# The matrix runs twice (no growth), then each case is replayed alone.
#
# As root, the plugin also sends its alerts to a private rsyslogd (in a
# mount namespace of this test: a tmpfs /dev whose /dev/log is that
# rsyslogd's socket, as in tests/outputs.sh), and every case checks that
# syslog received exactly one message per alert ("@cee: " and the file's
# line), and that rsyslog's mmjsonparse turned it into the same document.
# Otherwise that part is skipped.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"
command -v python3 >/dev/null 2>&1 || skip "python3 not installed"
matrix=$top_srcdir/tests/hostile/matrix.py

syslog_ok=1
if [ "$(id -u)" -ne 0 ]; then
	syslog_ok=0; why="not root"
elif ! command -v rsyslogd >/dev/null 2>&1; then
	syslog_ok=0; why="rsyslogd not installed"
elif ! command -v unshare >/dev/null 2>&1; then
	syslog_ok=0; why="unshare not installed"
fi

if [ "$syslog_ok" = 1 ] && [ -z "${HOSTILE_IN_NAMESPACE:-}" ]; then
	if unshare --mount --propagation private true 2>/dev/null; then
		HOSTILE_IN_NAMESPACE=1 exec unshare --mount \
			--propagation private bash "$0" "$@"
	fi
	syslog_ok=0; why="cannot create a mount namespace"
fi

tmp=$(mktemp -d /tmp/audisp-dracut-hostile.XXXXXX)
rs_pid=
devnodes="null zero full random urandom"
cleanup() {
	[ -n "$rs_pid" ] && kill "$rs_pid" 2>/dev/null
	[ -n "$rs_pid" ] && wait "$rs_pid" 2>/dev/null
	for n in $devnodes; do
		umount "$tmp/dev/$n" 2>/dev/null
	done
	if [ -n "${KEEP_TMP:-}" ]; then
		echo "hostile: kept $tmp" >&2
	else
		rm -rf --one-file-system "$tmp"
	fi
}
trap cleanup EXIT

args=()
if [ "$syslog_ok" = 1 ]; then
	if ! private_dev "$tmp/dev" 64k "$tmp/log.sock" "$devnodes"; then
		syslog_ok=0; why="cannot make a private /dev"
	fi
fi
if [ "$syslog_ok" = 1 ]; then
	# alerts reach 192 KiB (100,000 arguments): take them whole
	write_rsyslog_conf "$tmp" 256k hostile-test "$tmp/all.log" \
		"$tmp/parsed.log"
	rsyslogd -n -f "$tmp/rsyslog.conf" -i "$tmp/rsyslog.pid" \
		>"$tmp/rsyslog.out" 2>&1 &
	rs_pid=$!
	for _ in $(seq 100); do
		[ -S "$tmp/log.sock" ] && break
		sleep 0.1
	done
	logger -t hostile-probe probe 2>/dev/null
	for _ in $(seq 100); do
		grep -q "hostile-probe" "$tmp/all.log" 2>/dev/null && break
		sleep 0.1
	done
	if grep -q "hostile-probe" "$tmp/all.log" 2>/dev/null; then
		args=(--syslog "$tmp/all.log" hostile-test "$tmp/parsed.log")
	else
		syslog_ok=0; why="the private rsyslogd does not log"
	fi
fi
[ "$syslog_ok" = 1 ] || skip_part "syslog checks ($why)"

mkdir -p "$tmp/work"
timeout 600 python3 "$matrix" "$PLUGIN" "$tmp/work" "${args[@]}"
