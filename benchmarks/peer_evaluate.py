#!/usr/bin/env python3
"""Peer implementations of Dudao's "quality balanced development 2017" evaluation.

These exist only to benchmark Dudao's Swift evaluation engine against the
obvious alternatives:

  --impl pandas   idiomatic, vectorised pandas (groupby; no per-county loops)
  --impl sql      stdlib csv + sqlite3 in-memory table; aggregation in SQL

Usage:
  python3 benchmarks/peer_evaluate.py DIR --impl pandas|sql --out OUT

DIR/returns.csv is read; OUT/indicators.csv and OUT/counties.csv are written.
One JSON line with timings is printed on stdout.
"""

import argparse
import csv
import json
import math
import os
import sqlite3
import sys
import time

# ---------------------------------------------------------------------------
# Programme definition (shared by both implementations)
# ---------------------------------------------------------------------------

STAGES = ("primary", "junior")
EXCLUDED_TYPES = ("special", "vocational")
TEACHING_POINT = "teaching_point"
TEACHING_POINT_MIN_STUDENTS = 50
MIN_MET = 6                 # of the 7 indicators
NEAR_FACTOR = 0.85          # unmet indicators must reach 0.85 x threshold
EPS = 1e-9                  # relative epsilon for all comparisons
CV_LIMIT = {"primary": 0.50, "junior": 0.45}

# (indicator id, numerator column, scale, threshold primary, threshold junior)
INDICATORS = (
    ("teachers_above_degree_per100", "teachers_above_degree", 100, 4.2, 5.3),
    ("key_teachers_per100", "key_teachers", 100, 1.0, 1.0),
    ("pe_art_teachers_per100", "pe_art_teachers", 100, 0.9, 0.9),
    ("teaching_area_per_student", "teaching_area_m2", 1, 4.5, 5.8),
    ("sports_area_per_student", "sports_area_m2", 1, 7.5, 10.2),
    ("instrument_value_per_student", "instrument_value_yuan", 1, 2000.0, 2500.0),
    ("multimedia_classrooms_per100", "multimedia_classrooms", 100, 2.3, 2.4),
)
THRESHOLDS = {
    "primary": [ind[3] for ind in INDICATORS],
    "junior": [ind[4] for ind in INDICATORS],
}

TEXT_COLUMNS = ("school_code", "school_name", "county_code", "school_type",
                "ownership", "locality", "stage")
NUMERIC_COLUMNS = ("students", "teachers", "teachers_above_degree",
                   "teachers_mid_title", "key_teachers", "pe_art_teachers",
                   "teaching_area_m2", "sports_area_m2", "instrument_value_yuan",
                   "computers", "multimedia_classrooms", "books")
# canonical header order
COLUMNS = ("year", "school_code", "school_name", "county_code", "school_type",
           "ownership", "locality", "stage") + NUMERIC_COLUMNS

INDICATOR_HEADER = ("county_code", "stage", "indicator", "mean", "sd", "cv")
COUNTY_HEADER = ("county_code", "stage", "schools", "schools_passed", "passed")

# Result of evaluate(), common to both implementations (plain Python lists so
# that the writer is shared and costs the same for both):
#   indicators: [(county_code, stage, indicator, mean, sd, cv_or_None), ...]
#   counties:   [(county_code, stage, schools, schools_passed, passed_bool), ...]
# Both sorted by (county_code, stage[, indicator]) in plain string order.

# ---------------------------------------------------------------------------
# pandas implementation
# ---------------------------------------------------------------------------


def pandas_load(path):
    import pandas as pd
    dtype = {c: "string" for c in TEXT_COLUMNS}
    dtype.update({c: "float64" for c in NUMERIC_COLUMNS})
    dtype["year"] = "Int64"
    return pd.read_csv(path, dtype=dtype, encoding="utf-8-sig",
                       keep_default_na=False, na_values=[""])


