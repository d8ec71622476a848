#!/usr/bin/env bash
# tests/cli.sh - the command-line contract: options, exit codes, replay
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
[ -x "$PLUGIN" ] || skip "no plugin binary at $PLUGIN"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A hand-written stream in the kernel's format (synthetic_stream, lib.sh):
# bash (pid 200) starts, then runs the dracut script (pid 300) with /bin/sh,
# as the kernel rewrites a #! exec. Expected: one alert, parent bash.
{
	echo '# synthetic: bash -i, then dracut --help from it'
	synthetic_stream --help
} > "$tmp/stream.log"

# --- options and exit codes
# shellcheck disable=SC2016 # "$0" is the argument of bash -c
check "-h exits 0 and prints usage" \
	bash -c '"$0" -h | grep -q "^usage: audisp-dracut"' "$PLUGIN"
# shellcheck disable=SC2016 # "$0" is the argument of bash -c
check "-V prints the version" \
	bash -c '"$0" -V | grep -Eq "^audisp-dracut [0-9]+\.[0-9]+"' "$PLUGIN"
"$PLUGIN" --no-such-option >/dev/null 2>"$tmp/err"
check "an unknown option exits 1" test $? -eq 1
check "... with a one-line reason" test "$(wc -l < "$tmp/err")" -eq 1
check "... naming the option" grep -q -- "--no-such-option" "$tmp/err"
"$PLUGIN" -x >/dev/null 2>"$tmp/err"
check "an unknown short option exits 1" test $? -eq 1
check "... with a one-line reason" test "$(wc -l < "$tmp/err")" -eq 1
"$PLUGIN" -r >/dev/null 2>"$tmp/err"
check "an option without its argument exits 1" test $? -eq 1
check "... with a one-line reason" test "$(wc -l < "$tmp/err")" -eq 1
check "... naming the option" grep -Eq -- "-r\b|'r'" "$tmp/err"
"$PLUGIN" -r "$tmp/stream.log" extra >/dev/null 2>&1
check "a stray argument exits 1" test $? -eq 1
"$PLUGIN" --rule-version 5 -r "$tmp/stream.log" >/dev/null 2>"$tmp/err"
check "--rule-version 5 exits 1" test $? -eq 1
check "... with a one-line reason" test "$(wc -l < "$tmp/err")" -eq 1
"$PLUGIN" -c "$tmp/missing.conf" -r "$tmp/stream.log" >/dev/null 2>"$tmp/err"
check "-c on a missing file exits 1" test $? -eq 1
check "... naming the file" grep -q "missing.conf" "$tmp/err"
"$PLUGIN" -r "$tmp/no-such-log" >/dev/null 2>&1
check "-r on a missing file exits 1" test $? -eq 1
"$PLUGIN" -o "bogus:x" -r "$tmp/stream.log" >/dev/null 2>&1
check "-o with an unknown output exits 1" test $? -eq 1

# --- --check-config
printf 'rule_version = 7\n' > "$tmp/good.conf"
chmod 600 "$tmp/good.conf"
"$PLUGIN" -c "$tmp/good.conf" --check-config >/dev/null 2>&1
check "--check-config on a good file exits 0" test $? -eq 0
printf '# comment\nrule_version = 3\nno_such_key = 1\n' > "$tmp/bad.conf"
chmod 600 "$tmp/bad.conf"
"$PLUGIN" -c "$tmp/bad.conf" --check-config >/dev/null 2>"$tmp/err"
check "--check-config on a bad file exits 1" test $? -eq 1
check "... reporting line 2" grep -q "bad.conf:2" "$tmp/err"
check "... and line 3" grep -q "bad.conf:3" "$tmp/err"

