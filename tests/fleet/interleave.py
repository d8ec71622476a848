#!/usr/bin/env python3
# tests/fleet/interleave.py - several hosts' audit streams as a collector gets them
"""Usage: interleave.py [--drop-eoe] [--by-event] NAME=FILE ... >OUT

Writes what a fleet's collector would receive (or log) from the hosts: each
FILE is one host's recorded stream (a plugin stream or an audit.log, RAW
or ENRICHED; .xz read through xz), its lines prefixed with "node=NAME ", as
a sender whose auditd sets name_format writes them; a NAME of "-" is the
collector itself, whose own records carry no node=. Lines starting with
'#' and empty lines are left out. The hosts' lines are interleaved round
robin, one record at a time (--by-event: one event at a time, an event
being the records of one stamp in a row), each host's own order kept:
nothing is shifted, so hosts replaying the same recording collide on
every pid, serial and time. --drop-eoe leaves out EOE records, which
audisp-remote does not pass on. Several NAMEs may name one FILE (it is
read once). Bytes are copied as they are (not decoded).
"""

import subprocess
import sys


def read_lines(path, cache):
    if path not in cache:
        if path.endswith(".xz"):
            data = subprocess.run(["xz", "-dc", path], check=True,
                                  stdout=subprocess.PIPE).stdout
        else:
            with open(path, "rb") as f:
                data = f.read()
        cache[path] = [ln for ln in data.split(b"\n")
                       if ln and not ln.startswith(b"#")]
    return cache[path]


def stamp(line):
    """The msg=audit(...) part of a record: what its event shares."""
    i = line.find(b"msg=audit(")
    return line[i:line.find(b")", i)] if i >= 0 else line


def units(lines, by_event, drop_eoe):
    """The host's lines in the pieces interleaving moves: records, or
    events (runs of records with one stamp)."""
    run, last = [], None
    for ln in lines:
        if drop_eoe and ln.startswith(b"type=EOE "):
            continue
        if not by_event:
            yield [ln]
            continue
        s = stamp(ln)
        if run and s != last:
            yield run
            run = []
        run.append(ln)
        last = s
    if run:
        yield run


def main(argv):
    drop_eoe = "--drop-eoe" in argv
    by_event = "--by-event" in argv
    hosts = [a for a in argv[1:] if not a.startswith("--")]
    if not hosts:
        sys.stderr.write(__doc__)
        return 2
    cache = {}
    feeds = []
    for h in hosts:
        name, _, path = h.partition("=")
        prefix = b"" if name == "-" else b"node=" + name.encode() + b" "
        feeds.append((prefix, units(read_lines(path, cache), by_event,
                                    drop_eoe)))
    out = sys.stdout.buffer
    while feeds:
        alive = []
        for prefix, it in feeds:
            unit = next(it, None)
            if unit is None:
                continue
            out.write(b"".join(prefix + ln + b"\n" for ln in unit))
            alive.append((prefix, it))
        feeds = alive
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