def pandas_evaluate(df, year=None):
    import numpy as np
    import pandas as pd

    keys = ["county_code", "stage"]
    ids = [ind[0] for ind in INDICATORS]

    if year is None:
        year = df["year"].max()
    d = df[df["year"] == year]
    students = d["students"].fillna(0.0)
    mask = (
        d["stage"].isin(STAGES)
        & ~d["school_type"].isin(EXCLUDED_TYPES)
        & (students > 0)
        & ~((d["school_type"] == TEACHING_POINT)
            & (students < TEACHING_POINT_MIN_STUDENTS))
    )
    d = d.loc[mask]
    p = d["students"]

    # school x indicator values (one column per indicator)
    values = pd.DataFrame(
        {iid: d[col].fillna(0.0) / p * scale
         for iid, col, scale, _, _ in INDICATORS},
        index=d.index)
    group_keys = [d["county_code"], d["stage"]]

    # weighted mean and (two-pass) weighted population sd per county/stage
    weighted = values.mul(p, axis=0)
    p_sum = p.groupby(group_keys).sum()
    mean = weighted.groupby(group_keys).sum().div(p_sum, axis=0)
    row_mean = weighted.groupby(group_keys).transform("sum").div(
        p.groupby(group_keys).transform("sum"), axis=0)
    sq = (values - row_mean).pow(2).mul(p, axis=0)
    sd = np.sqrt(sq.groupby(group_keys).sum().div(p_sum, axis=0))
    cv = sd / mean.where(mean != 0)

    # school verdicts: met >= 6 and every indicator >= 0.85 x threshold
    thr = pd.DataFrame.from_dict(THRESHOLDS, orient="index", columns=ids)
    t = thr.reindex(d["stage"]).to_numpy()
    v = values.to_numpy()
    met = v >= t * (1 - EPS)
    near = v >= NEAR_FACTOR * t * (1 - EPS)
    school_pass = pd.Series((met.sum(axis=1) >= MIN_MET) & near.all(axis=1),
                            index=d.index)

    counts = school_pass.groupby(group_keys).agg(["size", "sum"])
    limit = pd.Series(CV_LIMIT).reindex(cv.index.get_level_values("stage")).to_numpy()
    cv_ok = cv.le(limit * (1 + EPS), axis=0).all(axis=1)
    county = pd.DataFrame({
        "schools": counts["size"],
        "schools_passed": counts["sum"].astype("int64"),
    })
    county["passed"] = (county["schools"] == county["schools_passed"]) & cv_ok
    county = county.sort_index()

    long = pd.DataFrame({
        "mean": mean.stack(),
        "sd": sd.stack(),
        "cv": cv.stack(),
    })
    long.index.names = ["county_code", "stage", "indicator"]
    long = long.sort_index()

    indicators = [
        (c, s, i, m, sdv, None if cvv != cvv else cvv)
        for (c, s, i), m, sdv, cvv in zip(long.index, long["mean"].to_numpy(),
                                         long["sd"].to_numpy(), long["cv"].to_numpy())
    ]
    counties = [
        (c, s, int(n), int(k), bool(ok))
        for (c, s), n, k, ok in zip(county.index, county["schools"].to_numpy(),
                                    county["schools_passed"].to_numpy(),
                                    county["passed"].to_numpy())
    ]
    return indicators, counties


# ---------------------------------------------------------------------------
# sqlite implementation
# ---------------------------------------------------------------------------


def _num(text):
    return float(text) if text else 0.0


def sql_load(path):
    conn = sqlite3.connect(":memory:")
    cols = ["year INTEGER"] + [f"{c} TEXT" for c in COLUMNS[1:8]] + \
           [f"{c} REAL" for c in NUMERIC_COLUMNS]
    conn.execute(f"CREATE TABLE returns ({', '.join(cols)})")
    placeholders = ", ".join("?" * len(COLUMNS))
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.reader(f)
        header = next(reader)
        idx = [header.index(c) for c in COLUMNS]
        num_idx = idx[8:]
        rows = (
            [int(r[idx[0]]) if r[idx[0]] else None]
            + [r[i] for i in idx[1:8]]
            + [_num(r[i]) for i in num_idx]
            for r in reader
        )
        conn.executemany(f"INSERT INTO returns VALUES ({placeholders})", rows)
    conn.commit()
    return conn


def _has_sqrt(conn):
    try:
        conn.execute("SELECT sqrt(4.0)").fetchone()
        return True
    except sqlite3.OperationalError:
        return False