# --- replay
"$PLUGIN" -r "$tmp/stream.log" > "$tmp/out" 2>"$tmp/err"
check "replay of a file exits 0" test $? -eq 0
check "... one alert" test "$(wc -l < "$tmp/out")" -eq 1
check "... valid JSON" json_valid < "$tmp/out"
if command -v jq >/dev/null 2>&1; then
	got=$(jq -r '[.process.pid, .process.executable, .process.name,
		.process.command_line, .process.parent.pid,
		.process.parent.executable, .process.parent.command_line,
		.rule.version] | map(tostring) | join("|")' "$tmp/out")
	want="300|/usr/bin/dracut|dracut|/bin/sh /usr/bin/dracut --help|200|/usr/bin/bash|bash -i|1"
	check "... with the process and parent that ran ($got)" \
		test "$got" = "$want"
	ts=$(jq -r '."@timestamp"' "$tmp/out")
	# 1700000001 is 2023-11-14T22:13:21Z
	check "... @timestamp is the event's time ($ts)" \
		test "$ts" = "2023-11-14T22:13:21.250Z"
fi
"$PLUGIN" -r - < "$tmp/stream.log" > "$tmp/out2"
check "replay of stdin gives the same alert" \
	test "$(wc -l < "$tmp/out2")" -eq 1
"$PLUGIN" --rule-version 7 -r "$tmp/stream.log" > "$tmp/out7"
if command -v jq >/dev/null 2>&1; then
	check "--rule-version 7 reports rule.version 7" \
		test "$(jq -r .rule.version "$tmp/out7")" = 7
fi
"$PLUGIN" -r "$tmp/stream.log" -o "file:$tmp/alerts.json" > "$tmp/out3"
check "-o file: writes the alert to the file" \
	test "$(wc -l < "$tmp/alerts.json")" -eq 1
check "... and nothing to stdout" test ! -s "$tmp/out3"
check "... mode 0600" test "$(stat -c %a "$tmp/alerts.json")" = 600

# replay whose alerts cannot be written (a full disk) has not succeeded
if [ -w /dev/full ]; then
	"$PLUGIN" -r "$tmp/stream.log" > /dev/full 2>"$tmp/err"
	check "replay that cannot write its alert exits 1" test $? -eq 1
else
	skip_part "no /dev/full: replay on a full disk"
fi

# the same stream without EOE records, as in audit.log
grep -v '^type=EOE' "$tmp/stream.log" > "$tmp/noeoe.log"
"$PLUGIN" -r "$tmp/noeoe.log" > "$tmp/out4"
check "replay without EOE records flushes the last event" \
	test "$(wc -l < "$tmp/out4")" -eq 1

# plugin mode: EOF on stdin flushes and exits 0
"$PLUGIN" -c "$tmp/good.conf" -o - < "$tmp/stream.log" > "$tmp/out5"
check "plugin mode exits 0 at EOF" test $? -eq 0
check "... after writing the alert" test "$(wc -l < "$tmp/out5")" -eq 1

# plugin mode: dracut's event arrives in two reads (SYSCALL and EXECVE, a
# pause, then CWD, PATH, PROCTITLE and EOE), and its time is minutes old, as
# when auditd runs behind. The event must wait for its EOE: aged by the
# clock after the first read, it would lose its PATH records, and with
# them the executable and the alert.
{
	head -n 9 "$tmp/stream.log"
	sleep 0.5
	tail -n +10 "$tmp/stream.log"
} | "$PLUGIN" -c "$tmp/good.conf" -o - > "$tmp/out6"
check "plugin mode keeps an event that spans two reads whole" \
	test "$(wc -l < "$tmp/out6")" -eq 1

# plugin mode on a stream that ends its events with neither EOE nor
# PROCTITLE (an audit.log of a kernel before 3.17, through tail -F): with
# records arriving every 0.3 s, never idle for a second, the events must
# still be handed over (a while after their first record) and the alert
# written while the input stays open. The writer goes on until the alert is
# there, or for 30 s.
grep -v '^type=PROCTITLE' "$tmp/noeoe.log" > "$tmp/bare.log"
{
	cat "$tmp/bare.log"
	for i in $(seq 100); do
		sleep 0.3
		echo "type=USER_CMD msg=audit(1700000002.$(printf %03d "$i"):$((2000 + i))): pid=1 uid=0 msg='cmd=6C73 res=success'"
		[ "$(wc -l < "$tmp/out8")" -ge 1 ] && break
	done
	wc -l < "$tmp/out8" > "$tmp/count8"
} | "$PLUGIN" -c "$tmp/good.conf" -o - > "$tmp/out8"
check "plugin mode without EOE writes the alert before EOF" \
	test "$(cat "$tmp/count8")" -eq 1

