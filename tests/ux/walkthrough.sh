#!/usr/bin/env bash
# walkthrough.sh - a learner's first lab, in a real terminal (tmux).
#
#   walkthrough.sh BUILD_DIR [--poll]
#
# Starts counter, opens the watch loop, sees the explained failure, takes a
# hint, "saves" a fix (the reference solution copied in), sees it pass and
# the progress update, resets with a backup, quits.  Each step waits for the
# text it expects by polling capture-pane a bounded number of times (every
# 0.1 s, at most 30 s; never a fixed sleep).  --poll runs the loop with the mtime poll instead of inotify.
# Exit 77 (ctest: skipped) when tmux is missing.
set -uo pipefail

command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed: skipped"; exit 77; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: walkthrough.sh BUILD_DIR [--poll]}
poll=${2:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/racelab-walk.XXXXXX")
session="racelab-walk-$$"
sock="racelab-walk-$$" # a private tmux server: nothing of the user's is touched

tm() { tmux -L "$sock" "$@"; }
cleanup() {
	tm kill-server 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*"
	echo "--- the screen (and its history) ---"
	tm capture-pane -p -J -S -300 -t "$session" 2>/dev/null | grep -v '^$' | tail -60
	echo "--- work/.progress ---"
	cat "$work/.progress" 2>/dev/null
	exit 1
}

screen() { tm capture-pane -p -J -S -300 -t "$session"; }

# wait_for TEXT [TRIES]: polls the screen until TEXT shows (every 0.1 s).
wait_for() {
	local text=$1 tries=${2:-300} i
	for ((i = 0; i < tries; i++)); do
		screen | grep -qF -- "$text" && return 0
		sleep 0.1
	done
	fail "did not see '$text' after $tries tries"
}

# wait_until CMD...: polls a shell condition the same way.
wait_until() {
	local i
	for ((i = 0; i < 300; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	fail "condition never held: $*"
}

keys() { tm send-keys -t "$session" "$@"; }

tm new-session -d -s "$session" -x 200 -y 100 \
	"env -u NO_COLOR RACELAB_BUILD_DIR='$build' RACELAB_WORK='$work' RACELAB_NO_BUILD=1 \
	 ${poll:+RACELAB_WATCH_POLL=1} PS1='walk\$ ' bash --noprofile --norc -i" ||
	fail "tmux could not start a session"
keys "cd '$root'" Enter
wait_for 'walk$'

echo "1. start a lab"
keys './scripts/lab start counter' Enter
wait_for "lab: started counter"

echo "2. the watch loop: it fails, explained"
keys 'clear; ./scripts/lab' Enter
wait_for "racelab watch: counter"
wait_for "FAIL counter does not pass yet"
wait_for "What happened:"
wait_for "Locks: neither access held a lock"
wait_for "What the detector is telling you (labs/counter/README.md)"
if [ -z "$poll" ]; then
	wait_for "every save re-checks it"
else
	wait_for "RACELAB_WATCH_POLL is set: checking the file's time once a second"
fi
# colour on a terminal: the racing line is marked in bold red
tm capture-pane -p -e -J -S -300 -t "$session" | grep -qE $'\033''\[[0-9;]*31m.*> +[0-9]+ \|' ||
	fail "the racing line is not marked in colour on a terminal"

echo "3. a hint"
keys h
wait_for "Hint 1 of"
wait_until grep -qP '^counter\t\S+\t[^\t]+\t1\t' "$work/.progress"

echo "4. save a fix: it passes"
cp "$root/solutions/counter/counter.c" "$work/counter/counter.c.new"
mv "$work/counter/counter.c.new" "$work/counter/counter.c" # how many editors save
wait_for "PASS counter passes"
wait_until grep -qP '^counter\tpassed\t' "$work/.progress"

echo "5. the progress shows it"
keys l
wait_for "counter            passed"
wait_for "of $(grep -vcE '^[[:space:]]*(#|$)' "$root/labs/labs.txt") labs pass"

echo "6. reset, with a backup"
keys r
wait_for "Press r again to reset counter"
keys r
wait_until bash -c "ls '$work/counter'/backup-*.c >/dev/null 2>&1"
wait_until grep -qP '^counter\tfailing\t' "$work/.progress" # the restored file is checked again
cmp -s "$root/labs/counter/counter.c" "$work/counter/counter.c" || fail "reset did not restore the shipped program"
cmp -s "$root/solutions/counter/counter.c" "$work/counter"/backup-*.c || fail "the backup is not the learner's version"
keys l
wait_for "backups: 1, latest $work/counter/backup-"

echo "7. quit"
keys q
wait_for "bye."
wait_for 'walk$'
echo "ok: the walkthrough passed${poll:+ (polling)}"
