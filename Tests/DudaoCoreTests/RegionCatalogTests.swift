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

    /// The header says 34 provinces, 344 cities, 3,133 counties; every parent exists and is
    /// the code's own prefix.
    @Test func listIsConsistent() {
        let regions = Array(catalog.regions.values)
        #expect(regions.filter { $0.level == .province }.count == 34)
        #expect(regions.filter { $0.level == .city }.count == 344)
        #expect(regions.filter { $0.level == .county }.count == 3133)
        for region in regions where region.level != .province {
            #expect(region.parentCode == RegionCode.ancestors(of: region.code).first, "\(region.code)")
            #expect(catalog[region.parentCode ?? "-"] != nil, "\(region.code)")
            #expect(RegionCode.level(of: region.code) == region.level, "\(region.code)")
        }
    }
}
