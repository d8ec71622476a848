#!/usr/bin/env python3
# tests/fleet/feed.py - one sender's recorded stream, paced, to audisp-remote
"""Usage: feed.py --node NAME --times OUT [--gap MS] [--start EPOCH]
               [--linger S] FILE >PIPE

Writes FILE, one host's recorded plugin stream (tests/fixtures/*.log), to
standard output as that host's auditd would hand it to audisp-remote with
name_format set: every record prefixed with "node=NAME ", '#' lines and
empty lines left out, bytes as they are. Nothing is shifted: pids,
serials and times are the recording's.

An event is a run of records with one msg=audit(...) stamp. Events go one
at a time, GAP milliseconds apart (default 10), each record in a write of
its own. Just before the event's last record that audisp-remote passes on
(the last but EOE, which it drops) leaves, the wall clock is taken: OUT
gets one line per event, "NAME SERIAL MS", MS the milliseconds since the
epoch, so that an alert (host.name, auditd.sequence) can be matched to the
moment its event left the sender. --start waits until that time (several
feeders then start together); --linger keeps standard output open S
seconds after the stream (default 3), as audisp-remote stops at EOF,
before it has connected when the stream was short.
"""

import argparse
import os
import re
import sys
import time

STAMP = re.compile(rb"msg=audit\(\d+\.\d+:(\d+)\)")


def events(path):
    """The file's events: (serial or None, [record lines])."""
    run, last = [], None
    with open(path, "rb") as f:
        for ln in f:
            ln = ln.rstrip(b"\n")
            if not ln or ln.startswith(b"#"):
                continue
            m = STAMP.search(ln)
            key = m.group(0) if m else ln
            if run and key != last:
                yield serial_of(run[0]), run
                run = []
            run.append(ln)
            last = key
    if run:
        yield serial_of(run[0]), run


def serial_of(line):
    m = STAMP.search(line)
    return int(m.group(1)) if m else None


def write_all(fd, data):
    while data:
        n = os.write(fd, data)
        data = data[n:]


def main(argv):
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("--node", required=True)
    ap.add_argument("--times", required=True)
    ap.add_argument("--gap", type=float, default=10.0)
    ap.add_argument("--start", type=float, default=0.0)
    ap.add_argument("--linger", type=float, default=3.0)
    ap.add_argument("file")
    a = ap.parse_args(argv[1:])
    prefix = b"node=" + a.node.encode() + b" "
    evs = list(events(a.file))
    delay = a.start - time.time()
    if delay > 0:
        time.sleep(delay)
    out = sys.stdout.fileno()
    with open(a.times, "w") as times:
        for serial, recs in evs:
            # the last record audisp-remote forwards: EOE is dropped
            last = len(recs) - 1
            while last > 0 and recs[last].startswith(b"type=EOE "):
                last -= 1
            for i, rec in enumerate(recs):
                if i == last and serial is not None:
                    times.write("%s %d %d\n" % (a.node, serial,
                                                time.time() * 1000))
                write_all(out, prefix + rec + b"\n")
            time.sleep(a.gap / 1000.0)
    time.sleep(a.linger)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
