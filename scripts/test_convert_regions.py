#!/usr/bin/env python3
"""Checks of scripts/convert_regions.py on small lists with known changes (run by .ci/run)."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import convert_regions  # noqa: E402


class ConvertRegionsTests(unittest.TestCase):
    def divisions(self, rows):
        path = os.path.join(tempfile.mkdtemp(), "divisions.json")
        meta = {"authority": "test", "source_table": "T", "data_as_of": "2025-12-31", "retrieved_at": "2026-01-01"}
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"metadata": meta, "divisions": rows}, f, ensure_ascii=False)
        return path

    def test_levels_parents_and_grouping_rows(self):
        required = [[1, "410000", "", "河南省"], [2, "411000", "410000", "许昌市"]] + [
            [3, c, "411000", n] for c, n in [("411081", "禹州市"), ("411025", "襄城县"), ("411082", "长葛市"),
                                             ("411024", "鄢陵县"), ("411002", "魏都区"), ("411003", "建安区")]]
        rows = required + [
            [1, "110000", "", "北京市"], [3, "110101", "110000", "东城区"],
            [3, "419001", "410000", "济源市"], [4, "411081001", "411081", "颍川街道"],
            [1, "650000", "", "新疆维吾尔自治区"], [3, "659001", "650000", "石河子市"],
        ]
        out, counts, _, _, grouping = convert_regions.convert(self.divisions(rows))
        table = {c: (n, lv, p) for c, n, lv, p in out}
        self.assertEqual(table["110101"], ("东城区", "county", "1101"))
        self.assertEqual(table["1101"], ("市辖区", "city", "11"))
        self.assertEqual(table["4190"], ("省直辖县级行政区划", "city", "41"))
        self.assertEqual(table["6590"], ("自治区直辖县级行政区划", "city", "65"))
        self.assertNotIn("411081001", table)  # townships are left out
        self.assertEqual(grouping, ["1101", "4190", "6590"])
        self.assertEqual(counts, {"province": 3, "city": 4, "county": 9})

    def test_comparison_counts_known_changes(self):
        old = {"41": ("河南省", "province"), "4110": ("许昌市", "city"), "411023": ("许昌县", "county"),
               "411081": ("禹州市", "county"), "130502": ("桥东区", "county"), "71": ("台湾省", "province"),
               "1101": ("市辖区", "city"), "411001": ("市辖区", "county")}
        new = {"41": ("河南省", "province"), "4110": ("许昌市", "city"), "411003": ("建安区", "county"),
               "411081": ("禹州市", "county"), "130502": ("襄都区", "county"), "1101": ("市辖区", "city")}
        added, abolished, renamed = convert_regions.compare(old, new)
        self.assertEqual(added, ["411003"])
        self.assertEqual(abolished, ["411023", "71"])  # grouping rows of either list aside
        self.assertEqual(renamed, ["130502"])


class RegionChangesTests(unittest.TestCase):
    def test_year_end_lists_give_changes_when_names_agree(self):
        import subprocess
        d = tempfile.mkdtemp()
        cnloc = os.path.join(d, "c.csv")
        with open(cnloc, "w", encoding="utf-8") as f:
            f.write("year,province_name,city_name,county_name,province_adcode,city_adcode,county_adcode,province_id,city_id,county_id\n")
            for year, name, code, cid in [
                (2015, "许昌县", "411023", "411003"), (2016, "建安区", "411003", "411003"),
                (2017, "滦县", "130223", "130284"), (2018, "滦州市", "130284", "130284"),
                (2014, "北市区", "130603", "130683"), (2015, "安国市", "130683", "130683"),
            ]:
                f.write("%d,p,c,%s,0,0,%s,0,0,%s\n" % (year, name, code, cid))
        regions = os.path.join(d, "r.tsv")
        with open(regions, "w", encoding="utf-8") as f:
            f.write("code\tname\tlevel\tparent\n411003\t建安区\tcounty\t4110\n130284\t滦州市\tcounty\t1302\n130683\t安国市\tcounty\t1306\n")
        out = os.path.join(d, "out.tsv")
        script = os.path.join(os.path.dirname(__file__), "region_changes.py")
        subprocess.run([sys.executable, script, cnloc, regions, out, "--since", "2010"], check=True, capture_output=True)
        rows = [l.split("\t") for l in open(out, encoding="utf-8").read().splitlines() if not l.startswith("#") and not l.startswith("year\t")]
        # 滦县 → 滦州市 is taken (returns from 2019); 许昌县 → 建安区 and 北市区 → 安国市 are not (names disagree).
        self.assertEqual([r[2:5] for r in rows], [["130223", "滦县", "130284"]])
        self.assertEqual(rows[0][0], "2019")


if __name__ == "__main__":
    unittest.main()
