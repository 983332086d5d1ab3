#!/usr/bin/env python3
"""Run a command and capture its stderr twice: byte for byte (--raw) and with
each line prefixed by its arrival time (--timed), for tests/lab/lab.sh.

  stamp.py --raw FILE --timed FILE [--syslog-tag sshd] [--lifetime S] -- CMD...

The timed copy prefixes every line with an RFC 3339 UTC time with
microseconds, like Debian 12's rsyslog writes /var/log/auth.log; with
--syslog-tag it also adds "HOST TAG[PID]: " as syslog would. The command's
stdout is passed through; its exit status is ours. After --lifetime seconds the
command is killed.
"""
import argparse
import datetime
import os
import select
import signal
import socket
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--timed", required=True)
    ap.add_argument("--syslog-tag", default=None)
    ap.add_argument("--lifetime", type=float, default=30.0)
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    if not cmd:
        ap.error("no command")
    deadline = time.monotonic() + a.lifetime
    p = subprocess.Popen(cmd, stderr=subprocess.PIPE)
    host = socket.gethostname().split(".")[0]
    raw = open(a.raw, "ab")
    timed = open(a.timed, "ab")
    pending = b""
    fd = p.stderr.fileno()

    def stamp():
        t = datetime.datetime.now(datetime.timezone.utc)
        s = t.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00 ")
        if a.syslog_tag:
            s += "%s %s[%d]: " % (host, a.syslog_tag, p.pid)
        return s.encode()

    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            p.send_signal(signal.SIGTERM)
            break
        r, _, _ = select.select([fd], [], [], min(left, 0.5))
        if not r:
            continue
        data = os.read(fd, 65536)
        if not data:
            break
        raw.write(data)
        raw.flush()
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            timed.write(stamp() + line + b"\n")
        timed.flush()
    if pending:
        timed.write(stamp() + pending + b"\n")
    raw.close()
    timed.close()
    try:
        return p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        p.kill()
        return p.wait()


if __name__ == "__main__":
    sys.exit(main())
