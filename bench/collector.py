#!/usr/bin/env python3
# bench/collector.py - a fleet's hosts from one recording, and their alerts
"""Usage:
  collector.py split N CORPUS DIR   write DIR/wK.log, K < N/2: the corpus's
                                    events cut in N/2 windows in order;
                                    print "hI=DIR/wK.log" for the N hosts,
                                    h2K and h2K+1 both on window K
  collector.py same HOSTS OWNDIR COLLECTED...
                                    compare the alerts: HOSTS holds those
                                    NAME=FILE lines; OWNDIR/wK.json, window
                                    K replayed alone; each COLLECTED, a
                                    collector's replay. Prints, for each,
                                    "yes (N alerts)" or "no (...)"

Two hosts on one window replay the same recording: they collide on every
pid, serial and time, as real fleets do. An alert is compared without
event.created and observer, and with the host named: a window's own replay
names the machine, which is replaced by each of its hosts' names
(host.name, and " on NAME created " in event.reason).
"""

import json
import os
import re
import sys
from collections import Counter

STAMP = re.compile(rb"msg=audit\([^)]*\)")


def events(path):
    """The file's events: runs of lines with one stamp, '#' lines out."""
    run, last = [], None
    with open(path, "rb") as f:
        for ln in f:
            if not ln.strip() or ln.startswith(b"#"):
                continue
            m = STAMP.search(ln)
            key = m.group(0) if m else ln
            if run and key != last:
                yield run
                run = []
            run.append(ln)
            last = key
    if run:
        yield run


def split(n, corpus, outdir):
    evs = list(events(corpus))
    windows = max(1, n // 2)
    os.makedirs(outdir, exist_ok=True)
    for k in range(windows):
        lo = k * len(evs) // windows
        hi = (k + 1) * len(evs) // windows
        with open(os.path.join(outdir, "w%d.log" % k), "wb") as f:
            for ev in evs[lo:hi]:
                f.writelines(ev)
    for i in range(n):
        print("h%d=%s" % (i, os.path.join(outdir, "w%d.log" % (i // 2))))
    return 0


HOST = "@@HOST@@"


def canon(doc, name=None):
    """doc as a string to compare: without event.created and observer,
    and, given a name, with the host named HOST (for the names of a
    window's hosts to be put in later)."""
    doc.pop("observer", None)
    ev = doc.get("event", {})
    ev.pop("created", None)
    if name is not None:
        machine = doc["host"]["name"]
        doc["host"]["name"] = name
        if "reason" in ev:
            ev["reason"] = ev["reason"].replace(
                " on %s created " % machine, " on %s created " % name)
    return json.dumps(doc, sort_keys=True)


def load(path):
    """The alerts in path, one a line (none if it was never written)."""
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        return [json.loads(ln) for ln in f if ln.strip()]


def same(hosts, owndir, collected):
    want = Counter()
    cache = {}
    with open(hosts) as f:
        for ln in f:
            name, _, path = ln.strip().partition("=")
            own = os.path.join(owndir, os.path.basename(path)[:-4] + ".json")
            if own not in cache:
                cache[own] = [canon(d, HOST) for d in load(own)]
            for text in cache[own]:
                want[text.replace(HOST, name)] += 1
    for path in collected:
        got = Counter(canon(d) for d in load(path))
        missing = sum((want - got).values())
        extra = sum((got - want).values())
        if not missing and not extra and want:
            print("yes (%d alerts)" % sum(want.values()))
        else:
            print("no (%d missing, %d extra of %d)"
                  % (missing, extra, sum(want.values())))
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "split":
        return split(int(argv[2]), argv[3], argv[4])
    if len(argv) >= 5 and argv[1] == "same":
        return same(argv[2], argv[3], argv[4:])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
