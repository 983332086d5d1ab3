#!/usr/bin/env bash
# bench.sh [path/to/sshdoctor]: throughput and peak memory of
# `sshdoctor analyze --server` on a ~1 GB syslog auth.log, next to
# `rg -c -f` (ripgrep) with the KB's server patterns and `wc -l` (the floor).
#
# Figures, not a test: it prints a table and exits 0 whatever they are
# (non-zero only when it cannot run at all).
#
#   BENCH_SIZE=1G      size of the generated log (N, NK, NM, NG; powers of 1024)
#   BENCH_LOG=FILE     use FILE if it exists; if not, generate it there and keep it
#   BENCH_RUNS=3       runs of each command; the best time is kept
#   BENCH_TIMEOUT=200  seconds after which a run on the whole file is stopped
#                      (a third of it for the 1/4 file)
#   BENCH_SEED=1       seed of the generator
#   SSHDOCTOR_KB=DIR   the KB to take the patterns from (default: kb/)
#
# Everything it writes goes to one temporary directory, removed on exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-$root/build/sshdoctor}
size=${BENCH_SIZE:-1G}
runs=${BENCH_RUNS:-3}
tmo=${BENCH_TIMEOUT:-200}
seed=${BENCH_SEED:-1}
kb=${SSHDOCTOR_KB:-$root/kb}
export SSHDOCTOR_KB=$kb
unset RIPGREP_CONFIG_PATH

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 2; }

case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
[ -x "$bin" ] || die "no sshdoctor at $bin (build it: make build)"

# ripgrep and GNU time (Debian packages ripgrep and time).
missing=
command -v rg >/dev/null 2>&1 || missing="$missing ripgrep"
[ -x /usr/bin/time ] || missing="$missing time"
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		say "bench: installing$missing"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null ||
			die "apt-get install$missing failed"
	else
		die "missing:$missing (apt-get install$missing)"
	fi
fi
command -v python3 >/dev/null 2>&1 || die "python3 is needed to generate the log"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sshdoctor-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# -- the log -----------------------------------------------------------
if [ -n "${BENCH_LOG:-}" ] && [ -f "$BENCH_LOG" ]; then
	log=$BENCH_LOG
	say "bench: using $log"
else
	log=${BENCH_LOG:-$tmp/auth.log}
	say "bench: generating $size of auth.log into $log"
	t0=$(date +%s.%N)
	python3 "$here/gen-authlog.py" --size "$size" --seed "$seed" -o "$log"
	t1=$(date +%s.%N)
	say "bench: generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s"
fi
bytes=$(stat -c %s "$log")
[ "$bytes" -gt 0 ] || die "$log is empty"
quarter=$tmp/quarter.log
head -c $((bytes / 4)) "$log" >"$quarter"
qbytes=$(stat -c %s "$quarter")

# -- the patterns --------------------------------------------------------
pats=$tmp/patterns.txt
if "$bin" kb dump-patterns --side server >"$tmp/pcre2.txt" 2>/dev/null &&
	[ -s "$tmp/pcre2.txt" ]; then
	pat_from="sshdoctor kb dump-patterns --side server"
	python3 "$here/kb-patterns.py" --stdin <"$tmp/pcre2.txt" >"$pats"
else
	pat_from="the YAML in $kb (kb-patterns.py)"
	python3 "$here/kb-patterns.py" "$kb" >"$pats"
fi
# Whatever rg still refuses is left out, and said.
rc=0
rg -c -f "$pats" /dev/null >/dev/null 2>&1 || rc=$?
if [ "$rc" = 2 ]; then
	: >"$tmp/ok.txt"
	while IFS= read -r p; do
		printf '%s\n' "$p" >"$tmp/one.txt"
		if rg -c -f "$tmp/one.txt" /dev/null >/dev/null 2>&1 || [ $? -eq 1 ]; then
			printf '%s\n' "$p" >>"$tmp/ok.txt"
		else
			say "bench: rg cannot take, left out: $p"
		fi
	done <"$pats"
	mv "$tmp/ok.txt" "$pats"
