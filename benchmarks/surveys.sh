#!/usr/bin/env bash
# Anonymous survey submission through HTTP on loopback: a parents' questionnaire posted through
# distinct single-use links (each request marks one link used and stores one response in one
# transaction), by wrk against the demo server.
#   benchmarks/surveys.sh [DB]      DB: a SQLite path (default: a fresh temp file) or postgres://… of an empty database
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk >/dev/null
swift build -c release --product dudao >/dev/null
bin=.build/release/dudao
dir=$(mktemp -d)
db=${1:-$dir/bench.sqlite}
port=${PORT:-8096}
$bin demo --db "$db" >/dev/null
# 200 links for each of the demo county's schools (about 38,000): more than a run uses.
campaign=$($bin survey campaign --db "$db" --survey parents-satisfaction --region 411081 --group parents --links 200 \
  --closes 2099-12-31 --out "$dir/links.csv" | tail -1)
tail -n +2 "$dir/links.csv" | sed 's#.*/s/##' | tr -d '\r' > "$dir/tokens.txt"
echo "links: $(wc -l < "$dir/tokens.txt")"
$bin serve --db "$db" --port "$port" >/tmp/dudao-bench-serve.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
LINKS="$dir/tokens.txt" THREADS=2 wrk -t2 -c16 -d${DURATION:-10}s --latency -s benchmarks/survey_post.lua "http://127.0.0.1:$port"
kill $server; wait $server 2>/dev/null || true
# Every accepted request stored exactly one response (wrk counts the 303s as successes).
$bin survey results --db "$db" --campaign "$campaign" --format json | grep -m1 '"responses"' | sed 's/^ */stored /'
$bin serve --db "$db" --port "$port" >/tmp/dudao-bench-serve.log 2>&1 &
server=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
echo "ceiling: /healthz"
wrk -t2 -c16 -d5s "http://127.0.0.1:$port/healthz" | grep -E "Requests/sec"
