#!/usr/bin/env python3
"""A one-connection TCP proxy for tests/lab/lab.sh that damages the stream.

Listens on 127.0.0.1 (port 0 = kernel's choice), writes the port to the
--ready file, accepts one client, connects to 127.0.0.1:--target and relays.
Always exits by itself after --lifetime seconds.

Modes:
  pass      relay unchanged
  flip      invert one byte (xor 0xff) once --after bytes have passed in
            --direction (s2c: server to client, c2s: client to server)
  rst-idle  once both directions have been quiet for --idle seconds (after
            at least --after bytes in total), reset the client's connection
            (SO_LINGER 0 + close) and close the server's: what a NAT or
            firewall that dropped an idle session's state does
            (with --trigger FILE: only once FILE exists)
  freeze    once the stream has been quiet for --idle seconds (after at least
            --after bytes), stop relaying in both directions but keep both
            TCP connections open: a black hole in the middle
            (with --trigger FILE: only once FILE exists)
"""
import argparse
import os
import select
import socket
import struct
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", type=int, required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--mode", default="pass",
                    choices=["pass", "flip", "rst-idle", "freeze"])
    ap.add_argument("--direction", default="s2c", choices=["s2c", "c2s"])
    ap.add_argument("--after", type=int, default=0)
    ap.add_argument("--idle", type=float, default=2.0)
    ap.add_argument("--trigger", default=None,
                    help="rst-idle/freeze: act only once this file exists")
    ap.add_argument("--lifetime", type=float, default=20.0)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--report", default=None,
                    help="file that receives one line saying what was done")
    a = ap.parse_args()
    deadline = time.monotonic() + a.lifetime

    def left():
        return max(0.0, deadline - time.monotonic())

    def report(msg):
        if a.report:
            with open(a.report, "a") as f:
                f.write(msg + "\n")

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", a.port))
    srv.listen(1)
    tmp = a.ready + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, a.ready)

    r, _, _ = select.select([srv], [], [], left())
    if not r:
        return 0
    cli, _ = srv.accept()
    srv.close()
    try:
        up = socket.create_connection(("127.0.0.1", a.target), timeout=5)
    except OSError as e:
        report("connect to target failed: %s" % e)
        cli.close()
        return 1
    up.setblocking(True)

    counts = {"c2s": 0, "s2c": 0}
    flipped = False
    frozen = False
    last = time.monotonic()
    peer = {cli: (up, "c2s"), up: (cli, "s2c")}
    open_socks = [cli, up]

    while left() > 0 and open_socks:
        timeout = min(left(), 0.2)
        r, _, _ = select.select(open_socks if not frozen else [], [], [],
                                timeout)
        now = time.monotonic()
        if frozen:
            continue
        if not r:
            quiet = now - last
            total = counts["c2s"] + counts["s2c"]
            armed = a.trigger is None or os.path.exists(a.trigger)
            if a.mode in ("rst-idle", "freeze") and armed \
                    and quiet >= a.idle and total >= a.after:
                if a.mode == "rst-idle":
                    cli.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
                    cli.close()
                    up.close()
                    report("reset after %.1fs idle, %d bytes c2s, %d s2c"
                           % (quiet, counts["c2s"], counts["s2c"]))
                    return 0
                frozen = True
                report("froze after %.1fs idle, %d bytes c2s, %d s2c"
                       % (quiet, counts["c2s"], counts["s2c"]))
            continue
        for s in r:
            dst, d = peer[s]
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                # Half-close: pass the FIN on, stop reading this side.
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                open_socks.remove(s)
                continue
            last = now
            if a.mode == "flip" and not flipped and d == a.direction \
                    and counts[d] + len(data) > a.after:
                i = max(0, a.after - counts[d])
                b = bytearray(data)
                b[i] ^= 0xFF
                data = bytes(b)
                flipped = True
                report("flipped byte %d of %s" % (counts[d] + i, d))
            counts[d] += len(data)
            try:
                dst.sendall(data)
            except OSError:
                open_socks = []
                break
    for s in (cli, up):
        try:
            s.close()
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
