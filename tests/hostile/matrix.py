#!/usr/bin/env python3
# tests/hostile/matrix.py - the bad-input matrix against one long-running plugin
"""The bad-input matrix of issue 8, case after case, into ONE plugin.

Usage: matrix.py PLUGIN WORKDIR [--syslog ALL_LOG IDENT PARSED_LOG]
                 [--passes N]

One plugin runs in plugin mode (stdin a pipe this script holds open) with
file output (and syslog with "@cee: " when --syslog names the files where
a private rsyslogd writes every message and what mmjsonparse made of
IDENT's messages), no rate limit, proc_fallback off and the smallest
process table (table_max_entries = 64), so that the table's growth is
bounded and memory can be compared with a baseline.

Warm-up: 300 (bash, dracut) pairs fill the table to its cap; the VmRSS
then is the baseline. Then, for each case: the case's lines, then a probe
(a fresh bash and a dracut from it: one alert); wait for the probe's alert
in the file; the plugin must be alive; SIGUSR1 and read the state report;
the counters must have moved by exactly the case's expected amounts (worked
out by hand, written next to each case) plus the probe's; the new alerts
must be exactly the expected ones (by pid), each line valid JSON, and
each case's own checks on their fields must hold; VmRSS must be within
RSS_SLACK_KB of the baseline. The whole matrix runs twice: the second pass
must not leave VmRSS more than RSS_GROWTH_KB above the first (no leak).

Then every case is replayed alone (-r FILE -o -, with its probe): exit 0,
the same alerts.

Prints "ok N - what" / "not ok N - what" and "hostile: N passed, N failed";
exits 0 or 1.
"""

import json
import os
import random
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen import Gen, SEP, encode  # noqa: E402

# Counters of the state report that every case checks; a key a case does
# not name must not move.
KEYS = ["events", "execs", "execs_failed", "forks", "parse_errors",
        "input_garbage", "args_truncated", "candidates", "alerts",
        "excluded", "excepted", "suppressed", "written", "dropped",
        "write_errors", "queue_depth", "parents_unknown", "duplicates",
        "input_skipped_records", "nodes_rejected"]
# Every exec event the generator writes has one PROCTITLE record: the
# input drops records of types the plugin does not read (all but SYSCALL,
# EXECVE, CWD, PATH and EOE) before auparse and counts them
# (input_skipped_records); the events counted are those auparse delivers,
# made of the other records.
# A probe: bash then dracut from it, both complete execs; one alert.
PROBE = {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
         "written": 1, "input_skipped_records": 2}
# Memory. The baseline is the plugin's steady state: after the warm-up,
# which fills the table to its cap (64 images within 64 KiB) and feeds the
# largest cases once (100,000 arguments, a 1 MiB record, 100,000 events),
# so that glibc's heap has reached the size it keeps for reuse (about 15
# MiB here, from auparse's fields of 100,000 arguments). After every
# checked case VmRSS must be within RSS_SLACK_KB of it, and the last pass
# must not end higher than the first by more than RSS_GROWTH_KB (glibc's
# heap goes up and down by about 800 kB from one pass to the next; six
# passes ended at -4996, -4208, -4208, -4208, -4996, -4208 kB).
RSS_SLACK_KB = 2048
RSS_GROWTH_KB = 1024
WARM_CASES = ["c_many_args", "c_mib_record", "c_hidden"]
# make check sets SANITIZERS=yes in an --enable-sanitizers build
SANITIZED = os.environ.get("SANITIZERS") == "yes"

T = {"pass": 0, "fail": 0}


def ok(what):
    T["pass"] += 1
    print("ok %d - %s" % (T["pass"] + T["fail"], what), flush=True)


def fail(what, why=""):
    T["fail"] += 1
    print("not ok %d - %s%s" % (T["pass"] + T["fail"], what,
                                ": " + why if why else ""), flush=True)


