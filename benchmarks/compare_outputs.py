#!/usr/bin/env python3
"""Compare two evaluation output directories (indicators.csv, counties.csv).

Usage: python3 benchmarks/compare_outputs.py OUT_A OUT_B [--rel 1e-6] [--abs 1.01e-6]

Rows are matched by key (county_code, stage[, indicator]); row order is
reported but not treated as a mismatch.  Numbers (mean, sd, cv) must agree
within --rel relative tolerance; --abs is a floor that absorbs a flip of the
6th printed decimal.  An empty cv (mean == 0) only matches another empty cv.
schools, schools_passed and passed must be equal.  Prints one summary line on
stdout (details of the first mismatches on stderr); exit status 1 on mismatch.
"""

import argparse
import csv
import math
import os
import sys


def read(out_dir, name, nkey):
    with open(os.path.join(out_dir, name), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    order = [tuple(r[:nkey]) for r in body]
    table = {tuple(r[:nkey]): r[nkey:] for r in body}
    return header, order, table, len(body) != len(table)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rel", type=float, default=1e-6)
    ap.add_argument("--abs", type=float, default=1.01e-6)
    args = ap.parse_args()

    problems = []
    notes = []

    def num_equal(x, y):
        if x == "" or y == "":
            return x == y
        try:
            fx, fy = float(x), float(y)
        except ValueError:
            return False
        if math.isnan(fx) or math.isnan(fy):
            return math.isnan(fx) and math.isnan(fy)
        return math.isclose(fx, fy, rel_tol=args.rel, abs_tol=args.abs)

    counts = {}
    for name, nkey, kinds in (
        ("indicators.csv", 3, ("num", "num", "num")),
        ("counties.csv", 2, ("int", "int", "bool")),
    ):
        try:
            ha, oa, ta, dupa = read(args.a, name, nkey)
            hb, ob, tb, dupb = read(args.b, name, nkey)
        except (OSError, IndexError) as e:
            problems.append(f"{name}: cannot read ({e})")
            continue
        counts[name] = (len(ta), len(tb))
        if ha != hb:
            problems.append(f"{name}: headers differ: {ha} vs {hb}")
        if dupa or dupb:
            problems.append(f"{name}: duplicate keys")
        only_a = sorted(set(ta) - set(tb))
        only_b = sorted(set(tb) - set(ta))
        for k in only_a[:5]:
            problems.append(f"{name}: {k} only in A")
        for k in only_b[:5]:
            problems.append(f"{name}: {k} only in B")
        if len(only_a) > 5 or len(only_b) > 5:
            problems.append(f"{name}: {len(only_a)} keys only in A, {len(only_b)} only in B")
        for k in sorted(set(ta) & set(tb)):
            va, vb = ta[k], tb[k]
            if len(va) != len(vb):
                problems.append(f"{name}: {k}: column count {len(va)} vs {len(vb)}")
                continue
            for col, kind, x, y in zip(ha[nkey:], kinds, va, vb):
                if kind == "num":
                    ok = num_equal(x, y)
                elif kind == "int":
                    ok = x.strip() == y.strip() or _as_int(x) == _as_int(y)
                else:
                    ok = x.strip().lower() == y.strip().lower()
                if not ok:
                    problems.append(f"{name}: {k} {col}: {x!r} vs {y!r}")
        common = set(ta) & set(tb)
        if [k for k in oa if k in common] != [k for k in ob if k in common]:
            notes.append(f"{name} row order differs")

    for p in problems[:20]:
        print(p, file=sys.stderr)
    if len(problems) > 20:
        print(f"... {len(problems) - 20} more", file=sys.stderr)

    sizes = ", ".join(f"{n}: {a}/{b} rows" for n, (a, b) in counts.items())
    extra = f" ({'; '.join(notes)})" if notes else ""
    if problems:
        print(f"MISMATCH: {len(problems)} difference(s); {sizes}{extra}")
        return 1
    print(f"OK: outputs agree; {sizes}{extra}")
    return 0


def _as_int(s):
    try:
        return int(float(s))
    except ValueError:
        return None


if __name__ == "__main__":
    sys.exit(main())
