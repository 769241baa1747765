#!/usr/bin/env bash
# The pages of issue #10 §4 on the national data set: the province overview, a county page, a
# school page, the province's bulletin for a month, a county's rectification list and the
# change log, each with wrk against /healthz in the same run as the server's own ceiling.
#   benchmarks/national.sh DB [BIN]      DB: a SQLite file or postgres:// URL holding the set
# The set (once, ~15 min): BIN generate returns --schools 200000 --kindergartens 290000 --years 5
# --out DIR; BIN import returns each DIR/returns-YEAR.csv then DIR/returns.csv; BIN generate
# activity --db DB --until 2026-11-30; users p41 (province 41) and c410102 (county 410102),
# password dudao-bench (benchmarks/national-set.sh does all of this). Before the pages, the plans
# of the queries behind them (benchmarks/national-plans.sql), when sqlite3 or psql is at hand.
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
bin=${2:-$PWD/.build/release/dudao}
port=${PORT:-8098}
each=${SECONDS_EACH:-8}
conns=${CONNECTIONS:-16}
$bin migrate --db "$db" >/dev/null
echo "== query plans (benchmarks/national-plans.sql)"
if [[ $db == postgres* ]]; then
    command -v psql >/dev/null && sed 's/^SELECT/EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT/' benchmarks/national-plans.sql | psql "$db" -q | grep -E "Scan|Execution" || true
else
    command -v sqlite3 >/dev/null && sed 's/^SELECT/EXPLAIN QUERY PLAN SELECT/' benchmarks/national-plans.sql | sqlite3 "$db" | grep -E "SCAN|SEARCH" || true
fi
echo "== pages"
$bin serve --db "$db" --port "$port" >/tmp/national-serve.log 2>&1 &
server=$!
trap 'kill $server' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 1; done
base=http://127.0.0.1:$port
login() { # username → cookie header
    local jar csrf
    jar=$(mktemp)
    csrf=$(curl -s -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
    curl -s -c "$jar" -b "$jar" -o /dev/null -d "csrf=$csrf&username=$1&password=dudao-bench" "$base/login"
    echo "Cookie: dudao_session=$(grep dudao_session "$jar" | awk '{print $7}')"
}
province=$(login p41)
county=$(login c410102)
school=$(curl -s -H "$county" "$base/api/v1/regions/410102/schools" | grep -o '"code":"1410102[0-9]*"' | head -1 | cut -d'"' -f4)
run() { # name, header, path
    local name=$1 header=$2 path=$3 first
    first=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "$header" "$base$path")  # the first visit draws what is cached
    wrk -t2 -c"$conns" -d"${each}s" --timeout 30s --latency -H "$header" "$base$path" |
        awk -v n="$name" -v f="$first" '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$NF} END {printf "%-34s %10s req/s  p50 %8s  p99 %8s  first %s%s\n", n, r, p50, p99, f, (bad ? "  non-2xx " bad : "")}'
}
run "/healthz" "X-Bench: 1" "/healthz"
run "province overview /regions/41" "$province" "/regions/41"
run "county page" "$county" "/regions/410102"
run "school page" "$county" "/schools/$school"
run "province bulletin, one month" "$province" "/regions/41/bulletin?from=2026-10-01&to=2026-10-31"
run "county rectification list" "$county" "/regions/410102/supervision"
run "change log, county" "$county" "/audit"
run "change log, province" "$province" "/audit"
run "change log, county, by type" "$county" "/audit?type=rectification&from=2026-10-01&to=2026-10-31"
