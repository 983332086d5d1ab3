#!/bin/sh
# Run every fuzz target briefly from a seed corpus of real logs and KB
# files. A crash, a leak or a sanitizer report fails the run.
set -eu
build=${1:-build-fuzz}
secs=${FUZZ_SECONDS:-20}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/logs" "$work/kb"
i=0
for f in "$top"/tests/fixtures/*/*.log; do
	i=$((i + 1))
	# first byte: the side (0 any, 1 client, 2 server)
	{ printf '\000'; head -c 20000 "$f"; } > "$work/logs/seed$i"
done
i=0
for f in "$top"/kb/rules/*.yaml "$top"/kb/problems/*.yaml; do
	i=$((i + 1))
	case "$f" in */rules/*) b='\000' ;; *) b='\001' ;; esac
	{ printf "$b"; cat "$f"; } > "$work/kb/seed$i"
done
{ printf '\002'; cat "$top/kb/tree.yaml"; } > "$work/kb/tree"
{ printf '\003'; cat "$top/kb/algorithms.yaml"; } > "$work/kb/algos"

run() {
	name=$1
	shift
	if ! "$build/tests/fuzz/$name" -max_total_time="$secs" \
	    -print_final_stats=1 "$@" > "$work/$name.out" 2>&1; then
		tail -n 60 "$work/$name.out"
		echo "fuzz smoke: $name found a problem" >&2
		exit 1
	fi
	grep -E '^(Done|stat::number_of_executed_units)' "$work/$name.out" || true
}
run fuzz_analyze -max_len=65536 "$work/logs"
run fuzz_kb -max_len=16384 "$work/kb"
echo "fuzz smoke: both targets ran ${secs}s each without a finding"
