#!/usr/bin/env bash
# tests/live/run.sh BIN: the live wizards against real processes (needs root).
#
#   (a) a password login through sshdoctor's pty: a temporary user with a
#       random password, a real `sshd -ddd -e` on a free loopback port, the
#       password given on standard input -> verdict ok; then the password
#       must appear nowhere: stdout, stderr, files created under /tmp and
#       $TMPDIR during the run, ~/.cache/sshdoctor, the sshd log. A wrong
#       password -> problem or inconclusive about authentication, never ok.
#   (b) kill -9 and SIGTERM in the middle of `connect --batch` (a listener
#       that never sends a banner) and of `server --batch` (sshd -ddd
#       listening): no ssh/sshd of that run survives, no sshdoctor.*
#       temporary directory stays, the port is free again.
#   (c) a listener that never sends a banner: `connect --batch
#       --connect-timeout 3` -> problem banner-timeout.
#   (d) `check --user root --format json` -> valid JSON with a findings array.
#   (e) on the server itself (not in alternate-port mode): `connect --batch
#       --journal` with a wrong password reads the server's own log (here the
#       real sshd's log file, via SSHDOCTOR_AUTHLOG) and names
#       auth-password-wrong, which the client's log alone cannot.
#
# Prints ok / FAIL per check and "N passed, M failed"; exits non-zero on any
# failure. Everything it creates (user, processes, directories) is removed by
# a trap on every way out. LIVE_TIMEOUT (default 20) is the --timeout given
# to the runs that are expected to finish by themselves.

set -u
set -o pipefail
export LC_ALL=C LANG=C
umask 022

SELF_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SELF_DIR/../.." && pwd -P)
LISTENER=$REPO_ROOT/tests/lab/listener.py
SSHD=/usr/sbin/sshd
LIVE_USER=sdlive
LIVE_TAG=sshdoctor-live
TMO=${LIVE_TIMEOUT:-20}
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

usage() { sed -n '2,23s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

[ $# -eq 1 ] || { usage >&2; exit 2; }
case $1 in -h|--help) usage; exit 0 ;; esac
BIN=$1
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "live: $BIN is not an executable" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "live: must run as root (user, sshd)" >&2; exit 1; }
for t in "$SSHD" ssh ssh-keygen useradd userdel chpasswd ss pgrep setsid timeout "$PY"; do
    command -v "$t" >/dev/null 2>&1 || { echo "live: missing $t" >&2; exit 1; }
done
[ -f "$LISTENER" ] || { echo "live: missing $LISTENER" >&2; exit 1; }

PASS=0 FAIL=0
BASE="" PIDS=() MARK=""
START_TS=$(date +%s)

ok()   { PASS=$((PASS + 1)); printf 'ok   %s\n' "$*"; }
fail() { FAIL=$((FAIL + 1)); printf 'FAIL %s\n' "$*"; }
check() { # description command...: ok when the command succeeds
    local d=$1; shift
    if "$@"; then ok "$d"; else fail "$d"; fi
}

# ---------------------------------------------------------------- cleanup
alive() { # pid: running and not a zombie
    local st
    [ -r "/proc/$1/stat" ] || return 1
    st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
    [ -n "$st" ] && [ "$st" != Z ]
}

stop_pid() { # pid: TERM its group (or itself), then KILL
    local p=$1 i
    [ -n "$p" ] || return 0
    if alive "$p"; then
        kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
        for i in $(seq 1 20); do alive "$p" || break; sleep 0.1; done
        kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null
    fi
    wait "$p" 2>/dev/null
    return 0
}

user_is_ours() {
    [ "$(getent passwd "$LIVE_USER" | cut -d: -f5)" = "$LIVE_TAG" ]
}

remove_user() {
    local uid pids i
    user_is_ours || return 0
    uid=$(id -u "$LIVE_USER")
    for i in $(seq 1 30); do
        pids=$(ps -o pid= -U "$uid" 2>/dev/null | tr -d ' ')
        [ -n "$pids" ] || break
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null
        sleep 0.1
    done
    userdel -r "$LIVE_USER" >/dev/null 2>&1 || userdel -f "$LIVE_USER" >/dev/null 2>&1
    getent group "$LIVE_USER" >/dev/null 2>&1 && groupdel "$LIVE_USER" >/dev/null 2>&1
    return 0
}