fi
npats=$(wc -l <"$pats")
[ "$npats" -gt 0 ] || die "no server patterns found ($pat_from)"

# -- measuring -------------------------------------------------------------
# measure NAME CMD...: runs CMD $runs times under /usr/bin/time; sets
# best_s (best wall seconds), peak_kb (highest peak RSS), status.
measure() {
	local name=$1 i rc line s kb
	shift
	best_s='' peak_kb=0 status=ok
	for ((i = 1; i <= runs; i++)); do
		rc=0
		# INT at the limit: GNU time ignores it, the tool dies of it, and
		# time still reports the peak RSS reached so far.
		timeout --signal=INT --kill-after=10 "$tmo" \
			/usr/bin/time -f '%e %M' -o "$tmp/time" \
			"$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
		line=$(grep -E '^[0-9.]+ [0-9]+$' "$tmp/time" 2>/dev/null | tail -n 1 || true)
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			status="timeout>${tmo}s"
			[ -n "$line" ] && peak_kb=${line#* }
			say "bench: $name: stopped after $tmo s${line:+ (peak RSS so far ${line#* } KB)}"
			return
		fi
		# rg -c exits 1 when nothing matches: not an error
		if [ "$rc" != 0 ] && ! { [ "${name#ripgrep}" != "$name" ] && [ "$rc" = 1 ]; }; then
			status="failed(rc=$rc)"
			say "bench: $name failed (exit $rc):"
			sed 's/^/  /' "$tmp/err" "$tmp/time" | tail -n 8 >&2
			return
		fi
		s=${line% *} kb=${line#* }
		if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN{exit !(a<b)}'; then
			best_s=$s
		fi
		[ "$kb" -gt "$peak_kb" ] && peak_kb=$kb
		say "bench: $name run $i: ${s} s, ${kb} KB"
		# A slow tool is not run again: the whole bench stays a few minutes.
		if awk -v a="$s" 'BEGIN{exit !(a>40)}'; then
			break
		fi
	done
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN{ if (s <= 0) s = 0.01; printf "%.0f", b / 1e6 / s }'; }
mib() { awk -v k="$1" 'BEGIN{printf "%.1f", k / 1024}'; }

declare -A S M R
row() { # row KEY: remember the last measure under KEY
	S[$1]=$best_s M[$1]=$peak_kb R[$1]=$status
}

measure wc wc -l "$log"
row wc
lines=$(awk '{print $1}' "$tmp/out" 2>/dev/null || echo '?')
measure ripgrep rg -c -f "$pats" "$log"
row rg
rg_count=$(cat "$tmp/out" 2>/dev/null || echo '?')
# rg maps the file into memory, so its RSS counts the file's pages; the
# same search reading the file (--no-mmap) shows what its own memory is.
measure 'ripgrep --no-mmap' rg --no-mmap -c -f "$pats" "$log"
row rgn
# The 1/4 prefix first, with 1/3 of the time: a tool too slow for it is
# not run on the whole file, so the bench stays within about 5 minutes.
full_tmo=$tmo
tmo=$(( (full_tmo + 2) / 3 ))
measure 'sshdoctor (1/4 file)' "$bin" analyze --server "$quarter" --format json
row sdq
tmo=$full_tmo
if [ "${R[sdq]#timeout>}" = "${R[sdq]}" ]; then
	measure sshdoctor "$bin" analyze --server "$log" --format json
	row sd
else
	S[sd]='' M[sd]=0 R[sd]="skipped"
fi

# -- report ----------------------------------------------------------------
cpu=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
rev=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$root" diff --quiet HEAD -- engine src 2>/dev/null || rev="$rev+changes"

echo
echo "sshdoctor benchmark: $(nproc) cores${cpu:+, $cpu}"
echo "log:      $log"
echo "          $bytes bytes ($(awk -v b="$bytes" 'BEGIN{printf "%.0f", b/1e6}') MB), $lines lines"
echo "patterns: $npats server-side, from $pat_from; rg -c counts $rg_count matching lines"
echo "binary:   $bin (repo at $rev)"
echo "ripgrep:  $(rg --version | head -n 1)"
echo "best of $runs runs; MB = 10^6 bytes; RSS is the peak over the runs"
echo
printf '%-34s %9s %9s %14s\n' tool seconds MB/s 'peak RSS MiB'
printf '%-34s %9s %9s %14s\n' ---- ------- ---- ------------
line() { # line LABEL KEY BYTES
	local st=${R[$2]} t
	if [ "$st" = ok ]; then
		printf '%-34s %9s %9s %14s\n' "$1" "${S[$2]}" "$(mbps "$3" "${S[$2]}")" "$(mib "${M[$2]}")"
	elif [ "${st#timeout>}" != "$st" ]; then
		t=${st#timeout>} t=${t%s}
		printf '%-34s %9s %9s %14s   (stopped)\n' "$1" ">$t" "<$(mbps "$3" "$t")" \
			"$([ "${M[$2]}" -gt 0 ] && echo ">=$(mib "${M[$2]}")" || echo -)"
	else
		printf '%-34s %9s %9s %14s   (%s)\n' "$1" - - - "$st"
	fi
}
line 'wc -l (floor)' wc "$bytes"
line "rg -c -f ($npats patterns)" rg "$bytes"
line "rg --no-mmap -c -f" rgn "$bytes"
line 'sshdoctor analyze --server' sd "$bytes"
line 'sshdoctor analyze --server (1/4)' sdq "$qbytes"
echo
if [ "${R[sd]}" = ok ] && [ "${R[rg]}" = ok ]; then
	awk -v a="${S[sd]}" -v b="${S[rg]}" 'BEGIN{
		if (a <= 0) a = 0.01; r = b / a
		printf "throughput sshdoctor/ripgrep: %.2f (target >= 0.50: %s)\n", r, (r >= 0.5 ? "met" : "NOT met") }'
	# rg's mmap run is not always its fastest: the ratio to the other too
	if [ "${R[rgn]}" = ok ]; then
		awk -v a="${S[sd]}" -v b="${S[rgn]}" 'BEGIN{
			if (a <= 0) a = 0.01
			printf "throughput sshdoctor/ripgrep --no-mmap: %.2f\n", b / a }'
	fi
elif [ "${R[sd]#timeout>}" != "${R[sd]}" ] && [ "${R[rg]}" = ok ]; then
	awk -v t="$tmo" -v b="${S[rg]}" 'BEGIN{
		printf "throughput sshdoctor/ripgrep: < %.3f (stopped at %d s; target >= 0.50: NOT met)\n", b / t, t }'
else
	echo "throughput sshdoctor/ripgrep: - (sshdoctor ${R[sd]}, ripgrep ${R[rg]})"
fi
if [ "${R[sdq]}" = ok ] && [ "${M[sd]:-0}" -gt 0 ]; then
	# A run stopped at the time limit still says its peak so far.
	[ "${R[sd]}" = ok ] && upto=$bytes || upto=0
	awk -v q="${M[sdq]}" -v f="${M[sd]}" -v qb="$qbytes" -v fb="$bytes" -v done="$upto" 'BEGIN{
		printf "peak RSS sshdoctor: %.1f MiB at %.0f MB, %.1f MiB at %s: x%.2f (target: flat, %s)\n",
		    q / 1024, qb / 1e6, f / 1024,
		    (done ? sprintf("%.0f MB", fb / 1e6) : "the time limit on the whole file"),
		    f / q, (f <= q * 1.25 + 2048 ? "met" : "NOT met") }'
else
	echo "peak RSS sshdoctor: - (full ${R[sd]}, 1/4 ${R[sdq]})"
fi
