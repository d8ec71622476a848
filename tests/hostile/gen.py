#!/usr/bin/env python3
# tests/hostile/gen.py - audit streams in the kernel's format, for hostile tests
"""Write audit records as the kernel and auditd 3.0.9 do (string format).

Used as a module by tests/hostile/matrix.py and as a command by
tests/faults.sh:

  gen.py pairs N [FIRST]   N (bash, dracut) exec pairs, pair K (from FIRST,
                           default 1) with pids 100000+2K (bash) and
                           100001+2K (dracut, args end with "mark-K");
                           every pair raises exactly one alert (dracut run
                           by hand from bash). Pair K is at time T0+K with
                           serials from SERIAL0+10K: a pair's events are
                           the same whichever run writes them.
  gen.py noise N           N events that raise nothing (no dracut).

Every stream starts at the time and serial given by --t0/--serial0 (so
that several streams can follow each other) and ends each event with EOE.
"""

import sys

SEP = "\x1d"  # ENRICHED: the record, then this byte, then interpretations


def encode(arg):
    """An untrusted string as the kernel logs it (audit_log_n_untrustedstring):
    quoted when every byte is printable ASCII (0x21-0x7e) and no '"', else
    the bytes in upper-case hex."""
    if isinstance(arg, str):
        arg = arg.encode("utf-8", "surrogateescape")
    if arg and all(0x21 <= b <= 0x7E and b != 0x22 for b in arg):
        return '"' + arg.decode("ascii") + '"'
    return arg.hex().upper()


def proctitle(argv):
    raw = b"\0".join(a if isinstance(a, bytes) else a.encode() for a in argv)
    return raw[:128].hex().upper()


