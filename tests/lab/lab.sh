#!/usr/bin/env bash
# tests/lab/lab.sh: reproduce, for real, the problems of the KB catalog
# (shared/kb-catalog.md) with a real `sshd -ddd -e -p PORT -f CONFIG` on
# 127.0.0.1 and a real `ssh -vvv` / `sftp -vvv`, and save both logs as test
# fixtures (tests/fixtures/lab-<name>/: client.log, server.log, meta.txt,
# expect.json; see tests/fixtures/README.md).
#
# Usage: tests/lab/lab.sh [--out DIR] [--list] [--via-sshdoctor BIN] [SCENARIO...]
#
#   --out DIR   write lab-<name>/ directories under DIR (default:
#               tests/fixtures of the repository holding this script)
#   --list      print the scenario names and the catalog id each reproduces
#   --via-sshdoctor BIN
#               same servers, but the client is `BIN connect|sftp --batch
#               --format json` (server-only scenarios: `BIN server --batch`);
#               checks its diagnosis against expect.json instead of writing
#               fixtures (out dir default: build/lab-out; see VIA MODE below)
#   SCENARIO    run only these (default: all)
#
# Needs root: it creates a test user (sshdlab, GECOS "sshdoctor-lab"), runs
# sshd on free loopback ports (never 22), and removes everything on exit.
# Prints one line per scenario (ok / FAIL / skip) and exits non-zero if any
# scenario failed to show its expected symptom.
#
# Logs are saved byte for byte as captured. Paths in them point into the
# private lab directory, which is deleted at the end of the run.
#
# VIA MODE (--via-sshdoctor BIN): every scenario sets its server up exactly
# as without it, but where the lab would run `ssh OPTS user@host CMD` (or
# `sftp OPTS -b BATCH user@host`) it runs
#   BIN connect --batch --format json [--connect-timeout N] [--command CMD]
#       user@host -p PORT -- OPTS        (BIN sftp ... for the sftp ones)
# under the same wrappers (runuser, unshare) and environment. Password
# prompts are answered on BIN's standard input, not by SSH_ASKPASS. Its JSON
# (stdout) and its stream (stderr) go to OUT/lab-<name>/sshdoctor.json and
# sshdoctor.stderr; the verdict and problem.id must match expect.json's
# "client" case (lab-slow-login: the timed twin's, the live stream being
# timed). Server-only scenarios (sshd will not start) run
#   BIN server --batch -p PORT -f CONFIG --listen 127.0.0.1 --format json
# instead of sshd, checked against the "server" case. The scenarios in
# VIA_SERVER_CLIENT also run, after the client pass, on the same server
# configuration
#   BIN server --batch -p PORT2 -f CONFIG --listen 127.0.0.1 --format json
#       --client user@127.0.0.1
# checked against the "both" case. `server` has no way to pass ssh options
# to its client, so that run happens in a private mount namespace where a
# scratch directory is bind-mounted over root's home: its .ssh/config holds
# the scenario's client options (key, known_hosts, BatchMode...); root's
# real files are never touched. Client-side `want` patterns and exit
# statuses are not checked in this mode (the diagnosis is); server-side ones
# are. VIA_TIMEOUT (default 20) is the --timeout given to BIN.
# Ends with "N passed, M failed"; exits non-zero if anything failed.

set -u
set -o pipefail
export LC_ALL=C LANG=C
umask 022

SELF_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SELF_DIR/../.." && pwd -P)
OUT_DIR="$REPO_ROOT/tests/fixtures"
LAB_USER=sshdlab
LAB_TAG=sshdoctor-lab
SSHD=/usr/sbin/sshd
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# name  catalog-id   (order = run order, best first)
SCENARIOS=(
  "success                         success"
  "success-sftp                    success"
  "success-password                success"
  "tcp-refused                     tcp-refused"
  "dns-failure                     dns-failure"
  "tcp-timeout                     tcp-timeout"
  "tcp-no-route                    tcp-no-route"
  "tcp-net-unreachable             tcp-no-route"
  "banner-reset                    banner-reset"
  "banner-closed                   banner-reset"
  "banner-timeout                  banner-timeout"
  "not-ssh-server                  not-ssh-server"
  "not-ssh-server-tls              not-ssh-server"
  "kex-no-cipher                   kex-no-cipher"
  "kex-no-mac                      kex-no-mac"
  "kex-no-kex                      kex-no-kex"
  "kex-no-hostkey-alg              kex-no-hostkey-alg"
  "kex-no-hostkey-alg-client       kex-no-hostkey-alg"
  "hostkey-unknown                 hostkey-unknown"
  "hostkey-changed                 hostkey-changed"
  "auth-key-not-authorized         auth-key-not-authorized"
  "auth-bad-modes-server           auth-bad-modes-server"
  "auth-authorized-keys-unreadable auth-authorized-keys-unreadable"
  "auth-authorized-keys-missing    auth-authorized-keys-unreadable"
  "auth-client-key-perms           auth-client-key-perms"
  "auth-client-config-perms        auth-client-config-perms"
  "auth-invalid-user               auth-invalid-user"
  "auth-invalid-user-key           auth-invalid-user"
  "auth-user-not-allowed           auth-user-not-allowed"
  "auth-root-denied                auth-root-denied"
  "auth-password-wrong             auth-password-wrong"
  "auth-account-locked             auth-account-unusable"
  "auth-account-no-shell           auth-account-unusable"
  "auth-account-expired            auth-account-unusable"
  "auth-no-mutual-sig              auth-no-mutual-sig"
  "auth-too-many-failures          auth-too-many-failures"
  "auth-wrong-key-offered          auth-wrong-key-offered"
  "auth-key-encrypted-batch        auth-wrong-key-offered"
  "auth-key-unreadable             auth-key-unreadable"
  "auth-agent-refused              auth-agent-refused"
  "sftp-subsystem-missing          sftp-subsystem-missing"
  "sftp-subsystem-none             sftp-subsystem-missing"
  "sftp-shell-noise                sftp-shell-noise"
  "sftp-chroot-modes               sftp-chroot-modes"
  "packet-corrupt-mac              packet-corrupt-mac"
  "packet-corrupt-mac-server       packet-corrupt-mac"
  "idle-timeout-broken-pipe        idle-timeout-broken-pipe"
  "idle-keepalive-timeout          idle-timeout-broken-pipe"
  "forwarding-prohibited           forwarding-prohibited"
  "forwarding-prohibited-remote    forwarding-prohibited"
  "forward-bind-failed             forward-bind-failed"
  "forward-bind-failed-remote      forward-bind-failed"
  "login-no-home                   login-no-home"
  "login-nologin                   login-no-home"
  "pty-alloc-failed                pty-alloc-failed"
  "sshd-config-bad-option          sshd-config-error"
  "sshd-config-no-hostkeys         sshd-config-error"
  "sshd-config-port-in-use         sshd-config-error"
  "sshd-config-no-privsep-dir      sshd-config-error"
  "slow-login                      slow-login"
)

usage() {
    sed -n '7,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

scenario_id() { # name -> catalog id (empty if unknown)
    local e
    for e in "${SCENARIOS[@]}"; do
        set -- $e
        [ "$1" = "$NAME_Q" ] && { printf '%s' "$2"; return 0; }
    done
    return 1
}

# ---------------------------------------------------------------- arguments
LIST=0
SELECTED=()
VIA=""            # --via-sshdoctor BIN
OUT_GIVEN=0
while [ $# -gt 0 ]; do
    case $1 in
        --out) [ $# -ge 2 ] || { usage >&2; exit 2; }; OUT_DIR=$2; OUT_GIVEN=1; shift 2 ;;
        --out=*) OUT_DIR=${1#--out=}; OUT_GIVEN=1; shift ;;
        --via-sshdoctor) [ $# -ge 2 ] || { usage >&2; exit 2; }; VIA=$2; shift 2 ;;
        --via-sshdoctor=*) VIA=${1#--via-sshdoctor=}; shift ;;
        --list) LIST=1; shift ;;
        -h|--help) usage; exit 0 ;;
        --) shift; SELECTED+=("$@"); break ;;
        -*) echo "lab.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) SELECTED+=("$1"); shift ;;
    esac
done

if [ $LIST = 1 ]; then
    for e in "${SCENARIOS[@]}"; do
        set -- $e
        printf '%-32s %s\n' "$1" "$2"
    done
    exit 0
fi

