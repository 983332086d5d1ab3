#!/usr/bin/env bash
# tests/tui/run.sh path/to/sshdoctor: end-to-end tests of the curses
# front end, driving the real binary in tmux (send-keys, capture-pane).
#
# Each test prints PASS or FAIL (with the screen on failure); the last
# line is "N passed, M failed" and the exit status is non-zero when any
# failed. A private tmux server (-L sshdoctor-test-PID) is killed on exit.
# The live test needs root and /usr/sbin/sshd: it starts sshd -ddd on a
# loopback port with a temporary user, types the password into the dialog,
# and checks afterwards that the password was written nowhere.
set -u

bin=${1:?usage: tests/tui/run.sh path/to/sshdoctor}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fix=$root/tests/fixtures
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
export SSHDOCTOR_KB=${SSHDOCTOR_KB:-$root/kb}
unset NO_COLOR TMUX

passed=0 failed=0
sock=sshdoctor-test-$$
tm() { tmux -u -L "$sock" -f /dev/null "$@"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sshdoctor-tui.XXXXXX")
home=$tmp/home
mkdir -p "$home"
sshd_pid= test_user=

cleanup() {
	tm kill-server >/dev/null 2>&1
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null
		wait "$sshd_pid" 2>/dev/null
	fi
	if [ -n "$test_user" ] && id "$test_user" >/dev/null 2>&1; then
		pkill -KILL -u "$test_user" 2>/dev/null
		sleep 0.2
		userdel -r "$test_user" >/dev/null 2>&1 || userdel "$test_user" >/dev/null 2>&1
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() {
	echo "FAIL: $1"
	failed=$((failed + 1))
	echo "----- screen -----"
	screen | sed 's/^/| /'
	echo "------------------"
}
# t NAME 'CONDITION': PASS when the shell condition holds
t() {
	local name=$1
	shift
	if eval "$*"; then pass "$name"; else fail "$name"; fi
}

# start COLS ROWS ENV... -- ARGS...: the binary in a fresh session
start() {
	local cols=$1 rows=$2 envs=() q
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	tm kill-session -t tui >/dev/null 2>&1
	q=$(printf '%q ' env HOME="$home" SSHDOCTOR_KB="$SSHDOCTOR_KB" LANG=C.UTF-8 \
		LC_ALL= TERM=screen "${envs[@]}" "$bin" "$@")
	tm new-session -d -x "$cols" -y "$rows" -s tui "$q"
	tm set-option -t tui remain-on-exit on >/dev/null
	tm set-option -t tui set-clipboard on >/dev/null 2>&1
}
screen() { tm capture-pane -p -t tui 2>/dev/null; }
keys() { tm send-keys -t tui "$@"; sleep 0.25; }
# wait_for PATTERN [SECONDS]: until the screen matches (grep -E)
wait_for() {
	local i n=$(( ${2:-5} * 20 ))
	for ((i = 0; i < n; i++)); do
		screen | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
row() { screen | sed -n "$1p"; }
dead() { [ "$(tm display -p -t tui '#{pane_dead}' 2>/dev/null)" = 1 ]; }
wait_dead() {
	local i
	for ((i = 0; i < 100; i++)); do dead && return 0; sleep 0.05; done
	return 1
}
# the rows of the log pane: a line number and a layer tag
log_rows() { screen | grep -cE '^.[ 0-9]{3,} [!~ ] (TCP|VERS|KEX|HKEY|AUTH|CONN|SFTP|LOCAL|OTHER) '; }
log_tag() { screen | grep -cE "^.[ 0-9]{3,} [!~ ] $1 "; }
TAB=$'\t'
sane() { # top bar first, key line last, no "too small"
	local s
	s=$(screen)
	printf '%s\n' "$s" | head -n 1 | grep -q 'sshdoctor' &&
		printf '%s\n' "$s" | tail -n 1 | grep -qE 'q (back|quit)' &&
		! printf '%s\n' "$s" | grep -q 'too small'
}

command -v tmux >/dev/null || { echo "FAIL: tmux is not installed"; echo "0 passed, 1 failed"; exit 1; }
[ -x "$bin" ] || { echo "FAIL: no binary at $bin"; echo "0 passed, 1 failed"; exit 1; }

# ---- home --------------------------------------------------------------
start 80 24 --
wait_for 'analyze' 5
home_ok=1
for w in connect server sftp check analyze; do
	screen | grep -qE " $w +[a-z]" || home_ok=0
done
t "home: the five wizards, each with its summary" '[ $home_ok = 1 ]'
t "home: train and lab, each with its line" \
	"screen | grep -qE ' train +[a-z]' && screen | grep -qE ' lab +[a-z]'"
keys '?'
t "home: ? shows the help" "wait_for 'sshdoctor: help' 3"
keys q
t "home: q closes the help" "wait_for 'What fails' 3"
keys q
t "home: q quits" wait_dead

# ---- analyze: the right cause -----------------------------------------
kexnomac=(--client "$fix/talk-02-kex-no-mac/client.log" --server "$fix/talk-02-kex-no-mac/server.log")
start 80 24 -- analyze --tui "${kexnomac[@]}"
t "analyze: kex-no-mac in the diagnosis pane" "wait_for '^ Diagnosis: kex-no-mac' 5"
t "analyze: the headline names the cause" "wait_for 'PROBLEM: .*no MAC algorithm' 2"
t "analyze: the ladder shows kex failed" "wait_for 'kex (✗|X) FAILED' 2"
t "analyze: stage headers between the lines" "wait_for '>> TCP connection starting' 2"

# search: / KEXINIT, then n and N
keys /
keys -l 'KEXINIT'
keys Enter
t "search: / finds the first match (line 10)" "wait_for 'client\.log .* 10/15' 3"
keys n
t "search: n goes to the next match (line 11)" "wait_for 'client\.log .* 11/15' 3"
keys N
t "search: N goes back (line 10)" "wait_for 'client\.log .* 10/15' 3"

# layer toggles: 3 hides kex, 3 shows it again
kex_before=$(log_tag KEX)
keys 3
t "layers: 3 hides the kex lines" '[ "$kex_before" -gt 0 ] && [ "$(log_tag KEX)" = 0 ] && wait_for "3---" 1'
keys 3
t "layers: 3 shows them again" '[ "$(log_tag KEX)" = "$kex_before" ]'

# evidence: Tab, Tab (client, server, diagnosis): the cursor is on the
# first evidence line; Enter shows it in its log
keys Tab
keys Tab
keys Enter
t "evidence: Enter jumps to the line in its log (client 14)" "wait_for 'client\.log .* 14/15' 3"
keys q
t "analyze: q quits" wait_dead

# ---- the mouse (X10 reports, as TERM=screen has them) ----------------------
# mouse BUTTON X Y: a press (and a release for button 0) at 0-based X, Y
mouse() {
	local b=$1 x=$2 y=$3
	tm send-keys -t tui -l "$(printf '\e[M%b%b%b' "\\$(printf '%03o' $((32 + b)))" \
		"\\$(printf '%03o' $((33 + x)))" "\\$(printf '%03o' $((33 + y)))")"
	[ "$b" = 0 ] && tm send-keys -t tui -l "$(printf '\e[M#%b%b' \
		"\\$(printf '%03o' $((33 + x)))" "\\$(printf '%03o' $((33 + y)))")"
	sleep 0.25
}
start 80 24 -- analyze --tui "$fix/lab-success/client.log"
wait_for 'Diagnosis' 5
mouse 65 10 5
t "mouse: the wheel scrolls the log" "wait_for '^ client\.log .* 4/194' 2"
mouse 0 10 6
t "mouse: a click selects the row" "! wait_for '^ client\.log .* 4/194' 1"
mouse 0 5 16
t "mouse: a click on the diagnosis focuses it" "wait_for 'Enter open' 2"
keys q
wait_dead

# ---- fold and unfold -----------------------------------------------------
start 80 24 -- analyze --tui "$fix/talk-quiz-noise/client.log"
wait_for 'noise lines folded' 5
t "fold: 8 noise lines become one fold line" \
	'[ "$(screen | grep -c "noise lines folded")" = 1 ] && [ "$(log_rows)" = 0 ] &&
	wait_for "8 noise lines folded: ssh reads each key file" 1'
keys Enter
t "fold: Enter expands it to the 8 lines" \
	'[ "$(log_rows)" = 8 ] && ! screen | grep -q "noise lines folded"'
keys Enter
t "fold: Enter again folds them" '[ "$(log_rows)" = 0 ] && wait_for "8 noise lines folded" 1'
keys f
t "fold: f shows all the noise" '[ "$(log_rows)" = 8 ]'
keys q
wait_dead

# ---- resize between 80x24 and 200x50, side by side when wide ---------------
start 80 24 -- analyze --tui --client "$fix/lab-success/client.log" \
	--server "$fix/lab-success/server.log"
wait_for 'Diagnosis' 5
t "resize: tabs at 80x24" "wait_for '^ client\.log (─|-) server\.log' 2"
tm resize-window -t tui -x 200 -y 50
sleep 0.5
t "resize: side by side at 200x50" \
	'sane && [ "$(screen | wc -l)" -ge 50 ] && row 3 | grep -qE "client\.log .* server\.log" &&
	row 4 | grep -qE "LOCAL .*(│|\|) +1 +LOCAL"'
tm resize-window -t tui -x 80 -y 24
sleep 0.5
t "resize: back at 80x24, still sane" 'sane && [ "$(screen | wc -l)" -le 24 ] && row 2 | grep -q tcp'
tm resize-window -t tui -x 40 -y 10
t "resize: a terminal too small says so" "wait_for 'terminal too small' 2"
tm resize-window -t tui -x 80 -y 24
sleep 0.4
t "resize: and recovers" sane
keys q
wait_dead

# ---- NO_COLOR, colour, ASCII -----------------------------------------------
colour_sgr=$'\e\\[([0-9]*;)*(3[0-7]|38;5|4[0-7]|48;5|9[0-7]|10[0-7])[;m]'
start 80 24 NO_COLOR=1 -- analyze --tui "${kexnomac[@]}"
wait_for 'Diagnosis' 5
t "NO_COLOR: no colour at all, only attributes" \
	'! tm capture-pane -e -p -t tui | grep -qE "$colour_sgr"'
t "NO_COLOR: the layer tags carry the meaning" "wait_for '^.[ 0-9]{3,} [!~ ] (LOCAL|TCP) ' 1"
keys q
wait_dead
start 80 24 -- analyze --tui "${kexnomac[@]}"
wait_for 'Diagnosis' 5
t "colour: without NO_COLOR there is colour" 'tm capture-pane -e -p -t tui | grep -qE "$colour_sgr"'
keys q
wait_dead
start 80 24 LANG=C -- analyze --tui "${kexnomac[@]}"
wait_for 'Diagnosis' 5
t "ASCII: a non-UTF-8 locale gets ASCII glyphs" \
	"wait_for 'kex X FAILED' 2 && wait_for '^ client\.log - server\.log' 1"
keys q
wait_dead

# ---- a log with escape sequences ------------------------------------------
hostile=$tmp/hostile.log
printf 'debug1: Connecting to evil [192.0.2.1] port 22.\n' >"$hostile"
printf 'debug1: Remote protocol version 2.0, remote software version \033]0;PWNED-TITLE\007OpenSSH\n' >>"$hostile"
printf 'banner: \033[2J\033[H\033[31mRED \033]52;c;cHduZWQ=\007 end\n' >>"$hostile"
printf 'bidi: \342\200\256evil\n' >>"$hostile"
start 160 24 -- analyze --tui "$hostile"
wait_for 'Diagnosis' 5
t "escapes: shown visibly as \\e and \\x07" \
	"wait_for '\\\\e\\]0;PWNED-TITLE\\\\x07OpenSSH' 2 && wait_for '\\\\e\\[2J\\\\e\\[H\\\\e\\[31mRED' 1"
t "escapes: a bidi override is shown as its code point" "wait_for 'u\\{202[eE]\\}evil' 1"
t "escapes: the terminal title is untouched" '! tm display -p -t tui "#{pane_title}" | grep -q PWNED'
t "escapes: the screen was not cleared (top bar, ladder, key line stay)" 'sane && row 2 | grep -q tcp'
t "escapes: no clipboard was set by the log" '! tm show-buffer 2>/dev/null | grep -q pwned'
keys j
keys c
t "copy: c sends the line with OSC 52 (tmux keeps it as a buffer)" \
	'sleep 0.3; tm show-buffer 2>/dev/null | grep -q "Connecting to evil"'
keys q
wait_dead

# ---- stopping a run: Ctrl-C, SIGTERM, SIGHUP ---------------------------------
# a listener that accepts and never answers: ssh waits for the banner
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
held = []
while True:
    held.append(s.accept()[0])
' >"$tmp/silent.port" &
silent_pid=$!
for ((i = 0; i < 50; i++)); do [ -s "$tmp/silent.port" ] && break; sleep 0.05; done
silent=$(cat "$tmp/silent.port")
ssh_child() { pgrep -P "$1" -x ssh | head -n 1; }
stuck=(connect "nobody@127.0.0.1" -p "$silent" -- -F /dev/null -o UserKnownHostsFile=/dev/null)

start 80 24 -- "${stuck[@]}"
wait_for 'running' 5
pid=$(tm display -p -t tui '#{pane_pid}')
for ((i = 0; i < 40; i++)); do [ -n "$(ssh_child "$pid")" ] && break; sleep 0.05; done
sshpid=$(ssh_child "$pid")
keys C-c
t "Ctrl-C: the run stops, ssh is ended" \
	"wait_for 'stopped' 5 && [ -n '$sshpid' ] && ! kill -0 '$sshpid' 2>/dev/null"
keys q
t "Ctrl-C: q then leaves" wait_dead

start 80 24 -- "${stuck[@]}"
wait_for 'running' 5
pid=$(tm display -p -t tui '#{pane_pid}')
for ((i = 0; i < 40; i++)); do [ -n "$(ssh_child "$pid")" ] && break; sleep 0.05; done
sshpid=$(ssh_child "$pid")
kill -TERM "$pid"
t "SIGTERM: sshdoctor leaves, ssh is ended, the terminal is restored" \
	'wait_dead && sleep 0.3 && [ -n "$sshpid" ] && ! kill -0 "$sshpid" 2>/dev/null &&
	[ "$(tm display -p -t tui "#{alternate_on}")" = 0 ]'

start 80 24 -- "${stuck[@]}"
wait_for 'running' 5
pid=$(tm display -p -t tui '#{pane_pid}')
for ((i = 0; i < 40; i++)); do [ -n "$(ssh_child "$pid")" ] && break; sleep 0.05; done
sshpid=$(ssh_child "$pid")
tm kill-session -t tui
t "SIGHUP (the terminal goes away): sshdoctor and ssh are gone" \
	'for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done;
	sleep 0.3; ! kill -0 "$pid" 2>/dev/null && [ -n "$sshpid" ] && ! kill -0 "$sshpid" 2>/dev/null'
kill "$silent_pid" 2>/dev/null
wait "$silent_pid" 2>/dev/null

# ---- standard input ----------------------------------------------------------
tm kill-session -t tui >/dev/null 2>&1
tm new-session -d -x 80 -y 24 -s tui "$(printf '%q ' sh -c \
	'cat "$1" | env HOME="$2" TERM=screen LANG=C.UTF-8 "$3" analyze --tui -' _ \
	"$fix/talk-02-kex-no-mac/client.log" "$home" "$bin")"
tm set-option -t tui remain-on-exit on >/dev/null
t "stdin: a piped log opens, keys come from the terminal" \
	"wait_for 'Diagnosis: kex-no-mac' 5 && keys G && wait_for 'stdin .* 15/15' 2"
keys q
wait_dead

# ---- training: a scenario replayed, its quiz answered, the score ------------
start 100 30 --
wait_for 'analyze' 5
for ((i = 0; i < 8; i++)); do
	screen | grep -qE '▸ train |> train ' && break
	keys Down
done
keys Enter
t "train: the home entry opens the scenarios" "wait_for 'sshdoctor: training' 3"
t "train: scenarios listed with their question count" \
	"wait_for 'talk-quiz +1 question +Quiz' 2"
keys '?'
t "train: ? on the scenarios shows their help" \
	"wait_for 'sshdoctor: help' 3 && wait_for 'Training: replay a saved ssh log' 1 && wait_for '^ *The quiz' 1"
keys End
t "train: the end of the help says how the score is counted" "wait_for '^ *Scoring' 2"
keys q
t "train: q closes the help, back to the scenarios" \
	"wait_for 'talk-quiz +1 question' 3 && ! screen | grep -q 'sshdoctor: help'"
keys q
t "train: q goes back home" "wait_for 'What fails' 3"
keys q
wait_dead
start 100 30 -- train talk-quiz
t "train: train SCENARIO opens its replay" "wait_for 'step 0/[0-9]+ ' 3"
keys Space
keys Space
t "train: Space shows the next line" "wait_for 'step 2/' 2 && wait_for '^ +1 +LOCAL ' 1"
keys b
t "train: b steps back" "wait_for 'step 1/' 2"
keys '?'
t "train: ? in the replay shows the help" "wait_for 'sshdoctor: help' 3 && wait_for 'The replay' 1"
keys Escape
t "train: Esc closes it, back in the replay" "wait_for 'step 1/' 3 && ! screen | grep -q 'sshdoctor: help'"
# play at full speed until the quiz point
keys + + + + +
keys p
t "train: the quiz point asks, with numbered choices" \
	"wait_for 'Are these messages important' 5 && wait_for '\\[1 yes\\] +\\[2 no\\]' 2"
keys 2
t "train: the answer is judged and explained" "wait_for 'right\\.' 3 && wait_for 'folds them as noise' 1"
keys Enter
for ((i = 0; i < 5; i++)); do keys Space; done
t "train: the score at the end" "wait_for 'score: 1/1' 3"
keys q
t "train: q goes back to the scenarios" "wait_for 'talk-quiz +1 question' 3"
keys q
t "train: q from the scenarios quits" wait_dead

# ---- the lab's list and its help (no sshd started: needs no root) -----------
start 120 40 -- lab
t "lab: the list opens" "wait_for 'sshdoctor: the lab' 3"
keys '?'
t "lab: ? on the breaks shows their help" \
	"wait_for 'sshdoctor: help' 3 && wait_for 'What a break is' 1 && wait_for 'sandbox is torn down' 1"
keys q
t "lab: q closes the help, back to the breaks" \
	"wait_for 'sshdoctor: the lab' 3 && ! screen | grep -q 'sshdoctor: help'"
keys q
t "lab: q from the breaks quits" wait_dead

# ---- the lab: a real broken sshd, diagnosed in the run screen --------------
lab_tui() {
	local labtmp=$tmp/labtmp i
	if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null; then
		echo "SKIP: lab (needs root, /usr/sbin/sshd and ssh)"
		return
	fi
	mkdir -p "$labtmp"
	# sshd re-executes itself under another title ("sshd: [rexeced]"):
	# look for the sandbox's path, for an sshd that was not there before,
	# and for a listener on the lab's port
	sshd_before=" $(pgrep -d ' ' -f '(^|/)sshd[: ]') "
	lab_gone() {
		local p
		pgrep -f -- "$labtmp/sshdoctor\\." >/dev/null && return 1
		for p in $(pgrep -f '(^|/)sshd[: ]'); do
			case $sshd_before in *" $p "*) ;; *) return 1 ;; esac
		done
		[ -z "$lab_port" ] || ! command -v ss >/dev/null ||
			! ss -Hltn "sport = :$lab_port" | grep -q .
	}
	lab_port=
	start 120 40 TMPDIR="$labtmp" -- lab
	t "lab: the breaks are listed" "wait_for 'sshdoctor: the lab' 3 && wait_for ' kex-no-mac +no MAC' 2"
	for ((i = 0; i < 40; i++)); do
		screen | grep -qE '(▸|>) kex-no-mac ' && break
		keys Down
	done
	keys Enter
	t "lab: kex-no-mac in the diagnosis pane" "wait_for '^ Diagnosis: kex-no-mac' 20"
	lab_port=$(screen | head -n 1 | sed -nE 's/.* port ([0-9]+) .*/\1/p')
	t "lab: both logs, client and the lab's sshd" \
		"wait_for 'client: ssh -vvv .*server: sshd -ddd' 2"
	keys q
	t "lab: q goes back to the breaks" "wait_for 'sshdoctor: the lab' 5"
	t "lab: no sshd of the lab left after the run" \
		"sleep 0.5; lab_gone"
	t "lab: no sandbox left after the run" \
		'[ -z "$(ls -A "$labtmp")" ]'
	# again, and quit from the middle of the run with Ctrl-C
	keys Enter
	wait_for 'lab .* connect' 10
	keys C-c
	keys q
	t "lab: quitting ends the program" wait_dead
	t "lab: no sshd of the lab left after quitting" \
		"sleep 0.5; lab_gone"
	t "lab: no sandbox left after quitting" \
		'[ -z "$(ls -A "$labtmp")" ]'
}
lab_tui

# ---- a live connect against a real sshd -----------------------------------
live() {
	local port pw user cfg i verdict
	if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v ssh >/dev/null ||
		! command -v useradd >/dev/null; then
		echo "SKIP: live connect (needs root, /usr/sbin/sshd, ssh, useradd)"
		return
	fi
	install -d -m 0755 /run/sshd
	user=sdtui$$
	user=${user:0:30}
	pw="tui-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
	if ! useradd -m -d "/home/$user" -s /bin/sh -c "sshdoctor tui test" "$user"; then
		fail "live: cannot create the test user"
		return
	fi
	test_user=$user
	printf '%s:%s\n' "$user" "$pw" | chpasswd
	mkdir -p "$tmp/sshd"
	ssh-keygen -q -t ed25519 -N '' -f "$tmp/sshd/hostkey"
	cfg=$tmp/sshd/sshd_config
	cat >"$cfg" <<-EOF
	ListenAddress 127.0.0.1
	HostKey $tmp/sshd/hostkey
	PasswordAuthentication yes
	KbdInteractiveAuthentication no
	PubkeyAuthentication no
	UsePAM no
	PidFile none
	AllowUsers $user
	EOF
	# a free port can still be taken before sshd binds it: retry
	for i in 1 2 3 4 5; do
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		/usr/sbin/sshd -ddd -e -p "$port" -f "$cfg" 2>"$tmp/sshd/log" &
		sshd_pid=$!
		for ((n = 0; n < 50; n++)); do
			grep -q 'Server listening on 127.0.0.1' "$tmp/sshd/log" && break
			kill -0 "$sshd_pid" 2>/dev/null || break
			sleep 0.1
		done
		grep -q 'Server listening on 127.0.0.1' "$tmp/sshd/log" && break
		wait "$sshd_pid" 2>/dev/null
		sshd_pid=
	done
	if [ -z "$sshd_pid" ]; then
		fail "live: sshd did not start ($(tail -n 1 "$tmp/sshd/log"))"
		return
	fi
	start 80 24 -- connect "$user@127.0.0.1" -p "$port" -- -F /dev/null \
		-o UserKnownHostsFile="$tmp/known_hosts" -o PreferredAuthentications=password
	if wait_for 'is this really the server' 15; then
		t "live: the host key dialog shows the fingerprint" \
			"wait_for 'SHA256:' 1 && wait_for 'known_hosts' 1"
		keys y
	else
		fail "live: the host key dialog"
	fi
	if wait_for 'ssh asks for a password' 15; then
		# mid-stream: resize while the run waits, the dialog must survive
		tm resize-window -t tui -x 200 -y 50
		sleep 0.3
		tm resize-window -t tui -x 80 -y 24
		sleep 0.3
		t "live: resize mid-run keeps the password dialog" "wait_for 'input hidden' 2 && sane"
		tm send-keys -t tui -l "$pw"
		tm send-keys -t tui Enter
		t "live: the password is not shown while typed" '! screen | grep -qF -- "$pw"' 
	else
		fail "live: the password dialog"
	fi
	if wait_for 'done: ' 20; then
		verdict=$(screen | grep -E '^ (OK|PROBLEM|INCONCLUSIVE): ' | head -n 1)
		echo "      verdict: ${verdict# }"
		t "live: the verdict is shown" '[ -n "$verdict" ]'
		t "live: the ladder shows auth passed" "wait_for 'auth ?(✓|\\+)' 1"
	else
		fail "live: the run ends with a verdict"
	fi
	keys q
	t "live: q quits after the run" wait_dead
	# the password must appear nowhere: the scrollback, the cache, /tmp
	t "live: the password is not in the tmux scrollback" \
		'! tm capture-pane -p -S - -E - -t tui | grep -qF -- "$pw"'
	t "live: the password is not in ~/.cache/sshdoctor" \
		'! grep -rqF -- "$pw" "$home/.cache" ~root/.cache/sshdoctor 2>/dev/null'
	hist=$home/.cache/sshdoctor/history
	t "live: the history has the target (mode 0600), nothing else" \
		'[ "$(stat -c %a "$hist")" = 600 ] && grep -qxF "connect${TAB}$user@127.0.0.1${TAB}$port" "$hist"'
	t "live: the password is not in /tmp" \
		'! timeout 60 grep -rlF -- "$pw" "${TMPDIR:-/tmp}" /tmp 2>/dev/null | grep -q .' 
	kill "$sshd_pid" 2>/dev/null
	wait "$sshd_pid" 2>/dev/null
	sshd_pid=
}
live

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