def sql_evaluate(conn, year=None):
    if not _has_sqrt(conn):
        # sqlite built without SQLITE_ENABLE_MATH_FUNCTIONS
        conn.create_function("sqrt", 1, math.sqrt, deterministic=True)

    n = len(INDICATORS)
    r = range(1, n + 1)
    conn.execute("DROP TABLE IF EXISTS temp.thr")
    conn.execute("CREATE TEMP TABLE thr (stage TEXT PRIMARY KEY, cv_limit REAL, "
                 + ", ".join(f"t{k} REAL" for k in r) + ")")
    conn.executemany(f"INSERT INTO thr VALUES ({', '.join('?' * (n + 2))})",
                     [(s, CV_LIMIT[s], *THRESHOLDS[s]) for s in STAGES])

    year_sql = "(SELECT MAX(year) FROM returns)" if year is None else str(int(year))
    stages_sql = ", ".join(f"'{s}'" for s in STAGES)
    excluded_sql = ", ".join(f"'{s}'" for s in EXCLUDED_TYPES)
    value_sql = ", ".join(f"{col} * {float(scale)!r} / students AS v{k}"
                          for k, (_, col, scale, _, _) in enumerate(INDICATORS, 1))

    conn.executescript(f"""
        DROP TABLE IF EXISTS temp.part;
        DROP TABLE IF EXISTS temp.grp;
        DROP TABLE IF EXISTS temp.stats;

        CREATE TEMP TABLE part AS
        SELECT county_code, stage, students AS p, {value_sql}
          FROM returns
         WHERE year = {year_sql}
           AND stage IN ({stages_sql})
           AND school_type NOT IN ({excluded_sql})
           AND students > 0
           AND NOT (school_type = '{TEACHING_POINT}'
                    AND students < {TEACHING_POINT_MIN_STUDENTS});

        CREATE TEMP TABLE grp AS
        SELECT county_code, stage, COUNT(*) AS n, SUM(p) AS psum,
               {", ".join(f"SUM(v{k} * p) / SUM(p) AS m{k}" for k in r)}
          FROM part
         GROUP BY county_code, stage;

        CREATE TEMP TABLE stats AS
        SELECT g.county_code AS county_code, g.stage AS stage, g.n AS n,
               thr.cv_limit AS cv_limit,
               {", ".join(f"g.m{k} AS m{k}" for k in r)},
               {", ".join(f"sqrt(SUM(p * (v{k} - g.m{k}) * (v{k} - g.m{k})) / g.psum) AS sd{k}"
                          for k in r)},
               SUM(CASE WHEN ({" + ".join(f"(v{k} >= t{k} * (1 - {EPS!r}))" for k in r)}) >= {MIN_MET}
                         AND {" AND ".join(f"v{k} >= {NEAR_FACTOR!r} * t{k} * (1 - {EPS!r})" for k in r)}
                        THEN 1 ELSE 0 END) AS passed
          FROM part
          JOIN grp AS g USING (county_code, stage)
          JOIN thr USING (stage)
         GROUP BY g.county_code, g.stage;
    """)

    cv = {k: f"(CASE WHEN m{k} = 0 THEN NULL ELSE sd{k} / m{k} END)" for k in r}
    indicators = conn.execute(
        " UNION ALL ".join(
            f"SELECT county_code, stage, '{INDICATORS[k - 1][0]}', m{k}, sd{k}, {cv[k]} FROM stats"
            for k in r)
        + " ORDER BY 1, 2, 3").fetchall()
    counties = [
        (c, s, n_, k_, bool(ok)) for c, s, n_, k_, ok in conn.execute(
            "SELECT county_code, stage, n, passed, "
            "  (passed = n AND "
            + " AND ".join(f"COALESCE({cv[k]} <= cv_limit * (1 + {EPS!r}), 0)" for k in r)
            + ") FROM stats ORDER BY county_code, stage")
    ]
    return indicators, counties


# ---------------------------------------------------------------------------
# output (shared, timed separately)
# ---------------------------------------------------------------------------


def write_outputs(out_dir, indicators, counties):
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "indicators.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(INDICATOR_HEADER)
        for c, s, i, m, sd, cv in indicators:
            w.writerow((c, s, i, f"{m:.6f}", f"{sd:.6f}", "" if cv is None else f"{cv:.6f}"))
    with open(os.path.join(out_dir, "counties.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COUNTY_HEADER)
        for c, s, n, k, ok in counties:
            w.writerow((c, s, n, k, "true" if ok else "false"))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", help="directory containing returns.csv")
    ap.add_argument("--impl", choices=("pandas", "sql"), required=True)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--year", type=int, default=None,
                    help="year to evaluate (default: latest year in returns.csv)")
    args = ap.parse_args(argv)
    path = os.path.join(args.dir, "returns.csv")

    if args.impl == "pandas":
        import pandas  # noqa: F401  (import time is not part of load_s)

    t0 = time.perf_counter()
    if args.impl == "pandas":
        data = pandas_load(path)
        rows = len(data)
        t1 = time.perf_counter()
        indicators, counties = pandas_evaluate(data, args.year)
    else:
        data = sql_load(path)
        rows = data.execute("SELECT COUNT(*) FROM returns").fetchone()[0]
        t1 = time.perf_counter()
        indicators, counties = sql_evaluate(data, args.year)
    t2 = time.perf_counter()
    write_outputs(args.out, indicators, counties)
    t3 = time.perf_counter()

    print(json.dumps({
        "impl": args.impl,
        "rows": rows,
        "counties": len({c[0] for c in counties}),
        "load_s": round(t1 - t0, 4),
        "evaluate_s": round(t2 - t1, 4),
        "total_s": round(t2 - t0, 4),
        "write_s": round(t3 - t2, 4),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
