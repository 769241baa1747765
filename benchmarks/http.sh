#!/usr/bin/env bash
# The read paths of issue #10, for docs/PERFORMANCE.md: the county evaluation API (plain and
# gzip), a trivial Bearer call, and the county page signed in, each against /healthz in the same
# run as the server's own ceiling. Release build, the demo database, wrk on the same machine.
#   benchmarks/http.sh        (PORT=8097, SECONDS_EACH=10)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8097}
each=${SECONDS_EACH:-10}
swift build -c release --product dudao >/dev/null 2>&1
bin=$PWD/.build/release/dudao
db=$(mktemp -d)/bench.sqlite
$bin demo --db "$db" >/dev/null
token=$($bin user token --db "$db" --username yuzhou | tail -1)
$bin serve --db "$db" --port "$port" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 2
base=http://127.0.0.1:$port
jar=$(mktemp)
csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$csrf&username=yuzhou&password=dudao-demo" "$base/login"
session="dudao_session=$(grep dudao_session "$jar" | awk '{print $7}')"
run() { # name, connections, then curl-style headers and the path last
    local name=$1 conns=$2; shift 2
    local path=${*: -1} headers=("${@:1:$#-1}")
    local args=()
    for h in "${headers[@]}"; do args+=(-H "$h"); done
    wrk -t2 -c"$conns" -d"${each}s" --latency "${args[@]}" "$base$path" >/dev/null  # warm-up: the first run draws
    wrk -t2 -c"$conns" -d"${each}s" --latency "${args[@]}" "$base$path" |
        awk -v n="$name" '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "%-34s %10s req/s  p50 %8s  p99 %8s\n", n, r, p50, p99}'
}
run "/healthz" 64 "/healthz"
run "API county evaluation" 64 "Authorization: Bearer $token" "/api/v1/regions/411081/evaluation"
run "API county evaluation, gzip" 64 "Authorization: Bearer $token" "Accept-Encoding: gzip" "/api/v1/regions/411081/evaluation"
run "API programmes (Bearer)" 64 "Authorization: Bearer $token" "/api/v1/programmes"
run "/healthz (16 connections)" 16 "/healthz"
run "county page (signed in)" 16 "Cookie: $session" "/regions/411081"