cleanup() {
    local rc=$? p
    trap - EXIT INT TERM HUP
    for p in "${PIDS[@]}"; do stop_pid "$p"; done
    remove_user
    [ -n "$BASE" ] && [ -d "$BASE" ] && rm -rf -- "$BASE"
    [ -n "$MARK" ] && rm -f -- "$MARK"
    if user_is_ours 2>/dev/null; then
        echo "live: WARNING: user $LIVE_USER still exists" >&2; rc=1
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- setup
if getent passwd "$LIVE_USER" >/dev/null; then
    user_is_ours || { echo "live: user $LIVE_USER exists and is not tagged $LIVE_TAG" >&2; exit 1; }
    remove_user
fi
# files created from here on are searched for the password
MARK=$(mktemp "${TMPDIR:-/tmp}/sshdoctor-live-mark.XXXXXX") || exit 1
sleep 1    # so that -newer is strict about what came after

# a root-owned, not group/world-writable parent (sshd's StrictModes walk)
if [ -d /run ] && [ -w /run ] && [ "$(stat -c '%u %a' /run)" = "0 755" ]; then
    BASE=$(mktemp -d /run/sshdoctor-live.XXXXXX) || exit 1
else
    BASE=$(mktemp -d) || exit 1
fi
chmod 0755 "$BASE"
install -d -m 0755 /run/sshd "$BASE/home"
install -d -m 0700 "$BASE/hk" "$BASE/out"
useradd -m -d "$BASE/home/$LIVE_USER" -s /bin/bash -c "$LIVE_TAG" "$LIVE_USER" >/dev/null 2>&1 \
    || { echo "live: useradd failed" >&2; exit 1; }

rand_pw() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24; }
PW=$(rand_pw)
WRONG_PW=$(rand_pw)
printf '%s:%s\n' "$LIVE_USER" "$PW" | chpasswd || { echo "live: chpasswd failed" >&2; exit 1; }
ssh-keygen -q -t ed25519 -N '' -C sshdoctor-live -f "$BASE/hk/ssh_host_ed25519_key" </dev/null >/dev/null
CFG=$BASE/sshd_config
cat > "$CFG" <<EOF
ListenAddress 127.0.0.1
HostKey $BASE/hk/ssh_host_ed25519_key
PidFile none
UsePAM no
StrictModes yes
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
PermitRootLogin no
X11Forwarding no
PrintMotd no
PrintLastLog no
EOF
CLIENT_OPTS=(-oStrictHostKeyChecking=no -oUserKnownHostsFile=/dev/null -oPubkeyAuthentication=no)

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_sshd() { # log: sshd -ddd -e on a free port (PORT, SSHD_PID)
    local log=$1 i
    for _ in 1 2 3; do
        PORT=$(free_port)
        setsid "$SSHD" -ddd -e -p "$PORT" -f "$CFG" </dev/null >/dev/null 2>"$log" &
        SSHD_PID=$!
        PIDS+=("$SSHD_PID")
        for i in $(seq 1 100); do
            grep -q '^Server listening on' "$log" 2>/dev/null && return 0
            alive "$SSHD_PID" || break
            sleep 0.05
        done
        stop_pid "$SSHD_PID"
    done
    return 1
}

start_listener() { # mode: tests/lab/listener.py (LPORT, LISTENER_PID)
    local ready=$BASE/ready.$RANDOM i
    setsid "$PY" "$LISTENER" --mode "$1" --lifetime 90 --ready "$ready" </dev/null >/dev/null 2>&1 &
    LISTENER_PID=$!
    PIDS+=("$LISTENER_PID")
    for i in $(seq 1 100); do
        [ -s "$ready" ] && { LPORT=$(cat "$ready"); return 0; }
        sleep 0.05
    done
    return 1
}

jq_py() { # file python-expression-on-j: prints the value (exit 1 on bad JSON)
    "$PY" -c 'import json,sys
j = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if not isinstance(v, (dict, list)) else json.dumps(v))' "$1" "$2" 2>/dev/null
}

