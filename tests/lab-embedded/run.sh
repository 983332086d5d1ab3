#!/bin/bash
# The embedded lab end to end: `sshdoctor lab --list` lists the breaks;
# every offered break, run with --batch --format json, is diagnosed as its
# catalog id (verdict ok for success); afterwards no sshd of the lab, no
# listener standing in for it, no proxy in front of it, no sandbox
# directory and no temporary user of the lab (GECOS sshdoctor-lab, named
# sshdoc-labPID; tests/lab/lab.sh's "sshdlab" is not the embedded lab's) is left. Then
# `lab reset` (both forms) must bring the working lab back and say so.
# usage: run.sh PATH/TO/sshdoctor
set -u
BIN=${1:?usage: run.sh PATH/TO/sshdoctor}
HERE=$(cd "$(dirname "$0")" && pwd)
export SSHDOCTOR_KB=${SSHDOCTOR_KB:-$HERE/../../kb}
export SSHDOCTOR_LAB=${SSHDOCTOR_LAB:-$HERE/../../lab/breaks.yaml}
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

if ! command -v jq >/dev/null; then
    echo "jq is needed"; echo "0 passed, 1 failed"; exit 1
fi
list=$("$BIN" lab --list 2>&1)
offered=$(printf '%s\n' "$list" | sed -n '/^breaks offered/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
if [ -n "$offered" ] && printf '%s\n' "$offered" | grep -qx success; then
    ok "lab --list lists $(printf '%s\n' "$offered" | wc -l) breaks"
else
    bad "lab --list: $list"
fi
printf '%s\n' "$list" | sed -n '/^not offered/,$p'

# the catalog ids each break must produce
expect_of() {
    awk -v id="$1" '/^  - id:/ { cur = $3 } cur == id && /^    expect:/ { print $2; exit }' "$SSHDOCTOR_LAB"
}

for id in $offered; do
    want=$(expect_of "$id")
    out=$(mktemp) err=$(mktemp)
    timeout 120 "$BIN" lab --batch --break "$id" --format json </dev/null >"$out" 2>"$err"
    rc=$?
    sandbox=$(sed -n 's/^-- sandbox \([^;]*\);.*/\1/p' "$err" | head -1)
    port=$(sed -n 's/^-- port \([0-9]*\)$/\1/p' "$err" | head -1)
    if [ "$want" = ok ]; then
        got=$(jq -r '.verdict // empty' "$out" 2>/dev/null)
    else
        got=$(jq -r '.problem.id // empty' "$out" 2>/dev/null)
    fi
    if [ "$rc" -eq 0 ] && [ "$got" = "$want" ]; then
        ok "$id: $got"
    else
        bad "$id: want $want, got '${got:-?}' (exit $rc)"
        tail -5 "$err" | sed 's/^/     /'
    fi
    if [ -z "$sandbox" ]; then
        bad "$id: the run did not say its sandbox"
    elif [ -e "$sandbox" ] || pgrep -f "$sandbox" >/dev/null; then
        bad "$id: $sandbox or a process of it is left"
    elif [ -n "$port" ] && pgrep -f "sshd.*-p$port( |$)" >/dev/null; then
        bad "$id: an sshd on port $port is left"
    elif [ -n "$port" ] && pgrep -f "lab --listener .* --port $port\$" >/dev/null; then
        bad "$id: a listener on port $port is left"
    elif [ -n "$port" ] && pgrep -f "lab --proxy .* --listen $port " >/dev/null; then
        bad "$id: a proxy on port $port is left"
    elif getent passwd | awk -F: '$5 == "sshdoctor-lab" && $1 ~ /^sshdoc-lab[0-9]+$/ { f = 1 } END { exit !f }'; then
        bad "$id: a temporary user of the lab (sshdoctor-lab) is left: $(getent passwd | awk -F: '$5 == "sshdoctor-lab" { print $1 }' | tr '\n' ' ')"
    else
        ok "$id: nothing left"
    fi
    rm -f "$out" "$err"
done

# lab reset: the working lab again, and it says so
out=$(mktemp) err=$(mktemp)
timeout 120 "$BIN" lab --batch reset --format json </dev/null >"$out" 2>"$err"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(jq -r '.verdict // empty' "$out" 2>/dev/null)" = ok ] &&
    grep -q '^lab reset: .*the login works again' "$err"; then
    ok "lab --batch reset --format json: verdict ok, says the login works again"
else
    bad "lab --batch reset: exit $rc"; tail -5 "$err" | sed 's/^/     /'
fi
sandbox=$(sed -n 's/^-- sandbox \([^;]*\);.*/\1/p' "$err" | head -1)
[ -n "$sandbox" ] && [ ! -e "$sandbox" ] && ok "lab reset: nothing left" ||
    bad "lab reset: sandbox '${sandbox:-?}' not said or left"
timeout 120 "$BIN" lab reset --color never </dev/null >"$out" 2>"$err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^lab reset: .*the login works again' "$out"; then
    ok "lab reset (text): says the login works again"
else
    bad "lab reset (text): exit $rc"; tail -5 "$out" "$err" | sed 's/^/     /'
fi
rm -f "$out" "$err"
"$BIN" lab reset --break success </dev/null >/dev/null 2>&1
[ $? -eq 2 ] && ok "lab reset --break: usage error" || bad "lab reset --break: not a usage error"

# unknown break: a usage error, nothing started
"$BIN" lab --batch --break no-such-break </dev/null >/dev/null 2>&1
[ $? -eq 2 ] && ok "unknown break: usage error" || bad "unknown break: not a usage error"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
