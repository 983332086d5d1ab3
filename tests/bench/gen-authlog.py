#!/usr/bin/env python3
"""Write a realistic syslog-format sshd auth.log of about N bytes.

    tests/bench/gen-authlog.py [--size 1G] [--seed 1] [--host web1] -o FILE

Many connections run at once, each with its own pid (sshd[pid], or for a
share of them OpenSSH 9.8+'s sshd-session[pid]); their lines interleave
under one increasing syslog clock ("Nov 24 10:01:02 web1 sshd[1234]: ...").
The mix is that of a server on the internet: password brute force against
invalid and valid users, scanners that never finish the banner or the key
exchange, real users logging in with keys and passwords, AllowUsers
denials, StrictModes refusals, MaxAuthTries, and about 10% lines of other
programs (CRON, systemd-logind, sudo, systemd) that a tool must skip.

Addresses are documentation ranges only (192.0.2.0/24, 198.51.100.0/24,
203.0.113.0/24) and 10.0.0.0/8 for the inside. The output is the same for
the same --seed and --size. Standard library only; about 1 GB in well
under a minute on one core.
"""

import argparse
import calendar
import random
import sys
import time

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

INVALID_USERS = (
    "admin", "test", "user", "oracle", "ubuntu", "guest", "postgres", "git",
    "ftpuser", "pi", "support", "hadoop", "jenkins", "mysql", "nagios",
    "teamspeak", "minecraft", "debian", "centos", "administrator", "www",
    "www-data", "steam", "es", "elastic", "ts3", "vagrant", "odoo", "tomcat",
    "user1", "test1", "ansible", "dev", "sysadmin", "demo", "server", "web",
    "backup", "student", "testuser", "zabbix", "redis", "kafka", "solana",
    "sol", "validator", "node", "docker", "gitlab", "frappe", "ali", "sammy",
)
# name -> uid
VALID_USERS = (("alice", 1000), ("bob", 1001), ("carol", 1002),
               ("dave", 1003), ("deploy", 1500), ("backup", 34))
LOGIN_USERS = (("alice", 1000), ("alice", 1000), ("bob", 1001),
               ("carol", 1002), ("deploy", 1500), ("deploy", 1500),
               ("root", 0))
NOT_ALLOWED = ("bob", "dave", "backup", "operator", "carol")
OLD_KEX = (
    "diffie-hellman-group1-sha1",
    "diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
    "diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
)
OLD_HOSTKEY = ("ssh-rsa,ssh-dss", "ssh-dss", "ssh-rsa")
KEY_TYPES = ("ED25519", "ED25519", "ED25519", "RSA", "ECDSA")
CRON_CMDS = (
    "(root) CMD (   cd / && run-parts --report /etc/cron.hourly)",
    "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
    "(root) CMD ([ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi)",
    "(deploy) CMD (/opt/app/bin/rotate-logs --quiet)",
)
SUDO_CMDS = ("/usr/bin/apt update", "/usr/bin/systemctl restart nginx",
             "/usr/bin/journalctl -u ssh", "/usr/bin/tail -n 200 /var/log/auth.log",
             "/usr/bin/docker ps")

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def parse_size(s):
    s = s.strip()
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    if s and s[-1].upper() in mult:
        return int(float(s[:-1]) * mult[s[-1].upper()])
    return int(s)


