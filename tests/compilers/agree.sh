#!/usr/bin/env bash
# tests/compilers/agree.sh BUILD_DIR - every pair holds with each other
# compiler found here (gcc's libtsan, clang-19), as with the main build's.
# Exit 77 (skipped) when no other compiler with a TSan runtime is installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
base="$1"
checked=0
for cc in gcc clang-19; do
	command -v "$cc" >/dev/null 2>&1 || continue
	t=$(mktemp -d)
	printf 'int main(void){return 0;}\n' > "$t/c.c"
	if ! "$cc" -fsanitize=thread "$t/c.c" -o "$t/c" >/dev/null 2>&1; then
		echo "skip $cc: no TSan runtime"
		rm -rf "$t"
		continue
	fi
	rm -rf "$t"
	dir="$base/compiler-$cc"
	cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
	cmake --build "$dir" >/dev/null
	echo "== $cc"
	rc=0
	"$dir/harness/racelab" verify --quiet > "$dir/verify.out" 2>&1 || rc=$?
	grep -E "pairs hold|NO|ERROR" "$dir/verify.out" || true
	[ "$rc" -eq 0 ] || { echo "with $cc not every pair holds (exit $rc)"; exit 1; }
	checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || { echo "no other compiler with a TSan runtime here"; exit 77; }
