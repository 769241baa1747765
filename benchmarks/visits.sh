#!/usr/bin/env bash
# Visit submission through the HTTP API on loopback: signed routine visits (each opens one
# rectification case), posted by wrk with the demo inspector's API token.
#   benchmarks/visits.sh [DB]      DB: a SQLite path (default: a fresh temp file) or postgres://…
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk >/dev/null
swift build -c release --product dudao >/dev/null
bin=.build/release/dudao
db=${1:-$(mktemp -d)/bench.sqlite}
port=${PORT:-8097}
$bin demo --db "$db" >/dev/null
token=$($bin user token --db "$db" --username inspector)
$bin serve --db "$db" --port "$port" >/tmp/dudao-bench-serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
TOKEN="$token" wrk -t2 -c16 -d${DURATION:-15}s --latency -s benchmarks/visit_post.lua "http://127.0.0.1:$port/api/v1/schools/1411081001/visits"
