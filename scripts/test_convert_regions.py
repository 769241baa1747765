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


if __name__ == "__main__":
    unittest.main()
