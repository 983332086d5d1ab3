#!/usr/bin/env bash
# tui-open.sh [path/to/sshdoctor]: how fast the TUI opens a large log.
#
# Runs `sshdoctor analyze --tui --server LOG` in a private tmux server and
# times, from the moment the session starts: the first screen (numbered
# log rows and the key line on screen), G (the last line of the file on
# screen: the whole file indexed), ten page-downs after a g, and the end
# of the full diagnosis pass (the top bar shows a verdict instead of
# "reading N%"). The times include tmux's own polling (a few ms).
#
# Figures, not a test: it exits 0 whatever they are (non-zero only when it
# cannot run at all).
#
#   BENCH_SIZE=1G      size of the generated log (as gen-authlog.py takes it)
#   BENCH_LOG=FILE     use FILE if it exists; if not, generate it there, keep it
#   BENCH_TIMEOUT=300  seconds to wait for the diagnosis pass
#   BENCH_COLD=1       drop the page cache first (root; the disk then counts)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/sshdoctor}
size=${BENCH_SIZE:-1G}
tmo=${BENCH_TIMEOUT:-300}
export SSHDOCTOR_KB=${SSHDOCTOR_KB:-$root/kb}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac

say() { printf '%s\n' "$*" >&2; }
die() { say "tui-open: $*"; exit 2; }
[ -x "$bin" ] || die "no sshdoctor at $bin (build it: make build)"
command -v tmux >/dev/null || die "tmux is needed (apt-get install tmux)"

sock=sshdoctor-bench-$$
tm() { tmux -u -L "$sock" -f /dev/null "$@"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sshdoctor-tuibench.XXXXXX")
trap 'tm kill-server >/dev/null 2>&1; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if [ -n "${BENCH_LOG:-}" ] && [ -f "$BENCH_LOG" ]; then
	log=$BENCH_LOG
else
	command -v python3 >/dev/null || die "python3 is needed to generate the log"
	log=${BENCH_LOG:-$tmp/auth.log}
	say "tui-open: generating $size of auth.log into $log"
	python3 "$here/gen-authlog.py" --size "$size" --seed 1 -o "$log" >/dev/null
fi
bytes=$(stat -c %s "$log")

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.3f", b - a}'; }
screen() { tm capture-pane -p -t b 2>/dev/null; }
# wait_for PATTERN SECONDS: poll the screen every few ms
wait_for() {
	local end
	end=$(awk -v s="$(now)" -v t="$2" 'BEGIN{printf "%.3f", s + t}')
	while :; do
		grep -qE -- "$1" <<<"$(screen)" && return 0
		awk -v e="$end" -v n="$(now)" 'BEGIN{exit !(n > e)}' && return 1
		sleep 0.005
	done
}
run_tui() { # run_tui FILE: a fresh session, its start time in t0
	tm kill-session -t b >/dev/null 2>&1 || true
	t0=$(now)
	tm new-session -d -x 120 -y 40 -s b \
		"$(printf '%q ' env SSHDOCTOR_KB="$SSHDOCTOR_KB" HOME="$tmp" LANG=C.UTF-8 \
		"$bin" analyze --tui --server "$1")"
}
first_screen='^ +[0-9]+ [!~ ] [A-Z]+ .*' 

# the floor: the same binary on a 3-line file (start-up, KB load, curses)
printf 'sshd[1]: Connection from 192.0.2.1 port 1 on 192.0.2.2 port 22\n' >"$tmp/tiny.log"
printf 'sshd[1]: Invalid user x from 192.0.2.1 port 1\n' >>"$tmp/tiny.log"
printf 'sshd[1]: Connection closed by invalid user x 192.0.2.1 port 1 [preauth]\n' >>"$tmp/tiny.log"
run_tui "$tmp/tiny.log"
wait_for "$first_screen" 10 || die "no first screen for a 3-line file"
tiny=$(since "$t0")

if [ "${BENCH_COLD:-0}" = 1 ] && [ "$(id -u)" = 0 ]; then
	sync
	echo 3 >/proc/sys/vm/drop_caches
	cache=cold
else
	cat "$log" >/dev/null	# warm: the same for every run
	cache=warm
fi

run_tui "$log"
wait_for "$first_screen" 30 || die "no first screen in 30 s"
first=$(since "$t0")
rss_first=$(ps -o rss= -p "$(tm display -p -t b '#{pane_pid}')" 2>/dev/null | tr -d ' ' || echo '?')

lines=$(wc -l <"$log")
t1=$(now)
tm send-keys -t b G
if wait_for "$lines/$lines" 60; then end_s=$(since "$t1"); else end_s=">60"; fi

tm send-keys -t b g
wait_for "^ +1 " 10 || true
t1=$(now)
for i in 1 2 3 4 5 6 7 8 9 10; do
	before=$(screen | sed -n 4p)
	tm send-keys -t b NPage
	for ((n = 0; n < 2000; n++)); do
		[ "$(screen | sed -n 4p)" != "$before" ] && break
		sleep 0.002
	done
done
pages=$(awk -v a="$t1" -v b="$(now)" 'BEGIN{printf "%.1f", (b - a) * 100}')

t1=$(now)
if wait_for '^ sshdoctor .*(problem|ok|inconclusive) · ' "$tmo"; then
	diag=$(since "$t0")
else
	diag=">$tmo"
fi
rss_end=$(ps -o rss= -p "$(tm display -p -t b '#{pane_pid}')" 2>/dev/null | tr -d ' ' || echo '?')
verdict=$(grep -E '^ (OK|PROBLEM|INCONCLUSIVE): ' <<<"$(screen)" | head -n 1 || true)

cpu=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
echo
echo "sshdoctor TUI open benchmark: $(nproc) cores${cpu:+, $cpu}"
echo "log:    $log"
echo "        $bytes bytes ($(awk -v b="$bytes" 'BEGIN{printf "%.0f", b/1e6}') MB), $lines lines, page cache $cache"
echo
printf '%-52s %s\n' "first screen, 3-line file (start-up floor)" "${tiny} s"
printf '%-52s %s\n' "first screen, the large log" "${first} s (RSS $((${rss_first:-0} / 1024)) MiB)"
printf '%-52s %s\n' "G: last line on screen (whole file indexed)" "${end_s} s"
printf '%-52s %s\n' "PgDn: average of 10, key to new screen" "${pages} ms"
printf '%-52s %s\n' "full diagnosis done (from the start)" "${diag} s (RSS $((${rss_end:-0} / 1024)) MiB)"
echo
echo "verdict: ${verdict# }"
awk -v f="$first" 'BEGIN{ printf "first screen under a second: %s\n", (f + 0 < 1.0 ? "met" : "NOT met") }'