class Gen:
    def __init__(self, seed, host, year_start):
        self.rng = random.Random(seed)
        r = self.rng.random
        self.r = r
        self.host = host
        self.t = year_start
        self.prefix = ""
        self.set_clock()
        self.next_pid = 1000 + int(r() * 5000)
        self.logind_session = 1 + int(r() * 200)
        self.listener = "sshd[%d]: " % (400 + int(r() * 500))
        self.logind_pid = 300 + int(r() * 100)
        self.logind = "systemd-logind[%d]: " % self.logind_pid
        # Attackers come back: a few hundred addresses make most of the noise.
        self.attackers = ["203.0.113.%d" % i for i in range(1, 255)] + \
                         ["198.51.100.%d" % i for i in range(1, 255)] + \
                         ["192.0.2.%d" % i for i in range(1, 255)]
        self.inside = ["10.%d.%d.%d" % (int(r() * 4), int(r() * 256), 1 + int(r() * 254))
                       for _ in range(64)]
        self.fps = ["SHA256:" + "".join(B64[int(r() * 64)] for _ in range(43))
                    for _ in range(24)]

    # -- helpers ---------------------------------------------------------
    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def set_clock(self):
        g = time.gmtime(self.t)
        self.prefix = "%s %2d %02d:%02d:%02d %s " % (
            MONTHS[g.tm_mon - 1], g.tm_mday, g.tm_hour, g.tm_min, g.tm_sec,
            self.host)

    def pid_tag(self):
        self.next_pid += 1 + int(self.r() * 40)
        if self.next_pid > 4194304:
            self.next_pid = 1000 + int(self.r() * 1000)
        # OpenSSH 9.8+ logs a connection from sshd-session; about a third
        # of the connections here come from such a server (upgraded halfway).
        prog = "sshd-session" if self.r() < 0.35 else "sshd"
        return "%s[%d]: " % (prog, self.next_pid)

    def attacker(self):
        # A few noisy addresses, a long tail of others.
        if self.r() < 0.5:
            return self.attackers[int(self.r() * 12)]
        return self.pick(self.attackers)

    def port(self):
        return 1024 + int(self.r() * 64511)

    # -- connections: a list of "prog[pid]: message" strings -------------
    def conn_invalid_user(self):
        P, a, p, u = self.pid_tag(), self.attacker(), self.port(), self.pick(INVALID_USERS)
        out = [P + "Invalid user %s from %s port %d" % (u, a, p)]
        r = self.r
        if r() < 0.6:
            out[-1] += "\n" + (P + "pam_unix(sshd:auth): check pass; user unknown")
            out.append(P + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s" % a)
        if r() < 0.85:
            out.append(P + "Failed password for invalid user %s from %s port %d ssh2" % (u, a, p))
        x = r()
        if x < 0.5:
            out.append(P + "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (a, p))
            out[-1] += "\n" + (P + "Disconnected from invalid user %s %s port %d [preauth]" % (u, a, p))
        elif x < 0.9:
            out.append(P + "Connection closed by invalid user %s %s port %d [preauth]" % (u, a, p))
        else:
            out.append(P + "Connection reset by invalid user %s %s port %d [preauth]" % (u, a, p))
        return out

    def conn_wrong_password(self):
        P, a, p = self.pid_tag(), self.attacker(), self.port()
        r = self.r
        if r() < 0.7:
            u = "root"
        else:
            u = self.pick(VALID_USERS)[0]
        out = [P + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (a, u)]
        for _ in range(1 + int(r() * 3)):
            out.append(P + "Failed password for %s from %s port %d ssh2" % (u, a, p))
        x = r()
        if x < 0.5:
            out.append(P + "Received disconnect from %s port %d:11: Bye Bye [preauth]" % (a, p))
            out[-1] += "\n" + (P + "Disconnected from authenticating user %s %s port %d [preauth]" % (u, a, p))
        else:
            out.append(P + "Connection closed by authenticating user %s %s port %d [preauth]" % (u, a, p))
        if r() < 0.3:
            out.append(P + "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (a, u))
        return out

    def conn_max_tries(self):
        P, a, p = self.pid_tag(), self.attacker(), self.port()
        u = "root"
        out = [P + "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (a, u)]
        for _ in range(6):
            out.append(P + "Failed password for %s from %s port %d ssh2" % (u, a, p))
        out.append(P + "error: maximum authentication attempts exceeded for %s from %s port %d ssh2 [preauth]" % (u, a, p))
        out[-1] += "\n" + (P + "Disconnecting authenticating user %s %s port %d: Too many authentication failures [preauth]" % (u, a, p))
        out.append(P + "PAM 5 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=%s  user=%s" % (a, u))
        if self.r() < 0.5:
            out.append(self.listener + "drop connection #%d from [%s]:%d on [0.0.0.0]:22 penalty: failed authentication" % (int(self.r() * 10), a, self.port()))
        return out

    def conn_scanner(self):
        P, a, p = self.pid_tag(), self.attacker(), self.port()
        x = self.r()
        if x < 0.25:
            return [P + "banner exchange: Connection from %s port %d: invalid format" % (a, p)]
        if x < 0.45:
            return [P + "Connection reset by %s port %d [preauth]" % (a, p)]
        if x < 0.65:
            return [P + "error: kex_exchange_identification: Connection closed by remote host\n" +
                    P + "Connection closed by %s port %d" % (a, p)]
        if x < 0.75:
            return [P + "error: kex_exchange_identification: read: Connection reset by peer\n" +
                    P + "Connection reset by %s port %d" % (a, p)]
        if x < 0.87:
            return [P + "Unable to negotiate with %s port %d: no matching key exchange method found. Their offer: %s [preauth]" % (a, p, self.pick(OLD_KEX))]
        if x < 0.93:
            return [P + "Unable to negotiate with %s port %d: no matching host key type found. Their offer: %s [preauth]" % (a, p, self.pick(OLD_HOSTKEY))]
        if x < 0.97:
            return [P + "Connection closed by %s port %d [preauth]" % (a, p)]
        return [P + "fatal: Timeout before authentication for %s port %d" % (a, p)]

    def conn_login(self):
        P, a, p = self.pid_tag(), self.pick(self.inside), self.port()
        u, uid = self.pick(LOGIN_USERS)
        r = self.r
        sid = self.logind_session
        self.logind_session += 1
        out = []
        if r() < 0.8:
            out.append(P + "Accepted publickey for %s from %s port %d ssh2: %s %s" % (u, a, p, self.pick(KEY_TYPES), self.pick(self.fps)))
        else:
            if r() < 0.3:
                out.append(P + "Failed password for %s from %s port %d ssh2" % (u, a, p))
            out.append(P + "Accepted password for %s from %s port %d ssh2" % (u, a, p))
        out[-1] += "\n" + (P + "pam_unix(sshd:session): session opened for user %s(uid=%d) by (uid=0)" % (u, uid))
        out[-1] += "\n" + (self.logind + "New session %d of user %s." % (sid, u))
        if u != "root" and r() < 0.1:
            tty = int(r() * 8)
            out.append("sudo: %8s : TTY=pts/%d ; PWD=/home/%s ; USER=root ; COMMAND=%s" % (u, tty, u, self.pick(SUDO_CMDS)))
            out.append("sudo: pam_unix(sudo:session): session opened for user root(uid=0) by %s(uid=%d)" % (u, uid))
            out.append("sudo: pam_unix(sudo:session): session closed for user root")
        if r() < 0.2:
            out.append(P + "Starting session: shell on pts/%d for %s from %s port %d id 0" % (int(r() * 8), u, a, p))
        out.append(P + "Received disconnect from %s port %d:11: disconnected by user" % (a, p))
        out[-1] += "\n" + (P + "Disconnected from user %s %s port %d" % (u, a, p))
        out[-1] += "\n" + (P + "pam_unix(sshd:session): session closed for user %s" % u)
        out.append(self.logind + "Session %d logged out. Waiting for processes to exit." % sid)
        out[-1] += "\n" + (self.logind + "Removed session %d." % sid)
        return out

    def conn_not_allowed(self):
        P, a, p = self.pid_tag(), self.pick(self.attackers + self.inside), self.port()
        u = self.pick(NOT_ALLOWED)
        out = [P + "User %s from %s not allowed because not listed in AllowUsers" % (u, a)]
        if self.r() < 0.7:
            out.append(P + "Failed password for invalid user %s from %s port %d ssh2" % (u, a, p))
        out.append(P + "Connection closed by invalid user %s %s port %d [preauth]" % (u, a, p))
        return out

    def conn_bad_modes(self):
        P, a, p = self.pid_tag(), self.pick(self.inside), self.port()
        u, uid = self.pick(VALID_USERS[:4])
        what = self.pick(("directory /home/%s/.ssh" % u, "file /home/%s/.ssh/authorized_keys" % u,
                          "directory /home/%s" % u))
        out = [P + "Authentication refused: bad ownership or modes for %s" % what]
        if self.r() < 0.5:
            out.append(P + "Failed password for %s from %s port %d ssh2" % (u, a, p))
        out.append(P + "Connection closed by authenticating user %s %s port %d [preauth]" % (u, a, p))
        return out

    def other_line(self):
        """One line of another program, emitted on its own."""
        x = self.r()
        if x < 0.45:
            pid = 10000 + int(self.r() * 90000)
            return ["CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)" % pid,
                    "CRON[%d]: %s" % (pid + 1, self.pick(CRON_CMDS)),
                    "CRON[%d]: pam_unix(cron:session): session closed for user root" % pid]
        if x < 0.7:
            return ["systemd-logind[%s]: Watching system buttons on /dev/input/event0 (Power Button)" % self.logind_pid]
        if x < 0.85:
            return ["systemd[1]: Started session-%d.scope - Session %d of User alice." % (self.logind_session, self.logind_session),
                    "systemd[1]: session-%d.scope: Deactivated successfully." % self.logind_session]
        return ["sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/journalctl -f",
                "sudo: pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)",
                "sudo: pam_unix(sudo:session): session closed for user root"]

    def new_conn(self):
        x = self.r()
        if x < 0.40:
            return self.conn_invalid_user()
        if x < 0.55:
            return self.conn_wrong_password()
        if x < 0.60:
            return self.conn_max_tries()
        if x < 0.84:
            return self.conn_scanner()
        if x < 0.93:
            return self.conn_login()
        if x < 0.96:
            return self.conn_not_allowed()
        return self.conn_bad_modes()


def generate(out, size, seed, host, concurrency):
    # Syslog has no year: start on Nov 24 of some year, 00:00:00 UTC.
    start = calendar.timegm((2025, 11, 24, 0, 0, 0, 0, 0, 0))
    g = Gen(seed, host, start)
    r = g.r
    active = [g.new_conn()[::-1] for _ in range(concurrency)]
    written = 0
    chunk = []
    chunk_bytes = 0
    CHUNK = 4 << 20
    prefix = g.prefix
    first = prefix + g.listener + "Server listening on 0.0.0.0 port 22.\n"
    first += prefix + g.listener + "Server listening on :: port 22.\n"
    chunk.append(first)
    chunk_bytes += len(first)
    while True:
        # The clock moves on: several lines a second, never backwards.
        if r() < 0.12:
            g.t += 1 + int(r() * r() * 4)
            g.set_clock()
            prefix = g.prefix
        if r() < 0.02:
            # Other programs: with the logind and sudo lines of the logins
            # below, about 10% of all lines are not sshd's.
            lines = g.other_line()
            s = "".join([prefix + l + "\n" for l in lines])
        else:
            i = int(r() * concurrency)
            conn = active[i]
            s = conn.pop()
            if "\n" in s:
                # lines one process writes back to back stay together
                s = prefix + s.replace("\n", "\n" + prefix) + "\n"
            else:
                s = prefix + s + "\n"
            if not conn:
                active[i] = g.new_conn()[::-1]
        chunk.append(s)
        chunk_bytes += len(s)
        if chunk_bytes >= CHUNK:
            data = "".join(chunk).encode()
            if written + len(data) >= size:
                data = data[:size - written]
                cut = data.rfind(b"\n")
                data = data[:cut + 1]
                out.write(data)
                written += len(data)
                return written
            out.write(data)
            written += len(data)
            chunk = []
            chunk_bytes = 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1G", help="bytes to write: N, NK, NM, NG (powers of 1024); default 1G")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--host", default="web1", help="syslog host name (default web1)")
    ap.add_argument("--concurrency", type=int, default=64,
                    help="connections open at once, whose lines interleave (default 64;"
                         " sshd's MaxStartups 10:30:100 keeps it below 100 before auth)")
    ap.add_argument("-o", "--output", default="-", help="file to write (default stdout)")
    a = ap.parse_args()
    size = parse_size(a.size)
    if a.output == "-":
        n = generate(sys.stdout.buffer, size, a.seed, a.host, a.concurrency)
        sys.stdout.buffer.flush()
    else:
        with open(a.output, "wb", buffering=0) as f:
            n = generate(f, size, a.seed, a.host, a.concurrency)
    print("gen-authlog: wrote %d bytes" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