# replay from a pipe that stays open (tail -f audit.log | ... -r -): an
# event ended by its EOE record is complete, and its alert must come out
# at once, not when the next record happens to arrive.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$PLUGIN" "$tmp/stream.log" > "$tmp/open.out" 2>&1 <<'PY'
import os, select, subprocess, sys, time
plugin, stream = sys.argv[1], sys.argv[2]
p = subprocess.Popen([plugin, "-r", "-"], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE)
p.stdin.write(open(stream, "rb").read())
p.stdin.flush()
ready, _, _ = select.select([p.stdout], [], [], 3)
line = p.stdout.readline() if ready else b""
p.stdin.close()
p.wait(5)
print("alert before EOF: %s" % ("yes" if line else "no"))
sys.exit(0 if line else 1)
PY
	rc=$?
	check "replay from an open pipe writes the alert before EOF ($(cat "$tmp/open.out"))" \
		test "$rc" -eq 0
else
	skip_part "python3 not installed: replay from an open pipe"
fi

# replay from a pipe that stays open (tail -f audit.log | ... -r -): a
# SIGTERM that arrives while the plugin is busy, here blocked writing its
# alert to a full stdout, must still stop it once the write is done, not
# wait for more input that may never come.
if command -v python3 >/dev/null 2>&1; then
	python3 - "$PLUGIN" "$tmp/stream.log" > "$tmp/term.out" 2>&1 <<'PY'
import fcntl, os, signal, subprocess, sys, time
plugin, stream = sys.argv[1], sys.argv[2]
out_r, out_w = os.pipe()
fcntl.fcntl(out_w, fcntl.F_SETFL, os.O_NONBLOCK)
filler = 0
try:
    while True:
        filler += os.write(out_w, b"x" * 4096)
except BlockingIOError:
    pass
fcntl.fcntl(out_w, fcntl.F_SETFL, 0)
p = subprocess.Popen([plugin, "-r", "-"], stdin=subprocess.PIPE,
                     stdout=out_w)
os.close(out_w)
p.stdin.write(open(stream, "rb").read())
p.stdin.flush()
time.sleep(0.5)          # the alert's write is now blocked
p.send_signal(signal.SIGTERM)
time.sleep(0.2)
data = b""
deadline = time.time() + 3
fcntl.fcntl(out_r, fcntl.F_SETFL, os.O_NONBLOCK)
while time.time() < deadline and p.poll() is None:
    try:
        data += os.read(out_r, 65536)
    except BlockingIOError:
        time.sleep(0.05)
rc = p.poll()
if rc is None:
    p.kill()
    p.wait()
try:
    while True:
        chunk = os.read(out_r, 65536)
        if not chunk:
            break
        data += chunk
except BlockingIOError:
    pass
alerts = data[filler:].count(b"\n")
print("rc=%s alerts=%d" % (rc, alerts))
sys.exit(0 if rc == 0 and alerts == 1 else 1)
PY
	rc=$?
	check "replay from an open pipe stops on a SIGTERM taken while busy ($(cat "$tmp/term.out"))" \
		test "$rc" -eq 0
else
	skip_part "python3 not installed: SIGTERM while busy"
fi

