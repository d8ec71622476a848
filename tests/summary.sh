#!/usr/bin/env bash
# tests/summary.sh - the end-of-replay summary, and the SIGUSR1 report's
# same counters
#
# The expected figures come from the records (counted here with awk) and
# from the fixtures' notes (tests/fixtures/README: which run each clause or
# exception takes), never from an earlier run of the plugin:
#
# - launchers-excepted (rule version 8, five local exceptions): bytes and
#   events read, execs and failed ones, 17 dracut runs, 7 alerts, 3
#   excluded (2 by parent executable, 1 by parent name), 7 excepted (1 by
#   line 5, 2 by line 8, 4 by line 11, none by lines 13 and 15), no parent
#   unknown, the records skipped;
# - a stream made of two recordings whose parents are never seen, garbage
#   lines and bash-c twice: parents unknown by reason, dropped lines, a run
#   seen twice;
# - SIGUSR1 during a replay writes the same counters to the state file.
#
# Environment: top_srcdir, PLUGIN (set by make check).
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"
fix=$top_srcdir/tests/fixtures

tmp=$(mktemp -d /tmp/audisp-dracut-summary.XXXXXX) || exit 1
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
: >"$tmp/empty.conf"
chmod 0600 "$tmp/empty.conf"

# counts FILE: what the records of FILE hold, counted without the plugin:
# "BYTES EVENTS EXECS FAILED SKIPPED" (lines that are not records left
# out; skipped: records of the types no
# exec event needs, dropped before they are parsed; events: the distinct
# msg=audit stamps of the others; execs: execve and execveat SYSCALL
# records, failed: of those success=no)
counts() {
	awk '
	{ bytes += length($0) + 1 }
	/^#/ { next }
	!/^type=[A-Z_0-9]+ msg=audit\(/ { next }
	{
		t = $1; sub(/^type=/, "", t)
		if (t !~ /^(SYSCALL|EXECVE|CWD|PATH|EOE)$/) {
			skipped++
			next
		}
		if (match($0, /msg=audit\([0-9.:]+\)/))
			ev[substr($0, RSTART, RLENGTH)] = 1
		if (t == "SYSCALL" && / syscall=(59|322) /) {
			execs++
			if (/ success=no /) failed++
		}
	}
	END {
		n = 0; for (k in ev) n++
		printf "%d %d %d %d %d\n", bytes, n, execs, failed, skipped
	}' "$1"
}

# --- launchers-excepted, with its exceptions
cp "$fix/launchers-excepted.conf" "$tmp/le.conf"
chmod 0600 "$tmp/le.conf"
log=$fix/launchers-enriched.log
read -r bytes events execs failed skipped <<<"$(counts "$log")"
"$PLUGIN" -c "$tmp/le.conf" -r "$log" >/dev/null 2>"$tmp/s1"
check "launchers-excepted: exit 0" test $? -eq 0
check "... the summary opens standard error" \
	test "$(head -n 1 "$tmp/s1")" = "audisp-dracut: summary of the replay"

# line RE: the summary has a line matching RE (after its two spaces)
line() {
	grep -q -E -x "  $1" "$tmp/s1"
}
check "... read: $bytes bytes, $events events" \
	line "read +$bytes bytes, $events events"
check "... execs: $execs, $failed failed" line "execs +$execs, $failed failed"
check "... 17 dracut runs, none seen twice" \
	line "dracut runs +17 \(and 0 seen twice\)"
check "... 7 alerts" line "alerts +7"
check "... 3 excluded, under rule version 8" \
	line "excluded +3, by rule version 8:"
check "... 2 by the parent's executable (11 patterns in version 8)" \
	line "  +2  process.parent.executable like \(11 patterns\)"
check "... 1 by the parent's name" \
	line "  +1  process.parent.name in \(7 values\)"
check "... 0 by the parent's args" \
	line "  +0  process.parent.args like~ \(2 patterns\)"
check "... 0 by its command line" \
	line "  +0  process.parent.command_line like~ \(1 pattern\)"
check "... 7 excepted" line "excepted +7, by local exceptions:"
check "... 1 by line 5" \
	line "  +1  line 5: process.parent.executable == \(1 value\)"
check "... 2 by line 8" line "  +2  line 8: process.parent.name in \(3 values\)"
check "... 4 by line 11" line "  +4  line 11: process.args like \(1 pattern\)"
check "... 0 by line 13 (shadowed by line 11)" \
	line "  +0  line 13: process.parent.command_line like~ \(1 pattern\)"
check "... 0 by line 15" \
	line "  +0  line 15: process.user.name == \(1 value\)"
check "... no parent unknown" line "parents unknown +0"
check "... nothing dropped" \
	line "dropped +0 input lines \(not audit records\), 0 exec events \(malformed\)"
check "... $skipped records skipped" \
	line "skipped +$skipped records of types no exec event needs"
check "... no --explain line" test -z "$(grep explained "$tmp/s1")"

# --- parents unknown, dropped lines, a run seen twice
{
	cat "$fix/subshell-raw.log" "$fix/orphan-sh-enriched.log"
	printf 'garbage one\nnot a record\ntype=\n'
	cat "$fix/bash-c-raw.log" "$fix/bash-c-raw.log"
} >"$tmp/mixed.log"
"$PLUGIN" -c "$tmp/empty.conf" -r "$tmp/mixed.log" --explain=/dev/null \
	>/dev/null 2>"$tmp/s1"
check "mixed stream: exit 0" test $? -eq 0
check "... 3 dracut runs, 1 seen twice (bash-c's, in its second copy)" \
	line "dracut runs +3 \(and 1 seen twice\)"
check "... 1 alert" line "alerts +1"
check "... 2 parents unknown" line "parents unknown +2:"
check "... both never seen (subshell, orphan-sh)" line "  +2  never_seen"
check "... no other reason" test "$(grep -c -E '^    +[0-9]+  [a-z_]+$' \
	"$tmp/s1")" -eq 1
check "... 3 input lines dropped" \
	line "dropped +3 input lines \(not audit records\), 0 exec events \(malformed\)"
check "... 3 --explain lines" line "explained +3 lines, 0 lost"

# --- SIGUSR1: the same counters in the state report
# A replay from a pipe held open: every event is read and decided, the
# report asked for, then the pipe closed for the summary. The input:
# subshell-raw (its run's parent never seen), three lines of garbage, and
# launchers-excepted's.
printf 'state_file = %s\nrate_limit_alerts = 0\n' "$tmp/state" >>"$tmp/le.conf"
{
	cat "$fix/subshell-raw.log"
	printf 'garbage one\nnot a record\ntype=\n'
	cat "$log"
} >"$tmp/usr1.log"
read -r bytes events execs failed skipped <<<"$(counts "$tmp/usr1.log")"
mkfifo "$tmp/fifo"
"$PLUGIN" -c "$tmp/le.conf" -r - --explain="$tmp/ex.json" <"$tmp/fifo" \
	>"$tmp/alerts" 2>"$tmp/s2" &
pid=$!
exec 3>"$tmp/fifo"
cat "$tmp/usr1.log" >&3
for _ in $(seq 100); do
	[ "$(grep -c '' "$tmp/ex.json" 2>/dev/null)" = 18 ] && break
	sleep 0.1
done
# ask for the report until it shows every byte read (the events after
# the last run may still be on their way)
for _ in $(seq 50); do
	rm -f "$tmp/state"
	kill -USR1 "$pid"
	for _ in $(seq 50); do
		[ -s "$tmp/state" ] && break
		sleep 0.05
	done
	grep -q -x "input_bytes = $bytes" "$tmp/state" 2>/dev/null && break
	sleep 0.1
done
exec 3>&-
wait "$pid"
check "replay with SIGUSR1 on the way: exit 0" test $? -eq 0
pid=
check "... the state report written" test -s "$tmp/state"

# report NAME: the value of counter NAME in the state report
report() {
	sed -n "s/^$1 = //p" "$tmp/state"
}
# summary RE: the first number after the summary line matching RE
summary() {
	sed -n -E "s/^  $1 +([0-9]+).*/\\1/p" "$tmp/s2" | head -n 1
}
for pair in "input_bytes|read" "execs|execs" "candidates|dracut runs" \
	"excluded|excluded" "excepted|excepted" \
	"parents_unknown|parents unknown" "explained|explained" \
	"input_skipped_records|skipped" "input_garbage|dropped"; do
	name=${pair%%|*}
	re=${pair#*|}
	check "SIGUSR1 report $name = summary's $re ($(report "$name"))" \
		test -n "$(report "$name")" -a "$(report "$name")" = "$(summary "$re")"
done
check "SIGUSR1 report events = summary's = the records' ($events)" \
	test "$(report events)" = "$events" -a -n "$(grep -E -x \
	"  read +$bytes bytes, $events events" "$tmp/s2")"
check "... execs: $execs, $failed failed, as the records" \
	test "$(report execs) $(report execs_failed)" = "$execs $failed"
check "... 18 dracut runs, 3 excluded, 7 excepted, 1 parent unknown" \
	test "$(report candidates) $(report excluded) $(report excepted) \
$(report parents_unknown)" = "18 3 7 1"
check "... 3 lines of garbage, $skipped records skipped" \
	test "$(report input_garbage) $(report input_skipped_records)" = \
	"3 $skipped"
check "... alerts: 7 written, as the summary" test "$(report alerts)" = 7 \
	-a -n "$(grep -E -x '  alerts +7' "$tmp/s2")"
check "... excluded per clause: 2 executable, 1 name, 0 args, 0 command line" \
	test "$(report excluded.process.parent.executable) $(report \
	excluded.process.parent.name) $(report excluded.process.parent.args) \
$(report excluded.process.parent.command_line)" = "2 1 0 0"
check "... excepted per line: 1, 2, 4, 0, 0" \
	test "$(report excepted.line5) $(report excepted.line8) $(report \
	excepted.line11) $(report excepted.line13) $(report excepted.line15)" \
	= "1 2 4 0 0"
check "... parents unknown per reason: never_seen 1, the 7 others 0" \
	test "$(grep -E '^parents_unknown\.[a-z_]+ = [^0]' "$tmp/state")" = \
	"parents_unknown.never_seen = 1" -a "$(grep -c -E \
	'^parents_unknown\.[a-z_]+ = 0$' "$tmp/state")" -eq 7

finish
