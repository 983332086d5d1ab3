#!/usr/bin/env bash
# screenshots/make.sh [path/to/sshdoctor]: real PNG renders of the running
# TUI, made from the program itself: each scene runs in a private tmux
# server, `tmux capture-pane -e` takes the screen with its attributes,
# aha turns that into HTML, and headless Chromium photographs the page.
#
#   home.png          the home screen, with recent sessions
#   diagnosis.png     the analysis of a lab fixture: ladder, log, diagnosis
#   live-connect.png  a live connect to a loopback sshd, password typed
#                     into the dialog, with its verdict (root only)
#   password.png      that run's password dialog (root only)
#   side-by-side.png  a client log and its server log at 200 columns
#   fold.png          folded noise, one run opened
#   help.png          the help of the log screen
#
# Needs tmux, aha, chromium and fonts-dejavu-core (installed with apt-get
# when run as root and missing). Re-runnable: it overwrites the PNGs.
# SCENES="home fold" limits it to some scenes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-$root/build/sshdoctor}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
fix=$root/tests/fixtures
export SSHDOCTOR_KB=${SSHDOCTOR_KB:-$root/kb}
scenes=${SCENES:-home diagnosis live side-by-side fold help}

say() { printf 'screenshots: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }
[ -x "$bin" ] || die "no sshdoctor at $bin (make build)"

need=
command -v tmux >/dev/null || need="$need tmux"
command -v aha >/dev/null || need="$need aha"
command -v chromium >/dev/null || need="$need chromium"
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || need="$need fonts-dejavu-core"
if [ -n "$need" ]; then
	[ "$(id -u)" = 0 ] || die "missing:$need (apt-get install$need)"
	say "installing$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

sock=sshdoctor-shots-$$
tm() { tmux -u -L "$sock" -f /dev/null "$@"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sshdoctor-shots.XXXXXX")
home=$tmp/home
mkdir -p "$home/.cache/sshdoctor"
sshd_pid= user=
cleanup() {
	tm kill-server >/dev/null 2>&1 || true
	[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null || true
	if [ -n "$user" ] && id "$user" >/dev/null 2>&1; then
		pkill -KILL -u "$user" 2>/dev/null || true
		sleep 0.2
		userdel -r "$user" >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# a recent-sessions list to show on the home screen (no real hosts)
printf 'connect\talice@db1.example.net\t2222\nanalyze\t/var/log/auth.log\nconnect\tbackup@files.example.net\t0\n' \
	>"$home/.cache/sshdoctor/history"
chmod 600 "$home/.cache/sshdoctor/history"

start() { # start COLS ROWS ARGS...
	local cols=$1 rows=$2
	shift 2
	tm kill-session -t s >/dev/null 2>&1 || true
	tm new-session -d -x "$cols" -y "$rows" -s s "$(printf '%q ' env HOME="$home" \
		SSHDOCTOR_KB="$SSHDOCTOR_KB" TERM=screen LANG=C.UTF-8 "$bin" "$@")"
	tm set-option -t s remain-on-exit on >/dev/null
}
keys() { tm send-keys -t s "$@"; sleep 0.3; }
wait_for() {
	local i
	for ((i = 0; i < ${2:-10} * 20; i++)); do
		tm capture-pane -p -t s | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	say "waiting for '$1' timed out"
	return 1
}

# aha cannot swap the terminal's default colours for reverse video (the
# cursor row): this filter spells reverse out as explicit colours.
unreverse='
import re, sys
state = {"fg": None, "bg": None, "rev": False, "attrs": set()}
def sgr(m):
    ps = [int(p) if p else 0 for p in m.group(1).split(";")] if m.group(1) else [0]
    i = 0
    while i < len(ps):
        p = ps[i]
        if p == 0:
            state.update(fg=None, bg=None, rev=False); state["attrs"] = set()
        elif p == 7: state["rev"] = True
        elif p == 27: state["rev"] = False
        elif p in (1, 2, 3, 4, 5): state["attrs"].add(p)
        elif p in (22,): state["attrs"] -= {1, 2}
        elif p == 24: state["attrs"].discard(4)
        elif 30 <= p <= 37 or 90 <= p <= 97: state["fg"] = p
        elif p == 39: state["fg"] = None
        elif 40 <= p <= 47 or 100 <= p <= 107: state["bg"] = p
        elif p == 49: state["bg"] = None
        elif p in (38, 48) and i + 2 < len(ps) and ps[i + 1] == 5:
            n = ps[i + 2]; c = (30 if p == 38 else 40) + (n % 8)
            state["fg" if p == 38 else "bg"] = c; i += 2
        i += 1
    fg, bg = state["fg"], state["bg"]
    if state["rev"]:
        fg, bg = (bg - 10 if bg else 30), (fg + 10 if fg else 47)
    out = ["0"] + [str(a) for a in sorted(state["attrs"]) if a != 2]
    if fg: out.append(str(fg))
    if bg: out.append(str(bg))
    return "\x1b[" + ";".join(out) + "m"
sys.stdout.write(re.sub(r"\x1b\[([0-9;]*)m", sgr, sys.stdin.read()))
'

# shoot NAME: the pane as it is now, into screenshots/NAME.png
shoot() {
	local name=$1 cols rows w h
	cols=$(tm display -p -t s '#{pane_width}')
	rows=$(tm display -p -t s '#{pane_height}')
	tm capture-pane -e -N -p -t s | python3 -c "$unreverse" >"$tmp/$name.ans"
	{
		printf '<!DOCTYPE html><html><head><meta charset="utf-8"><style>\n'
		printf 'html,body{margin:0;background:#1c1c1c;}\n'
		printf 'pre{margin:0;padding:10px;font-family:"DejaVu Sans Mono",monospace;'
		printf 'font-size:14px;line-height:17px;color:#d0d0d0;white-space:pre;}\n'
		printf '</style></head><body><pre>'
		aha --black --no-header <"$tmp/$name.ans"
		printf '</pre></body></html>\n'
	} >"$tmp/$name.html"
	# DejaVu Sans Mono at 14px: 8.43px a column, 17px a row
	w=$(awk -v c="$cols" 'BEGIN{printf "%d", c * 8.43 + 22}')
	h=$((rows * 17 + 20))
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--hide-scrollbars --user-data-dir="$tmp/chromium" \
		--screenshot="$here/$name.png" --window-size="$w,$h" \
		"file://$tmp/$name.html" >/dev/null 2>&1
	say "$name.png (${cols}x$rows)"
}

scene_home() {
	start 100 28
	wait_for 'Recent sessions'
	shoot home
}

scene_diagnosis() {
	start 110 36 analyze --tui --client "$fix/lab-kex-no-mac/client.log" \
		--server "$fix/lab-kex-no-mac/server.log"
	wait_for '^ Diagnosis: kex-no-mac'
	keys e
	shoot diagnosis
}

scene_side_by_side() {
	start 200 50 analyze --tui --client "$fix/lab-auth-user-not-allowed/client.log" \
		--server "$fix/lab-auth-user-not-allowed/server.log"
	wait_for '^ Diagnosis: '
	keys e
	keys Tab
	keys e
	shoot side-by-side
}

scene_fold() {
	local row
	start 110 32 analyze --tui "$fix/lab-auth-password-wrong/client.log"
	wait_for 'noise lines folded'
	keys z
	# the cursor to the first fold line of the screen, and open it
	row=$(tm capture-pane -p -t s | grep -nE 'noise lines folded' | sed -n 1p | cut -d: -f1)
	for ((i = 4; i < ${row:-4}; i++)); do tm send-keys -t s j; done
	sleep 0.3
	keys Enter
	shoot fold
}

scene_help() {
	start 100 40 analyze --tui "$fix/talk-02-kex-no-mac/client.log"
	wait_for 'Diagnosis'
	keys '?'
	shoot help
}

scene_live() {
	local port pw cfg
	if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ]; then
		say "live-connect.png and password.png need root and /usr/sbin/sshd: kept as they are"
		return
	fi
	install -d -m 0755 /run/sshd
	user=sdshot$$
	pw="shot-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
	useradd -m -d "/home/$user" -s /bin/sh -c "sshdoctor screenshots" "$user"
	printf '%s:%s\n' "$user" "$pw" | chpasswd
	mkdir -p "$tmp/sshd"
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/sshd/hostkey"
	cfg=$tmp/sshd/sshd_config
	printf '%s\n' "ListenAddress 127.0.0.1" "HostKey $tmp/sshd/hostkey" \
		"PasswordAuthentication yes" "KbdInteractiveAuthentication no" \
		"PubkeyAuthentication no" "UsePAM no" "PidFile none" "AllowUsers $user" >"$cfg"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	/usr/sbin/sshd -ddd -e -p "$port" -f "$cfg" 2>"$tmp/sshd/log" &
	sshd_pid=$!
	for ((i = 0; i < 50; i++)); do
		grep -q 'Server listening' "$tmp/sshd/log" && break
		sleep 0.1
	done
	start 110 36 connect "$user@127.0.0.1" -p "$port" -- -F /dev/null \
		-o UserKnownHostsFile="$tmp/known_hosts"
	wait_for 'is this really the server' 15
	keys y
	wait_for 'ssh asks for a password' 15
	shoot password
	tm send-keys -t s -l "$pw"
	tm send-keys -t s Enter
	wait_for 'done: ' 20
	keys Tab
	shoot live-connect
	keys q
	kill "$sshd_pid" 2>/dev/null || true
	wait "$sshd_pid" 2>/dev/null || true
	sshd_pid=
}

for s in $scenes; do
	case $s in
	home) scene_home ;;
	diagnosis) scene_diagnosis ;;
	live) scene_live ;;
	side-by-side) scene_side_by_side ;;
	fold) scene_fold ;;
	help) scene_help ;;
	*) die "unknown scene $s" ;;
	esac
done
