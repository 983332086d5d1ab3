#!/usr/bin/env python3
"""Fake TCP servers for tests/lab/lab.sh: the failures before the SSH banner.

Binds 127.0.0.1 (port 0 = let the kernel choose), writes the port to the
--ready file once listening, serves at most one connection, and always exits
by itself after --lifetime seconds.

Modes:
  reset          accept, then reset the connection (SO_LINGER 0 + close)
  close-after-banner
                 accept, read the client's identification line, close (FIN)
  silent         accept and never send anything
  http           read the client's first line, answer like a web server
                 (HTTP/1.1 400 Bad Request + headers + HTML body), close
  tls            read the client's first line, answer like a TLS server
                 (a TLS fatal alert record), close
  hold           just listen on the port (to make it "in use"), never accept
  backlog-full   listen with backlog 0 and fill the accept queue with our own
                 connections: the kernel then drops new SYNs silently, as a
                 firewall DROP rule would, so clients time out in connect()
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
    ap.add_argument("--mode", required=True,
                    choices=["reset", "close-after-banner", "silent", "http",
                             "tls", "hold", "backlog-full"])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=20.0)
    ap.add_argument("--ready", required=True,
                    help="file that receives the port number once listening")
    a = ap.parse_args()
    deadline = time.monotonic() + a.lifetime

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", a.port))
    srv.listen(0 if a.mode == "backlog-full" else 5)
    port = srv.getsockname()[1]

    fillers = []
    if a.mode == "backlog-full":
        # Fill the accept queue (backlog 0 holds one connection; add margin).
        for _ in range(3):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(("127.0.0.1", port))
            except (BlockingIOError, InterruptedError):
                pass
            fillers.append(c)
        time.sleep(0.3)

    tmp = a.ready + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, a.ready)

    def left():
        return max(0.0, deadline - time.monotonic())

    if a.mode in ("hold", "backlog-full"):
        time.sleep(left())
        return 0

    r, _, _ = select.select([srv], [], [], left())
    if not r:
        return 0
    conn, _ = srv.accept()
    srv.close()

    def read_line(limit=1024):
        buf = b""
        while b"\n" not in buf and len(buf) < limit:
            r, _, _ = select.select([conn], [], [], left())
            if not r:
                break
            chunk = conn.recv(limit)
            if not chunk:
                break
            buf += chunk
        return buf

    if a.mode == "reset":
        time.sleep(0.1)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                        struct.pack("ii", 1, 0))
        conn.close()
    elif a.mode == "close-after-banner":
        read_line()
        conn.close()
    elif a.mode == "silent":
        # Keep the connection open, read and discard whatever comes.
        while left() > 0:
            r, _, _ = select.select([conn], [], [], left())
            if not r:
                break
            try:
                if not conn.recv(4096):
                    break
            except OSError:
                break
        conn.close()
    elif a.mode == "http":
        read_line()
        body = (b"<html>\r\n<head><title>400 Bad Request</title></head>\r\n"
                b"<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n"
                b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
        hdr = (b"HTTP/1.1 400 Bad Request\r\n"
               b"Server: nginx\r\n"
               b"Date: " + time.strftime("%a, %d %b %Y %H:%M:%S GMT",
                                         time.gmtime()).encode() + b"\r\n"
               b"Content-Type: text/html\r\n"
               b"Content-Length: " + str(len(body)).encode() + b"\r\n"
               b"Connection: close\r\n\r\n")
        try:
            conn.sendall(hdr + body)
        except OSError:
            pass
        conn.close()
    elif a.mode == "tls":
        read_line()
        # TLS record: content type 21 (alert), TLS 1.2, length 2,
        # level 2 (fatal), description 70 (protocol_version).
        try:
            conn.sendall(b"\x15\x03\x03\x00\x02\x02\x46")
        except OSError:
            pass
        time.sleep(0.1)
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
