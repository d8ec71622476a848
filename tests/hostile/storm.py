#!/usr/bin/env python3
# tests/hostile/storm.py - a SIGHUP storm while a live plugin reads heavy input
"""Usage: storm.py PLUGIN WORKDIR INPUT|- SIGNALS [PIECE]

Starts PLUGIN in plugin mode (stdin a pipe) with file output, no rate
limit and proc_fallback off; once the plugin has installed its SIGHUP
handler, writes INPUT (a file, or "-" for this script's stdin) to it in
pieces of PIECE bytes (default 4096) and sends one SIGHUP after each piece
until SIGNALS have been sent (the rest of the input follows without).
Before each signal the configuration file is rewritten with the other rule
version (1, 7, 1, ...), so that the reloads show in the alerts. Then it
closes the plugin's stdin and waits for it.

Prints one line: "alerts=N bad=B v1=A v7=S alive=yes|no rc=R sent=K" where
bad counts alert lines that are not one JSON object, v1/v7 the alerts of
each rule version, alive whether the plugin still ran after the last
signal, and rc its exit status.
"""

import json
import os
import signal
import subprocess
import sys
import time


def write_conf(path, alerts, version):
    tmp = path + ".new"
    with open(tmp, "w") as f:
        f.write("output = file\noutput_file = %s\nrate_limit_alerts = 0\n"
                "proc_fallback = no\nrule_version = %d\n" % (alerts, version))
    os.chmod(tmp, 0o600)
    os.rename(tmp, path)


def handles(pid, sig, timeout=10):
    """Wait until process pid catches sig (SigCgt in /proc/PID/status)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("SigCgt:") and \
                            int(line.split()[1], 16) >> (sig - 1) & 1:
                        return True
        except FileNotFoundError:
            return False
        time.sleep(0.01)
    return False


def main(argv):
    plugin, work, src, nsig = argv[1], argv[2], argv[3], int(argv[4])
    piece = int(argv[5]) if len(argv) > 5 else 4096
    alerts = os.path.join(work, "alerts.json")
    conf = os.path.join(work, "storm.conf")
    write_conf(conf, alerts, 1)
    err = open(os.path.join(work, "storm.err"), "wb")
    p = subprocess.Popen([plugin, "-c", conf], stdin=subprocess.PIPE,
                         stdout=err, stderr=err)
    inp = sys.stdin.buffer if src == "-" else open(src, "rb")
    if not handles(p.pid, signal.SIGHUP):
        p.kill()
        print("alerts=0 bad=0 v1=0 v7=0 alive=no rc=startup sent=0")
        return 0
    sent = 0
    alive = True
    try:
        while True:
            chunk = inp.read(piece)
            if not chunk:
                break
            p.stdin.write(chunk)
            p.stdin.flush()
            if sent < nsig:
                write_conf(conf, alerts, 7 if sent % 2 == 0 else 1)
                p.send_signal(signal.SIGHUP)
                sent += 1
                if sent == nsig:
                    alive = p.poll() is None
    except BrokenPipeError:
        alive = False
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    try:
        rc = p.wait(120)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = p.wait()
    n = bad = v1 = v7 = 0
    try:
        with open(alerts, "rb") as f:
            for line in f:
                n += 1
                try:
                    doc = json.loads(line)
                    v = doc["rule"]["version"]
                    v1 += str(v) == "1"
                    v7 += str(v) == "7"
                except (ValueError, KeyError, TypeError):
                    bad += 1
    except FileNotFoundError:
        pass
    print("alerts=%d bad=%d v1=%d v7=%d alive=%s rc=%s sent=%d"
          % (n, bad, v1, v7, "yes" if alive else "no", rc, sent))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
