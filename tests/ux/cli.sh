#!/usr/bin/env bash
# cli.sh - the learner commands without a terminal: start, check (progress
# recorded), list (bar, next, backups), hint (in order, remembered), reset
# (backup), solution (refused before passing without a terminal, shown
# after), check --all (points, JSON, JUnit, exit codes), tampering, and no
# colour when piped.
#
#   cli.sh BUILD_DIR
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: cli.sh BUILD_DIR}
work=$(mktemp -d "${TMPDIR:-/tmp}/racelab-cli.XXXXXX")
trap 'rm -rf "$work"' EXIT
export RACELAB_BUILD_DIR="$build" RACELAB_WORK="$work" RACELAB_NO_BUILD=1
unset NO_COLOR
lab="$root/scripts/lab"
out="$work/out.txt"
fails=0

fail() { echo "FAIL: $*"; echo "--- output ---"; cat "$out"; fails=$((fails + 1)); }
# run WANT_RC CMD...: runs CMD (stdout+stderr to $out), checks its exit code.
run() {
	local want=$1 rc=0
	shift
	"$@" >"$out" 2>&1 </dev/null || rc=$?
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want"
}
has() { grep -qF -- "$1" "$out" || fail "no '$1' in the output of the last command"; }
hasnt() { ! grep -qF -- "$1" "$out" || fail "unexpected '$1' in the output of the last command"; }
nlabs=$(grep -vcE '^[[:space:]]*(#|$)' "$root/labs/labs.txt")

echo "list before anything"
run 0 "$lab" list
has "0 of $nlabs labs pass"
has "[--------------------] 0%"
has "counter            not started  <- next"

echo "start, check: failing, recorded"
run 0 "$lab" start counter
run 1 "$lab" check counter
has "What happened:"
has "Stuck? ./scripts/lab hint counter (hint 1 of"
hasnt $'\033[' # piped: no colour
grep -qP '^counter\tfailing\t\d{4}-\d\d-\d\d \d\d:\d\d\t0\tdata-race' "$work/.progress" || fail "progress: $(cat "$work/.progress")"

echo "the raw report on demand"
run 1 "$lab" check counter --raw --runs 1
has "WARNING: ThreadSanitizer: data race"

echo "hints in order, remembered"
run 0 "$lab" hint counter
has "Hint 1 of"
run 0 "$lab" hint counter
has "Hint 2 of"
run 0 "$lab" hint counter 1
has "Hint 1 of"
grep -qP '^counter\t\S+\t[^\t]+\t2\t' "$work/.progress" || fail "hints seen not 2: $(cat "$work/.progress")"

echo "solution before passing: refused without a terminal"
run 1 "$lab" solution counter
has "does not pass yet"
hasnt "pthread_mutex_lock"

echo "check --all before the fix"
run 1 "$lab" check --all --json "$work/g.json" --junit "$work/g.xml"
has "not started: 0 points"
python3 - "$work/g.json" "$work/g.xml" "$nlabs" <<'PY' || fail "grade JSON/JUnit"
import json, sys, xml.etree.ElementTree as ET
g = json.load(open(sys.argv[1])); n = int(sys.argv[3])
assert g["max"] == 3 * n and not g["passed"], g
c = g["labs"][0]
assert c["lab"] == "counter" and c["tiers"]["builds"] and not c["tiers"]["race_free"], c
assert all(l["status"] == "not-started" and l["points"] == 0 for l in g["labs"][1:]), g
t = ET.parse(sys.argv[2]).getroot()
assert len(t.findall(".//testcase")) == n and len(t.findall(".//failure")) == n
PY

echo "the fix passes; progress, list, solution"
cp "$root/solutions/counter/counter.c" "$work/counter/counter.c"
run 0 "$lab" check counter
has "counter passes."
grep -qP '^counter\tpassed\t' "$work/.progress" || fail "progress: $(cat "$work/.progress")"
run 0 "$lab" list
has "1 of $nlabs labs pass"
has "counter            passed"
has "hints seen: 2 of"
[ "$nlabs" -gt 1 ] && has "<- next"
run 0 "$lab" solution counter
has "The reference fix: solutions/counter/counter.c"
has "(identical)"

echo "check --all: the fixed lab scores 3"
run 1 "$lab" check --all --json "$work/g.json"
python3 -c "import json,sys; g=json.load(open(sys.argv[1])); c=g['labs'][0]; assert c['points']==3 and c['confidence']==0.99 and g['total']==3, c" "$work/g.json" || fail "points after the fix"
run 0 "$lab" grade counter --tier race-free
run 1 "$lab" grade shared_map --tier builds

echo "tampering: reported, not graded"
printf '\nint main(void) { return 0; }\n' >>"$work/counter/counter.c"
run 1 "$lab" check counter
has "defines main"
run 1 "$lab" check --all --json "$work/g.json"
python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['labs'][0]; assert c['status']=='tampered' and c['points']==0, c" "$work/g.json" || fail "tampered JSON"
cp "$root/solutions/counter/counter.c" "$work/counter/counter.c"
echo "0000000000000000000000000000000000000000000000000000000000000000  labs/counter/test_counter.c" >"$work/sums"
RACELAB_DRIVER_SUMS="$work/sums" run 1 "$lab" check counter
has "test_counter.c differs from the shipped version"
for bad in '#include "test_counter.c"' '#define RL_CHECK(...)' 'int rl_failed(void) { return 0; }'; do
	cp "$root/solutions/counter/counter.c" "$work/counter/counter.c"
	printf '%s\n' "$bad" >>"$work/counter/counter.c"
	run 1 "$build/harness/racelab" tampered counter
	has "racelab does not grade"
done
cp "$root/solutions/counter/counter.c" "$work/counter/counter.c"
printf '/* rl_failed() and main() in a comment are fine */\n' >>"$work/counter/counter.c"
run 0 "$build/harness/racelab" tampered counter

echo "reset keeps a backup that list names"
run 0 "$lab" reset counter
has "your version is saved as $work/counter/backup-"
cmp -s "$root/labs/counter/counter.c" "$work/counter/counter.c" || fail "reset did not restore"
run 0 "$lab" list
has "backups: 1, latest $work/counter/backup-"
run 0 "$lab" reset counter
has "already the shipped program"

echo "unknown lab: usage error"
run 2 "$lab" hint no_such_lab
has "no lab named"

[ "$fails" = 0 ] && echo "ok: every learner command behaved" && exit 0
echo "$fails failure(s)"
exit 1
