#!/usr/bin/env bash
# tests/compilers/harness_asan.sh BUILD_DIR - the harness itself built with
# AddressSanitizer and UndefinedBehaviorSanitizer (leak checks on), then its
# own tests, the cases, the hostile programs and the pairs run through it.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir="$1/harness-asan"
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	"-DRACELAB_HARNESS_SANITIZE=-fsanitize=address,undefined;-fno-sanitize-recover=all" >/dev/null
cmake --build "$dir" >/dev/null
cd "$dir"
ctest -j2 -L 'unit|harness|case|hostile|pair' --output-on-failure | tail -3