# plugin mode on a fleet's collector: auditd hands over every host's
# records with node=NAME and without EOE. Three hosts' events interleaved
# record by record, with the same time and serial (real fleets collide),
# and a fourth host whose clock runs an hour ahead: every dracut alert must
# be written once that event's PROCTITLE is, before the next record is
# written (a generous poll, never a time limit), whole (no event cut in
# two), and no event may have been handed over without its last record
# (input_unended in the state report). Then a dracut event whose PROCTITLE
# never comes: it is still handed over, while the pipe stays open, and
# counted; and a replay of the same stream gives the same alerts at EOF.
if command -v python3 >/dev/null 2>&1; then
	printf 'output = file\noutput_file = %s/fleet.json\nproc_fallback = no\nrate_limit_alerts = 0\nstate_file = %s/fleet.state\n' \
		"$tmp" "$tmp" > "$tmp/fleet.conf"
	chmod 600 "$tmp/fleet.conf"
	python3 - "$PLUGIN" "$tmp" "$top_srcdir/tests/hostile" \
		> "$tmp/fleet.out" 2>&1 <<'PY'
import json, os, signal, subprocess, sys, time
plugin, tmp, hostile = sys.argv[1:4]
sys.path.insert(0, hostile)
from gen import Gen  # noqa: E402

T0, SERIAL0, WAIT = 1700000000, 5000, 30
alerts_file = os.path.join(tmp, "fleet.json")
state_file = os.path.join(tmp, "fleet.state")


def interleave(events):
    """The records of several events, one of each in turn."""
    out = []
    for i in range(max(len(e) for e in events)):
        out += [e[i] for e in events if i < len(e)]
    return out


def alerts_by_pid():
    try:
        with open(alerts_file) as f:
            docs = [json.loads(line) for line in f]
    except FileNotFoundError:
        return {}
    return {d["process"]["pid"]: d for d in docs}


def wait_alert(p, pid):
    end = time.time() + WAIT
    while time.time() < end and p.poll() is None:
        if pid in alerts_by_pid():
            return True
        time.sleep(0.02)
    return False


def report(p):
    if os.path.exists(state_file):
        os.unlink(state_file)
    p.send_signal(signal.SIGUSR1)
    end = time.time() + WAIT
    while time.time() < end and not os.path.exists(state_file):
        time.sleep(0.02)
    time.sleep(0.1)
    with open(state_file) as f:
        return dict(line.strip().split(" = ", 1) for line in f
                    if " = " in line)


# node -> (clock offset, first pid): the same stamps for all but "ahead"
hosts = {"web-1": (0, 110000), "web-2": (0, 120000), "web-3": (0, 130000),
         "ahead": (3600, 140000)}
bash, dracut, want = [], [], {}
for node, (shift, pid0) in hosts.items():
    g = Gen(t0=T0 + shift, serial0=SERIAL0, pid0=pid0)
    pb, pd = g.new_pid(), g.new_pid()
    bash.append(g.bash(pb, node=node, eoe=False))
    dracut.append(g.dracut(pd, pb, node, node=node, eoe=False))
    want[pd] = node
g = Gen(t0=T0 + 1, serial0=SERIAL0 + 100, pid0=150000)
pb, pd_lost = g.new_pid(), g.new_pid()
lost = g.bash(pb, eoe=False) + [
    r for r in g.dracut(pd_lost, pb, "lost", eoe=False)
    if " type=PROCTITLE " not in " " + r]
stream = interleave(bash) + interleave(dracut) + lost
with open(os.path.join(tmp, "fleet.log"), "w") as f:
    f.write("\n".join(stream) + "\n")

p = subprocess.Popen([plugin, "-c", os.path.join(tmp, "fleet.conf")],
                     stdin=subprocess.PIPE)
ok = True
for line in interleave(bash) + interleave(dracut):
    p.stdin.write((line + "\n").encode())
    p.stdin.flush()
    if "type=PROCTITLE" in line and "/usr/bin/dracut" in \
            bytes.fromhex(line.rsplit("=", 1)[1]).decode():
        node = line.split()[0][len("node="):]
        pid = [k for k, v in want.items() if v == node][0]
        if not wait_alert(p, pid):
            print("no alert for %s after its PROCTITLE" % node)
            ok = False
            break
got = alerts_by_pid()
for pid, node in want.items():
    a = got.get(pid)
    if not ok or a is None:
        ok = False
        continue
    if a["process"]["args"][-1] != node or \
            a["process"]["executable"] != "/usr/bin/dracut" or \
            a["process"]["parent"]["executable"] != "/usr/bin/bash":
        print("%s: a cut or wrong alert: %s" % (node, a["process"]))
        ok = False
