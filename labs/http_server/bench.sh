#!/usr/bin/env bash
# bench.sh - requests per second of the fixed http_server, plain and under
# ThreadSanitizer, on loopback, and the ratio of the two.
#
#   labs/http_server/bench.sh [SECONDS]     (default 3 s of load per variant)
#
# Builds solutions/http_server/http_server.c with serve_main.c twice, with
# the lab flags (-O1 -g) with and without -fsanitize=thread, starts each on
# a free port of 127.0.0.1, loads it with wrk (apt-get install wrk) for
# SECONDS with 4 connections (one per handler thread: the server serves a
# connection at a time per handler), stops it with SIGTERM and waits for
# its graceful shutdown.  Loopback only; nothing is left running.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seconds=${1:-3}
cc=${CC:-clang}
path=/page/p1
command -v wrk >/dev/null || { echo "bench.sh: wrk is missing: apt-get install -y wrk" >&2; exit 2; }
command -v "$cc" >/dev/null || { echo "bench.sh: $cc is missing" >&2; exit 2; }
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ] || [ "$seconds" -gt 60 ]; then
	echo "bench.sh: SECONDS must be 1..60" >&2
	exit 2
fi

dir=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
	rm -rf "$dir"
}
trap cleanup EXIT

flags=(-std=c11 -g -O1 -fno-omit-frame-pointer -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter -pthread
	-I"$root/labs/http_server")
srcs=("$root/solutions/http_server/http_server.c" "$root/labs/http_server/serve_main.c")
"$cc" "${flags[@]}" "${srcs[@]}" -o "$dir/plain"
"$cc" "${flags[@]}" -fsanitize=thread "${srcs[@]}" -o "$dir/tsan"

# Runs one variant under wrk (output in $dir/$bin.wrk), then stops it.
rps() {
	local bin=$1 port=""
	TSAN_OPTIONS="exitcode=66 log_path=$dir/tsan.log" "$dir/$bin" >"$dir/port" 2>"$dir/$bin.err" &
	pid=$!
	for _ in $(seq 100); do
		port=$(head -1 "$dir/port" 2>/dev/null || true)
		[ -n "$port" ] && break
		sleep 0.05
	done
	[ -n "$port" ] || { echo "bench.sh: $bin did not start" >&2; cat "$dir/$bin.err" >&2; exit 1; }
	wrk -t 2 -c 4 -d "${seconds}s" --timeout 5s "http://127.0.0.1:$port$path" >"$dir/$bin.wrk"
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	pid=
	[ "$rc" -eq 0 ] || { echo "bench.sh: $bin exited with $rc after SIGTERM" >&2; cat "$dir/$bin.err" "$dir"/tsan.log* 2>/dev/null >&2; exit 1; }
	if ls "$dir"/tsan.log* >/dev/null 2>&1; then
		echo "bench.sh: ThreadSanitizer reported under load:" >&2
		cat "$dir"/tsan.log* >&2
		exit 1
	fi
}

rps plain
rps tsan
plain=$(awk '/^Requests\/sec:/ {print $2}' "$dir/plain.wrk")
tsan=$(awk '/^Requests\/sec:/ {print $2}' "$dir/tsan.wrk")
for bin in plain tsan; do
	echo "== $bin build:"
	cat "$dir/$bin.wrk"
done
echo "GET $path on 127.0.0.1, wrk -t 2 -c 4 -d ${seconds}s, $(nproc) CPUs"
echo "plain: $plain requests/s"
echo "tsan:  $tsan requests/s"
awk -v p="$plain" -v t="$tsan" 'BEGIN { printf "ratio: %.1fx slower under ThreadSanitizer (tsan/plain = %.3f)\n", p / t, t / p }'