def check(what, cond, why=""):
    if cond:
        ok(what)
    else:
        fail(what, why)
    return cond


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class Plugin:
    """The plugin in plugin mode, its stdin a pipe held open."""

    def __init__(self, binary, work, syslog=None):
        self.work = work
        self.alerts = os.path.join(work, "alerts", "alerts.json")
        self.state = os.path.join(work, "state")
        self.conf = os.path.join(work, "plugin.conf")
        lines = ["output = file" + (",syslog" if syslog else ""),
                 "output_file = " + self.alerts,
                 "rate_limit_alerts = 0",
                 "proc_fallback = no",
                 "table_max_entries = 64",
                 "state_file = " + self.state]
        if syslog:
            lines += ["syslog_ident = " + syslog[1],
                      "syslog_facility = local3",
                      "syslog_priority = notice",
                      "syslog_cee = yes",
                      # its rsyslogd takes 256 KiB (hostile.sh)
                      "syslog_max_message = 262144"]
        with open(self.conf, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(self.conf, 0o600)
        self.err = open(os.path.join(work, "plugin.err"), "wb")
        self.p = subprocess.Popen([binary, "-c", self.conf],
                                  stdin=subprocess.PIPE, stdout=self.err,
                                  stderr=self.err)
        self.offset = 0
        self.bad_lines = 0

    def feed(self, data):
        if isinstance(data, list):
            data = ("\n".join(data) + "\n") if data else ""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        self.p.stdin.write(data)
        self.p.stdin.flush()

    def alive(self):
        return self.p.poll() is None

    def new_alerts(self):
        """Whole alert lines written since the last call, parsed; a line
        that is not one JSON object is returned as None."""
        try:
            with open(self.alerts, "rb") as f:
                f.seek(self.offset)
                data = f.read()
        except FileNotFoundError:
            return []
        end = data.rfind(b"\n") + 1
        self.offset += end
        out = []
        for line in data[:end].split(b"\n")[:-1]:
            try:
                doc = json.loads(line.decode("utf-8"))
                out.append(doc if isinstance(doc, dict) else None)
            except (ValueError, UnicodeDecodeError):
                out.append(None)
        return out

    def wait_alert(self, pid, pending, timeout=60):
        """Collect alerts into pending until one for pid is there."""
        end = time.time() + timeout
        while time.time() < end:
            pending += self.new_alerts()
            if any(a and a.get("process", {}).get("pid") == pid
                   for a in pending):
                return True
            if not self.alive():
                return False
            time.sleep(0.01)
        return False

    def report(self, timeout=10):
        """SIGUSR1, then the counters of the state report."""
        try:
            os.unlink(self.state)
        except FileNotFoundError:
            pass
        self.p.send_signal(signal.SIGUSR1)
        end = time.time() + timeout
        while time.time() < end:
            if os.path.exists(self.state):
                st = {}
                with open(self.state) as f:
                    for line in f:
                        k, _, v = line.partition(" = ")
                        v = v.strip()
                        if v.isdigit():
                            st[k.strip()] = int(v)
                return st
            time.sleep(0.01)
        return None

    def stop(self):
        self.p.stdin.close()
        try:
            return self.p.wait(60)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            return None


# ------------------------------------------------------------------ cases
#
# Each case returns (lines or bytes, expected counter deltas, expected
# alerts as {pid: check(alert) -> error string or None}). The probe that
# follows is not included. Times and serials keep increasing across cases
# (one Gen for the whole run); a case starts a new second.

def alert_is(exe=None, args=None, args_truncated=None, parent_exe=None,
             args_prefix=None):
    def chk(a):
        p = a.get("process", {})
        if exe is not None and p.get("executable") != exe:
            return "executable %r, want %r" % (p.get("executable"), exe)
        if args is not None and p.get("args", []) != args:
            return "args %r, want %r" % (p.get("args"), args)
        if args_prefix is not None and \
                p.get("args", [])[:len(args_prefix)] != args_prefix:
            return "args start %r, want %r" % (p.get("args", [])[:4],
                                               args_prefix)
        if args_truncated is not None:
            got = a.get("audisp_dracut", {}).get("process", {}) \
                .get("args_truncated")
            if got != args_truncated:
                return "args_truncated %r, want %r" % (got, args_truncated)
        if parent_exe is not None and \
                p.get("parent", {}).get("executable") != parent_exe:
            return "parent %r, want %r" % (
                p.get("parent", {}).get("executable"), parent_exe)
        return None
    return chk


DRACUT_ARGS = ["/bin/bash", "/usr/bin/dracut", "--force"]


def good_alert(mark):
    return alert_is(exe="/usr/bin/dracut", args=DRACUT_ARGS + [mark],
                    args_truncated=False, parent_exe="/usr/bin/bash")


def dracut_with(g, pb, pd, mark, body):
    """A dracut exec whose EXECVE records are body (a list)."""
    return g.dracut(pd, pb, mark, execve=body)


def c_truncated_line(g):
    # A dracut exec whose EXECVE record is cut in the middle of a1 (then a
    # newline), and a SYSCALL record cut inside its header. The cut EXECVE
    # still holds argc=4 a0="/bin/bash" a1="/usr/b: a1 is neither quoted
    # text nor hex, so it is dropped, argc disagrees: args ["/bin/bash"],
    # truncated. PATH names /usr/bin/dracut: a candidate, parent bash: an
    # alert. The header cut to 'type=SYSCALL msg=audit(1700000' is no
    # record: one garbage line.
    pb, pd = g.new_pid(), g.new_pid()
    b = g.bash(pb)
    d = g.dracut(pd, pb, "cut")
    d[1] = d[1][:d[1].index('a1="/usr/bin/dracut"') + 10]
    assert d[1].endswith('a1="/usr/b')
    lines = b + d + ["type=SYSCALL msg=audit(1700000"]
    return lines, {"events": 2, "execs": 2, "args_truncated": 1,
                   "candidates": 1, "alerts": 1, "written": 1,
                   "input_garbage": 1,
                   "input_skipped_records": 2}, \
        {pd: alert_is(exe="/usr/bin/dracut", args=["/bin/bash"],
                      args_truncated=True, parent_exe="/usr/bin/bash")}


def c_path_cut(g):
    # dracut's PATH item 0 cut inside its name (name="/usr/bin/dracut, no
    # closing quote), then a newline, as a record cut short by a crash. A
    # value that opens a quote and does not close it is neither quoted text
    # nor hex: it is unusable, as in an EXECVE record (it was once taken as
    # a relative path: an alert for executable /root/"/usr/bin/dracut).
    # Without item 0 the exec is what exe= says, /bin/bash (the
    # interpreter): not a candidate, no alert.
    pb, pd = g.new_pid(), g.new_pid()
    b = g.bash(pb)
    d = g.dracut(pd, pb, "pathcut")
    d[3] = d[3][:d[3].index('name="/usr/bin/dracut"') + 21]
    assert d[3].endswith('name="/usr/bin/dracut')
    return b + d, {"events": 2, "execs": 2, "input_skipped_records": 2}, {}


def c_bad_pid(g):
    # An execve SYSCALL record whose pid is not a number: the exec cannot
    # be placed in the table: one event, a parse error, no exec counted.
    p = g.new_pid()
    d = g.dracut(p, 1, "badpid")
    d[0] = d[0].replace(" pid=%d " % p, " pid=12ab ")
    return d, {"events": 1, "parse_errors": 1,
               "input_skipped_records": 1}, {}


def c_no_eoe(g):
    # bash then dracut, neither with an EOE record: auparse completes them
    # when the probe's EOE makes the plugin age old events (their time is
    # long past). Same result as with EOE: one alert.
    pb, pd = g.new_pid(), g.new_pid()
    lines = g.bash(pb, eoe=False) + g.dracut(pd, pb, "noeoe", eoe=False)
    return lines, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, {pd: good_alert("noeoe")}


def c_interleaved(g):
    # The records of bash's and dracut's events alternate (bash's EOE
    # first): auparse groups them by serial, two complete events, one
    # alert.
    pb, pd = g.new_pid(), g.new_pid()
    a = g.bash(pb)
    b = g.dracut(pd, pb, "inter")
    lines = []
    for i in range(max(len(a), len(b))):
        if i < len(a):
            lines.append(a[i])
        if i < len(b):
            lines.append(b[i])
    return lines, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, {pd: good_alert("inter")}


def c_records_shuffled(g):
    # dracut's records in another order (PATH 1, EXECVE, CWD, PATH 0,
    # SYSCALL, PROCTITLE, EOE): the event is the same set of records; one
    # alert with the same fields. (PROCTITLE stays last: auparse takes it,
    # as the kernel writes it, for the end of an event; see
    # c_proctitle_first.)
    pb, pd = g.new_pid(), g.new_pid()
    b = g.bash(pb)
    d = g.dracut(pd, pb, "shuffled")
    d = [d[4], d[1], d[2], d[3], d[0], d[5], d[6]]
    return b + d, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, {pd: good_alert("shuffled")}


def c_proctitle_first(g):
    # dracut's PROCTITLE record first. auparse 3.0.9 would end an event at
    # a PROCTITLE (the kernel's last record) and split this one in two,
    # but the input drops PROCTITLE records before auparse (the plugin
    # does not read them): one event, as usual, one alert.
    pb, pd = g.new_pid(), g.new_pid()
    b = g.bash(pb)
    d = g.dracut(pd, pb, "ptfirst")
    d = [d[5]] + d[:5] + [d[6]]
    return b + d, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, \
        {pd: good_alert("ptfirst")}


def c_child_first(g):
    # dracut's event (later time and serial) arrives whole before its
    # parent's: impossible from the kernel, which queues a parent's exec
    # records before the exec returns, so before the child exists. Events
    # are handed over in the order they end, the kernel's (the input does
    # not sort them by time: after a clock step that would put a child
    # before its parent), so dracut is decided first and its parent is
    # unknown then (/proc is off): no alert, counted.
    pb, pd = g.new_pid(), g.new_pid()
    b = g.bash(pb)
    d = g.dracut(pd, pb, "childfirst")
    return d + b, {"events": 2, "execs": 2, "candidates": 1,
                   "parents_unknown": 1, "input_skipped_records": 2}, {}


def c_child_earlier(g):
    # dracut's event carries an earlier time and serial than its parent's
    # exec (impossible from the kernel): it is decided first, its parent
    # is unknown then (/proc is off): no alert, counted.
    pb, pd = g.new_pid(), g.new_pid()
    d = g.dracut(pd, pb, "childearly")
    b = g.bash(pb)
    return b + d, {"events": 2, "execs": 2, "candidates": 1,
                   "parents_unknown": 1, "input_skipped_records": 2}, {}


def c_duplicate_serial(g):
    # dracut's event written twice, byte for byte (same serial and time):
    # auparse completes the first at its EOE, the second is a new event
    # with the same serial. Both are counted as events and execs, but one
    # exec is one candidate and one alert: the repeat is counted apart
    # (duplicates) and raises nothing. Then an unrelated one-record event
    # (USER_ACCT) reuses that serial and time: a type the plugin does not
    # read, skipped before auparse. 3 events; 3 PROCTITLE records and the
    # USER_ACCT skipped.
    pb, pd = g.new_pid(), g.new_pid()
    b = g.bash(pb)
    d = g.dracut(pd, pb, "dup")
    stamp = d[0].split(" ")[1]
    other = "type=USER_ACCT %s pid=1 uid=0 auid=0 ses=1 msg='dup'" % stamp
    return b + d + d + [other], \
        {"events": 3, "execs": 3, "candidates": 1, "alerts": 1,
         "written": 1, "duplicates": 1, "input_skipped_records": 4}, \
        {pd: good_alert("dup")}


def c_mib_line(g):
    # 1 MiB of 'A' on one line: no record, one garbage line (fed in pieces
    # past 128 KiB, all dropped).
    return "A" * (1 << 20) + "\n", {"input_garbage": 1}, {}


def c_mib_record(g):
    # dracut with a 1 MiB argument (2 MiB of hex) in one EXECVE line as
    # a3_len/a3[0]: one alert, its args cut to keep the alert within
    # 196608 bytes (args_truncated set in the alert, not by the parser).
    pb, pd = g.new_pid(), g.new_pid()
    big = "B" * (1 << 20)
    hexed = big.encode().hex().upper()
    body = ['argc=4 a0="/bin/bash" a1="/usr/bin/dracut" a2="--force" '
            'a3_len=%d a3[0]=%s' % (len(hexed), hexed)]
    lines = g.bash(pb) + dracut_with(g, pb, pd, "mib", body)

    def chk(a):
        err = alert_is(exe="/usr/bin/dracut", args_truncated=True,
                       parent_exe="/usr/bin/bash")(a)
        if err:
            return err
        args = a["process"].get("args", [])
        if args[:3] != DRACUT_ARGS or any(set(x) != {"B"} for x in
                                          args[3:]):
            return "args %r..." % (str(args)[:100],)
        if len(json.dumps(a)) > 196608:
            return "alert longer than 196608 bytes"
        return None
    return lines, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, {pd: chk}


def c_nul_bytes(g):
    # NUL bytes: a line of three NULs (no record: garbage), a USER_ACCT
    # record with a NUL in its text (a type not read: skipped), and an
    # openat SYSCALL record with a NUL in the middle (what follows the NUL
    # is lost to auparse; the event is no exec): one event.
    stamp = g.stamp()
    sc = g.openat()
    sc[0] = sc[0].replace(" ppid=1 ", " ppid=1\0 ")
    lines = ["\0\0\0",
             "type=USER_ACCT %s pid=1 uid=0 msg='a\0b'" % stamp] + sc
    return lines, {"input_garbage": 1, "events": 1,
                   "input_skipped_records": 1}, {}


def c_nul_in_exec(g):
    # A NUL inside dracut's EXECVE record, between a2 and a3: auparse reads
    # the record as a C string, so what follows the NUL (a3) is lost: args
    # /bin/bash /usr/bin/dracut --force, argc=4 disagrees: truncated. The
    # exec itself is intact (SYSCALL and PATH): an alert.
    pb, pd = g.new_pid(), g.new_pid()
    body = ['argc=4 a0="/bin/bash" a1="/usr/bin/dracut" a2="--force"\0 '
            'a3="nul"']
    lines = g.bash(pb) + dracut_with(g, pb, pd, "nul", body)
    return lines, {"events": 2, "execs": 2, "args_truncated": 1,
                   "candidates": 1, "alerts": 1, "written": 1,
                   "input_skipped_records": 2}, \
        {pd: alert_is(exe="/usr/bin/dracut", args=DRACUT_ARGS,
                      args_truncated=True, parent_exe="/usr/bin/bash")}


def c_binary_garbage(g):
    # 200 lines of random bytes (seeded), none starting with 't', 'n' or
    # '#' and none empty: 200 garbage lines, nothing else.
    rnd = random.Random(8)
    out = bytearray()
    first = [b for b in range(256) if b not in b"tn#\n"]
    for _ in range(200):
        out.append(rnd.choice(first))
        out += bytes(rnd.choice([b for b in range(256) if b != 10])
                     for _ in range(rnd.randrange(0, 300)))
        out.append(10)
    return bytes(out), {"input_garbage": 200}, {}


def c_text(g):
    # Lines that are not audit records (8), each one garbage line; a blank
    # line and a '#' comment are neither.
    lines = ["hello world",
             "Nov 26 08:00:00 host sshd[1]: Accepted publickey for root",
             '{"type":"SYSCALL","msg":"audit(1700000000.000:1)"}',
             "msg=audit(1700000000.000:1): no type",
             "type=SYSCALL msg=audit(1700000000.000:abc): x=1",
             "type=SYSCALL msg=audit(.:):",
             " type=SYSCALL msg=audit(1700000000.000:1): leading blank",
             "TYPE=SYSCALL msg=audit(1700000000.000:1): upper case",
             "",
             "# a comment"]
    return lines, {"input_garbage": 8}, {}


def c_node(g):
    # Every record of bash and dracut prefixed with node=build-01, as
    # auditd writes with name_format set: the same events, one alert.
    pb, pd = g.new_pid(), g.new_pid()
    lines = g.bash(pb, node="build-01") + g.dracut(pd, pb, "node",
                                                   node="build-01")
    return lines, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, {pd: good_alert("node")}


# A bash and a dracut exec are 6 and 7 lines (SYSCALL, EXECVE, CWD, PATH
# items, PROCTITLE, EOE).
PAIR_LINES = 13


def host_is(name, encoded=False, user=None):
    """The alert is good_alert's for its marker, on host name (as written:
    a byte that is not UTF-8 as \\xHH), which encoded_fields lists when
    encoded; user.name is user (None: absent)."""
    def chk(a):
        err = good_alert(a["process"]["args"][-1])(a)
        if err:
            return err
        if a.get("host", {}).get("name") != name:
            return "host.name %r, want %r" % (a.get("host", {}).get("name"),
                                              name)
        enc = "host.name" in a.get("audisp_dracut", {}).get(
            "encoded_fields", [])
        if enc != encoded:
            return "host.name %sin encoded_fields" % ("" if enc else "not ")
        if a.get("user", {}).get("name") != user:
            return "user.name %r, want %r" % (a.get("user", {}).get("name"),
                                              user)
        return None
    return chk


def node_pair(g, node, mark, enriched=(False, False)):
    pb, pd = g.new_pid(), g.new_pid()
    lines = g.bash(pb, node=node, enriched=enriched[0]) + \
        g.dracut(pd, pb, mark, node=node, enriched=enriched[1])
    return lines, pd


def c_node_empty(g):
    # bash and dracut under "node= " (an empty name): libauparse 3.0.9
    # drops such a record without a word; the input drops and counts
    # every line (13, garbage) and logs why: no event, no alert.
    lines, _ = node_pair(g, None, "node-empty")
    return ["node= " + line for line in lines], \
        {"input_garbage": PAIR_LINES}, {}


def c_node_long(g):
    # The same under a 10,000-byte name: libauparse reads a record's
    # header within its first 340 bytes (the stamp is lost, or cut into
    # another serial): 13 lines of garbage, nothing else.
    lines, _ = node_pair(g, "n" * 10000, "node-long")
    return lines, {"input_garbage": PAIR_LINES}, {}


def c_node_bounds(g):
    # Names of 256 bytes (one past node.h's NODE_NAME_MAX: 13 lines of
    # garbage) and of 255 (taken: one alert on that host).
    bad, _ = node_pair(g, "m" * 256, "node-256")
    good, pd = node_pair(g, "m" * 255, "node-255")
    return bad + good, {"input_garbage": PAIR_LINES, "events": 2,
                        "execs": 2, "candidates": 1, "alerts": 1,
                        "written": 1, "input_skipped_records": 2}, \
        {pd: host_is("m" * 255)}


def c_node_spaces(g):
    # "node=web 01 type=...": no record starts so (the name ends at the
    # blank): 13 lines of garbage.
    lines, _ = node_pair(g, "web 01", "node-space")
    return lines, {"input_garbage": PAIR_LINES}, {}


def c_node_non_utf8(g):
    # A name with bytes that are not UTF-8 (h, 0xff, 0xfe): a node like
    # any other, its own processes; the alert writes the name as JSON
    # text ("h\\xff\\xfe", json.h) and lists host.name in encoded_fields.
    lines, pd = node_pair(g, "h\udcff\udcfe", "node-bytes")
    return lines, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, \
        {pd: host_is("h\\xff\\xfe", encoded=True)}


def c_node_mixed(g):
    # dracut's EXECVE and PROCTITLE records carry node=b, its other
    # records (and bash's) node=a: two events of one stamp. b's (EXECVE
    # alone, ended by its PROCTITLE) is no exec; a's (ended by its EOE)
    # is dracut without its arguments: counted truncated, an alert with
    # no args, parent a's bash, as for a lost EXECVE record.
    pb, pd = g.new_pid(), g.new_pid()
    lines = g.bash(pb, node="a") + g.dracut(pd, pb, "node-mixed", node="a")
    for i in (7, 11):  # dracut's EXECVE and PROCTITLE
        assert lines[i].split(" ")[1].startswith(("type=EXECVE",
                                                   "type=PROCTITLE"))
        lines[i] = "node=b " + lines[i][len("node=a "):]
    return lines, {"events": 3, "execs": 2, "args_truncated": 1,
                   "candidates": 1, "alerts": 1, "written": 1,
                   "input_skipped_records": 2}, \
        {pd: alert_is(exe="/usr/bin/dracut", args=[], args_truncated=True,
                      parent_exe="/usr/bin/bash")}


def c_node_formats(g):
    # One node switching between RAW and ENRICHED from event to event
    # (bash RAW, dracut ENRICHED; bash ENRICHED, dracut RAW): each event
    # stands alone, two alerts; only the ENRICHED dracut names its user
    # (root, from its record: another node's uid is never looked up).
    l1, d1 = node_pair(g, "sw", "node-fmt1", (False, True))
    l2, d2 = node_pair(g, "sw", "node-fmt2", (True, False))
    return l1 + l2, {"events": 4, "execs": 4, "candidates": 2,
                     "alerts": 2, "written": 2,
                     "input_skipped_records": 4}, \
        {d1: host_is("sw", user="root"), d2: host_is("sw")}


def c_enriched_sep(g):
    # The ENRICHED separator (0x1d) where auditd never puts it:
    # - at the start of a line: no record, garbage;
    # - twice at the end of bash's SYSCALL record, and alone at the end of
    #   its CWD record: what follows a separator is interpretation, the
    #   fields before it are intact;
    # - inside dracut's EXECVE record, after a1: a2 and a3 become
    #   interpretation, so args are /bin/bash /usr/bin/dracut, argc=4
    #   disagrees: truncated; still an alert (SYSCALL and PATH intact).
    pb, pd = g.new_pid(), g.new_pid()
    b = g.bash(pb)
    b[0] += SEP + "ARCH=x86_64" + SEP + "SYSCALL=execve"
    b[2] += SEP
    body = ['argc=4 a0="/bin/bash" a1="/usr/bin/dracut"' + SEP +
            'a2="--force" a3="sep"']
    d = dracut_with(g, pb, pd, "sep", body)
    return [SEP + "type=SYSCALL msg=audit(1700000000.000:1): x=1"] + b + d, \
        {"input_garbage": 1, "events": 2, "execs": 2, "args_truncated": 1,
         "candidates": 1, "alerts": 1, "written": 1,
         "input_skipped_records": 2}, \
        {pd: alert_is(exe="/usr/bin/dracut", args=DRACUT_ARGS[:2],
                      args_truncated=True, parent_exe="/usr/bin/bash")}


def argv_case(name, body_fn, want_args):
    """A dracut exec with a crafted EXECVE body: bash, dracut, one alert
    with want_args and args_truncated, one exec counted truncated."""
    def case(g):
        pb, pd = g.new_pid(), g.new_pid()
        lines = g.bash(pb) + dracut_with(g, pb, pd, name, body_fn(name))
        return lines, {"events": 2, "execs": 2, "args_truncated": 1,
                       "candidates": 1, "alerts": 1, "written": 1,
                       "input_skipped_records": 2}, \
            {pd: alert_is(exe="/usr/bin/dracut", args=want_args(name),
                          args_truncated=True,
                          parent_exe="/usr/bin/bash")}
    case.__name__ = "c_" + name
    return case


BASE = 'a0="/bin/bash" a1="/usr/bin/dracut" a2="--force"'
HEX_FORCE = "--force".encode().hex().upper()
c_argc_more = argv_case(
    "argc-more", lambda m: ['argc=6 %s a3="%s"' % (BASE, m)],
    lambda m: DRACUT_ARGS + [m])
c_argc_less = argv_case(
    "argc-less", lambda m: ['argc=2 %s a3="%s"' % (BASE, m)],
    lambda m: DRACUT_ARGS + [m])
# a3 in chunks 0 and 2, chunk 1 missing: the unbroken run from chunk 0
c_missing_chunk = argv_case(
    "missing-chunk",
    lambda m: ['argc=4 %s a3_len=12' % BASE, "a3[0]=414141",
               "a3[2]=434343"],
    lambda m: DRACUT_ARGS + ["AAA"])
# a2 odd-length hex: a gap, so the list ends there (args_count 2): a3 is
# never moved to index 2 (issue 13, item 7), truncated
c_odd_hex = argv_case(
    "odd-hex",
    lambda m: ['argc=4 a0="/bin/bash" a1="/usr/bin/dracut" a2=%s a3="%s"'
               % (HEX_FORCE[:-1], m)],
    lambda m: DRACUT_ARGS[:2])
c_bad_hex = argv_case(
    "bad-hex",
    lambda m: ['argc=4 a0="/bin/bash" a1="/usr/bin/dracut" a2=%s a3="%s"'
               % ("ZZ" * 7, m)],
    lambda m: DRACUT_ARGS[:2])
# a negative or huge length: the length is rejected; the chunk is kept
c_negative_len = argv_case(
    "negative-len",
    lambda m: ['argc=4 %s a3_len=-6 a3[0]=414243' % BASE],
    lambda m: DRACUT_ARGS + ["ABC"])
c_huge_len = argv_case(
    "huge-len",
    lambda m: ['argc=4 %s a3_len=99999999999999999999 a3[0]=414243' % BASE],
    lambda m: DRACUT_ARGS + ["ABC"])


def c_many_args(g):
    # dracut with 100,000 arguments (x0 ... x99995 after the usual four),
    # split into EXECVE records as the kernel does: parsed whole (not
    # counted truncated), but the alert cuts the list to stay within
    # 196608 bytes and says so.
    pb, pd = g.new_pid(), g.new_pid()
    argv = DRACUT_ARGS + ["many"] + ["x%d" % i for i in range(99996)]
    lines = g.bash(pb) + g.exec_event(pd, pb, "/usr/bin/dracut", argv,
                                      path1="/bin/bash")

    def chk(a):
        err = alert_is(exe="/usr/bin/dracut", args_truncated=True,
                       args_prefix=DRACUT_ARGS + ["many", "x0"],
                       parent_exe="/usr/bin/bash")(a)
        if err:
            return err
        got = a["process"]["args"]
        n = len(got)
        # whole arguments, then the last one possibly cut short
        if not 5 <= n < 100000 or got[:-1] != argv[:n - 1] or \
                not argv[n - 1].startswith(got[-1]):
            return "args not a prefix of argv (%d)" % n
        if a["process"].get("args_count") != n:
            return "args_count %r, want %d" % (a["process"].get(
                "args_count"), n)
        if len(json.dumps(a, ensure_ascii=False).encode()) > 196608:
            return "alert longer than 196608 bytes"
        return None
    return lines, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, {pd: chk}


def c_syscall_no_execve(g):
    # dracut's exec without its EXECVE record: the exec is known (SYSCALL,
    # PATH), its arguments are not: alert, no args, truncated.
    pb, pd = g.new_pid(), g.new_pid()
    lines = g.bash(pb) + g.dracut(pd, pb, "x", execve=[])
    return lines, {"events": 2, "execs": 2, "args_truncated": 1,
                   "candidates": 1, "alerts": 1, "written": 1,
                   "input_skipped_records": 2}, \
        {pd: alert_is(exe="/usr/bin/dracut", args=[], args_truncated=True,
                      parent_exe="/usr/bin/bash")}


def c_execve_no_syscall(g):
    # dracut's records without the SYSCALL record: nothing says it was an
    # execve, or by whom: one event that is no exec.
    pb, pd = g.new_pid(), g.new_pid()
    d = g.dracut(pd, pb, "nosys")
    return d[1:], {"events": 1, "input_skipped_records": 1}, {}


def c_path_missing(g):
    # No PATH records. dracut as a #! script (exe= the interpreter
    # /usr/bin/bash): the exec is taken to be bash, not a candidate.
    # A dracut binary (exe=/usr/bin/dracut): exe= names it: alert.
    pb, ps, pd = g.new_pid(), g.new_pid(), g.new_pid()
    lines = g.bash(pb)
    lines += g.exec_event(ps, pb, "/usr/bin/dracut",
                          DRACUT_ARGS + ["nopath"], exe="/usr/bin/bash",
                          paths=[])
    lines += g.exec_event(pd, pb, "/usr/bin/dracut",
                          ["dracut", "nopath-bin"], paths=[])
    return lines, {"events": 3, "execs": 3, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 3}, \
        {pd: alert_is(exe="/usr/bin/dracut", args=["dracut", "nopath-bin"],
                      args_truncated=False, parent_exe="/usr/bin/bash")}


def c_path_order(g):
    # PATH item 1 (the interpreter) before item 0 (the script): the items
    # are taken by number, the alert is as usual.
    pb, pd = g.new_pid(), g.new_pid()
    lines = g.bash(pb) + g.dracut(pd, pb, "order", paths=[
        (1, "/bin/bash"), (0, "/usr/bin/dracut")])
    return lines, {"events": 2, "execs": 2, "candidates": 1, "alerts": 1,
                   "written": 1, "input_skipped_records": 2}, {pd: good_alert("order")}


def c_ppid_is_pid(g):
    # pid P exec's bash, then dracut with ppid=P: a process is never its
    # own parent: unknown, counted, no alert (and no loop).
    p = g.new_pid()
    lines = g.bash(p) + g.dracut(p, p, "self")
    return lines, {"events": 2, "execs": 2, "candidates": 1,
                   "parents_unknown": 1, "input_skipped_records": 2}, {}


def c_parent_cycle(g):
    # A parent is looked up as of the child's exec, so a cycle takes pid
    # reuse: a exec's bash (ppid b), b exec's bash (ppid a), a exec's bash
    # again (ppid b), then dracut (ppid a): parent a (its second image),
    # grandparent b, whose parent would be a again: the ancestry is a, b
    # and stops there. A2 (pid a2, ppid d2) exec's bash, then dracut d2
    # with ppid a2: the ancestry stops at a2, whose parent is the dracut
    # itself. 6 execs, 2 alerts.
    a, b, d, a2, d2 = (g.new_pid() for _ in range(5))
    lines = g.bash(a, ppid=b) + g.bash(b, ppid=a) + g.bash(a, ppid=b)
    lines += g.dracut(d, a, "cyc")
    lines += g.bash(a2, ppid=d2) + g.dracut(d2, a2, "cyc2")

    def anc(want):
        def chk(x):
            err = good_alert(x["process"]["args"][-1])(x)
            if err:
                return err
            got = [e.get("pid") for e in
                   x.get("audisp_dracut", {}).get("ancestry", [])]
            return None if got == want else "ancestry %r, want %r" % (got,
                                                                      want)
        return chk
    return lines, {"events": 6, "execs": 6, "candidates": 2, "alerts": 2,
                   "written": 2, "input_skipped_records": 6}, {d: anc([a, b]), d2: anc([a2])}


def c_pid_reuse(g):
    # All in one second. pid P exec's /usr/bin/true (ppid 1), then P is
    # reused: bash (ppid 7); dracut from P: parent bash, the newest image
    # before it. Then P is reused again by kernel-install's dracut plugin
    # script (an excluded parent) and a second dracut from P is excluded.
    g.next_second()
    p, d1, d2 = g.new_pid(), g.new_pid(), g.new_pid()
    lines = g.exec_event(p, 1, "/usr/bin/true", ["true"])
    lines += g.bash(p, ppid=7)
    lines += g.dracut(d1, p, "reuse1")
    lines += g.exec_event(p, 9, "/usr/lib/kernel/install.d/50-dracut.install",
                          ["/bin/sh",
                           "/usr/lib/kernel/install.d/50-dracut.install"],
                          path1="/bin/sh")
    lines += g.dracut(d2, p, "reuse2")
    return lines, {"events": 5, "execs": 5, "candidates": 2, "alerts": 1,
                   "written": 1, "excluded": 1,
                   "input_skipped_records": 5}, {d1: good_alert("reuse1")}


FORGE = ["/bin/bash", "/usr/bin/dracut",
         'x"}\n{"forged":true}', '"}', "\\u0041\\\"",
         "@cee: {\"forged\":1}", "\x1b[2J\x1b[31mred\x1b[0m\r\n",
         "\n<13>Nov 26 00:00:00 host forged: msg"]
FORGE_PATH = '/tmp/f\n{"forged":"}/dracut'


def c_forge(g):
    # Arguments built to break the output: newlines, '"}', a literal \u,
    # a fake "@cee: ", ANSI escapes, a fake syslog header; and a dracut at
    # a path holding a newline and '"}'. Two alerts, each one JSON line
    # whose args/executable are these exact strings; syslog (when on) gets
    # exactly one message per alert (checked by the caller).
    pb, pd, pf = g.new_pid(), g.new_pid(), g.new_pid()
    lines = g.bash(pb)
    lines += g.exec_event(pd, pb, "/usr/bin/dracut", FORGE,
                          path1="/bin/bash", comm='x"}\n')
    lines += g.exec_event(pf, pb, FORGE_PATH, ["dracut", "\x1b]0;t\x07"],
                          cwd='/\n"}')
    return lines, {"events": 3, "execs": 3, "candidates": 2, "alerts": 2,
                   "written": 2,
                   "input_skipped_records": 3}, \
        {pd: alert_is(exe="/usr/bin/dracut", args=FORGE,
                      args_truncated=False, parent_exe="/usr/bin/bash"),
         pf: alert_is(exe=FORGE_PATH, args=["dracut", "\x1b]0;t\x07"],
                      parent_exe="/usr/bin/bash")}


def c_hidden(g):
    # A dracut exec (and its bash) in the middle of 100,000 noise events,
    # all in one second: 10,000 of them execs of /usr/bin/true, the rest
    # openat events. 100,002 events, 10,002 execs, one alert; the 10,002
    # PROCTITLE records skipped.
    g.next_second()
    pb, pd = g.new_pid(), g.new_pid()
    lines = g.noise(50000, same_second=True)
    lines += g.bash(pb) + g.dracut(pd, pb, "hidden")
    lines += g.noise(50000, same_second=True)
    return lines, {"events": 100002, "execs": 10002, "candidates": 1,
                   "alerts": 1, "written": 1,
                   "input_skipped_records": 10002}, \
        {pd: good_alert("hidden")}


CASES = [
    ("a line truncated (then a newline)", c_truncated_line),
    ("a PATH record cut inside its name",
     c_path_cut),
    ("an exec whose pid is not a number", c_bad_pid),
    ("events with no EOE", c_no_eoe),
    ("records of two events interleaved", c_interleaved),
    ("records of an event out of order", c_records_shuffled),
    ("an event split by an early PROCTITLE", c_proctitle_first),
    ("a child's event before its parent's", c_child_first),
    ("a child's event stamped before its parent's", c_child_earlier),
    ("a duplicate serial", c_duplicate_serial),
    ("a 1 MiB line", c_mib_line),
    ("a 1 MiB EXECVE record", c_mib_record),
    ("NUL bytes", c_nul_bytes),
    ("a NUL inside an EXECVE record", c_nul_in_exec),
    ("binary garbage", c_binary_garbage),
    ("non-audit text", c_text),
    ("a node= prefix", c_node),
    ("node= empty", c_node_empty),
    ("node= 10,000 bytes long", c_node_long),
    ("node= 256 bytes long, then 255", c_node_bounds),
    ("node= with a space", c_node_spaces),
    ("node= not UTF-8", c_node_non_utf8),
    ("one event's records under two nodes", c_node_mixed),
    ("one node switching between RAW and ENRICHED", c_node_formats),
    ("the ENRICHED separator in odd places", c_enriched_sep),
    ("EXECVE argc larger than the args", c_argc_more),
    ("EXECVE argc smaller than the args", c_argc_less),
    ("EXECVE a missing chunk", c_missing_chunk),
    ("EXECVE odd-length hex", c_odd_hex),
    ("EXECVE invalid hex", c_bad_hex),
    ("EXECVE a negative aN_len", c_negative_len),
    ("EXECVE a huge aN_len", c_huge_len),
    ("EXECVE 100,000 arguments", c_many_args),
    ("SYSCALL without EXECVE", c_syscall_no_execve),
    ("EXECVE without SYSCALL", c_execve_no_syscall),
    ("PATH items missing", c_path_missing),
    ("PATH items out of order", c_path_order),
    ("ppid equal to pid", c_ppid_is_pid),
    ("a parent cycle", c_parent_cycle),
    ("pid reuse within one second", c_pid_reuse),
    ("arguments crafted to forge output", c_forge),
    ("a dracut exec among 100,000 noise events in one second", c_hidden),
]


def to_bytes(data):
    if isinstance(data, list):
        data = ("\n".join(data) + "\n") if data else ""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    return data


def check_alerts(name, got, want, probe_pid):
    """got: parsed alert lines; want: {pid: check}. The probe's alert must
    be there too. Returns a list of problems."""
    probs = []
    if any(a is None for a in got):
        probs.append("a line that is not one JSON object")
    pids = [a["process"]["pid"] for a in got if a]
    expect = sorted(list(want) + [probe_pid])
    if sorted(pids) != expect:
        probs.append("alerts for pids %s, want %s" % (sorted(pids), expect))
    for a in got:
        if a and a["process"]["pid"] in want:
            err = want[a["process"]["pid"]](a)
            if err:
                probs.append("pid %d: %s" % (a["process"]["pid"], err))
    return probs


def syslog_alerts(path, ident):
    """The alerts rsyslogd received as local3.notice from ident, without
    their "@cee: " prefix (a message without it is returned as "")."""
    out = []
    tag = "local3.notice %s[" % ident
    try:
        with open(path, "rb") as f:
            for line in f.read().split(b"\n"):
                line = line.decode("utf-8", "replace")
                if line.startswith(tag):
                    msg = line.split("]: ", 1)[1] if "]: " in line else ""
                    out.append(msg[6:] if msg.startswith("@cee: ") else "")
    except FileNotFoundError:
        pass
    return out


def parsed_alerts(path):
    """What mmjsonparse made of each "@cee: " message, one JSON a line."""
    try:
        with open(path, "rb") as f:
            return [line for line in f.read().split(b"\n") if line]
    except FileNotFoundError:
        return []


def run_live(binary, work, syslog, passes):
    t_start = time.time()
    pl = Plugin(binary, work, syslog)
    g = Gen(t0=1700000000, serial0=1000, pid0=100000)
    pending = []
    # warm-up: fill the table to its cap
    warm = []
    last = None
    for k in range(300):
        lines, last = g.pair("warm-%d" % k)
        warm += lines
    pl.feed(warm)
    if not check("warm-up: 300 alerts", pl.wait_alert(last, pending) and
                 len(pending) == 300 and all(pending)):
        pl.stop()
        return
    pending = []
    for name in WARM_CASES:
        g.next_second()
        data, _, _ = globals()[name](g)
        probe, last = g.pair("probe")
        pl.feed(to_bytes(data) + to_bytes(probe))
        if not check("warm-up: %s, then a probe alert" % name,
                     pl.wait_alert(last, pending)):
            pl.stop()
            return
    pending = []
    st = pl.report()
    if not check("warm-up: state report", st is not None):
        pl.stop()
        return
    time.sleep(0.2)
    base = rss_kb(pl.p.pid)
    print("# baseline VmRSS %d kB after the warm-up (table_entries %s)"
          % (base, st.get("table_entries")), flush=True)
    nsys = len(syslog_alerts(syslog[0], syslog[1])) if syslog else 0
    npar = len(parsed_alerts(syslog[2])) if syslog else 0
    peak = {}
    for npass in range(1, passes + 1):
        for title, fn in CASES:
            name = "pass %d: %s" % (npass, title)
            g.next_second()
            data, exp, want = fn(g)
            g.next_second()
            probe, ppid = g.pair("probe")
            pl.feed(to_bytes(data) + to_bytes(probe))
            got = []
            if not pl.wait_alert(ppid, got):
                fail(name, "no probe alert (plugin %s)" %
                     ("alive" if pl.alive() else
                      "exited %s" % pl.p.poll()))
                if not pl.alive():
                    return
                continue
            time.sleep(0.05)
            got += pl.new_alerts()
            alive = pl.alive()
            st2 = pl.report()
            if st2 is None:
                fail(name, "no state report")
                continue
            probs = [] if alive else ["plugin not running"]
            for k in KEYS:
                d = st2.get(k, 0) - st.get(k, 0) - PROBE.get(k, 0)
                if d != exp.get(k, 0):
                    probs.append("%s %+d, want %+d" % (k, d,
                                                       exp.get(k, 0)))
            probs += check_alerts(name, got, want, ppid)
            if syslog:
                sl = []
                for _ in range(200):
                    sl = syslog_alerts(syslog[0], syslog[1])
                    if len(sl) >= nsys + len(got):
                        break
                    time.sleep(0.02)
                time.sleep(0.05)
                sl = syslog_alerts(syslog[0], syslog[1])
                new = sl[nsys:]
                nsys = len(sl)
                try:
                    sdocs = [json.loads(x) for x in new]
                except ValueError:
                    sdocs = None
                if sdocs is None or sdocs != got:
                    probs.append("syslog got %d messages (%s), want the %d "
                                 "alerts of the file" %
                                 (len(new), "not JSON" if sdocs is None
                                  else "JSON", len(got)))
                # mmjsonparse turned each "@cee: " message into the alert
                par = parsed_alerts(syslog[2])
                pnew = par[npar:]
                npar = len(par)
                try:
                    pdocs = [json.loads(x) for x in pnew]
                except ValueError:
                    pdocs = None
                if pdocs != got:
                    probs.append("mmjsonparse gave %d documents, want the "
                                 "%d alerts of the file" % (len(pnew),
                                                            len(got)))
            st = st2
            rss = rss_kb(pl.p.pid)
            peak[npass] = rss  # at the end of the pass
            if rss - base > RSS_SLACK_KB and not SANITIZED:
                probs.append("VmRSS %d kB, baseline %d kB" % (rss, base))
            check(name + " (VmRSS %+d kB)" % (rss - base), not probs,
                  "; ".join(probs))
    if SANITIZED:
        print("SKIP: VmRSS checks (an ASan build keeps freed memory in "
              "quarantine)", flush=True)
    elif passes > 1:
        check("the last pass ends with VmRSS where the first did (%d kB, "
              "%d kB)" % (peak[1], peak[passes]),
              peak[passes] - peak[1] <= RSS_GROWTH_KB)
    rc = pl.stop()
    check("EOF on stdin: the plugin exits 0", rc == 0, "exit %s" % rc)
    if syslog:
        # dropped lines are logged at most 5 times a minute (log.h), and
        # the run is shorter than two minutes
        with open(syslog[0], "rb") as f:
            n = f.read().count(b"input line dropped, ")
        elapsed = time.time() - t_start
        check("lines that are not records: %d messages in %.0f s, at most "
              "5 a minute" % (n, elapsed),
              elapsed < 120 and 0 < n <= 5 * (1 + int(elapsed // 60)))


def run_replays(binary, work):
    conf = os.path.join(work, "replay.conf")
    with open(conf, "w") as f:
        f.write("rate_limit_alerts = 0\n")
    os.chmod(conf, 0o600)
    g = Gen(t0=1750000000, serial0=5000, pid0=500000)
    path = os.path.join(work, "case.log")
    for title, fn in CASES:
        g.next_second()
        data, exp, want = fn(g)
        probe, ppid = g.pair("probe")
        with open(path, "wb") as f:
            f.write(to_bytes(data) + to_bytes(probe))
        r = subprocess.run([binary, "-c", conf, "-r", path, "-o", "-"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           stdin=subprocess.DEVNULL, timeout=120)
        got = []
        for line in r.stdout.split(b"\n")[:-1]:
            try:
                got.append(json.loads(line))
            except ValueError:
                got.append(None)
        probs = [] if r.returncode == 0 else ["exit %d" % r.returncode]
        if not r.stdout.endswith(b"\n") and r.stdout:
            probs.append("output does not end with a newline")
        probs += check_alerts(title, got, want, ppid)
        check("replay: " + title, not probs, "; ".join(probs))


def main(argv):
    binary, work = argv[1], argv[2]
    syslog = None
    passes = 2
    if "--syslog" in argv:
        i = argv.index("--syslog")
        syslog = (argv[i + 1], argv[i + 2], argv[i + 3])
    if "--passes" in argv:
        passes = int(argv[argv.index("--passes") + 1])
    run_live(binary, work, syslog, passes)
    run_replays(binary, work)
    print("hostile: %d passed, %d failed" % (T["pass"], T["fail"]))
    return 0 if T["fail"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