class Gen:
    """A clock and a serial counter: every event gets the next serial and a
    time that never goes back."""

    def __init__(self, t0=1700000000, serial0=1000, pid0=100000):
        self.sec = t0
        self.msec = 0
        self.serial = serial0
        self.pid = pid0

    def tick(self, ms=1):
        self.msec += ms
        while self.msec >= 1000:
            self.msec -= 1000
            self.sec += 1

    def next_second(self):
        self.sec += 1
        self.msec = 0

    def new_pid(self):
        self.pid += 1
        return self.pid

    def stamp(self, serial=None):
        if serial is None:
            self.serial += 1
            serial = self.serial
        return "msg=audit(%d.%03d:%d):" % (self.sec, self.msec, serial)

    def execve_records(self, argv, per_record=7500):
        """EXECVE records for argv, split as the kernel does: arguments
        fill records of about per_record bytes; one longer than that is
        logged in aN[i] chunks after an aN_len."""
        recs, cur = [], "argc=%d" % len(argv)
        for i, a in enumerate(argv):
            enc = encode(a)
            if len(enc) > per_record:
                if cur:
                    recs.append(cur)
                hexed = (a if isinstance(a, bytes) else a.encode()).hex()
                hexed = hexed.upper()
                recs.append("a%d_len=%d" % (i, len(hexed)))
                for c in range(0, len(hexed), per_record):
                    recs.append("a%d[%d]=%s" % (i, c // per_record,
                                                hexed[c:c + per_record]))
                cur = ""
                continue
            field = "a%d=%s" % (i, enc)
            if len(cur) + len(field) + 1 > per_record and cur:
                recs.append(cur)
                cur = ""
            cur = (cur + " " + field) if cur else field
        if cur:
            recs.append(cur)
        return recs

    def exec_event(self, pid, ppid, path0, argv, exe=None, comm=None,
                   path1=None, success=True, cwd="/root", eoe=True,
                   execve=None, paths=None, node=None, enriched=False,
                   serial=None, syscall=59):
        """One execve event as a list of lines (no newlines). exe defaults
        to path1 (a #! script's interpreter) or path0; execve, when given,
        replaces the EXECVE record bodies; paths, when given, replaces the
        PATH items [(item, name), ...]."""
        stamp = self.stamp(serial)
        if exe is None:
            exe = path1 or path0
        if comm is None:
            comm = path0.rsplit("/", 1)[-1][:15]
        if paths is None:
            paths = [(0, path0)]
            if path1:
                paths.append((1, path1))
        out = []
        extra = SEP + 'ARCH=x86_64 SYSCALL=execve AUID="root" UID="root"' \
            if enriched else ""
        out.append(
            "type=SYSCALL %s arch=c000003e syscall=%d success=%s exit=%d "
            "a0=1 a1=2 a2=3 a3=4 items=%d ppid=%d pid=%d auid=1000 uid=0 "
            "gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 "
            "ses=3 comm=%s exe=%s key=\"exec\"%s"
            % (stamp, syscall, "yes" if success else "no",
               0 if success else -2, len(paths), ppid, pid, encode(comm),
               encode(exe), extra))
        bodies = execve if execve is not None else self.execve_records(argv)
        for body in bodies:
            out.append("type=EXECVE %s %s" % (stamp, body))
        out.append("type=CWD %s cwd=%s" % (stamp, encode(cwd)))
        for item, name in paths:
            out.append(
                "type=PATH %s item=%d name=%s inode=%d dev=fe:00 "
                "mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL "
                "cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0"
                % (stamp, item, encode(name), 1000 + item))
        out.append("type=PROCTITLE %s proctitle=%s" % (stamp, proctitle(argv)))
        if eoe:
            out.append("type=EOE %s" % stamp)
        if node:
            out = ["node=%s %s" % (node, line) for line in out]
        self.tick()
        return out

    def bash(self, pid, ppid=1, **kw):
        """bash -i started by ppid: an exec that is not dracut."""
        return self.exec_event(pid, ppid, "/usr/bin/bash", ["bash", "-i"],
                               **kw)

    def dracut(self, pid, ppid, mark, **kw):
        """/usr/bin/dracut (#!/bin/bash) run with --force MARK: the kernel
        logs the script as PATH item 0, the interpreter as item 1 and the
        rewritten argv."""
        return self.exec_event(pid, ppid, "/usr/bin/dracut",
                               ["/bin/bash", "/usr/bin/dracut", "--force",
                                mark], path1="/bin/bash", **kw)

    def pair(self, mark, **kw):
        """bash, then dracut from it: one alert. Returns (lines, dracut
        pid)."""
        pb = self.new_pid()
        pd = self.new_pid()
        lines = self.bash(pb, **kw) + self.dracut(pd, pb, mark, **kw)
        return lines, pd

    def other(self, text="op=test res=success"):
        """A one-record event that is no exec (USER_CMD-like)."""
        stamp = self.stamp()
        self.tick()
        return ["type=USER_ACCT %s pid=1 uid=0 auid=0 ses=1 msg='%s'"
                % (stamp, text)]

    def openat(self, pid=4242):
        """An openat(2) event (SYSCALL and EOE): a syscall the plugin reads
        the first fields of and lets go."""
        stamp = self.stamp()
        self.tick()
        return ["type=SYSCALL %s arch=c000003e syscall=257 success=yes "
                "exit=3 a0=ffffff9c a1=7ffd0 a2=0 a3=0 items=1 ppid=1 "
                "pid=%d auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 "
                "sgid=0 fsgid=0 tty=(none) ses=3 comm=\"cat\" "
                "exe=\"/usr/bin/cat\" key=(null)" % (stamp, pid),
                "type=EOE %s" % stamp]

    def noise(self, n, same_second=False, execs_every=10):
        """n events that raise nothing: every execs_every-th is an exec of
        /usr/bin/true by pid 1's child, the rest openat events. With
        same_second the clock does not move (milliseconds wrap at 999)."""
        out = []
        for i in range(n):
            if execs_every and i % execs_every == 0:
                out += self.exec_event(self.new_pid(), 1, "/usr/bin/true",
                                       ["true", str(i)])
            else:
                out += self.openat()
            if same_second:
                self.msec = min(self.msec, 999)
                if self.msec == 999:
                    self.msec = 500
        return out


def main(argv):
    t0, serial0 = 1700000000, 1000
    args = []
    i = 1
    while i < len(argv):
        if argv[i] == "--t0":
            t0 = int(argv[i + 1])
            i += 2
        elif argv[i] == "--serial0":
            serial0 = int(argv[i + 1])
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if not args:
        sys.stderr.write(__doc__)
        return 2
    g = Gen(t0=t0, serial0=serial0)
    out = sys.stdout
    if args[0] == "pairs":
        n = int(args[1])
        first = int(args[2]) if len(args) > 2 else 1
        for k in range(first, first + n):
            g.pid = 100000 + 2 * k - 1
            g.sec, g.msec, g.serial = t0 + k, 0, serial0 + 10 * k
            lines, _ = g.pair("mark-%d" % k)
            out.write("\n".join(lines) + "\n")
    elif args[0] == "noise":
        out.write("\n".join(g.noise(int(args[1]))) + "\n")
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