verdict_of() { jq_py "$1" 'j.get("verdict")'; }
problem_of() { jq_py "$1" '(j.get("problem") or {}).get("id") or ""'; }

# ---------------------------------------------------------------- (a) password login
echo "== (a) password login through the pty"
A=$BASE/out/a
mkdir -p "$A"
if start_sshd "$A/sshd-ok.log"; then
    printf '%s\n' "$PW" | timeout $((TMO + 30)) "$BIN" connect --batch --format json --timeout "$TMO" \
        "$LIVE_USER@127.0.0.1" -p "$PORT" -- "${CLIENT_OPTS[@]}" >"$A/ok.json" 2>"$A/ok.err"
    rc=$?
    stop_pid "$SSHD_PID"
    v=$(verdict_of "$A/ok.json")
    check "password login: verdict ok (got '${v:-no JSON}', exit $rc)" [ "$v" = ok ]
    check "password login: sshd accepted the password" grep -q "Accepted password for $LIVE_USER" "$A/sshd-ok.log"
    check "password login: ssh's prompt came through the pty and was answered" \
        grep -qF "$LIVE_USER@127.0.0.1's password:" "$A/ok.err"
else
    fail "password login: sshd did not start: $(tail -n1 "$A/sshd-ok.log")"
fi

if start_sshd "$A/sshd-wrong.log"; then
    printf '%s\n' "$WRONG_PW" | timeout $((TMO + 30)) "$BIN" connect --batch --format json --timeout "$TMO" \
        "$LIVE_USER@127.0.0.1" -p "$PORT" -- "${CLIENT_OPTS[@]}" >"$A/wrong.json" 2>"$A/wrong.err"
    rc=$?
    stop_pid "$SSHD_PID"
    v=$(verdict_of "$A/wrong.json")
    p=$(problem_of "$A/wrong.json")
    notok=0; [ -n "$v" ] && [ "$v" != ok ] && notok=1
    check "wrong password: not ok (got '${v:-no JSON}' ${p:-}, exit $rc)" [ $notok = 1 ]
    # about authentication: the problem's stage is auth, or the alternatives are auth-* problems
    authy=$(jq_py "$A/wrong.json" '"yes" if j.get("verdict") in ("problem", "inconclusive") and ((j.get("problem") or {}).get("stage") == "auth" or any(str(a.get("id","")).startswith("auth-") for a in (j.get("alternatives") or []))) else "no"')
    check "wrong password: problem or inconclusive about authentication (verdict $v, problem ${p:-none})" \
        [ "$authy" = yes ]
    check "wrong password: sshd saw a failed password" grep -q "Failed password for $LIVE_USER" "$A/sshd-wrong.log"
else
    fail "wrong password: sshd did not start: $(tail -n1 "$A/sshd-wrong.log")"
fi

leaks() { # where a password appears: outputs, sshd logs, new files in /tmp, $TMPDIR, the cache
    local where=("$A") d
    for d in /tmp "${TMPDIR:-}" "$HOME/.cache/sshdoctor" "$(getent passwd root | cut -d: -f6)/.cache/sshdoctor"; do
        [ -n "$d" ] && [ -d "$d" ] || continue
        find "$d" -xdev -newer "$MARK" -type f -print0 2>/dev/null |
            xargs -0 -r grep -lF -e "$PW" -e "$WRONG_PW" -- 2>/dev/null
    done
    grep -rlF -e "$PW" -e "$WRONG_PW" -- "${where[@]}" 2>/dev/null
}
L=$(leaks | sort -u)
check "no password in stdout, stderr, the sshd logs, new files under /tmp and \$TMPDIR, ~/.cache/sshdoctor${L:+ (found in: $(echo $L))}" \
    [ -z "$L" ]

# ---------------------------------------------------------------- (b) kill and TERM
echo "== (b) killed in the middle"
B=$BASE/out/b
mkdir -p "$B"

tmpdirs() { # sshdoctor.* directories in the temporary directory the tool uses
    find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'sshdoctor.*' -type d 2>/dev/null | sort
}

