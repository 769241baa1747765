import DudaoCore
import SQLKit

public struct SchoolRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func find(_ code: String) async throws -> School? {
        try await db.select().columns("*").from("schools").where("code", .equal, code).first().map(Self.decode)
    }

    /// Schools whose county lies in the subtree of `regionCode`.
    public func list(under regionCode: String) async throws -> [School] {
        if let schools = try await RowsByPosition.schools(db, under: regionCode) { return schools }
        return try await db.select().columns("*").from("schools").where("county_code", under: regionCode)
            .orderBy("code").all().map(Self.decode)
    }

    public func find(codes: [String]) async throws -> [String: School] {
        var out: [String: School] = [:]
        for chunk in codes.chunked(500) {
            for row in try await db.select().columns("*").from("schools").where("code", .in, Array(chunk)).all() {
                let school = try Self.decode(row)
                out[school.code] = school
            }
        }
        return out
    }

    /// Which of these codes are stored.
    func stored(_ codes: [String]) async throws -> Set<String> { try await db.storedKeys(codes, in: "schools", column: "code") }

    /// Number of schools per county at or below `regionCode`.
    public func countByCounty(under regionCode: String) async throws -> [String: Int] {
        let rows = try await db.select().column("county_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("schools").where("county_code", under: regionCode).groupBy("county_code").all()
        var out: [String: Int] = [:]
        for row in rows { out[try row.decode(column: "county_code", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        return out
    }

    /// Schools as `bulk` upserts them (the returns import, `ReturnImporter`).
    static func cells(_ schools: [School], at now: String) -> [[BulkInsert.Cell]] {
        schools.map { s in
            [
                .text(s.code), .text(s.name), .text(s.countyCode), .text(s.type.rawValue), .text(s.ownership.rawValue),
                .text(s.locality.rawValue), .boolean(s.boarding), .textOrNull(s.township), .textOrNull(s.townshipCode), .text(now),
            ]
        }
    }

    static let bulk: BulkInsert = {
        let columns = ["code", "name", "county_code", "school_type", "ownership", "locality", "boarding", "township", "township_code", "updated_at"]
        return BulkInsert(
            table: "schools", columns: columns,
            conflict: BulkInsert.replacing(
                "schools", key: ["code"], of: columns, unlessSameBut: ["updated_at"], keeping: ["township", "township_code"]))
    }()

    static func decode(_ row: any SQLRow) throws -> School {
        School(
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            countyCode: try row.decode(column: "county_code", as: String.self),
            type: try row.decode(SchoolType.self, column: "school_type", table: "schools"),
            ownership: try row.decode(Ownership.self, column: "ownership", table: "schools"),
            locality: try row.decode(Locality.self, column: "locality", table: "schools"),
            boarding: try row.decode(column: "boarding", as: Bool.self),
            township: try row.decode(column: "township", as: String?.self),
            townshipCode: try row.decode(column: "township_code", as: String?.self))
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
