#!/usr/bin/env python3
# pace.py - feed a recorded audit stream to a plugin at a fixed event rate
"""Usage: pace.py -r RATE -d SECONDS [-w WARMUP] [-x TEXT] STREAM -- CMD [ARG...]

Starts CMD with a pipe on its standard input, as auditd starts a plugin,
and writes the events of STREAM (a recorded plugin stream, such as
../shared/corpus/exec-stream-enriched.txt.xz; .xz is read through xz) to
it at RATE events a second for SECONDS: each event (its records up to and
with its EOE record) in one write(2), as auditd's dispatcher writes one,
the i-th at start + i / RATE on the monotonic clock. The stream starts over
if it runs out. Then closes the pipe (CMD's end of input) and reaps CMD.
-x TEXT leaves out the events that contain TEXT (-x dracut: no rule
candidates, so no /proc reads and no alerts).

Measures CMD's CPU time over the paced window, from WARMUP seconds after
its start (default 1: its start-up is left out) to half a second after the
last write: the sum over its threads of /proc/PID/task/TID/schedstat's
first field (the scheduler's runtime, ns). Also its whole-life CPU time
from wait4(2) (user and system, microsecond fields). Prints one line:
  events N seconds S rate R cpu_us C us_per_event E total_user_ms U
  total_sys_ms Y max_late_ms L
No real auditd is involved: the write pattern is one write per event, and
the wake-ups of CMD are what that pattern makes them. Useful to profile a
plugin at an exact rate on a machine where other programs exec (CMD may be
perf record -g -- PLUGIN, or strace -c -- PLUGIN: then the CPU is theirs
too).
"""
import lzma
import os
import sys
import time


def read_events(path, leave_out):
    """The stream's events, each the bytes of its records up to EOE, but
    those holding leave_out."""
    opener = lzma.open if path.endswith(".xz") else open
    events, cur = [], []
    with opener(path, "rb") as f:
        for line in f:
            cur.append(line)
            if line.startswith(b"type=EOE ") or b" type=EOE " in line[:80]:
                events.append(b"".join(cur))
                cur = []
    if cur:
        events.append(b"".join(cur))
    if leave_out:
        events = [e for e in events if leave_out not in e]
    return events


def cpu_ns(pid):
    """Sum of the threads' schedstat runtime of pid, in ns (0 if gone)."""
    total = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        pass
    return total


def usage():
    sys.stderr.write(__doc__)
    sys.exit(2)


def parse_args(argv):
    opts = {"r": None, "d": None, "w": 1.0, "x": None}
    i = 1
    while i < len(argv) and argv[i] != "--":
        a = argv[i]
        if a in ("-r", "-d", "-w") and i + 1 < len(argv):
            opts[a[1]] = float(argv[i + 1])
            i += 2
        elif a == "-x" and i + 1 < len(argv):
            opts["x"] = argv[i + 1].encode()
            i += 2
        elif not a.startswith("-") and "stream" not in opts:
            opts["stream"] = a
            i += 1
        else:
            usage()
    if i >= len(argv) - 1 or "stream" not in opts or not opts["r"] \
            or opts["d"] is None or opts["r"] <= 0:
        usage()
    return opts, argv[i + 1:]


def main(argv):
    opts, cmd = parse_args(argv)
    events = read_events(opts["stream"], opts["x"])
    if not events:
        sys.exit("pace.py: no events in %s" % opts["stream"])
    rate, n = opts["r"], int(opts["r"] * opts["d"] + 0.5)
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(wfd)
        os.dup2(rfd, 0)
        os.close(rfd)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    os.close(rfd)
    time.sleep(opts["w"])
    c0 = cpu_ns(pid)
    start = time.monotonic()
    late = 0.0
    for i in range(n):
        due = start + i / rate
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        else:
            late = max(late, now - due)
        os.write(wfd, events[i % len(events)])
    elapsed = time.monotonic() - start
    time.sleep(0.5)
    c1 = cpu_ns(pid)
    os.close(wfd)
    _, status, ru = os.wait4(pid, 0)
    cpu_us = (c1 - c0) / 1000.0
    print("events %d seconds %.3f rate %.1f cpu_us %.0f us_per_event %.1f "
          "total_user_ms %.1f total_sys_ms %.1f max_late_ms %.1f"
          % (n, elapsed, n / elapsed if elapsed > 0 else 0, cpu_us,
             cpu_us / n if n else 0, ru.ru_utime * 1e3, ru.ru_stime * 1e3,
             late * 1e3))
    sys.stdout.flush()
    return 0 if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
