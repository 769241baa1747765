#!/usr/bin/env bash
# Every row of issue #10's table in one run (docs/PERFORMANCE.md): builds the release binary,
# generates the national data set, imports it into SQLite and PostgreSQL, times the whole
# CSV → every-county evaluation against the pandas peer, a national recompute from PostgreSQL,
# and the HTTP read paths with wrk; then prints each figure beside its goal. With NATIONAL=1 also
# the pages of §4 on the national data set in SQLite (built once into $DIR/national.sqlite,
# about 4 minutes; NATIONAL_DB names another file or a postgres:// URL holding the set).
#   benchmarks/all.sh POSTGRES_URL_OF_AN_EMPTY_DATABASE      (DIR=/tmp/dudao-bench)
#   NATIONAL=1 benchmarks/all.sh POSTGRES_URL_OF_AN_EMPTY_DATABASE
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: benchmarks/all.sh postgres://…/empty_db" >&2; exit 2; }
pg=$1
dir=${DIR:-/tmp/dudao-bench}
out=$(mktemp -d)
command -v wrk >/dev/null || apt-get -o DPkg::Lock::Timeout=300 install -y -qq wrk >/dev/null
python3 -c 'import pandas' 2>/dev/null || python3 -m pip install -q -r benchmarks/requirements.txt
swift build -c release --product dudao >/dev/null 2>&1
bin=$PWD/.build/release/dudao
[ -f "$dir/returns.csv" ] || $bin generate --schools 200000 --out "$dir" >/dev/null

echo "== import (benchmarks/import.sh)"
DIR=$dir benchmarks/import.sh "$pg" | tee "$out/import.txt"
echo "== whole process: CSV → every county evaluated, Dudao vs pandas"
$bin bench evaluate "$dir" --repeat 3 | tee "$out/dudao.json"
python3 benchmarks/peer_evaluate.py "$dir" --impl pandas --out "$out/pandas" | tee "$out/pandas.json"
echo "== national recompute from PostgreSQL"
# Right after the imports autovacuum is still at work on 600,000 new rows: settle it first.
psql "$pg" -qc "VACUUM ANALYZE" 2>/dev/null
# …and write its dirty pages out now, not spread over the HTTP runs that follow (session 12: the
# rows after the imports ran 20–35% below the same rows run alone).
psql "$pg" -qc "CHECKPOINT" 2>/dev/null || true
$bin bench recompute --db "$pg" | tee "$out/recompute.json"
echo "== HTTP read paths (benchmarks/http.sh)"
SECONDS_EACH=${SECONDS_EACH:-10} benchmarks/http.sh | tee "$out/http.txt"

if [ "${NATIONAL:-0}" = 1 ]; then
    echo "== the national data set's pages (benchmarks/national-set.sh, benchmarks/national.sh)"
    nat=${NATIONAL_DB:-$dir/national.sqlite}
    [[ $nat == postgres* || -f $nat ]] || DIR=$dir/national benchmarks/national-set.sh "$nat" "$bin"
    benchmarks/national.sh "$nat" "$bin" | tee "$out/national.txt"
fi

echo
echo "== against the goals of issue #10 (ratio > 1: better than the goal)"
python3 - "$out" <<'PY'
import json, re, sys, os
d = sys.argv[1]
text = lambda n: open(os.path.join(d, n)).read()
def seconds(label):
    m = re.search(re.escape(label) + r"\s*([0-9.]+) s", text("import.txt"))
    return float(m.group(1)) if m else None
def http(name, file="http.txt"):
    for line in text(file).splitlines():
        if line.startswith(name):
            m = re.search(r"([0-9.]+) req/s\s+p50\s+(\S+)\s+p99\s+(\S+)", line)
            if m:
                p99 = m.group(3)
                ms = float(p99[:-2]) if p99.endswith("ms") else float(p99[:-2]) / 1000 if p99.endswith("us") else float(p99[:-1]) * 1000
                return float(m.group(1)), ms
    return None, None
rows = []
for name, label, goal in [("import, SQLite (s)", "dudao → SQLite (new):", 5.0), ("import, PostgreSQL (s)", "dudao → PostgreSQL (new):", 5.0)]:
    s = seconds(label)
    rows.append((name, s, f"≤ {goal}", goal / s if s else None))
dudao = json.loads(text("dudao.json").strip().splitlines()[-1])
pandas = json.loads(text("pandas.json").strip().splitlines()[-1])
ours = dudao["load_s"] + dudao["evaluate_s"]
times = pandas["total_s"] / ours
rows.append(("whole process, × pandas", round(times, 2), "≥ 5×", times / 5))
rec = json.loads(text("recompute.json").strip().splitlines()[-1])
rows.append(("national recompute PostgreSQL (s)", rec["total_s"], "≤ 2", 2 / rec["total_s"]))
for name, goal_rps, goal_p99 in [("API county evaluation ", 5000, 50), ("county page (signed in)", 1000, 50), ("API programmes (Bearer)", 10000, None)]:
    rps, p99 = http(name)
    rows.append((f"{name.strip()} (req/s)", rps, f"≥ {goal_rps}", rps / goal_rps if rps else None))
    if goal_p99:
        rows.append((f"{name.strip()} p99 (ms)", p99, f"< {goal_p99}", goal_p99 / p99 if p99 else None))
if os.path.exists(os.path.join(d, "national.txt")):
    pages = [line[:34].strip() for line in text("national.txt").splitlines() if "req/s" in line and not line.startswith("/healthz")]
    for name in pages:
        rps, p99 = http(name, "national.txt")
        rows.append((f"national: {name} (req/s)", rps, "≥ 1000", rps / 1000 if rps else None))
        rows.append((f"national: {name} p99 (ms)", p99, "< 50", 50 / p99 if p99 else None))
for what, value, goal, ratio in rows:
    print(f"{what:<56} {value!s:>10}  goal {goal:<8} ratio {ratio:.2f}" if ratio else f"{what:<56} {value!s:>10}  goal {goal}")
PY
