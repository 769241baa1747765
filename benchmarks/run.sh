#!/usr/bin/env bash
# One command for docs/PERFORMANCE.md: builds Dudao in release mode, generates the national
# data set, times Dudao and the pandas and plain-SQL peers on the same file, checks that all
# three agree county by county, and prints the ratios.
#   benchmarks/run.sh [SCHOOLS]        (default 200000; DIR=/tmp/dudao-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
schools=${1:-200000}
dir=${DIR:-/tmp/dudao-bench}
python3 -c 'import pandas' 2>/dev/null || python3 -m pip install -q -r benchmarks/requirements.txt
swift build -c release --product dudao >/dev/null
bin=.build/release/dudao
$bin generate --schools "$schools" --out "$dir"
$bin bench evaluate "$dir" --out "$dir/out-dudao" --repeat 7 | tee "$dir/dudao.json"
$bin bench evaluate "$dir" --repeat 7 --threads 1 | tee "$dir/dudao-1.json"
python3 benchmarks/peer_evaluate.py "$dir" --impl pandas --out "$dir/out-pandas" | tee "$dir/pandas.json"
python3 benchmarks/peer_evaluate.py "$dir" --impl sql --out "$dir/out-sql" | tee "$dir/sql.json"
python3 benchmarks/compare_outputs.py "$dir/out-dudao" "$dir/out-pandas"
python3 benchmarks/compare_outputs.py "$dir/out-dudao" "$dir/out-sql"
python3 - "$dir" <<'PY'
import json, sys, os
d = sys.argv[1]
r = {n: json.load(open(os.path.join(d, n + ".json"))) for n in ["dudao", "dudao-1", "pandas", "sql"]}
for peer in ["pandas", "sql"]:
    for mine in ["dudao", "dudao-1"]:
        t = r[mine]["threads"]
        print(f"evaluate: {peer} {r[peer]['evaluate_s']:.4f} s / dudao ({t} thread{'s' if t > 1 else ''}) {r[mine]['evaluate_s']:.4f} s = {r[peer]['evaluate_s'] / r[mine]['evaluate_s']:.1f}x")
    print(f"load:     {peer} {r[peer]['load_s']:.4f} s / dudao {r['dudao']['load_s']:.4f} s = {r[peer]['load_s'] / r['dudao']['load_s']:.2f}x")
PY