for NAME_Q in "${SELECTED[@]}"; do
    NAME_Q=${NAME_Q#lab-}
    scenario_id >/dev/null || { echo "lab.sh: unknown scenario '$NAME_Q' (see --list)" >&2; exit 2; }
done

if [ "$(id -u)" != 0 ]; then
    echo "lab.sh: must run as root (it creates a test user and runs sshd)" >&2
    exit 1
fi
for t in "$SSHD" ssh sftp ssh-keygen ssh-agent ssh-add useradd usermod userdel chpasswd \
         runuser setsid timeout "$PY"; do
    command -v "$t" >/dev/null 2>&1 || { echo "lab.sh: missing $t" >&2; exit 1; }
done
if [ -n "$VIA" ]; then
    case $VIA in /*) ;; *) VIA=$PWD/$VIA ;; esac
    [ -x "$VIA" ] || { echo "lab.sh: --via-sshdoctor: $VIA is not an executable" >&2; exit 1; }
    # never overwrite the fixtures with sshdoctor's output
    [ $OUT_GIVEN = 1 ] || OUT_DIR=$REPO_ROOT/build/lab-out
    command -v unshare >/dev/null 2>&1 || { echo "lab.sh: missing unshare" >&2; exit 1; }
fi
mkdir -p -- "$OUT_DIR" && OUT_DIR=$(cd -- "$OUT_DIR" && pwd -P) || exit 1

# One lab at a time: every run creates and deletes the same test user, so a
# second run started meanwhile would delete the first one's user. Wait.
if command -v flock >/dev/null 2>&1; then
    exec 9>>/run/sshdoctor-lab.lock
    if ! flock -n 9; then
        echo "lab.sh: another lab.sh run holds /run/sshdoctor-lab.lock; waiting for it" >&2
        flock -w 3600 9 || { echo "lab.sh: still locked after an hour" >&2; exit 1; }
    fi
fi

# ---------------------------------------------------------------- global state
BASE=""          # private lab directory
TMP2=""          # second private directory under /tmp (privsep scenario)
PIDS=()          # background processes we started (each leads its own group)
LAB_UID=""
START_TS=$(date +%s)

stop_pid() { # pid: TERM its process group (we start everything with setsid), then KILL
    local p=$1 i
    [ -n "$p" ] || return 0
    if kill -0 "$p" 2>/dev/null; then
        kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
        for i in $(seq 1 20); do
            kill -0 "$p" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$p" 2>/dev/null || kill -KILL "$p" 2>/dev/null
    fi
    wait "$p" 2>/dev/null
    forget_pid "$p"
    return 0
}

forget_pid() { # drop a pid we have waited for from PIDS
    local p keep=()
    for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

fg_wait() { # pid: wait for a child started with &, interruptible by our traps
    PIDS+=("$1")
    wait "$1"
    FG_RC=$?
    forget_pid "$1"
}

stop_pids() {
    local p
    for p in "${PIDS[@]}"; do stop_pid "$p"; done
    PIDS=()
}

user_is_ours() {
    local gecos
    gecos=$(getent passwd "$LAB_USER" | cut -d: -f5) || return 1
    [ "$gecos" = "$LAB_TAG" ]
}

kill_user_procs() { # every process of the test user, by pid
    local uid=${1:-$LAB_UID} i pids
    [ -n "$uid" ] || return 0
    for i in $(seq 1 30); do
        pids=$(ps -o pid= -U "$uid" 2>/dev/null | tr -d ' ')
        [ -n "$pids" ] || return 0
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null
        sleep 0.1
    done
    return 1
}

remove_user() {
    local uid
    user_is_ours || return 0
    uid=$(id -u "$LAB_USER")
    kill_user_procs "$uid"
    userdel -r "$LAB_USER" >/dev/null 2>&1 || userdel -f "$LAB_USER" >/dev/null 2>&1
    getent group "$LAB_USER" >/dev/null 2>&1 && groupdel "$LAB_USER" >/dev/null 2>&1
    return 0
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    stop_pids
    remove_user
    [ -n "$BASE" ] && [ -d "$BASE" ] && rm -rf -- "$BASE"
    [ -n "$TMP2" ] && [ -d "$TMP2" ] && rm -rf -- "$TMP2"
    if getent passwd "$LAB_USER" >/dev/null 2>&1 && user_is_ours; then
        echo "lab.sh: WARNING: test user $LAB_USER still exists" >&2; rc=1
    fi
    if [ -n "$LAB_UID" ] && [ -n "$(ps -o pid= -U "$LAB_UID" 2>/dev/null)" ]; then
        echo "lab.sh: WARNING: processes of uid $LAB_UID remain" >&2; rc=1
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ---------------------------------------------------------------- setup
if getent passwd "$LAB_USER" >/dev/null; then
    if user_is_ours; then
        remove_user
    else
        echo "lab.sh: user $LAB_USER exists and is not tagged $LAB_TAG; refusing to touch it" >&2
        exit 1
    fi
fi

# A base directory whose parents are root-owned and not group/world-writable
# keeps sshd's StrictModes walk (and the ChrootDirectory check) about the
# files we set up, not about /tmp's mode 1777. /run qualifies on Debian.
if [ -d /run ] && [ -w /run ] && [ "$(stat -c '%u %a' /run)" = "0 755" ]; then
    BASE=$(mktemp -d /run/sshdoctor-lab.XXXXXX) || exit 1
else
    BASE=$(mktemp -d) || exit 1
fi
chmod 0755 "$BASE"
SAFE_CHAIN=1
d=$BASE
while [ "$d" != / ]; do
    d=$(dirname "$d")
    m=$(stat -c '%u %a' "$d")
    set -- $m
    if [ "$1" != 0 ] || [ $(( 8#$2 & 8#022 )) -ne 0 ]; then SAFE_CHAIN=0; fi
done

install -d -m 0755 /run/sshd
HK=$BASE/hostkeys
KEYS=$BASE/keys
install -d -m 0700 "$HK" "$KEYS"
install -d -m 0755 "$BASE/home" "$BASE/s"
UHOME=$BASE/home/$LAB_USER

useradd -m -d "$UHOME" -s /bin/bash -c "$LAB_TAG" "$LAB_USER" >/dev/null 2>&1 \
    || { echo "lab.sh: useradd failed" >&2; exit 1; }
usermod -p '*' "$LAB_USER"
LAB_UID=$(id -u "$LAB_USER")

ssh-keygen -q -t ed25519 -N '' -C "sshdoctor-lab host key" -f "$HK/ssh_host_ed25519_key" </dev/null >/dev/null
ssh-keygen -q -t ecdsa -N '' -C "sshdoctor-lab host key" -f "$HK/ssh_host_ecdsa_key" </dev/null >/dev/null
ssh-keygen -q -t rsa -b 3072 -N '' -C "sshdoctor-lab host key" -f "$HK/ssh_host_rsa_key" </dev/null >/dev/null
ssh-keygen -q -t ed25519 -N '' -C "sshdoctor-lab other host key" -f "$HK/other_host_ed25519_key" </dev/null >/dev/null
ssh-keygen -q -t ed25519 -N '' -C "sshdlab-client@sshdoctor-lab" -f "$KEYS/id_ed25519" </dev/null >/dev/null
ssh-keygen -q -t rsa -b 3072 -N '' -C "sshdlab-rsa@sshdoctor-lab" -f "$KEYS/id_rsa" </dev/null >/dev/null
for i in 1 2 3; do
    ssh-keygen -q -t ed25519 -N '' -C "unrelated-key-$i@sshdoctor-lab" -f "$KEYS/other$i" </dev/null >/dev/null
done

rand_pw() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20; }
PW=$(rand_pw)            # the test user's password in password scenarios
WRONG_PW=$(rand_pw)      # what askpass answers in wrong-password scenarios
ENC_PASSPHRASE=$(rand_pw)
ssh-keygen -q -t ed25519 -N "$ENC_PASSPHRASE" -C "encrypted@sshdoctor-lab" -f "$KEYS/id_encrypted" </dev/null >/dev/null
ASKPASS=$BASE/askpass
ASKPASS_ANSWER=$BASE/askpass.answer
cat > "$ASKPASS" <<EOF
#!/bin/sh
# askpass for the sshdoctor lab: prints the prepared answer, never logs it
cat '$ASKPASS_ANSWER'
EOF
chmod 0700 "$ASKPASS"
: > "$ASKPASS_ANSWER"; chmod 0600 "$ASKPASS_ANSWER"

SSH_VERSION=$(ssh -V 2>&1)
SSHD_PKG=$(dpkg-query -W -f='${Package} ${Version}' openssh-server 2>/dev/null || echo unknown)
SSHD_V=$("$SSHD" -V 2>&1 | head -n1)
OS_NAME=$( . /etc/os-release 2>/dev/null; echo "${PRETTY_NAME:-unknown}")

# ---------------------------------------------------------------- helpers
free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

quote_cmd() { local out="" a; for a in "$@"; do out+="$(printf '%q' "$a") "; done; printf '%s' "${out% }"; }

bg_start() { # logfile cmd...  (own session/process group; pid in BG_PID)
    local log=$1; shift
    setsid "$@" </dev/null >/dev/null 2>"$log" &
    BG_PID=$!
    PIDS+=("$BG_PID")
}

wait_for_line() { # file ERE pid secs
    local f=$1 re=$2 pid=$3 secs=$4 i n
    n=$(( secs * 20 ))
    for (( i = 0; i < n; i++ )); do
        grep -qE -- "$re" "$f" 2>/dev/null && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            grep -qE -- "$re" "$f" 2>/dev/null
            return
        fi
        sleep 0.05
    done
    return 1
}

wait_exit() { # pid secs: wait for it to end by itself, then stop it
    local pid=$1 secs=$2 i n
    n=$(( secs * 20 ))
    for (( i = 0; i < n; i++ )); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    stop_pid "$pid"
}

make_cfg() { # scenario overrides on stdin (first value wins in sshd, so they go first)
    CFG=$SD/sshd_config
    {
        echo "# sshdoctor lab scenario $NAME: overrides first (sshd keeps the first value)"
        cat
        echo "# base"
        [ -n "${NO_LISTEN:-}" ] || echo "ListenAddress 127.0.0.1"
        [ -n "${NO_HOSTKEYS:-}" ] || printf 'HostKey %s\n' "$HK/ssh_host_ed25519_key" \
            "$HK/ssh_host_ecdsa_key" "$HK/ssh_host_rsa_key"
        cat <<EOF
PidFile none
UsePAM no
StrictModes yes
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile .ssh/authorized_keys
X11Forwarding no
PrintMotd no
PrintLastLog no
EOF
        [ -n "${NO_SUBSYSTEM:-}" ] || echo "Subsystem sftp /usr/lib/openssh/sftp-server"
    } > "$CFG"
}

kh_write() { # port: known_hosts holding the lab's host keys for [127.0.0.1]:port
    local p=$1 f
    : > "$SD/known_hosts"
    for f in "$HK"/ssh_host_*_key.pub; do
        printf '[127.0.0.1]:%s %s\n' "$p" "$(cut -d' ' -f1,2 "$f")" >> "$SD/known_hosts"
    done
}

start_sshd() { # uses $CFG; sets PORT, SSHD_PID, SERVER_CMD; writes known_hosts
    local _
    for _ in 1 2 3; do
        PORT=$(free_port)
        SERVER_CMD=$(quote_cmd "$SSHD" -ddd -e -p "$PORT" -f "$CFG")
        bg_start "$FX/server.log" "$SSHD" -ddd -e -p "$PORT" -f "$CFG"
        SSHD_PID=$BG_PID
        if wait_for_line "$FX/server.log" '^Server listening on ' "$SSHD_PID" 5; then
            kh_write "$PORT"
            return 0
        fi
        stop_pid "$SSHD_PID"
        grep -qE 'Address already in use|Cannot bind any address' "$FX/server.log" && continue
        REASON="sshd did not start: $(tail -n1 "$FX/server.log")"
        return 1
    done
    REASON="sshd: no free port after 3 tries"
    return 1
}

wait_sshd() { wait_exit "$SSHD_PID" "${1:-5}"; }

start_helper() { # script args...: python helper printing its port to a ready file; sets HPORT
    local script=$1; shift
    local ready=$SD/ready.$RANDOM i
    rm -f "$ready"
    HELPER_CMD=$(quote_cmd "$PY" "$SELF_DIR/$script" "$@" --ready "$ready")
    bg_start "$SD/helper.$script.log" "$PY" "$SELF_DIR/$script" "$@" --ready "$ready"
    HELPER_PID=$BG_PID
    for i in $(seq 1 100); do
        [ -s "$ready" ] && { HPORT=$(cat "$ready"); return 0; }
        kill -0 "$HELPER_PID" 2>/dev/null || break
        sleep 0.05
    done
    REASON="helper $script did not start: $(tail -n1 "$SD/helper.$script.log" 2>/dev/null)"
    return 1
}

std_opts() { # port [key]: the deterministic client options (SSH_STD); ASKPASS=1 for password scenarios
    local p=$1 key=${2-$KEYS/id_ed25519}
    SSH_STD=(-F /dev/null -vvv -p "$p" -o ConnectTimeout=5
             -o UserKnownHostsFile="$SD/known_hosts" -o GlobalKnownHostsFile=/dev/null
             -o StrictHostKeyChecking=yes)
    [ -n "${ASKPASS_MODE:-}" ] || SSH_STD+=(-o BatchMode=yes)
    SSH_STD+=(-o IdentitiesOnly=yes)
    [ -n "$key" ] && SSH_STD+=(-i "$key")
}

sftp_opts() { # port [key]: same for sftp (-P)
    std_opts "$@"
    SSH_STD[3]=-P
}

# ---- via mode: the same client run through `sshdoctor connect|sftp --batch`
VIA_TIMEOUT=${VIA_TIMEOUT:-20}
# client scenarios also run through `sshdoctor server --client` (the "both" case)
VIA_SERVER_CLIENT="success auth-key-not-authorized auth-bad-modes-server auth-invalid-user auth-user-not-allowed auth-root-denied"
VIA_RAN=""        # client | server: what the scenario ran through sshdoctor
VIA_DEST="" VIA_TOOL=""
VIA_ARGV=() VIA_WRAP=() VIA_SSHOPTS=()

via_translate() { # client argv... -> VIA_WRAP (wrappers before ssh/sftp), VIA_ARGV (sshdoctor), VIA_SSHOPTS
    local args=("$@") n=$# i=0 a tool="" port="" ct="" dest="" opts=() cmd=()
    VIA_WRAP=()
    while [ $i -lt $n ]; do
        a=${args[i]}
        case ${a##*/} in ssh|sftp) tool=${a##*/}; break ;; esac
        VIA_WRAP+=("$a"); i=$((i + 1))
    done
    [ -n "$tool" ] || return 1
    i=$((i + 1))
    while [ $i -lt $n ]; do
        a=${args[i]}
        if [ -n "$dest" ]; then cmd+=("$a"); i=$((i + 1)); continue; fi
        case $a in
            -p|-P) port=${args[i+1]}; i=$((i + 2)) ;;
            -b) i=$((i + 2)) ;;     # sftp batch: sshdoctor writes its own (pwd, ls)
            -o) case ${args[i+1]} in
                    ConnectTimeout=*) [ -n "$ct" ] || ct=${args[i+1]#ConnectTimeout=} ;;
                    *) opts+=(-o "${args[i+1]}") ;;
                esac
                i=$((i + 2)) ;;
            -F|-i|-c|-m|-L|-R|-D|-J|-l|-E|-W|-S) opts+=("$a" "${args[i+1]}"); i=$((i + 2)) ;;
            -v|-vv|-vvv) i=$((i + 1)) ;;   # sshdoctor runs -vvv itself
            -*) opts+=("$a"); i=$((i + 1)) ;;
            *) dest=$a; i=$((i + 1)) ;;
        esac
    done
    VIA_TOOL=$tool VIA_DEST=$dest
    VIA_SSHOPTS=("${opts[@]}")
    if [ "$tool" = sftp ]; then VIA_ARGV=("$VIA" sftp); else VIA_ARGV=("$VIA" connect); fi
    VIA_ARGV+=(--batch --format json --timeout "$VIA_TIMEOUT")
    # ssh keeps the first ConnectTimeout and sshdoctor puts its own first
    [ -n "$ct" ] && VIA_ARGV+=(--connect-timeout "$ct")
    [ "$tool" = ssh ] && [ ${#cmd[@]} -gt 0 ] && VIA_ARGV+=(--command "${cmd[*]}")
    VIA_ARGV+=("$dest")
    [ -n "$port" ] && VIA_ARGV+=(-p "$port")
    VIA_ARGV+=(-- "${opts[@]}")
    return 0
}

via_run_client() { # cmd... (what run_client was given), with envs set by run_client
    if ! via_translate "$@"; then
        REASON="via: no ssh/sftp in $(quote_cmd "$@")"; CLIENT_RC=127; return 0
    fi
    VIA_RAN=client
    CLIENT_CMDS+=("$(quote_cmd "${VIA_WRAP[@]}" "${VIA_ARGV[@]}") <${CLIENT_STDIN:-/dev/null} >sshdoctor.json 2>sshdoctor.stderr")
    env "${envs[@]}" setsid -w timeout $((VIA_TIMEOUT + 20)) "${VIA_WRAP[@]}" "${VIA_ARGV[@]}" \
        <"${CLIENT_STDIN:-/dev/null}" >"$FX/sshdoctor.json" 2>>"$FX/client.log" &
    fg_wait $!
    CLIENT_RC=$FG_RC
    CLIENT_CMDS[-1]+="    # exit status $CLIENT_RC"
    return 0
}

CLIENT_ENV=()
run_client() { # cmd...: stderr (the -vvv log) and stdout to client.log unless CLIENT_STDOUT=discard
    local envs=(-u SSH_AUTH_SOCK -u SSH_AGENT_PID -u SSH_ASKPASS -u SSH_ASKPASS_REQUIRE -u DISPLAY)
    envs+=("${CLIENT_ENV[@]}")
    [ -n "$VIA" ] && { via_run_client "$@"; return; }
    if [ ${#CLIENT_ENV[@]} -gt 0 ]; then
        CLIENT_CMDS+=("$(quote_cmd env "${CLIENT_ENV[@]}" "$@") <${CLIENT_STDIN:-/dev/null}")
    else
        CLIENT_CMDS+=("$(quote_cmd "$@") <${CLIENT_STDIN:-/dev/null}")
    fi
    # In the background + wait, so that a signal to lab.sh is handled at once.
    if [ "${CLIENT_STDOUT:-merge}" = discard ]; then
        env "${envs[@]}" setsid -w timeout 20 "$@" <"${CLIENT_STDIN:-/dev/null}" \
            >/dev/null 2>>"$FX/client.log" &
    else
        env "${envs[@]}" setsid -w timeout 20 "$@" <"${CLIENT_STDIN:-/dev/null}" \
            >>"$FX/client.log" 2>&1 &
    fi
    fg_wait $!
    CLIENT_RC=$FG_RC
    CLIENT_CMDS[-1]+="    # exit status $CLIENT_RC"
    return 0
}

askpass_mode() { # answer: password scenarios use SSH_ASKPASS, never BatchMode
    ASKPASS_MODE=1
    printf '%s\n' "$1" > "$ASKPASS_ANSWER"
    if [ -n "$VIA" ]; then
        # sshdoctor answers ssh's prompt on its pty from its standard input
        printf '%s\n%s\n%s\n' "$1" "$1" "$1" > "$ASKPASS_ANSWER"
        CLIENT_STDIN=$ASKPASS_ANSWER
        CLIENT_ENV=()
        return 0
    fi
    CLIENT_ENV=(SSH_ASKPASS="$ASKPASS" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
}

set_password() { printf '%s:%s\n' "$LAB_USER" "$PW" | chpasswd; }

ssh_to() { # user command...: start nothing, just run ssh with PRE + SSH_STD against $PORT
    local user=$1; shift
    run_client ssh "${PRE[@]}" "${SSH_STD[@]}" "$user@127.0.0.1" "$@"
}

simple() { # user command...: make_cfg must be done; sshd, client, wait
    start_sshd || return 1
    std_opts "$PORT" "${KEY-$KEYS/id_ed25519}"
    ssh_to "$@"
    wait_sshd
}

want() { # (client|server|FILE) ERE ...: every pattern must occur
    local f re
    while [ $# -ge 2 ]; do
        # via mode: the client log is sshdoctor's stream; its diagnosis is checked instead
        if [ -n "$VIA" ] && [ "$1" = client ]; then shift 2; continue; fi
        case $1 in client) f=$FX/client.log ;; server) f=$FX/server.log ;; *) f=$1 ;; esac
        re=$2; shift 2
        if [ ! -f "$f" ]; then REASON="no $(basename "$f")"; return 1; fi
        grep -qE -- "$re" "$f" || { REASON="$(basename "$f") lacks /$re/"; return 1; }
    done
    return 0
}

want_rc() { # expected client exit status (via mode: sshdoctor's status is not ssh's)
    [ -n "$VIA" ] && return 0
    [ "$CLIENT_RC" = "$1" ] || { REASON="client exit status $CLIENT_RC, expected $1"; return 1; }
}

note() { NOTES+=("$*"); }

# JSON for expect.json
js() { local s=$1; s=${s//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
jlist() { local first=1 x; for x in "$@"; do [ $first = 1 ] || printf ', '; first=0; js "$x"; done; }
prob() { # id stage [evidence substrings...]
    local id=$1 st=$2; shift 2
    printf '{"verdict": "problem", "problem": %s, "stage": %s' "$(js "$id")" "$(js "$st")"
    [ $# -gt 0 ] && printf ', "evidence": [%s]' "$(jlist "$@")"
    printf '}'
}
inconc() { # [alternatives...]
    if [ $# -gt 0 ]; then printf '{"verdict": "inconclusive", "alternatives": [%s]}' "$(jlist "$@")"
    else printf '{"verdict": "inconclusive"}'; fi
}
okv() { # [extra json members]
    printf '{"verdict": "ok"%s}' "${1:+, $1}"
}
OK_STAGES='"stages": {"tcp": "ok", "version": "ok", "kex": "ok", "hostkey": "ok", "auth": "ok"}'
expect() { # description  then pairs: client JSON server JSON both JSON
    local desc=$1 first=1; shift
    {
        printf '{\n  "description": %s,\n' "$(js "$desc")"
        printf '  "source": %s,\n' "$(js "tests/lab/lab.sh scenario $NAME: real ${SSH_VERSION%%,*} client and sshd on loopback, captured $(date -u +%Y-%m-%d)")"
        printf '  "cases": {\n'
        while [ $# -ge 2 ]; do
            [ $first = 1 ] || printf ',\n'
            first=0
            printf '    %s: %s' "$(js "$1")" "$2"
            shift 2
        done
        printf '\n  }\n}\n'
    } > "$FX/expect.json"
}

write_meta() {
    local c
    {
        echo "scenario: lab-$NAME"
        echo "catalog id: $ID"
        echo "captured: $(date -u +%Y-%m-%dT%H:%M:%SZ) by tests/lab/lab.sh"
        echo "system: $OS_NAME, kernel $(uname -r)"
        echo "ssh -V: $SSH_VERSION"
        echo "sshd: $SSHD_PKG ($SSHD_V)"
        echo "test user: $LAB_USER (uid $LAB_UID, GECOS $LAB_TAG), home $UHOME"
        echo "lab directory: $BASE (private, removed after the run; log paths point into it)"
        if [ ${#NOTES[@]} -gt 0 ]; then
            echo
            echo "what was set up:"
            for c in "${NOTES[@]}"; do echo "  - $c"; done
        fi
        if [ -n "${HELPER_CMDS:-}" ]; then
            echo
            echo "helper:"
            echo "$HELPER_CMDS" | sed 's/^/  /'
        fi
        if [ ${#CLIENT_CMDS[@]} -gt 0 ]; then
            echo
            echo "client command(s) (stderr -> client.log$( [ "${CLIENT_STDOUT:-merge}" = merge ] && echo ', stdout too'); 'env -u SSH_AUTH_SOCK' and 'setsid -w timeout 20' around each):"
            for c in "${CLIENT_CMDS[@]}"; do echo "  $c"; done
        fi
        if [ -n "${SERVER_CMD:-}" ]; then
            echo
            echo "server command (stderr -> server.log):"
            echo "  $SERVER_CMD"
        fi
        if [ -n "${CFG:-}" ] && [ -f "$CFG" ]; then
            echo
            echo "server config $CFG:"
            sed 's/^/  /' "$CFG"
        fi
        for c in "${META_FILES[@]}"; do
            echo
            echo "file $c:"
            sed 's/^/  /' "$c"
        done
    } > "$FX/meta.txt"
}

reset_user() { # a known state for the test user before each scenario
    kill_user_procs
    usermod -p '*' -s /bin/bash -d "$UHOME" -e '' "$LAB_USER" >/dev/null 2>&1
    chage -E -1 "$LAB_USER" >/dev/null 2>&1
    install -d -o "$LAB_USER" -g "$LAB_USER" -m 0755 "$UHOME"
    chown "$LAB_USER:$LAB_USER" "$UHOME"; chmod 0755 "$UHOME"
    rm -rf -- "$UHOME/.ssh" "$UHOME/.bashrc"
    install -d -o "$LAB_USER" -g "$LAB_USER" -m 0700 "$UHOME/.ssh"
    install -o "$LAB_USER" -g "$LAB_USER" -m 0600 "$KEYS/id_ed25519.pub" "$UHOME/.ssh/authorized_keys"
    install -o "$LAB_USER" -g "$LAB_USER" -m 0644 /etc/skel/.bashrc "$UHOME/.bashrc"
    find "$UHOME" -mindepth 1 -maxdepth 1 ! -name .ssh ! -name .bashrc ! -name .profile \
        ! -name .bash_logout -exec rm -rf {} + 2>/dev/null
    : > "$ASKPASS_ANSWER"
}

# ---------------------------------------------------------------- scenarios
# Each sc_<name> returns 0 (fixture ready: logs + expect.json), 1 (FAIL,
# REASON says why) or 2 (skip, REASON says why).

sc_success() {
    make_cfg </dev/null
    PRE=()
    simple "$LAB_USER" 'echo lab-ok; id -un' || return 1
    note "authorized_keys holds the client's ed25519 key; remote command prints two lines"
    want client 'Authenticated to 127\.0\.0\.1 \(\[127\.0\.0\.1\]:[0-9]+\)' \
         client '^lab-ok$' server 'Accepted publickey for sshdlab from 127\.0\.0\.1' || return 1
    want_rc 0 || return 1
    expect "a clean key login running one command" \
        client "$(okv "$OK_STAGES")" server "$(okv)" both "$(okv "$OK_STAGES")"
}

sc_success_sftp() {
    make_cfg </dev/null
    start_sshd || return 1
    printf 'hello from the sshdoctor lab\n' > "$SD/hello.txt"
    cat > "$SD/batch" <<EOF
pwd
ls -la
put $SD/hello.txt hello.txt
ls -l hello.txt
get hello.txt $SD/hello.back
rm hello.txt
EOF
    META_FILES=("$SD/batch")
    sftp_opts "$PORT"
    run_client sftp "${SFTP_PRE[@]}" "${SSH_STD[@]}" -b "$SD/batch" "$LAB_USER@127.0.0.1"
    wait_sshd
    want client 'Sending subsystem: sftp' server 'subsystem request for sftp by user sshdlab' || return 1
    [ -n "$VIA" ] || cmp -s "$SD/hello.txt" "$SD/hello.back" || { REASON="file did not round-trip"; return 1; }
    want_rc 0 || return 1
    expect "a clean sftp session (batch: pwd, ls, put, get, rm)" \
        client "$(okv "$OK_STAGES")" server "$(okv)" both "$(okv "$OK_STAGES")"
}

sc_success_password() {
    make_cfg <<EOF
PasswordAuthentication yes
EOF
    set_password
    askpass_mode "$PW"
    note "the test user has a random password; SSH_ASKPASS (SSH_ASKPASS_REQUIRE=force) answers it"
    PRE=(-o PubkeyAuthentication=no)
    KEY="" simple "$LAB_USER" true || return 1
    want client 'Authenticated to 127\.0\.0\.1' server 'Accepted password for sshdlab' || return 1
    want_rc 0 || return 1
    expect "a clean password login" \
        client "$(okv "$OK_STAGES")" server "$(okv)" both "$(okv "$OK_STAGES")"
}

sc_tcp_refused() {
    PORT=$(free_port)
    note "nothing listens on 127.0.0.1:$PORT"
    std_opts "$PORT"; PRE=()
    ssh_to "$LAB_USER" true
    want client "connect to host 127\.0\.0\.1 port $PORT: Connection refused" || return 1
    want_rc 255 || return 1
    expect "nothing listens on the port" \
        client "$(prob tcp-refused tcp "Connection refused")"
}

sc_dns_failure() {
    PORT=$(free_port)
    note "host name nonexistent.invalid (RFC 2606: never resolves)"
    std_opts "$PORT"; PRE=()
    run_client ssh "${SSH_STD[@]}" "$LAB_USER@nonexistent.invalid" true
    want client 'Could not resolve hostname nonexistent\.invalid' || return 1
    want_rc 255 || return 1
    expect "the host name does not resolve" \
        client "$(prob dns-failure tcp "Could not resolve hostname")"
}

sc_tcp_timeout() {
    if [ "$(cat /proc/sys/net/ipv4/tcp_abort_on_overflow 2>/dev/null)" = 1 ]; then
        REASON="net.ipv4.tcp_abort_on_overflow=1 answers a full queue with RST; no iptables/nft black hole either"
        return 2
    fi
    start_helper listener.py --mode backlog-full --lifetime 15 || return 1
    HELPER_CMDS=$HELPER_CMD
    note "a listener with backlog 0 whose accept queue is full: the kernel silently drops new SYNs, like a firewall DROP rule (no iptables/nft on this machine)"
    std_opts "$HPORT"; PRE=(-o ConnectTimeout=3)
    ssh_to "$LAB_USER" true
    want client "connect to host 127\.0\.0\.1 port $HPORT: Connection timed out" || return 1
    want_rc 255 || return 1
    expect "SYNs dropped: connect() times out (ConnectTimeout=3)" \
        client "$(prob tcp-timeout tcp "Connection timed out")"
}

netns_ok() { unshare -n true 2>/dev/null || { REASON="unshare -n (network namespace) not available"; return 1; }; }

sc_tcp_no_route() {
    netns_ok || return 2
    PORT=$(free_port)
    note "client runs in a private network namespace (unshare -n) where 198.51.100.0/24 has an 'unreachable' route"
    std_opts "$PORT"; PRE=()
    run_client unshare -n sh -c 'ip link set lo up && ip route add unreachable 198.51.100.0/24 && exec "$@"' \
        lab-netns ssh "${SSH_STD[@]}" "$LAB_USER@198.51.100.7" true
    want client "connect to host 198\.51\.100\.7 port $PORT: No route to host" || return 1
    expect "no route to the host" \
        client "$(prob tcp-no-route tcp "No route to host")"
}

sc_tcp_net_unreachable() {
    netns_ok || return 2
    PORT=$(free_port)
    note "client runs in a private, empty network namespace (unshare -n): no interface up, no route"
    std_opts "$PORT"; PRE=()
    run_client unshare -n ssh "${SSH_STD[@]}" "$LAB_USER@198.51.100.7" true
    want client "connect to host 198\.51\.100\.7 port $PORT: Network is unreachable" || return 1
    expect "no network route at all" \
        client "$(prob tcp-no-route tcp "Network is unreachable")"
}

listener_scenario() { # mode
    start_helper listener.py --mode "$1" --lifetime 15 || return 1
    HELPER_CMDS=$HELPER_CMD
    std_opts "$HPORT"
    ssh_to "$LAB_USER" true
    wait_exit "$HELPER_PID" 3
}

sc_banner_reset() {
    note "a listener accepts the TCP connection and resets it at once (SO_LINGER 0 + close)"
    PRE=(); listener_scenario reset || return 1
    want client 'kex_exchange_identification: read: Connection reset by peer' || return 1
    expect "connection accepted, then reset before the banner" \
        client "$(prob banner-reset version "Connection reset by peer")"
}

sc_banner_closed() {
    note "a listener accepts, reads the client's identification line and closes (FIN), as TCP wrappers or MaxStartups do"
    PRE=(); listener_scenario close-after-banner || return 1
    want client 'kex_exchange_identification: Connection closed by remote host' || return 1
    expect "connection accepted, then closed before the banner" \
        client "$(prob banner-reset version "Connection closed by remote host")"
}

sc_banner_timeout() {
    note "a listener accepts and never sends anything; client ConnectTimeout=3"
    PRE=(-o ConnectTimeout=3); listener_scenario silent || return 1
    want client 'Connection timed out during banner exchange' || return 1
    expect "connection accepted, no banner ever arrives" \
        client "$(prob banner-timeout version "Connection timed out during banner exchange")"
}

sc_not_ssh_server() {
    note "a listener that answers like nginx: reads one line, sends HTTP/1.1 400 Bad Request + headers + HTML, closes"
    PRE=(); listener_scenario http || return 1
    want client 'HTTP/1\.1 400 Bad Request' || return 1
    expect "the port speaks HTTP" \
        client "$(prob not-ssh-server version "HTTP/1.1 400 Bad Request")"
}

sc_not_ssh_server_tls() {
    note "a listener that answers like a TLS server: reads one line, sends a TLS fatal alert record (15 03 03 00 02 02 46), closes"
    PRE=(); listener_scenario tls || return 1
    want client 'banner line contains invalid characters' || return 1
    expect "the port speaks TLS" \
        client "$(prob not-ssh-server version "banner line contains invalid characters")"
}

kex_expect() { # id what evidence-substring
    expect "$2" \
        client "$(prob "$1" kex "$3")" server "$(prob "$1" kex "$3")" both "$(prob "$1" kex "$3")"
}

sc_kex_no_cipher() {
    make_cfg <<EOF
Ciphers aes256-ctr
EOF
    PRE=(-c aes128-ctr); simple "$LAB_USER" true || return 1
    want client 'no matching cipher found' server 'no matching cipher found' || return 1
    kex_expect kex-no-cipher "server Ciphers aes256-ctr, client -c aes128-ctr" "no matching cipher found"
}

sc_kex_no_mac() {
    make_cfg <<EOF
Ciphers aes128-ctr
MACs hmac-sha2-512
EOF
    note "a non-AEAD cipher on both sides, or no MAC is negotiated at all"
    PRE=(-c aes128-ctr -m hmac-sha2-256); simple "$LAB_USER" true || return 1
    want client 'no matching MAC found' server 'no matching MAC found' || return 1
    kex_expect kex-no-mac "server MACs hmac-sha2-512, client -m hmac-sha2-256 (both aes128-ctr)" "no matching MAC found"
}

sc_kex_no_kex() {
    make_cfg <<EOF
KexAlgorithms diffie-hellman-group14-sha256
EOF
    PRE=(-o KexAlgorithms=curve25519-sha256); simple "$LAB_USER" true || return 1
    want client 'no matching key exchange method found' server 'no matching key exchange method found' || return 1
    kex_expect kex-no-kex "server KexAlgorithms diffie-hellman-group14-sha256, client curve25519-sha256" \
        "no matching key exchange method found"
}

sc_kex_no_hostkey_alg() {
    NO_HOSTKEYS=1 make_cfg <<EOF
HostKey $HK/ssh_host_rsa_key
HostKeyAlgorithms ssh-rsa
EOF
    note "the server only offers ssh-rsa (SHA-1) host key signatures, like an old server; the 9.2 client disables ssh-rsa by default"
    PRE=(); simple "$LAB_USER" true || return 1
    want client 'no matching host key type found' server 'no matching host key type found' || return 1
    kex_expect kex-no-hostkey-alg "server offers only ssh-rsa host key signatures" "no matching host key type found"
}

sc_kex_no_hostkey_alg_client() {
    NO_HOSTKEYS=1 make_cfg <<EOF
HostKey $HK/ssh_host_rsa_key
EOF
    note "the server has only an RSA host key; the client accepts only ssh-ed25519"
    PRE=(-o HostKeyAlgorithms=ssh-ed25519); simple "$LAB_USER" true || return 1
    want client 'no matching host key type found' server 'no matching host key type found' || return 1
    kex_expect kex-no-hostkey-alg "server has only an RSA host key, client HostKeyAlgorithms=ssh-ed25519" \
        "no matching host key type found"
}

sc_hostkey_unknown() {
    make_cfg </dev/null
    start_sshd || return 1
    : > "$SD/known_hosts"
    note "empty known_hosts, StrictHostKeyChecking=yes"
    std_opts "$PORT"; PRE=()
    ssh_to "$LAB_USER" true
    wait_sshd
    want client 'Host key verification failed' client 'host key is known for' || return 1
    expect "the server's host key is not in known_hosts and strict checking is on" \
        client "$(prob hostkey-unknown hostkey "Host key verification failed")" \
        server "$(inconc hostkey-unknown hostkey-changed)" \
        both "$(prob hostkey-unknown hostkey "Host key verification failed")"
}

sc_hostkey_changed() {
    make_cfg </dev/null
    start_sshd || return 1
    printf '[127.0.0.1]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$HK/other_host_ed25519_key.pub")" > "$SD/known_hosts"
    note "known_hosts holds a different ed25519 key for [127.0.0.1]:$PORT"
    std_opts "$PORT"; PRE=()
    ssh_to "$LAB_USER" true
    wait_sshd
    want client 'REMOTE HOST IDENTIFICATION HAS CHANGED' client 'Offending ED25519 key in' || return 1
    expect "known_hosts holds another key for this host" \
        client "$(prob hostkey-changed hostkey "REMOTE HOST IDENTIFICATION HAS CHANGED")" \
        server "$(inconc hostkey-unknown hostkey-changed)" \
        both "$(prob hostkey-changed hostkey "REMOTE HOST IDENTIFICATION HAS CHANGED")"
}

auth_expect() { # id description server-evidence
    expect "$2" \
        client "$(inconc "$1")" \
        server "$(prob "$1" auth "$3")" \
        both "$(prob "$1" auth "$3")"
}

sc_auth_key_not_authorized() {
    make_cfg </dev/null
    note "the client offers a key that is not in authorized_keys"
    PRE=(); KEY=$KEYS/other1 simple "$LAB_USER" true || return 1
    want client 'Permission denied \(publickey\)' server 'Failed publickey for sshdlab' || return 1
    auth_expect auth-key-not-authorized "key offered, not in authorized_keys" "Failed publickey for sshdlab"
}

sc_auth_bad_modes_server() {
    make_cfg </dev/null
    chmod 0777 "$UHOME/.ssh"
    note "chmod 0777 ~sshdlab/.ssh, StrictModes yes"
    PRE=(); simple "$LAB_USER" true || return 1
    want client 'Permission denied \(publickey\)' server 'Authentication refused: bad ownership or modes for directory' || return 1
    auth_expect auth-bad-modes-server "the user's .ssh directory is world-writable, StrictModes refuses it" \
        "bad ownership or modes for directory"
}

sc_auth_authorized_keys_unreadable() {
    make_cfg </dev/null
    chown root:root "$UHOME/.ssh/authorized_keys"; chmod 0600 "$UHOME/.ssh/authorized_keys"
    note "~sshdlab/.ssh/authorized_keys owned by root, mode 0600: sshd reads it as the user and gets EACCES"
    PRE=(); simple "$LAB_USER" true || return 1
    want server "Could not open .*authorized keys .*Permission denied" || return 1
    auth_expect auth-authorized-keys-unreadable "authorized_keys exists but sshd cannot read it as the user" \
        "Permission denied"
}

sc_auth_authorized_keys_missing() {
    make_cfg <<EOF
AuthorizedKeysFile /etc/ssh/authorized_keys/%u
EOF
    note "AuthorizedKeysFile points at /etc/ssh/authorized_keys/%u, which does not exist; the user's ~/.ssh/authorized_keys holds the key"
    PRE=(); simple "$LAB_USER" true || return 1
    want server "Could not open .*authorized keys '/etc/ssh/authorized_keys/sshdlab': No such file or directory" || return 1
    auth_expect auth-authorized-keys-unreadable "AuthorizedKeysFile points at a file that does not exist" \
        "/etc/ssh/authorized_keys/sshdlab"
}

sc_auth_client_key_perms() {
    make_cfg </dev/null
    install -m 0644 "$KEYS/id_ed25519" "$SD/id_ed25519"
    install -m 0644 "$KEYS/id_ed25519.pub" "$SD/id_ed25519.pub"
    note "the client's private key (authorized on the server) has mode 0644"
    PRE=(); KEY=$SD/id_ed25519 simple "$LAB_USER" true || return 1
    want client 'UNPROTECTED PRIVATE KEY FILE' || return 1
    expect "the private key is readable by others, the client refuses to use it" \
        client "$(prob auth-client-key-perms auth "UNPROTECTED PRIVATE KEY FILE")" \
        server "$(inconc auth-client-key-perms)" \
        both "$(prob auth-client-key-perms auth "UNPROTECTED PRIVATE KEY FILE")"
}

sc_auth_client_config_perms() {
    PORT=$(free_port)
    cat > "$UHOME/.ssh/config" <<EOF
Host lab
    HostName 127.0.0.1
    Port $PORT
    User $LAB_USER
EOF
    chown "$LAB_USER:$LAB_USER" "$UHOME/.ssh/config"; chmod 0666 "$UHOME/.ssh/config"
    META_FILES=("$UHOME/.ssh/config")
    note "the client runs as $LAB_USER (runuser) without -F, so it reads ~/.ssh/config, which is world-writable (0666); ssh -F skips this check, and Debian's ssh accepts a group-writable file when the group is the user's private group"
    run_client runuser -u "$LAB_USER" -- ssh -vvv -o BatchMode=yes -o ConnectTimeout=5 lab true
    want client 'Bad owner or permissions on .*/\.ssh/config' || return 1
    want_rc 255 || return 1
    expect "the user's .ssh/config is world-writable" \
        client "$(prob auth-client-config-perms local "Bad owner or permissions on")"
}

sc_auth_invalid_user() {
    getent passwd larry >/dev/null && { REASON="a user 'larry' exists here"; return 2; }
    make_cfg <<EOF
PasswordAuthentication yes
EOF
    askpass_mode "$WRONG_PW"
    note "login as 'larry', who does not exist; SSH_ASKPASS answers a password 3 times"
    PRE=(-o PubkeyAuthentication=no); KEY="" simple larry true || return 1
    want client 'Permission denied, please try again' server 'Invalid user larry from 127\.0\.0\.1' || return 1
    expect "password login as a user that does not exist" \
        client "$(inconc auth-invalid-user auth-password-wrong)" \
        server "$(prob auth-invalid-user auth "Invalid user larry")" \
        both "$(prob auth-invalid-user auth "Invalid user larry")"
}

sc_auth_invalid_user_key() {
    getent passwd larry >/dev/null && { REASON="a user 'larry' exists here"; return 2; }
    make_cfg </dev/null
    note "key login as 'larry', who does not exist"
    PRE=(); simple larry true || return 1
    want client 'Permission denied \(publickey\)' server 'Invalid user larry from 127\.0\.0\.1' || return 1
    auth_expect auth-invalid-user "key login as a user that does not exist" "Invalid user larry"
}

sc_auth_user_not_allowed() {
    make_cfg <<EOF
AllowUsers someoneelse
EOF
    note "AllowUsers someoneelse; sshdlab's key is authorized"
    PRE=(); simple "$LAB_USER" true || return 1
    want server 'not allowed because not listed in AllowUsers' || return 1
    auth_expect auth-user-not-allowed "the user is not in AllowUsers" "not listed in AllowUsers"
}

sc_auth_root_denied() {
    install -d -m 0755 "$SD/ak"
    install -m 0644 "$KEYS/id_ed25519.pub" "$SD/ak/root"
    local sm=""
    [ "$SAFE_CHAIN" = 1 ] || sm="StrictModes no"
    make_cfg <<EOF
PermitRootLogin no
AuthorizedKeysFile $SD/ak/%u
$sm
EOF
    note "PermitRootLogin no; root's key is really authorized, through AuthorizedKeysFile $SD/ak/%u (root's own ~/.ssh is not touched)"
    PRE=(); simple root true || return 1
    want server 'ROOT LOGIN REFUSED' || return 1
    auth_expect auth-root-denied "root login with an authorized key, PermitRootLogin no" "ROOT LOGIN REFUSED"
}

sc_auth_password_wrong() {
    make_cfg <<EOF
PasswordAuthentication yes
EOF
    set_password
    askpass_mode "$WRONG_PW"
    note "the test user has a random password; SSH_ASKPASS answers a different one 3 times"
    PRE=(-o PubkeyAuthentication=no); KEY="" simple "$LAB_USER" true || return 1
    want client 'Permission denied, please try again' server 'Failed password for sshdlab from' || return 1
    expect "wrong password" \
        client "$(inconc auth-password-wrong auth-invalid-user auth-user-not-allowed)" \
        server "$(prob auth-password-wrong auth "Failed password for sshdlab")" \
        both "$(prob auth-password-wrong auth "Failed password for sshdlab")"
}

sc_auth_account_locked() {
    make_cfg </dev/null
    usermod -L "$LAB_USER"
    note "usermod -L (password field '!*'), UsePAM no; the key is authorized"
    PRE=(); simple "$LAB_USER" true || return 1
    want server 'not allowed because account is locked' || return 1
    auth_expect auth-account-unusable "the account is locked" "account is locked"
}

sc_auth_account_no_shell() {
    make_cfg </dev/null
    usermod -s /bin/nonexistent-shell "$LAB_USER" 2>/dev/null
    note "the user's shell is /bin/nonexistent-shell; the key is authorized"
    PRE=(); simple "$LAB_USER" true || return 1
    want server 'not allowed because shell /bin/nonexistent-shell does not exist' || return 1
    auth_expect auth-account-unusable "the user's login shell does not exist" "does not exist"
}

sc_auth_account_expired() {
    make_cfg </dev/null
    chage -E 1 "$LAB_USER"
    note "chage -E 1 (account expired on 1970-01-02), UsePAM no; the key is authorized"
    PRE=(); simple "$LAB_USER" true || return 1
    want server 'Account sshdlab has expired' || return 1
    auth_expect auth-account-unusable "the account has expired" "has expired"
}

sc_auth_no_mutual_sig() {
    make_cfg <<EOF
PubkeyAcceptedAlgorithms ssh-ed25519
EOF
    install -o "$LAB_USER" -g "$LAB_USER" -m 0600 "$KEYS/id_rsa.pub" "$UHOME/.ssh/authorized_keys"
    note "the client offers an RSA key (authorized); the server accepts only ssh-ed25519 signatures"
    PRE=(); KEY=$KEYS/id_rsa simple "$LAB_USER" true || return 1
    want server 'not in PubkeyAcceptedAlgorithms' || return 1
    auth_expect auth-no-mutual-sig "the key's signature algorithm is not accepted by the server" \
        "not in PubkeyAcceptedAlgorithms"
}

sc_auth_too_many_failures() {
    make_cfg <<EOF
MaxAuthTries 2
EOF
    note "MaxAuthTries 2; the client offers three unauthorized keys before the authorized one"
    PRE=(-i "$KEYS/other1" -i "$KEYS/other2" -i "$KEYS/other3"); simple "$LAB_USER" true || return 1
    want client 'Too many authentication failures' server 'maximum authentication attempts exceeded' || return 1
    expect "too many keys offered before the right one" \
        client "$(prob auth-too-many-failures auth "Too many authentication failures")" \
        server "$(prob auth-too-many-failures auth "maximum authentication attempts exceeded")" \
        both "$(prob auth-too-many-failures auth "Too many authentication failures")"
}

sc_auth_wrong_key_offered() {
    make_cfg </dev/null
    note "-i points at a key file that does not exist (the authorized key is never offered)"
    PRE=(); KEY=$SD/id_ed25519_missing simple "$LAB_USER" true || return 1
    want client 'Identity file .*id_ed25519_missing not accessible' client 'Permission denied \(publickey\)' || return 1
    expect "the key the server knows is never offered (-i on a missing file)" \
        client "$(prob auth-wrong-key-offered auth "not accessible")" \
        server "$(inconc auth-wrong-key-offered)" \
        both "$(prob auth-wrong-key-offered auth "not accessible")"
}

sc_auth_key_encrypted_batch() {
    make_cfg </dev/null
    install -o "$LAB_USER" -g "$LAB_USER" -m 0600 "$KEYS/id_encrypted.pub" "$UHOME/.ssh/authorized_keys"
    note "the authorized key is passphrase-protected; BatchMode=yes, no agent, no tty: it cannot be unlocked"
    PRE=(); KEY=$KEYS/id_encrypted simple "$LAB_USER" true || return 1
    want client 'Server accepts key' client 'Permission denied \(publickey\)' || return 1
    expect "the authorized key is encrypted and BatchMode forbids the passphrase prompt" \
        client "$(prob auth-wrong-key-offered auth)" \
        server "$(inconc auth-wrong-key-offered)" \
        both "$(prob auth-wrong-key-offered auth)"
}

sc_auth_key_unreadable() {
    make_cfg </dev/null
    sed 's/$/\r/' "$KEYS/id_ed25519" > "$SD/id_ed25519_crlf"; chmod 0600 "$SD/id_ed25519_crlf"
    install -m 0644 "$KEYS/id_ed25519.pub" "$SD/id_ed25519_crlf.pub"
    note "the private key file has CRLF line endings (copied through Windows); its .pub is intact and authorized"
    PRE=(); KEY=$SD/id_ed25519_crlf simple "$LAB_USER" true || return 1
    want client 'Load key ".*id_ed25519_crlf": ' || return 1
    expect "the private key cannot be loaded (CRLF line endings)" \
        client "$(prob auth-key-unreadable auth "Load key")" \
        server "$(inconc auth-key-unreadable)" \
        both "$(prob auth-key-unreadable auth "Load key")"
}

sc_auth_agent_refused() {
    make_cfg </dev/null
    install -m 0600 "$KEYS/id_ed25519" "$SD/agentkey"
    install -m 0644 "$KEYS/id_ed25519.pub" "$SD/agentkey.pub"
    local sock=$SD/agent.sock
    bg_start "$SD/agent.log" env -u DISPLAY -u SSH_ASKPASS ssh-agent -D -a "$sock"
    local i
    for i in $(seq 1 60); do [ -S "$sock" ] && break; sleep 0.05; done
    [ -S "$sock" ] || { REASON="ssh-agent did not start"; return 1; }
    SSH_AUTH_SOCK=$sock ssh-add -c "$SD/agentkey" >/dev/null 2>&1 || { REASON="ssh-add -c failed"; return 1; }
    rm -f "$SD/agentkey"
    HELPER_CMDS="env -u DISPLAY -u SSH_ASKPASS ssh-agent -D -a $sock; SSH_AUTH_SOCK=$sock ssh-add -c agentkey; rm agentkey (only agentkey.pub stays)"
    note "the authorized key is only in an ssh-agent, added with -c (confirm each use); the agent has no askpass/display, so it cannot confirm and refuses"
    start_sshd || return 1
    std_opts "$PORT" "$SD/agentkey.pub"; PRE=()
    CLIENT_ENV=(SSH_AUTH_SOCK="$sock")
    ssh_to "$LAB_USER" true
    wait_sshd
    want client 'agent refused operation' || return 1
    expect "the agent holds the key but refuses to sign" \
        client "$(prob auth-agent-refused auth "agent refused operation")" \
        server "$(inconc auth-agent-refused)" \
        both "$(prob auth-agent-refused auth "agent refused operation")"
}

sftp_batch() {
    printf 'pwd\nls\n' > "$SD/batch"
    META_FILES=("$SD/batch")
    sftp_opts "$PORT"
    run_client sftp "${SFTP_PRE[@]}" "${SSH_STD[@]}" -b "$SD/batch" "$LAB_USER@127.0.0.1"
}

sc_sftp_subsystem_missing() {
    local path=/usr/libexec/openssh/sftp-server
    [ -e "$path" ] && path=/nonexistent/sftp-server
    NO_SUBSYSTEM=1 make_cfg <<EOF
Subsystem sftp $path
EOF
    note "Subsystem sftp $path (the Red Hat path; Debian's is /usr/lib/openssh/sftp-server)"
    start_sshd || return 1
    sftp_batch
    wait_sshd
    want client 'Exit status 127' server 'subsystem: cannot stat /usr/libexec/openssh/sftp-server|subsystem: cannot stat /nonexistent' || return 1
    expect "the Subsystem sftp line points at a missing program" \
        client "$(prob sftp-subsystem-missing sftp "Exit status 127")" \
        server "$(prob sftp-subsystem-missing sftp "cannot stat")" \
        both "$(prob sftp-subsystem-missing sftp "cannot stat")"
}

sc_sftp_subsystem_none() {
    NO_SUBSYSTEM=1 make_cfg </dev/null
    note "no Subsystem line at all"
    start_sshd || return 1
    sftp_batch
    wait_sshd
    want client 'subsystem request failed on channel 0' server 'subsystem not found' || return 1
    expect "no Subsystem sftp line" \
        client "$(prob sftp-subsystem-missing sftp "subsystem request failed")" \
        server "$(prob sftp-subsystem-missing sftp "subsystem not found")" \
        both "$(prob sftp-subsystem-missing sftp "subsystem request failed")"
}

sc_sftp_shell_noise() {
    make_cfg </dev/null
    { echo 'echo "This account is managed by the sshdoctor lab"'; cat /etc/skel/.bashrc; } > "$UHOME/.bashrc"
    chown "$LAB_USER:$LAB_USER" "$UHOME/.bashrc"
    META_FILES=()
    note "~sshdlab/.bashrc starts with an echo (before the non-interactive return); Debian's bash reads ~/.bashrc for commands run by sshd"
    start_sshd || return 1
    sftp_batch
    wait_sshd
    want client 'Received message too long 1416128883' || return 1
    expect "a login script prints text that corrupts the SFTP stream" \
        client "$(prob sftp-shell-noise sftp "Received message too long")" \
        server "$(okv)" \
        both "$(prob sftp-shell-noise sftp "Received message too long")"
}

sc_sftp_chroot_modes() {
    NO_SUBSYSTEM=1 make_cfg <<EOF
ChrootDirectory %h
ForceCommand internal-sftp
Subsystem sftp internal-sftp
EOF
    note "ChrootDirectory %h while the home directory belongs to the user (it must be root-owned, not writable by others)"
    start_sshd || return 1
    sftp_batch
    wait_sshd
    want server 'bad ownership or modes for chroot directory' || return 1
    expect "ChrootDirectory is not root-owned" \
        client "$(inconc sftp-chroot-modes)" \
        server "$(prob sftp-chroot-modes sftp "bad ownership or modes for chroot directory")" \
        both "$(prob sftp-chroot-modes sftp "bad ownership or modes for chroot directory")"
}

proxy_start() { # args for tcp-proxy.py (target is $PORT)
    start_helper tcp-proxy.py --target "$PORT" --report "$SD/proxy.report" "$@" || return 1
    HELPER_CMDS=$HELPER_CMD
    kh_write "$HPORT"
}

trigger_on_line() { # file ERE trigger-file: touch trigger-file once the line shows up (background)
    ( wait_for_line "$1" "$2" "" 15 && : > "$3" ) &
    PIDS+=("$!")
}

sc_packet_corrupt_mac() {
    make_cfg </dev/null
    start_sshd || return 1
    proxy_start --mode flip --direction s2c --after 200000 --lifetime 20 || return 1
    note "a TCP proxy between client and server inverts one byte after 200000 bytes from server to client; default cipher (chacha20-poly1305)"
    std_opts "$HPORT"; PRE=()
    CLIENT_STDOUT=discard
    ssh_to "$LAB_USER" 'head -c 3000000 /dev/zero'
    wait_sshd
    note "proxy: $(cat "$SD/proxy.report" 2>/dev/null)"
    want client 'message authentication code incorrect' || return 1
    expect "one byte damaged in transit (server to client), chacha20-poly1305" \
        client "$(prob packet-corrupt-mac conn "message authentication code incorrect")" \
        server "$(inconc)" \
        both "$(prob packet-corrupt-mac conn "message authentication code incorrect")"
}

via_upload_through_forward() { # via mode for packet-corrupt-mac-server
    # sshdoctor's ssh has its pty as stdin, not ours: the upload goes from
    # the client to the server through a local forward (-L) to a silent sink
    local sink lport cpid ph=$HELPER_PID phc=$HELPER_CMDS pport=$HPORT
    start_helper listener.py --mode silent --lifetime 20 || return 1
    sink=$HPORT HPORT=$pport HELPER_PID=$ph
    HELPER_CMDS="$phc"$'\n'"$HELPER_CMD"
    lport=$(free_port)
    note "via sshdoctor: 400 kB are uploaded through -L 127.0.0.1:$lport:127.0.0.1:$sink (a silent sink) instead of 3 MB on ssh's stdin"
    PRE+=(-o ExitOnForwardFailure=yes -L "127.0.0.1:$lport:127.0.0.1:$sink")
    ( ssh_to "$LAB_USER" 'sleep 8' ) &
    cpid=$!
    PIDS+=("$cpid")
    wait_for_line "$FX/client.log" 'Sending command|Entering interactive session' "$cpid" 10
    "$PY" - "$lport" "$SD/upload.bin" <<'EOF'
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    # 400 kB: past the proxy's 200000 bytes, and small enough to be sent
    # (socket buffers) before sshd drops the connection, so that ssh does
    # not end on a write (Broken pipe) that the original run did not have
    s.sendall(open(sys.argv[2], "rb").read(400000))
    s.close()
except OSError:
    pass
EOF
    fg_wait "$cpid"
    return 0
}

sc_packet_corrupt_mac_server() {
    make_cfg </dev/null
    start_sshd || return 1
    proxy_start --mode flip --direction c2s --after 200000 --lifetime 20 || return 1
    head -c 3000000 /dev/zero > "$SD/upload.bin"
    note "a TCP proxy inverts one byte after 200000 bytes from client to server; aes128-ctr + hmac-sha2-256; 3 MB uploaded on stdin"
    std_opts "$HPORT"; PRE=(-c aes128-ctr -m hmac-sha2-256)
    if [ -n "$VIA" ]; then
        via_upload_through_forward || return 1
    else
    CLIENT_STDIN=$SD/upload.bin
    ssh_to "$LAB_USER" 'cat > /dev/null'
    CLIENT_STDIN=/dev/null
    fi
    wait_sshd
    note "proxy: $(cat "$SD/proxy.report" 2>/dev/null)"
    want server 'Corrupted MAC on input|Bad packet length' || return 1
    local ev
    ev=$(grep -oE 'Corrupted MAC on input|Bad packet length' "$FX/server.log" | head -n1)
    expect "one byte damaged in transit (client to server), aes128-ctr + hmac-sha2-256" \
        client "$(inconc)" \
        server "$(prob packet-corrupt-mac conn "$ev")" \
        both "$(prob packet-corrupt-mac conn "$ev")"
}

sc_idle_timeout_broken_pipe() {
    make_cfg </dev/null
    start_sshd || return 1
    proxy_start --mode rst-idle --idle 1.5 --trigger "$SD/trigger" --lifetime 15 || return 1
    trigger_on_line "$FX/client.log" 'Sending command' "$SD/trigger"
    note "a TCP proxy resets the client's connection after 1.5 s of silence once the remote command runs (a NAT/firewall dropping an idle session); remote command sleep 4"
    std_opts "$HPORT"; PRE=()
    ssh_to "$LAB_USER" 'sleep 4'
    wait_sshd
    note "proxy: $(cat "$SD/proxy.report" 2>/dev/null)"
    want client 'Broken pipe' || return 1
    expect "an idle session cut by a middlebox" \
        client "$(prob idle-timeout-broken-pipe conn "Broken pipe")" \
        server "$(inconc)" \
        both "$(prob idle-timeout-broken-pipe conn "Broken pipe")"
}

sc_idle_keepalive_timeout() {
    make_cfg <<EOF
ClientAliveInterval 1
ClientAliveCountMax 2
EOF
    start_sshd || return 1
    proxy_start --mode freeze --idle 0.3 --trigger "$SD/trigger" --lifetime 15 || return 1
    note "a TCP proxy stops relaying (both ways, connections kept open) once the remote command runs and the line has been quiet for 0.3 s; keepalives every second on both sides, 2 missed = dead"
    std_opts "$HPORT"; PRE=(-o ServerAliveInterval=1 -o ServerAliveCountMax=2)
    trigger_on_line "$FX/client.log" 'Sending command' "$SD/trigger"
    ssh_to "$LAB_USER" 'sleep 6'
    wait_sshd 8
    note "proxy: $(cat "$SD/proxy.report" 2>/dev/null)"
    want client 'Timeout, server 127\.0\.0\.1 not responding' server 'Timeout, client not responding' || return 1
    expect "keepalives lost in a black hole: both sides time out" \
        client "$(prob idle-timeout-broken-pipe conn "not responding")" \
        server "$(prob idle-timeout-broken-pipe conn "not responding")" \
        both "$(prob idle-timeout-broken-pipe conn "not responding")"
}

sc_forwarding_prohibited() {
    make_cfg <<EOF
AllowTcpForwarding no
EOF
    start_sshd || return 1
    local lport i
    lport=$(free_port)
    note "AllowTcpForwarding no; client -L 127.0.0.1:$lport:127.0.0.1:$PORT, then a TCP connection to 127.0.0.1:$lport"
    std_opts "$PORT"; PRE=(-o ExitOnForwardFailure=yes -L "127.0.0.1:$lport:127.0.0.1:$PORT")
    ( ssh_to "$LAB_USER" 'sleep 3' ) &
    local cpid=$!
    PIDS+=("$cpid")
    wait_for_line "$FX/client.log" 'Sending command|Entering interactive session' "$cpid" 8
    "$PY" - "$lport" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
s.settimeout(3)
try:
    s.recv(100)
except OSError:
    pass
s.close()
EOF
    fg_wait "$cpid"
    CLIENT_CMDS+=("$(quote_cmd ssh "${PRE[@]}" "${SSH_STD[@]}" "$LAB_USER@127.0.0.1" 'sleep 3')  # in the background; then python3 connects to 127.0.0.1:$lport")
    wait_sshd
    want client 'open failed: administratively prohibited' server 'refused local port forward' || return 1
    expect "local forwarding (-L) while the server forbids TCP forwarding" \
        client "$(prob forwarding-prohibited conn "administratively prohibited")" \
        server "$(prob forwarding-prohibited conn "refused local port forward")" \
        both "$(prob forwarding-prohibited conn "administratively prohibited")"
}

sc_forwarding_prohibited_remote() {
    make_cfg <<EOF
AllowTcpForwarding no
EOF
    start_sshd || return 1
    local rport; rport=$(free_port)
    note "AllowTcpForwarding no; client -R 127.0.0.1:$rport:127.0.0.1:9 with ExitOnForwardFailure=yes"
    std_opts "$PORT"; PRE=(-o ExitOnForwardFailure=yes -R "127.0.0.1:$rport:127.0.0.1:9")
    ssh_to "$LAB_USER" 'sleep 1'
    wait_sshd
    want client "remote port forwarding failed for listen port $rport" server 'Server has disabled port forwarding' || return 1
    expect "remote forwarding (-R) while the server forbids TCP forwarding" \
        client "$(prob forwarding-prohibited conn "remote port forwarding failed")" \
        server "$(prob forwarding-prohibited conn "Server has disabled port forwarding")" \
        both "$(prob forwarding-prohibited conn "remote port forwarding failed")"
}

sc_forward_bind_failed() {
    make_cfg </dev/null
    start_helper listener.py --mode hold --lifetime 15 || return 1
    HELPER_CMDS=$HELPER_CMD
    start_sshd || return 1
    note "a listener holds 127.0.0.1:$HPORT; client -L 127.0.0.1:$HPORT:127.0.0.1:$PORT with ExitOnForwardFailure=yes"
    std_opts "$PORT"; PRE=(-o ExitOnForwardFailure=yes -L "127.0.0.1:$HPORT:127.0.0.1:$PORT")
    ssh_to "$LAB_USER" true
    wait_sshd
    want client "bind \[127\.0\.0\.1\]:$HPORT: Address already in use" || return 1
    expect "the local forwarded port is already in use" \
        client "$(prob forward-bind-failed conn "Address already in use")" \
        server "$(inconc)" \
        both "$(prob forward-bind-failed conn "Address already in use")"
}

sc_forward_bind_failed_remote() {
    make_cfg </dev/null
    start_helper listener.py --mode hold --lifetime 15 || return 1
    HELPER_CMDS=$HELPER_CMD
    start_sshd || return 1
    note "a listener holds 127.0.0.1:$HPORT on the server side; client -R 127.0.0.1:$HPORT:127.0.0.1:9 with ExitOnForwardFailure=yes"
    std_opts "$PORT"; PRE=(-o ExitOnForwardFailure=yes -R "127.0.0.1:$HPORT:127.0.0.1:9")
    ssh_to "$LAB_USER" 'sleep 1'
    wait_sshd
    want client "remote port forwarding failed for listen port $HPORT" server 'Address already in use' || return 1
    expect "the remote forwarded port is already in use on the server" \
        client "$(prob forward-bind-failed conn "remote port forwarding failed")" \
        server "$(prob forward-bind-failed conn "Address already in use")" \
        both "$(prob forward-bind-failed conn "Address already in use")"
}

sc_login_no_home() {
    install -d -m 0755 "$SD/ak"
    install -m 0644 "$KEYS/id_ed25519.pub" "$SD/ak/$LAB_USER"
    local sm=""
    [ "$SAFE_CHAIN" = 1 ] || sm="StrictModes no"
    make_cfg <<EOF
AuthorizedKeysFile $SD/ak/%u
$sm
EOF
    usermod -d "$BASE/home/gone" "$LAB_USER"
    note "the user's home in /etc/passwd is $BASE/home/gone, which does not exist; the key is authorized through AuthorizedKeysFile $SD/ak/%u"
    PRE=(); simple "$LAB_USER" pwd || return 1
    want client 'Could not chdir to home directory .*: No such file or directory' || return 1
    expect "login works but the home directory does not exist" \
        client "$(prob login-no-home conn "Could not chdir to home directory")" \
        server "$(okv)" \
        both "$(prob login-no-home conn "Could not chdir to home directory")"
}

sc_login_nologin() {
    make_cfg </dev/null
    usermod -s /usr/sbin/nologin "$LAB_USER"
    note "the user's shell is /usr/sbin/nologin; remote command id"
    PRE=(); simple "$LAB_USER" id || return 1
    want client 'This account is currently not available' || return 1
    expect "login works but the account's shell refuses sessions" \
        client "$(prob login-no-home conn "This account is currently not available")" \
        server "$(okv)" \
        both "$(prob login-no-home conn "This account is currently not available")"
}

sc_pty_alloc_failed() {
    make_cfg <<EOF
PermitTTY no
EOF
    note "PermitTTY no; client -tt"
    PRE=(-tt); simple "$LAB_USER" true || return 1
    want client 'PTY allocation request failed on channel 0' server 'Allocating a pty not permitted' || return 1
    expect "the server will not give a terminal" \
        client "$(prob pty-alloc-failed conn "PTY allocation request failed")" \
        server "$(prob pty-alloc-failed conn "Allocating a pty not permitted")" \
        both "$(prob pty-alloc-failed conn "PTY allocation request failed")"
}

sshd_alone() { # [wrapper...]: run sshd on $PORT with $CFG, expect it to exit by itself
    if [ -n "$VIA" ]; then
        # via mode: sshdoctor starts sshd; its stream (sshd's lines) is server.log
        local cmd=("$VIA" server --batch -p "$PORT" -f "$CFG" --listen 127.0.0.1 --format json
                   --timeout "$VIA_TIMEOUT")
        VIA_RAN=server
        SERVER_CMD="$(quote_cmd "$@" "${cmd[@]}") >sshdoctor.json 2>sshdoctor.stderr"
        setsid -w timeout $((VIA_TIMEOUT + 20)) "$@" "${cmd[@]}" </dev/null \
            >"$FX/sshdoctor.json" 2>"$FX/server.log" &
        fg_wait $!
        SERVER_RC=$FG_RC
        note "sshdoctor exit status $SERVER_RC"
        return 0
    fi
    SERVER_CMD=$(quote_cmd "$@" "$SSHD" -ddd -e -p "$PORT" -f "$CFG")
    setsid -w timeout 10 "$@" "$SSHD" -ddd -e -p "$PORT" -f "$CFG" </dev/null >/dev/null 2>"$FX/server.log" &
    fg_wait $!
    SERVER_RC=$FG_RC
    note "sshd exit status $SERVER_RC"
}

server_only_expect() { # description evidence
    expect "$1" server "$(prob sshd-config-error server "$2")"
}

sc_sshd_config_bad_option() {
    make_cfg <<EOF
PermitRootLogn no
EOF
    note "a typo in sshd_config: PermitRootLogn"
    PORT=$(free_port); sshd_alone
    want server 'Bad configuration option: PermitRootLogn' || return 1
    server_only_expect "sshd will not start: a bad option in sshd_config" "Bad configuration option"
}

sc_sshd_config_no_hostkeys() {
    NO_HOSTKEYS=1 make_cfg <<EOF
HostKey $SD/ssh_host_ed25519_key
EOF
    note "the only HostKey line names a file that does not exist"
    PORT=$(free_port); sshd_alone
    want server 'no hostkeys available' || return 1
    server_only_expect "sshd will not start: no host keys" "no hostkeys available"
}

sc_sshd_config_port_in_use() {
    make_cfg </dev/null
    start_helper listener.py --mode hold --lifetime 15 || return 1
    HELPER_CMDS=$HELPER_CMD
    note "a listener already holds 127.0.0.1:$HPORT"
    PORT=$HPORT; sshd_alone
    want server 'Address already in use' server 'Cannot bind any address' || return 1
    server_only_expect "sshd will not start: the port is in use" "Address already in use"
}

sc_sshd_config_no_privsep_dir() {
    unshare -m true 2>/dev/null || { REASON="unshare -m (mount namespace) not available"; return 2; }
    [ -n "$TMP2" ] || TMP2=$(mktemp -d) || return 1
    chmod 0755 "$TMP2"
    install -m 0600 "$HK/ssh_host_ed25519_key" "$TMP2/ssh_host_ed25519_key"
    NO_HOSTKEYS=1 make_cfg <<EOF
HostKey $TMP2/ssh_host_ed25519_key
EOF
    cp "$CFG" "$TMP2/sshd_config"
    CFG=$TMP2/sshd_config
    note "sshd runs in a private mount namespace where an empty tmpfs covers /run, so /run/sshd is missing (the real /run/sshd is untouched); config and host key copied to $TMP2"
    PORT=$(free_port)
    sshd_alone unshare -m sh -c 'mount -t tmpfs -o size=64k,mode=0755 sshdoctor-lab /run && exec "$@"' lab-mountns
    want server 'Missing privilege separation directory: /run/sshd' || return 1
    server_only_expect "sshd will not start: the privilege separation directory is missing" \
        "Missing privilege separation directory"
}

sc_slow_login() {
    netns_ok || return 2
    unshare -m true 2>/dev/null || { REASON="unshare -m not available"; return 2; }
    printf 'nameserver 10.9.9.53\noptions timeout:3 attempts:1\n' > "$SD/resolv.conf"
    NO_LISTEN=1 make_cfg <<EOF
ListenAddress 10.7.7.7
UseDNS yes
AllowUsers $LAB_USER
EOF
    PORT=$(free_port)
    printf '[10.7.7.7]:%s %s\n' "$PORT" "$(cut -d' ' -f1,2 "$HK/ssh_host_ed25519_key.pub")" > "$SD/known_hosts"
    std_opts "$PORT"; PRE=()
    META_FILES=("$SD/resolv.conf")
    note "client and sshd share a private network + mount namespace: lo carries 10.7.7.7, the only name server (10.9.9.53, bind-mounted resolv.conf) is routed into a black hole; UseDNS yes + AllowUsers make sshd reverse-map the client address during authentication, which waits for the DNS timeout (3 s)"
    note "lab-slow-login-timed holds the same run with each line prefixed by its arrival time (RFC 3339, server lines as rsyslog would write them)"
    local client_line ns_timeout=40
    client_line="env -u SSH_AUTH_SOCK \"$PY\" \"$SELF_DIR/stamp.py\" --raw \"$FX/client.log\" --timed \"$SD/client.timed\" --lifetime 20 -- \\
    $(quote_cmd ssh "${SSH_STD[@]}" "$LAB_USER@10.7.7.7" true) </dev/null >/dev/null"
    if [ -n "$VIA" ]; then
        via_translate ssh "${SSH_STD[@]}" "$LAB_USER@10.7.7.7" true
        VIA_RAN=client
        client_line="env -u SSH_AUTH_SOCK $(quote_cmd "${VIA_ARGV[@]}") </dev/null >$(quote_cmd "$FX/sshdoctor.json") 2>$(quote_cmd "$FX/client.log")"
        ns_timeout=$((40 + VIA_TIMEOUT))
    fi
    cat > "$SD/inner.sh" <<EOF
set -u
ip link set lo up
ip addr add 10.7.7.7/32 dev lo
ip route add 10.9.9.0/24 dev lo
mount --bind "$SD/resolv.conf" /etc/resolv.conf
"$PY" "$SELF_DIR/stamp.py" --raw "$FX/server.log" --timed "$SD/server.timed" --syslog-tag sshd --lifetime 25 -- \\
    "$SSHD" -ddd -e -p $PORT -f "$CFG" </dev/null >/dev/null &
spid=\$!
for i in \$(seq 1 100); do grep -q '^Server listening on' "$FX/server.log" 2>/dev/null && break; sleep 0.05; done
$client_line
echo "client exit status \$?" > "$SD/client.rc"
for i in \$(seq 1 100); do kill -0 \$spid 2>/dev/null || break; sleep 0.05; done
kill \$spid 2>/dev/null
wait
EOF
    META_FILES+=("$SD/inner.sh")
    SERVER_CMD="(inside the namespace, see inner.sh) $(quote_cmd "$SSHD" -ddd -e -p "$PORT" -f "$CFG")"
    CLIENT_CMDS+=("(inside the namespace, see inner.sh) $(quote_cmd ssh "${SSH_STD[@]}" "$LAB_USER@10.7.7.7" true)")
    [ -n "$VIA" ] && CLIENT_CMDS[-1]="(inside the namespace, see inner.sh) $(quote_cmd "${VIA_ARGV[@]}")"
    setsid -w timeout $ns_timeout unshare -n -m bash "$SD/inner.sh" </dev/null >/dev/null 2>"$SD/inner.log" &
    fg_wait $!
    CLIENT_RC=$(sed 's/[^0-9]//g' "$SD/client.rc" 2>/dev/null)
    note "$(cat "$SD/client.rc" 2>/dev/null)"
    want client 'Authenticated to 10\.7\.7\.7' server 'Accepted publickey for sshdlab' || return 1
    # the gap must really be there
    "$PY" - "$SD/server.timed" <<'EOF' || { REASON="no gap >= 2 s in the server log"; return 1; }
import sys, datetime
prev = None; best = 0
for line in open(sys.argv[1], errors="replace"):
    t = datetime.datetime.fromisoformat(line.split(" ", 1)[0])
    if prev is not None:
        best = max(best, (t - prev).total_seconds())
    prev = t
sys.exit(0 if best >= 2 else 1)
EOF
    # the timed twin fixture
    SLOW_TIMED=$SD/timed
    mkdir -p "$SLOW_TIMED"
    [ -n "$VIA" ] || cp "$SD/client.timed" "$SLOW_TIMED/client.log"
    cp "$SD/server.timed" "$SLOW_TIMED/server.log"
    expect "UseDNS yes with a dead name server: authentication waits for the reverse lookup (no times in these logs)" \
        client "$(okv)" server "$(okv)" both "$(okv)"
    local desc="UseDNS yes with a dead name server: a 3 s gap at the reverse lookup during authentication (lines stamped on arrival)"
    ( FX=$SLOW_TIMED
      expect "$desc" \
        client "$(prob slow-login auth)" \
        server "$(prob slow-login auth "reverse map")" \
        both "$(prob slow-login auth "reverse map")" )
}

# ---------------------------------------------------------------- via mode: checks
VIA_PASS=0 VIA_FAIL=0 VIA_SKIP=0

via_check() { # label json expect.json case: one ok/FAIL line against cases.<case>
    local label=$1 json=$2 exp=$3 case=$4 out rc
    out=$("$PY" - "$json" "$exp" "$case" 2>&1 <<'EOF'
import json, sys
try:
    got = json.load(open(sys.argv[1]))
except Exception as e:
    print("no JSON object on stdout (%s)" % e.__class__.__name__)
    sys.exit(1)
try:
    exp = json.load(open(sys.argv[2]))["cases"][sys.argv[3]]
except Exception as e:
    print("expect.json has no %s case (%s)" % (sys.argv[3], e))
    sys.exit(1)
if not isinstance(got, dict):
    print("the JSON is not an object")
    sys.exit(1)
v = got.get("verdict")
p = got.get("problem")
pid = p.get("id") if isinstance(p, dict) else p
stage = p.get("stage") if isinstance(p, dict) else None
said = "%s%s" % (v, " %s (%s)" % (pid, stage) if v == "problem" else "")
if v == "inconclusive":
    alts = [a.get("id") for a in got.get("alternatives") or [] if isinstance(a, dict)]
    if alts:
        said += " [" + ", ".join(map(str, alts)) + "]"
want = exp["verdict"] + (" " + exp["problem"] if exp["verdict"] == "problem" else "")
if v != exp["verdict"] or (v == "problem" and pid != exp["problem"]):
    print("said %s, expected %s -- %s" % (said, want, got.get("headline", "")))
    sys.exit(1)
print(said)
EOF
)
    rc=$?
    if [ $rc = 0 ]; then
        VIA_PASS=$((VIA_PASS + 1))
        printf 'ok   %-48s %s\n' "$label" "$out"
    else
        VIA_FAIL=$((VIA_FAIL + 1))
        printf 'FAIL %s: %s\n' "$label" "$out"
    fi
    return $rc
}

via_fail() { # label reason
    VIA_FAIL=$((VIA_FAIL + 1))
    printf 'FAIL %s: %s\n' "$1" "$2"
}

via_server_client() { # after a client scenario: its server config through `sshdoctor server --client`
    local roothome home=$SD/roothome port cfg2=$SD/sshd_config.via kh=$SD/known_hosts.via f i o
    roothome=$(getent passwd root | cut -d: -f6)
    [ -n "$roothome" ] && [ -d "$roothome" ] || { REASON="root has no home directory to cover"; return 1; }
    unshare -m true 2>/dev/null || { REASON="unshare -m (mount namespace) not available"; return 1; }
    install -d -m 0700 "$home" "$home/.ssh"
    port=$(free_port)
    : > "$kh"
    for f in "$HK"/ssh_host_*_key.pub; do
        printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$f")" >> "$kh"
    done
    # --listen 127.0.0.1 adds -oListenAddress=127.0.0.1: without this line
    # the same address would be bound twice (a spurious "Address already in use")
    grep -vx 'ListenAddress 127.0.0.1' "$CFG" > "$cfg2"
    {
        echo "# lab.sh via mode, scenario $NAME: the scenario's client options (ssh keeps the first value)"
        echo "UserKnownHostsFile $kh"
        echo "GlobalKnownHostsFile /dev/null"
        i=0
        while [ $i -lt ${#VIA_SSHOPTS[@]} ]; do
            o=${VIA_SSHOPTS[i]}
            case $o in
                -o) printf '%s %s\n' "${VIA_SSHOPTS[i+1]%%=*}" "${VIA_SSHOPTS[i+1]#*=}"; i=$((i + 2)) ;;
                -i) printf 'IdentityFile %s\n' "${VIA_SSHOPTS[i+1]}"; i=$((i + 2)) ;;
                -c) printf 'Ciphers %s\n' "${VIA_SSHOPTS[i+1]}"; i=$((i + 2)) ;;
                -m) printf 'MACs %s\n' "${VIA_SSHOPTS[i+1]}"; i=$((i + 2)) ;;
                -F|-L|-R|-D|-J|-l|-E|-W|-S) i=$((i + 2)) ;;
                *) i=$((i + 1)) ;;
            esac
        done
    } > "$home/.ssh/config"
    chmod 0600 "$home/.ssh/config"
    cp "$home/.ssh/config" "$FX/server-client.ssh_config"
    local cmd=("$VIA" server --batch -p "$port" -f "$cfg2" --listen 127.0.0.1 --format json
               --timeout "$VIA_TIMEOUT" --client "$VIA_DEST")
    printf '%s\n' "(in a mount namespace where $home covers $roothome) $(quote_cmd "${cmd[@]}") <${CLIENT_STDIN:-/dev/null}" \
        > "$FX/server-client.cmd"
    env -u SSH_AUTH_SOCK -u SSH_AGENT_PID -u SSH_ASKPASS -u SSH_ASKPASS_REQUIRE -u DISPLAY \
        setsid -w timeout $((VIA_TIMEOUT + 20)) \
        unshare -m sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' lab-via-ns "$home" "$roothome" \
        "${cmd[@]}" <"${CLIENT_STDIN:-/dev/null}" >"$FX/server-client.json" 2>"$FX/server-client.stderr" &
    fg_wait $!
    echo "exit status $FG_RC" >> "$FX/server-client.cmd"
    return 0
}

via_finish() { # rc of the scenario: check sshdoctor's diagnosis, save its output
    local rc=$1 dest=$OUT_DIR/lab-$NAME case=client exp=$FX/expect.json f
    [ -n "$VIA_RAN" ] || { [ -f "$FX/sshdoctor.json" ] && VIA_RAN=client; }
    [ "$VIA_RAN" = server ] && case=server
    [ -n "${SLOW_TIMED:-}" ] && [ -f "$SLOW_TIMED/expect.json" ] && exp=$SLOW_TIMED/expect.json
    rm -rf -- "$dest"
    if [ "$rc" = 2 ]; then
        VIA_SKIP=$((VIA_SKIP + 1))
        printf 'skip lab-%s: %s\n' "$NAME" "$REASON"
        return 0
    fi
    mkdir -p "$dest"
    if [ "$rc" != 0 ]; then
        via_fail "lab-$NAME" "setup: ${REASON:-unknown}"
    elif [ -z "$VIA_RAN" ]; then
        via_fail "lab-$NAME" "nothing ran through sshdoctor"
    else
        via_check "lab-$NAME ($([ "$VIA_RAN" = server ] && echo server || echo "${VIA_TOOL:-connect}" | sed 's/^ssh$/connect/'))" \
            "$FX/sshdoctor.json" "$exp" "$case"
        if [ "$VIA_RAN" = client ] && [[ " $VIA_SERVER_CLIENT " == *" $NAME "* ]]; then
            if via_server_client; then
                via_check "lab-$NAME (server --client)" "$FX/server-client.json" "$FX/expect.json" both
            else
                via_fail "lab-$NAME (server --client)" "$REASON"
            fi
        fi
    fi
    write_meta
    [ "$VIA_RAN" = client ] && [ -f "$FX/client.log" ] && mv "$FX/client.log" "$FX/sshdoctor.stderr"
    [ "$VIA_RAN" = server ] && [ -f "$FX/server.log" ] && mv "$FX/server.log" "$FX/sshdoctor.stderr"
    for f in sshdoctor.json sshdoctor.stderr server.log server-client.json server-client.stderr \
             server-client.cmd server-client.ssh_config meta.txt expect.json; do
        [ -f "$FX/$f" ] && cp "$FX/$f" "$dest/"
    done
    [ -n "${SLOW_TIMED:-}" ] && [ -f "$SLOW_TIMED/expect.json" ] && cp "$SLOW_TIMED/expect.json" "$dest/expect-timed.json"
    chmod 0644 "$dest"/* 2>/dev/null
    if grep -rqF -e "$PW" -e "$WRONG_PW" -e "$ENC_PASSPHRASE" "$dest" "$FX"; then
        via_fail "lab-$NAME" "a password appears in sshdoctor's output ($(grep -rlF -e "$PW" -e "$WRONG_PW" -e "$ENC_PASSPHRASE" "$dest" | xargs -r -n1 basename | tr '\n' ' '))"
    fi
    return 0
}

# ---------------------------------------------------------------- runner
FAILS=0
run_one() { # name id
    NAME=$1 ID=$2
    SD=$BASE/s/$NAME FX=$BASE/s/$NAME/fx
    rm -rf -- "$SD"; mkdir -p "$FX"; chmod 0755 "$SD"
    REASON="" CFG="" SERVER_CMD="" HELPER_CMDS="" PORT="" SSHD_PID="" SLOW_TIMED=""
    CLIENT_CMDS=() NOTES=() META_FILES=() PRE=() SFTP_PRE=() CLIENT_ENV=()
    CLIENT_STDOUT=merge CLIENT_STDIN=/dev/null CLIENT_RC="" ASKPASS_MODE=""
    unset KEY NO_SUBSYSTEM NO_HOSTKEYS NO_LISTEN
    reset_user
    VIA_RAN="" VIA_TOOL="" VIA_DEST="" VIA_SSHOPTS=()
    local rc
    "sc_${NAME//-/_}"
    rc=$?
    stop_pids
    kill_user_procs
    if [ -n "$VIA" ]; then
        via_finish "$rc"
        stop_pids
        kill_user_procs
        : > "$ASKPASS_ANSWER"
        return 0
    fi
    : > "$ASKPASS_ANSWER"
    if [ $rc = 0 ]; then
        [ -f "$FX/expect.json" ] || { rc=1; REASON="no expect.json"; }
    fi
    if [ $rc = 0 ]; then
        write_meta
        local d
        for d in "$FX" ${SLOW_TIMED:+"$SLOW_TIMED"}; do
            if [ "$d" = "${SLOW_TIMED:-}" ]; then
                cp "$FX/meta.txt" "$d/meta.txt"
                printf '\nthis directory: the same run as lab-slow-login, each line prefixed with its arrival time\n' >> "$d/meta.txt"
            fi
            if grep -rqF -e "$PW" -e "$WRONG_PW" -e "$ENC_PASSPHRASE" "$d"; then
                rc=1; REASON="a password appears in a saved file"
            fi
            "$PY" - "$d" 2>"$SD/check.err" <<'EOF' || { rc=1; REASON="expect.json check: $(tail -n1 "$SD/check.err")"; }
import json, os, sys
d = sys.argv[1]
e = json.load(open(os.path.join(d, "expect.json")))
have = {"client": os.path.exists(os.path.join(d, "client.log")),
        "server": os.path.exists(os.path.join(d, "server.log"))}
want = {"client": have["client"], "server": have["server"],
        "both": have["client"] and have["server"]}
for k, v in want.items():
    if (k in e["cases"]) != v:
        sys.exit("case %s present=%s but files say %s" % (k, k in e["cases"], v))
def text(name):
    f = os.path.join(d, name + ".log")
    return open(f, errors="replace").read() if os.path.exists(f) else ""
for k, c in e["cases"].items():
    assert c["verdict"] in ("ok", "problem", "inconclusive"), c
    if c["verdict"] == "problem":
        assert c.get("problem") and c.get("stage"), c
    logs = text("client") + text("server") if k == "both" else text(k)
    for ev in c.get("evidence", []):
        if ev not in logs:
            sys.exit("case %s: evidence %r not in the log" % (k, ev))
EOF
        done
    fi
    case $rc in
        0)
            local dest=$OUT_DIR/lab-$NAME
            rm -rf -- "$dest"; mkdir -p "$dest"
            cp "$FX"/client.log "$FX"/server.log "$FX"/meta.txt "$FX"/expect.json "$dest"/ 2>/dev/null
            if [ -n "${SLOW_TIMED:-}" ]; then
                rm -rf -- "$dest-timed"; mkdir -p "$dest-timed"
                cp "$SLOW_TIMED"/* "$dest-timed"/
                chmod 0644 "$dest-timed"/*
            fi
            chmod 0644 "$dest"/*
            printf 'ok   lab-%-32s (%s)\n' "$NAME" "$ID"
            ;;
        2)
            printf 'skip lab-%s: %s\n' "$NAME" "$REASON"
            ;;
        *)
            FAILS=$((FAILS + 1))
            printf 'FAIL lab-%s: %s\n' "$NAME" "${REASON:-unknown}"
            local f
            for f in "$FX/client.log" "$FX/server.log"; do
                [ -s "$f" ] && { echo "     --- tail of $(basename "$f")"; tail -n 4 "$f" | sed 's/^/     | /'; }
            done
            ;;
    esac
}

for e in "${SCENARIOS[@]}"; do
    set -- $e
    if [ ${#SELECTED[@]} -gt 0 ]; then
        found=0
        for s in "${SELECTED[@]}"; do [ "${s#lab-}" = "$1" ] && found=1; done
        [ $found = 1 ] || continue
    fi
    run_one "$1" "$2"
done

if [ -n "$VIA" ]; then
    echo "lab via sshdoctor: $VIA_SKIP skipped, $(( $(date +%s) - START_TS )) s, output in $OUT_DIR"
    echo "$VIA_PASS passed, $VIA_FAIL failed"
    [ $VIA_FAIL = 0 ]
    exit
fi
echo "lab: $FAILS failed, $(( $(date +%s) - START_TS )) s, fixtures in $OUT_DIR"
[ $FAILS = 0 ]