descendants() { # pid: every descendant pid
    local p
    for p in $(ps -o pid= --ppid "$1" 2>/dev/null); do
        echo "$p"
        descendants "$p"
    done
}

run_port_procs() { # port: processes whose command line names this port (ssh -pN, sshd -pN, sshdoctor -p N)
    pgrep -f -- "(ssh|sshd|sshdoctor).*-p ?$1( |\$)" 2>/dev/null
}

wait_gone() { # secs pids...: all gone (or zombies) within secs
    local secs=$1 i p left; shift
    for (( i = 0; i < secs * 10; i++ )); do
        left=""
        for p in "$@"; do alive "$p" && left+=" $p"; done
        [ -z "$left" ] && return 0
        sleep 0.1
    done
    GONE_LEFT=$left
    return 1
}

kill_test() { # label signal kind(connect|server)
    local label=$1 sig=$2 kind=$3 before after new during tool kids="" i p port client_seen=0 d
    local out=$B/$kind-$sig
    before=$(tmpdirs)
    if [ "$kind" = connect ]; then
        start_listener silent || { fail "$label: listener did not start"; return; }
        port=$LPORT
        "$BIN" connect --batch --format json --timeout 60 "$LIVE_USER@127.0.0.1" -p "$port" -- \
            "${CLIENT_OPTS[@]}" </dev/null >"$out.json" 2>"$out.err" &
        tool=$!
        sleep 2
    else
        port=$(free_port)
        "$BIN" server --batch -p "$port" -f "$CFG" --listen 127.0.0.1 --format json --timeout 60 \
            </dev/null >"$out.json" 2>"$out.err" &
        tool=$!
        for i in $(seq 1 100); do
            [ -n "$(ss -ltnH "sport = :$port" 2>/dev/null)" ] && break
            sleep 0.05
        done
        sleep 0.3
    fi
    PIDS+=("$tool")
    kids=$(descendants "$tool" | tr '\n' ' ')
    during=$(comm -13 <(echo "$before") <(tmpdirs))
    check "$label: the run has its sshdoctor.* directory before the signal${during:+ ($during)}" [ -n "$during" ]
    # the run is really under way: its ssh or sshd runs
    if [ "$kind" = connect ]; then
        for p in $kids; do
            [ "$(cat /proc/$p/comm 2>/dev/null)" = ssh ] && client_seen=1
        done
        check "$label: ssh runs under sshdoctor before the signal" [ $client_seen = 1 ]
    else
        check "$label: sshd listens on $port before the signal" \
            [ -n "$(ss -ltnH "sport = :$port" 2>/dev/null)" ]
    fi
    kill "-$sig" "$tool" 2>/dev/null
    if [ "$sig" = TERM ]; then
        # it must end by itself, promptly
        if wait_gone 5 "$tool"; then ok "$label: sshdoctor ended after SIGTERM"
        else fail "$label: sshdoctor still runs 5 s after SIGTERM"; kill -KILL "$tool" 2>/dev/null; fi
    fi
    wait "$tool" 2>/dev/null
    # shellcheck disable=SC2086
    if wait_gone 2 $kids; then
        ok "$label: no process of the run left within 2 s (ssh/sshd/watchdog: ${kids:-none})"
    else
        fail "$label: still running after 2 s:$(for p in $GONE_LEFT; do printf ' %s(%s)' "$p" "$(tr '\0' ' ' < /proc/$p/cmdline 2>/dev/null | cut -c1-60)"; done)"
    fi
    check "$label: no process names port $port" [ -z "$(run_port_procs "$port")" ]
    # the watchdog removes the directory (up to 2 s)
    for i in $(seq 1 20); do
        after=$(tmpdirs)
        new=$(comm -13 <(echo "$before") <(echo "$after"))
        [ -z "$new" ] && break
        sleep 0.1
    done
    check "$label: no sshdoctor.* directory left in ${TMPDIR:-/tmp}${new:+ ($new)}" [ -z "$new" ]
    if [ "$kind" = connect ]; then
        # no connection of the run to the listener stays open
        for i in $(seq 1 20); do
            [ -z "$(ss -tnH state established "( dport = :$port )" 2>/dev/null)" ] && break
            sleep 0.1
        done
        check "$label: no connection to port $port left" \
            [ -z "$(ss -tnH state established "( dport = :$port )" 2>/dev/null)" ]
        stop_pid "$LISTENER_PID"
    else
        for i in $(seq 1 20); do
            [ -z "$(ss -ltnH "sport = :$port" 2>/dev/null)" ] && break
            sleep 0.1
        done
        check "$label: port $port free again within 2 s (ss -ltn)" \
            [ -z "$(ss -ltnH "sport = :$port" 2>/dev/null)" ]
        d=$(pgrep -x sshd -a 2>/dev/null | grep -- "-p$port" || true)
        check "$label: no root sshd of the run${d:+ ($d)}" [ -z "$d" ]
    fi
}

