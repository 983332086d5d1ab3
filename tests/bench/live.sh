#!/usr/bin/env bash
# live.sh [path/to/sshdoctor]: what `sshdoctor connect --batch` costs next
# to a plain `ssh -vvv` doing the same login: wall time and CPU (user+sys,
# the children included) from /usr/bin/time -f '%e %U %S', median of N runs
# each, against one loopback sshd (key authentication, remote command true).
#
# Figures, not a test: it prints a table and exits 0 whatever they are
# (non-zero only when it cannot run at all). Needs root (sshd, root's key
# authorized through a private AuthorizedKeysFile; nothing of root's is
# touched).
#
#   LIVE_BENCH_RUNS=10       runs of each command
#   LIVE_BENCH_TIMEOUT=S     give sshdoctor --timeout S (default: none, its own)
#
# Both commands get the same ssh options; sshdoctor adds its own -vvv,
# -oConnectTimeout=10 and -oNumberOfPasswordPrompts=1 in front of them.
set -uo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/sshdoctor}
runs=${LIVE_BENCH_RUNS:-10}
tmo=${LIVE_BENCH_TIMEOUT:-}
sshd=/usr/sbin/sshd

say() { printf '%s\n' "$*" >&2; }
die() { say "live bench: $*"; exit 2; }

case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || die "no sshdoctor at $bin (build it first)"
[ "$(id -u)" = 0 ] || die "must run as root (it starts sshd)"
[ -x /usr/bin/time ] || die "GNU time is missing (apt-get install time)"
[ -x "$sshd" ] || die "no $sshd"
command -v python3 >/dev/null 2>&1 || die "python3 is needed"

# a root-owned, not group/world-writable parent for sshd's StrictModes walk
if [ -d /run ] && [ -w /run ] && [ "$(stat -c '%u %a' /run)" = "0 755" ]; then
	tmp=$(mktemp -d /run/sshdoctor-bench-live.XXXXXX) || exit 2
else
	tmp=$(mktemp -d) || exit 2
fi
chmod 0755 "$tmp"
spid=
cleanup() {
	if [ -n "$spid" ] && kill -0 "$spid" 2>/dev/null; then
		kill -TERM -- "-$spid" 2>/dev/null || kill -TERM "$spid" 2>/dev/null
		sleep 0.3
		kill -KILL -- "-$spid" 2>/dev/null
	fi
	wait 2>/dev/null
	rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

install -d -m 0755 /run/sshd "$tmp/ak"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/hostkey" </dev/null >/dev/null
ssh-keygen -q -t ed25519 -N '' -f "$tmp/id" </dev/null >/dev/null
install -m 0644 "$tmp/id.pub" "$tmp/ak/root"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/sshd_config" <<EOF
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
PidFile none
UsePAM no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $tmp/ak/%u
PrintMotd no
PrintLastLog no
# Debian's bash reads ~/.bashrc for a command run by sshd unless it is
# nested (SHLVL >= 2 once incremented): root's may start slow tools (pyenv:
# 0.6 s here) that are not what this measures
SetEnv SHLVL=1
EOF
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$tmp/hostkey.pub")" >"$tmp/known_hosts"

# One sshd for every run (-D: it serves many connections; -e: log to stderr)
setsid "$sshd" -D -e -p "$port" -f "$tmp/sshd_config" </dev/null >/dev/null 2>"$tmp/sshd.log" &
spid=$!
for _ in $(seq 1 100); do
	grep -q 'Server listening on' "$tmp/sshd.log" 2>/dev/null && break
	kill -0 "$spid" 2>/dev/null || die "sshd did not start: $(tail -n1 "$tmp/sshd.log")"
	sleep 0.05
done

opts=(-F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -i "$tmp/id"
      -o UserKnownHostsFile="$tmp/known_hosts" -o GlobalKnownHostsFile=/dev/null
      -o StrictHostKeyChecking=yes)

median() { sort -g | awk '{a[NR]=$1} END{if (NR) print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2); else print "-"}'; }

# measure NAME CMD...: $runs runs; sets med_wall, med_cpu, min_wall, max_wall,
# fails, and med_exit: the median time until the stream (stderr) said "the
# client exited" (sshdoctor only: when the diagnosis could be printed).
# bash's `time` gives milliseconds (GNU time's %e only hundredths, too
# coarse for a 10 ms target); its user and sys include the children waited
# for, as GNU time's do. The stream is watched by grep, which stamps the
# line it waits for and drains the rest: nothing slow to start (a python
# behind a pyenv shim costs 0.4 s of CPU) runs next to the command measured.
measure() {
	local name=$1 i e u s t0 tx walls=() cpus=() exits=()
	shift
	fails=0
	for ((i = 1; i <= runs; i++)); do
		rm -f "$tmp/tx"
		t0=$EPOCHREALTIME
		{ { time env -u SSH_AUTH_SOCK "$@" </dev/null 2>&3 3>&- >"$tmp/out"; } \
			2>"$tmp/time" 3>&1; echo "rc $?" >>"$tmp/time"; } |
			{ grep -q -m1 -e '-- the client exited' &&
			  echo "$EPOCHREALTIME" >"$tmp/tx"; cat >/dev/null; }
		grep -qx 'rc 0' "$tmp/time" || fails=$((fails + 1))
		read -r e u s < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+$' "$tmp/time" | tail -n 1)
		walls+=("$e")
		cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.3f", u+s}')")
		tx=
		[ -s "$tmp/tx" ] && tx=$(cat "$tmp/tx")
		[ -n "$tx" ] && exits+=("$(awk -v a="$t0" -v b="$tx" 'BEGIN{printf "%.3f", b-a}')")
		say "live bench: $name run $i: wall ${e} s, user ${u} s, sys ${s} s${tx:+, client exited after ${exits[-1]} s}"
	done
	med_exit=$(printf '%s\n' "${exits[@]}" | grep . | median)
	med_wall=$(printf '%s\n' "${walls[@]}" | median)
	med_cpu=$(printf '%s\n' "${cpus[@]}" | median)
	min_wall=$(printf '%s\n' "${walls[@]}" | sort -g | head -n1)
	max_wall=$(printf '%s\n' "${walls[@]}" | sort -g | tail -n1)
}

