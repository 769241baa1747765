import Testing

@testable import DudaoCore

/// GB/T 2260 codes: `41` province, `4110` city, `411081` county.
@Suite("Region codes")
struct RegionCodeTests {
    @Test(arguments: [
        ("410000", "41"),  // padded province
        ("411000", "4110"),  // padded city
        ("411081", "411081"),
        ("411081000000", "411081"),  // 12-digit statistical code
        ("411000000000", "4110"),
        ("410000000000", "41"),
        ("411081001", "411081"),  // 9-digit township code → its county
        (" 411081 ", "411081"),
        ("41", "41"),
        ("4110", "4110"),
    ])
    func normalize(raw: String, expected: String) {
        #expect(RegionCode.normalize(raw) == expected)
    }

    @Test(arguments: ["", "  ", "4", "41108", "4110810", "41a081", "四一"])
    func normalizeRejects(raw: String) {
        #expect(RegionCode.normalize(raw) == nil)
    }

    @Test func levelsAncestorsContainment() {
        #expect(RegionCode.level(of: "") == .nation)
        #expect(RegionCode.level(of: "41") == .province)
        #expect(RegionCode.level(of: "4110") == .city)
        #expect(RegionCode.level(of: "411081") == .county)
        #expect(RegionCode.level(of: "411") == nil)
        #expect(RegionCode.ancestors(of: "411081") == ["4110", "41"])
        #expect(RegionCode.ancestors(of: "4110") == ["41"])
        #expect(RegionCode.ancestors(of: "41").isEmpty)
        #expect(RegionCode.contains("41", "411081"))
        #expect(RegionCode.contains("", "411081"))
        #expect(!RegionCode.contains("4111", "411081"))
        #expect(RegionLevel.province < RegionLevel.county)
    }
}

@Suite("Region catalogue (standard list)", .enabled(if: coreResourcesAvailable))
struct RegionCatalogTests {
    let catalog = RegionCatalog.standard

    @Test func yuzhouUnderXuchangUnderHenan() throws {
        let county = try #require(catalog["411081"])
        #expect(county.name == "禹州市")
        #expect(county.level == .county)
        #expect(county.parentCode == "4110")
        let city = try #require(catalog["4110"])
        #expect(city.name == "许昌市")
        #expect(city.level == .city)
        #expect(city.parentCode == "41")
        let province = try #require(catalog["41"])
        #expect(province.name == "河南省")
        #expect(province.level == .province)
        #expect(catalog[""] == .nation)
        #expect(catalog.lineage(of: "411081").map(\.name) == ["禹州市", "许昌市", "河南省"])
    }

    /// 411099 is not in the list: a placeholder county, placed under 4110 and 41 by its prefixes.
    @Test func unknownCountyGetsPlaceholder() throws {
        #expect(catalog["411099"] == nil)
        let chain = catalog.lineage(of: "411099")
        #expect(chain.map(\.code) == ["411099", "4110", "41"])
        try #require(chain.count == 3)
        #expect(chain[0].level == .county)
        #expect(chain[0].name == "未知区县411099")
        #expect(chain[0].parentCode == "4110")
        #expect(chain[1].name == "许昌市")
        #expect(chain[2].name == "河南省")
    }

    @Test func unknownCityAndProvince() throws {
        let city = catalog.lineage(of: "4198")
        #expect(city.map(\.code) == ["4198", "41"])
        try #require(city.count == 2)
        #expect(city[0].level == .city)
        #expect(city[0].name == "未知地市4198")
        let province = catalog.lineage(of: "98")
        #expect(province.map(\.code) == ["98"])
        try #require(province.count == 1)
        #expect(province[0].name == "未知省份98")
    }

    /// The counts the header states are the list's; every parent exists and is the code's own prefix.
    @Test func listIsConsistent() throws {
        let regions = Array(catalog.regions.values)
        let header = String(decoding: try CoreResources.data("regions.tsv"), as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("# Counts:") }
        let stated =
            "# Counts: \(regions.filter { $0.level == .province }.count) provinces, \(regions.filter { $0.level == .city }.count) cities, \(regions.filter { $0.level == .county }.count) counties"
        #expect(header.map(String.init) == stated)
        // 民政部 2025-12-31: 33 provinces (台湾省 has no code there), 333 prefectures + 9 grouping rows, 2,845 counties.
        #expect(stated == "# Counts: 33 provinces, 342 cities, 2845 counties")
        for region in regions where region.level != .province {
            #expect(region.parentCode == RegionCode.ancestors(of: region.code).first, "\(region.code)")
            #expect(catalog[region.parentCode ?? "-"] != nil, "\(region.code)")
            #expect(RegionCode.level(of: region.code) == region.level, "\(region.code)")
        }
    }
}

/// Issue 13: the current list and the changes since the previous one.
@Suite("Current divisions and their changes", .enabled(if: coreResourcesAvailable))
struct RegionChangeTests {
    let catalog = RegionCatalog.standard

