#!/usr/bin/env bash
# The national returns import (issue #10), for docs/PERFORMANCE.md: times `dudao import returns`
# of the generated national file into a fresh SQLite file (then again, unchanged; then the same
# rows as an .xlsx), and into
# PostgreSQL when a URL of an empty database is given; beside each, the database's own bulk
# loader on the same CSV with no checks at all (sqlite3 .import, psql \copy) as the ceiling.
#   benchmarks/import.sh [POSTGRES_URL]        (DIR=/tmp/dudao-bench, SCHOOLS=200000)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${DIR:-/tmp/dudao-bench}
schools=${SCHOOLS:-200000}
swift build -c release --product dudao >/dev/null 2>&1
bin=$PWD/.build/release/dudao
[ -f "$dir/returns.csv" ] || $bin generate --schools "$schools" --out "$dir" >/dev/null
csv=$dir/returns.csv
echo "file: $(wc -l <"$csv") lines, $(du -m "$csv" | cut -f1) MB"
measure() { /usr/bin/time -f "%e s, max RSS %M KB" "$@" 2>&1 >/dev/null | tail -1; }
rm -f "$dir/import.sqlite"*
echo "dudao → SQLite (new):       $(measure "$bin" import returns --db "$dir/import.sqlite" "$csv")"
echo "dudao → SQLite (unchanged): $(measure "$bin" import returns --db "$dir/import.sqlite" "$csv")"
# The same rows as an .xlsx (one sheet, 250 MB of XML for the national file): read a row at a time.
xlsx=$dir/returns.xlsx
[ -f "$xlsx" ] || python3 benchmarks/csv_to_xlsx.py "$csv" "$xlsx"
rm -f "$dir/import.sqlite"*
echo "dudao → SQLite (new, .xlsx): $(measure "$bin" import returns --db "$dir/import.sqlite" "$xlsx")"
if command -v sqlite3 >/dev/null; then
    rm -f "$dir/raw.sqlite"
    echo "sqlite3 .import (no checks): $(measure sqlite3 "$dir/raw.sqlite" -cmd '.mode csv' ".import $csv raw")"
fi
if [ $# -ge 1 ]; then
    echo "dudao → PostgreSQL (new):       $(measure "$bin" import returns --db "$1" "$csv")"
    echo "dudao → PostgreSQL (unchanged): $(measure "$bin" import returns --db "$1" "$csv")"
    # As many text columns as the widest of the first rows (data rows may carry empty extras).
    n=$(head -100 "$csv" | awk -F, 'NF > n { n = NF } END { print n }')
    cols=$(seq -s, -f '"c%g" text' 1 "$n")
    psql "$1" -qc "DROP TABLE IF EXISTS raw_returns" -c "CREATE TABLE raw_returns ($cols)" 2>/dev/null
    echo "psql \\copy (no checks):        $(measure psql "$1" -v ON_ERROR_STOP=1 -qc "\\copy raw_returns FROM '$csv' CSV HEADER")"
    echo "rows copied: $(psql "$1" -Atc 'SELECT count(*) FROM raw_returns')"
    psql "$1" -qc "DROP TABLE raw_returns"
fi
