import DudaoCore
import SQLKit

/// Regions that hold data: the lineage of every county a school was imported into.
public struct RegionRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// Stores the region and its ancestors (names from the GB/T 2260 catalogue, placeholders
    /// for unknown codes) unless already present.
    public func ensureLineage(of code: String, catalog: RegionCatalog = .standard) async throws {
        try await ensureLineage(of: [code], catalog: catalog)
    }

    /// Stores the regions and their ancestors, parents before children, in statements of up to
    /// 1,000 regions (a national import names 2,845 counties: one insert a region was 8,500
    /// round trips on the import's write path).
    public func ensureLineage(of codes: [String], catalog: RegionCatalog = .standard) async throws {
        var seen: Set<String> = []
        var regions: [Region] = []
        for code in codes {
            for region in catalog.lineage(of: code).reversed() where seen.insert(region.code).inserted { regions.append(region) }
        }
        regions.sort { $0.level < $1.level }  // parents first
        for chunk in regions.chunked(1_000) {
            var insert = db.insert(into: "regions").columns("code", "name", "level", "parent_code")
            for region in chunk { insert = insert.values(region.code, region.name, region.level.rawValue, region.parentCode ?? "") }
            try await insert.ignoringConflicts(with: ["code"]).run()
        }
    }

    /// Names a stored region (an administrator naming a placeholder, or following a rename).
    public func rename(_ code: String, to name: String) async throws -> Bool {
        !(try await db.update("regions").set("name", to: name).where("code", .equal, code).returning("code").all()).isEmpty
    }

    /// Re-files what was stored under an old county code under its successor (schools carry
    /// their returns with them; visits and rectification cases are the county's too).
    /// Returns the number of schools moved.
    public func refile(county old: String, to new: String) async throws -> Int {
        let moved = try await db.update("schools").set("county_code", to: new).where("county_code", .equal, old).returning("code").all().count
        try await db.update("visits").set("county_code", to: new).where("county_code", .equal, old).run()
        try await db.update("rectifications").set("county_code", to: new).where("county_code", .equal, old).run()
        return moved
    }

    /// Stored county codes (those schools are filed under).
    public func countyCodesInUse() async throws -> [String] {
        try await db.select().distinct().column("county_code").from("schools").all().map { try $0.decode(column: "county_code", as: String.self) }
    }

    /// Which of these codes are stored.
    func existing(_ codes: [String]) async throws -> Set<String> { try await db.storedKeys(codes, in: "regions", column: "code") }

    public func find(_ code: String) async throws -> Region? {
        if code.isEmpty { return .nation }
        return try await db.select().columns("*").from("regions").where("code", .equal, code).first().map(Self.decode)
    }

    public func children(of code: String) async throws -> [Region] {
        try await db.select().columns("*").from("regions").where("parent_code", .equal, code)
            .orderBy("code").all().map(Self.decode)
    }

    /// Counties at or below `code`.
    public func counties(under code: String) async throws -> [Region] {
        try await db.select().columns("*").from("regions")
            .where("level", .equal, RegionLevel.county.rawValue)
            .where("code", under: code)
            .orderBy("code").all().map(Self.decode)
    }

    /// The region and its ancestors, root first (for breadcrumbs).
    public func path(to code: String) async throws -> [Region] {
        if code.isEmpty { return [.nation] }
        // One statement for the whole chain (every page about a region or school asks it).
        return try await db.select().columns("*").from("regions").where("code", .in, [code] + RegionCode.ancestors(of: code)).all()
            .map(Self.decode).sorted { $0.code.count < $1.code.count }
    }

    static func decode(_ row: any SQLRow) throws -> Region {
        let parent = try row.decode(column: "parent_code", as: String?.self)
        return Region(
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            level: try row.decode(RegionLevel.self, column: "level", table: "regions"),
            parentCode: parent)
    }
}
