#!/usr/bin/env bash
# Builds the national data set of issue #10 §4 into DB (a SQLite file or an empty PostgreSQL
# database): 200,000 schools and 290,000 kindergartens with five years of returns (2020–2024,
# 501,916 rows a year), 100,000 responsible inspectors, 2,000,000 signed visits and 1,000,000
# rectification cases over the five years to 2026-11-30 with their change-log entries, and the
# users benchmarks/national.sh signs in as. About 3 min on SQLite and 6 min on PostgreSQL here.
#   benchmarks/national-set.sh DB [BIN]          (DIR=/tmp/dudao-national for the CSV files)
set -euo pipefail
cd "$(dirname "$0")/.."
db=$1
bin=${2:-$PWD/.build/release/dudao}
dir=${DIR:-/tmp/dudao-national}
[ -f "$dir/returns.csv" ] || $bin generate returns --schools 200000 --kindergartens 290000 --years 5 --out "$dir"
for year in 2020 2021 2022 2023; do $bin import returns --db "$db" "$dir/returns-$year.csv" | tail -1; done
$bin import returns --db "$db" "$dir/returns.csv" | tail -1
$bin generate activity --db "$db" --until 2026-11-30
for user in "p41 province 41" "c410102 county 410102" "nation national"; do
    set -- $user
    DUDAO_PASSWORD=dudao-bench $bin user add --db "$db" --username "$1" --role "$2" ${3:+--region $3}
done