kill_test "connect, kill -9 after 2 s" KILL connect
kill_test "connect, SIGTERM after 2 s" TERM connect
kill_test "server, kill -9 while sshd listens" KILL server
kill_test "server, SIGTERM while sshd listens" TERM server

# ---------------------------------------------------------------- (c) banner timeout
echo "== (c) no banner"
C=$BASE/out/c
mkdir -p "$C"
if start_listener silent; then
    timeout $((TMO + 30)) "$BIN" connect --batch --format json --connect-timeout 3 --timeout "$TMO" \
        "$LIVE_USER@127.0.0.1" -p "$LPORT" -- -oStrictHostKeyChecking=no -oUserKnownHostsFile=/dev/null \
        -oBatchMode=yes </dev/null >"$C/banner.json" 2>"$C/banner.err"
    rc=$?
    stop_pid "$LISTENER_PID"
    p=$(problem_of "$C/banner.json")
    check "silent listener, --connect-timeout 3: problem banner-timeout (got '${p:-$(verdict_of "$C/banner.json")}', exit $rc)" \
        [ "$p" = banner-timeout ]
else
    fail "silent listener did not start"
fi

# ---------------------------------------------------------------- (d) check
echo "== (d) check"
D=$BASE/out/d
mkdir -p "$D"
timeout 60 "$BIN" check --user root --format json </dev/null >"$D/check.json" 2>"$D/check.err"
rc=$?
n=$(jq_py "$D/check.json" 'len(j["findings"]) if isinstance(j.get("findings"), list) else "not-a-list"')
check "check --user root --format json: valid JSON with a findings array (${n:-invalid JSON}, exit $rc)" \
    "$PY" -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if isinstance(j, dict) and isinstance(j.get("findings"), list) else 1)' "$D/check.json"

# ---------------------------------------------------------------- (e) journal
echo "== (e) the server's own log (--journal)"
E=$BASE/out/e
mkdir -p "$E"
if start_sshd "$E/sshd.log"; then
    printf '%s\n' "wrong-$(rand_pw)" | SSHDOCTOR_AUTHLOG="$E/sshd.log" timeout $((TMO + 30)) \
        "$BIN" connect --batch --journal --format json --timeout "$TMO" \
        "$LIVE_USER@127.0.0.1" -p "$PORT" -- "${CLIENT_OPTS[@]}" >"$E/journal.json" 2>"$E/journal.err"
    rc=$?
    stop_pid "$SSHD_PID"
    p=$(problem_of "$E/journal.json")
    check "--journal, wrong password: the server's log names auth-password-wrong (got '${p:-$(verdict_of "$E/journal.json")}', exit $rc)" \
        [ "$p" = auth-password-wrong ]
    check "--journal says where the server's log came from" grep -q "the server's log: .* lines from $E/sshd.log" "$E/journal.err"
else
    fail "sshd for the journal test did not start"
fi

# ---------------------------------------------------------------- end
if [ "$FAIL" -gt 0 ] && [ -n "${LIVE_KEEP:-}" ]; then
    mkdir -p "$LIVE_KEEP" && cp -r "$BASE/out/." "$LIVE_KEEP/" && echo "live: outputs kept in $LIVE_KEEP"
fi
echo "live: $(( $(date +%s) - START_TS )) s"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