    @Test func theCurrentListHasTheKnownChanges() throws {
        // 许昌县 411023 became 建安区 411003 (2017).
        #expect(catalog["411023"] == nil)
        #expect(catalog["411003"]?.name == "建安区" && catalog["411003"]?.parentCode == "4110")
        // 莱芜市 3712 merged into 济南市 (2019): 莱芜区 370116 and 钢城区 370117.
        #expect(catalog["3712"] == nil && catalog["371202"] == nil)
        #expect(catalog["370116"]?.name == "莱芜区" && catalog["370117"]?.parentCode == "3701")
        // Renamed in place (2020).
        #expect(catalog["130502"]?.name == "襄都区" && catalog["130503"]?.name == "信都区")
        // Grouping rows keep the prefix tree: 北京's districts under 1101, 济源 under 4190.
        #expect(catalog.lineage(of: "110101").map(\.name) == ["东城区", "市辖区", "北京市"])
        #expect(catalog.lineage(of: "419001").map(\.name) == ["济源市", "省直辖县级行政区划", "河南省"])
    }

    @Test func changesLeadFromOldCodesToCurrentOnes() throws {
        let changes = RegionCatalog.standardChanges
        #expect(changes.count > 250)
        for c in changes {
            // Every old code leads to a current county; a code given up is no county of its own today.
            if c.kind == .abolish {
                #expect(catalog[c.oldCode] == nil && catalog.successor(of: c.oldCode) == nil, "\(c.description)")
                continue
            }
            let now = c.kind == .rename ? c.newCode : catalog.successor(of: c.oldCode)?.newCode ?? "-"
            #expect(catalog[now]?.level == .county, "\(c.description)")
            if c.kind != .rename { #expect(catalog[c.oldCode] == nil, "\(c.description)") }
        }
        // Derived from the year-end lists (滦县 → 滦州市: listed at the end of 2018, returns from 2019).
        #expect(catalog.successor(of: "130223")?.newCode == "130284" && catalog.successor(of: "130223")?.year == 2019)
        // 邯郸县 was split between districts: no successor, an abolition.
        #expect(catalog.successor(of: "130421") == nil && catalog.abolition(of: "130421")?.oldName == "邯郸县")
        let xuchang = try #require(catalog.successor(of: "411023"))
        #expect(xuchang.newCode == "411003" && xuchang.year == 2017 && xuchang.oldName == "许昌县")
        #expect(catalog.successor(of: "371202")?.newCode == "370116")
        #expect(catalog.successor(of: "130502") == nil)  // same code, new name
        #expect(catalog.successor(of: "411081") == nil)
        #expect(catalog.formerNames(of: "411003", in: 2016) == ["许昌县"])
        #expect(catalog.formerNames(of: "411003", in: 2017).isEmpty)
        #expect(catalog.formerNames(of: "130502", in: 2019) == ["桥东区"])
        #expect(catalog.formerNames(of: "350404", in: 2020) == ["梅列区"])
        #expect(catalog.divisionCode(of: "411003", in: 2016) == "411023" && catalog.divisionCode(of: "411003", in: 2017) == "411003")
        #expect(catalog.divisionCode(of: "370116", in: 2018) == "371202" && catalog.divisionCode(of: "130502", in: 2019) == "130502")
    }

    @Test func aChainOfChangesEndsAtTheCurrentCode() {
        let changes = [
            RegionChange(year: 2010, kind: .recode, oldCode: "419901", oldName: "甲县", newCode: "419902", newName: "甲市"),
            RegionChange(year: 2018, kind: .merge, oldCode: "419902", oldName: "甲市", newCode: "419903", newName: "乙区"),
        ]
        let last = catalog.successor(of: "419901", changes: changes)
        #expect(last?.newCode == "419903" && last?.oldName == "甲县" && last?.year == 2018)
    }
}

/// Issue 13: townships (乡镇/街道) named by code or name within their county.
@Suite("Townships", .enabled(if: coreResourcesAvailable))
struct TownshipTests {
    let townships = TownshipCatalog.standard

    @Test func namesAndCodesWithinACounty() throws {
        #expect(townships.names.count == 38_723)
        #expect(townships["411081001"] == "颍川街道")
        #expect(townships.code(named: "颍川街道", in: "411081") == "411081001")
        func resolved(_ raw: String, _ county: String = "411081") -> String {
            switch townships.resolve(raw, county: county) {
            case .success(let t): "\(t.name)|\(t.code ?? "-")"
            case .failure(let e): e.code
            }
        }
        #expect(resolved("颍川街道") == "颍川街道|411081001")
        #expect(resolved("411081001") == "颍川街道|411081001")
        #expect(resolved("411081001000") == "颍川街道|411081001")
        #expect(resolved("411081001 颍川街道") == "颍川街道|411081001")
        #expect(resolved("新设街道") == "新设街道|-")
        #expect(resolved("411082001") == "township_outside_county")
        #expect(resolved("411081999") == "unknown_township")
        #expect(resolved("411081999 新区街道") == "新区街道|411081999")
        #expect(resolved("4110810") == "bad_township_code")
    }
}