TIMEFORMAT='%3R %3U %3S'
sd=("$bin" connect --batch --format json)
[ -n "$tmo" ] && sd+=(--timeout "$tmo")
sd+=(root@127.0.0.1 -p "$port" -- "${opts[@]}")

measure "ssh -vvv" ssh -vvv "${opts[@]}" -p "$port" root@127.0.0.1 true
ssh_wall=$med_wall ssh_cpu=$med_cpu ssh_min=$min_wall ssh_max=$max_wall ssh_fails=$fails
measure "sshdoctor connect --batch" "${sd[@]}"
sd_wall=$med_wall sd_cpu=$med_cpu sd_min=$min_wall sd_max=$max_wall sd_fails=$fails sd_exit=$med_exit
verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("verdict"))' "$tmp/out" 2>/dev/null || echo '?')

exec 2>&1
echo
echo "live bench: loopback sshd ($("$sshd" -V 2>&1 | head -n1)), key login, remote command true, $runs runs each: medians, wall min..max"
printf '%-44s %8s %14s %10s %14s %7s\n' command "wall s" "wall min..max" "cpu u+s s" "client ends s" failed
printf '%-44s %8s %14s %10s %14s %7s\n' "ssh -vvv" "$ssh_wall" "$ssh_min..$ssh_max" "$ssh_cpu" "$ssh_wall" "$ssh_fails"
printf '%-44s %8s %14s %10s %14s %7s\n' "sshdoctor connect --batch${tmo:+ --timeout $tmo}" "$sd_wall" "$sd_min..$sd_max" "$sd_cpu" "$sd_exit" "$sd_fails"
awk -v sw="$ssh_wall" -v dw="$sd_wall" -v sc="$ssh_cpu" -v dc="$sd_cpu" 'BEGIN {
	printf "%-44s %+8.3f %14s %+10.3f %14s\n", "added (medians)", dw - sw, "", dc - sc, ""
	if (sc > 0) printf "%-44s %8s %14s %+9.0f%%\n", "", "", "", 100 * (dc - sc) / sc }'
echo "(client ends: seconds until sshdoctor's stream says the client exited; cpu includes ssh, a child of both)"
echo "sshdoctor's last verdict: $verdict"
exit 0