st = report(p) if ok else {}
print("collector: alerts %d, input_unended %s" % (
    len(got), st.get("input_unended")))
ok = ok and len(got) == 4 and st.get("input_unended") == "0"
if ok:
    for line in lost:
        p.stdin.write((line + "\n").encode())
    p.stdin.flush()
    seen = wait_alert(p, pd_lost)
    st = report(p)
    print("lost PROCTITLE: alert %s, input_unended %s" % (
        "yes" if seen else "no", st.get("input_unended")))
    ok = seen and st.get("input_unended") == "1"
p.stdin.close()
ok = p.wait(WAIT) == 0 and ok
live = sorted(alerts_by_pid())
r = subprocess.run([plugin, "-r", os.path.join(tmp, "fleet.log"), "-o", "-"],
                   stdout=subprocess.PIPE, check=False)
replay = sorted(json.loads(line)["process"]["pid"]
                for line in r.stdout.decode().splitlines())
print("replay: %s, plugin mode: %s" % (replay, live))
sys.exit(0 if ok and r.returncode == 0 and replay == live else 1)
PY
	rc=$?
	check "a collector's stream: each alert at its PROCTITLE, none cut ($(tr '\n' ';' < "$tmp/fleet.out"))" \
		test "$rc" -eq 0
else
	skip_part "python3 not installed: a collector's stream"
fi

# SIGHUP is all or nothing: a new file that cannot be applied as a whole
# (proc_fallback cannot change under a running table) is refused, not
# half applied (rule_version 7 taken, proc_fallback = no ignored).
printf 'rule_version = 1\nproc_fallback = yes\nstate_file = %s\n' \
	"$tmp/state" > "$tmp/hup.conf"
chmod 600 "$tmp/hup.conf"
mkfifo "$tmp/hup.fifo"
"$PLUGIN" -c "$tmp/hup.conf" -o - < "$tmp/hup.fifo" > /dev/null 2>&1 &
hup_pid=$!
exec 4> "$tmp/hup.fifo"
sleep 0.5 # the plugin has read the first file
printf 'rule_version = 7\nproc_fallback = no\nstate_file = %s\n' \
	"$tmp/state" > "$tmp/hup.conf"
sleep 0.5
kill -HUP "$hup_pid"
sleep 0.5
kill -USR1 "$hup_pid"
for i in $(seq 50); do [ -s "$tmp/state" ] && break; sleep 0.1; done
exec 4>&-
wait "$hup_pid"
hup_state=$(grep -E '^(rule_version|proc_fallback) = ' "$tmp/state" |
	tr '\n' ' ')
check "SIGHUP applies a new file whole or not at all ($hup_state)" \
	test "$hup_state" = "rule_version = 1 proc_fallback = yes " -o \
	"$hup_state" = "rule_version = 7 proc_fallback = no "

# auditd starts its plugins with signals blocked: a SIGHUP already pending
# then (auditd reloading as it starts the plugin) must reach the handler,
# not kill the plugin before its handlers are in place.
printf 'output = file\noutput_file = %s/pending.json\nproc_fallback = no\n' \
	"$tmp" > "$tmp/pending.conf"
chmod 600 "$tmp/pending.conf"
pending=$(python3 - "$PLUGIN" "$tmp/pending.conf" <<'PYEOF'
import os, signal, subprocess, sys, time
r, w = os.pipe()
def blocked_and_pending():
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGHUP])
    os.kill(os.getpid(), signal.SIGHUP)
p = subprocess.Popen([sys.argv[1], "-c", sys.argv[2]], stdin=r,
                     stderr=subprocess.DEVNULL,
                     preexec_fn=blocked_and_pending)
os.close(r)
time.sleep(1)
alive = p.poll() is None
os.close(w)
print("alive" if alive else "dead", p.wait(timeout=10))
PYEOF
)
check "a SIGHUP pending at start-up does not kill the plugin ($pending)" \
	test "$pending" = "alive 0"

finish
