import DudaoCore
import Foundation
import SQLKit

/// Inspectors, their responsibility schools (挂牌督导), visits and coverage.
public struct InspectorRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// Inserts or updates inspectors. A username given links the inspector to that account;
    /// none given keeps the link stored (re-importing a file without the column loses nothing).
    public func upsert(_ inspectors: [Inspector], usernames: [String: String] = [:]) async throws {
        for chunk in inspectors.chunked(200) {
            let insert = db.insert(into: "inspectors").columns("id", "name", "phone", "kind", "region_code", "zone", "username")
            for i in chunk { insert.values(i.id, i.name, i.phone, i.kind.rawValue, i.regionCode, i.zone, usernames[i.id]) }
            try await insert.onConflict(with: ["id"]) {
                $0.set(excludedValueOf: "name").set(excludedValueOf: "phone").set(excludedValueOf: "kind")
                    .set(excludedValueOf: "region_code").set(excludedValueOf: "zone")
                    .set("username", to: SQLFunction("COALESCE", args: SQLExcludedColumn("username"), SQLColumn("username", table: "inspectors")))
            }.run()
        }
    }

    public func assign(_ assignment: [String: String], since: String) async throws {
        for chunk in Array(assignment).chunked(300) {
            let insert = db.insert(into: "responsibilities").columns("school_code", "inspector_id", "since")
            for (school, inspector) in chunk { insert.values(school, inspector, since) }
            try await insert.onConflict(with: ["school_code"]) { $0.set(excludedValueOf: "inspector_id").set(excludedValueOf: "since") }.run()
        }
    }

    public func list(under region: String) async throws -> [Inspector] {
        try await db.select().columns("*").from("inspectors").where("region_code", under: region).orderBy("id").all().map(Self.decode)
    }

    /// Links an inspector record to a user account (one account per inspector).
    public func link(inspectorId: String, username: String) async throws -> Bool {
        try await db.update("inspectors").set("username", to: SQLLiteral.null).where("username", .equal, username).run()
        return try await db.update("inspectors").set("username", to: username).where("id", .equal, inspectorId).returning("id").all().count == 1
    }

    public func find(id: String) async throws -> Inspector? {
        try await db.select().columns("*").from("inspectors").where("id", .equal, id).first().map(Self.decode)
    }

    public func find(username: String) async throws -> Inspector? {
        try await db.select().columns("*").from("inspectors").where("username", .equal, username).first().map(Self.decode)
    }

    /// School code → responsible inspector id, for schools in the subtree (through the schools'
    /// county index, not the whole table).
    public func responsibilities(under region: String) async throws -> [String: String] {
        var out: [String: String] = [:]
        let rows = try await db.select().column(SQLColumn("school_code", table: "r")).column(SQLColumn("inspector_id", table: "r"))
            .from(SQLAlias(SQLIdentifier("responsibilities"), as: SQLIdentifier("r")))
            .join(
                SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")), on: SQLColumn("code", table: "s"), .equal,
                SQLColumn("school_code", table: "r")
            )
            .where(SQLColumn("county_code", table: "s"), under: region).all()
        for row in rows { out[try row.decode(column: "school_code", as: String.self)] = try row.decode(column: "inspector_id", as: String.self) }
        return out
    }

    /// The school's responsible inspector, if it has one.
    public func responsible(for school: String) async throws -> Inspector? {
        guard let row = try await db.select().column("inspector_id").from("responsibilities").where("school_code", .equal, school).first() else {
            return nil
        }
        return try await find(id: try row.decode(column: "inspector_id", as: String.self))
    }

    /// The schools an inspector is responsible for, in code order.
    public func schools(of inspector: String) async throws -> [String] {
        try await db.select().column("school_code").from("responsibilities").where("inspector_id", .equal, inspector).orderBy("school_code").all()
            .map { try $0.decode(column: "school_code", as: String.self) }
    }

    /// Inspectors by id (those that exist).
    public func find(ids: some Collection<String>) async throws -> [String: Inspector] {
        var out: [String: Inspector] = [:]
        for chunk in Array(Set(ids)).chunked(500).map(Array.init) {
            for row in try await db.select().columns("*").from("inspectors").where("id", .in, chunk).all() {
                let i = try Self.decode(row)
                out[i.id] = i
            }
        }
        return out
    }

    /// Schools of the subtree with no signed visit in the month (yyyy-MM), with their
    /// responsible inspector, in code order: the first `limit` of them and how many there are.
    /// One query through the schools' county index and each school's visits by date.
    public func unvisited(
        under region: String, month: String, limit: Int = 500
    ) async throws -> (
        schools: [(school: School, inspector: String?)], count: Int
    ) {
        let visited: SQLQueryString =
            "EXISTS (SELECT 1 FROM visits v WHERE v.school_code = s.code AND v.status = \(bind: VisitStatus.signed.rawValue) AND v.visit_date >= \(bind: month) AND v.visit_date < \(bind: month + ":"))"
        func base(_ q: SQLSelectBuilder) -> SQLSelectBuilder {
            q.from(SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")))
                .join(
                    SQLAlias(SQLIdentifier("responsibilities"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
                    on: SQLColumn("school_code", table: "r"), .equal, SQLColumn("code", table: "s")
                )
                .where(SQLColumn("county_code", table: "s"), under: region).where(SQLQueryString("NOT \(visited)"))
        }
        let count =
            try await base(db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()?.decode(column: "n", as: Int.self) ?? 0
        let rows = try await base(
            db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("s"))).column(SQLColumn("inspector_id", table: "r"))
        )
        .orderBy(SQLColumn("code", table: "s")).limit(limit).all()
        return (try rows.map { (try SchoolRepository.decode($0), try $0.decode(column: "inspector_id", as: String?.self)) }, count)
    }

    // MARK: random draws (双随机)

    public struct StoredDraw: Sendable {
        public var id: String
        public var regionCode: String
        public var title: String
        public var draw: RandomDraw
        public var published: Bool
        public var createdBy: String
        public var createdAt: String
    }

    public func saveDraw(region: String, title: String, draw: RandomDraw, by actor: String, at now: String) async throws -> String {
        let id = UUID().uuidString.lowercased()
        let result = String(decoding: try JSONEncoder().encode(draw), as: UTF8.self)
        try await db.insert(into: "draws").columns("id", "region_code", "title", "seed", "result", "published", "created_by", "created_at")
            .values(id, region, title, String(draw.seed), result, false, actor, now).run()
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: "draw", objectType: "draw", objectId: id, oldValue: nil,
                newValue: "seed=\(draw.seed); schools=\(draw.schools.joined(separator: ",")); inspectors=\(draw.inspectors.joined(separator: ","))",
                regionCode: region)
        ])
        return id
    }

    public func draws(under region: String) async throws -> [StoredDraw] {
        try await db.select().columns("*").from("draws").where("region_code", under: region).orderBy("created_at", .descending).all().map(
            Self.decodeDraw)
    }

    public func draw(_ id: String) async throws -> StoredDraw? {
        try await db.select().columns("*").from("draws").where("id", .equal, id).first().map(Self.decodeDraw)
    }

    public func publishDraw(_ id: String, by actor: String, region: String, at now: String) async throws {
        try await db.update("draws").set("published", to: true).where("id", .equal, id).run()
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: "publish", objectType: "draw", objectId: id,
                oldValue: "false", newValue: "true", regionCode: region)
        ])
    }

    static func decodeDraw(_ row: any SQLRow) throws -> StoredDraw {
        StoredDraw(
            id: try row.decode(column: "id", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            draw: try JSONDecoder().decode(RandomDraw.self, from: Data(try row.decode(column: "result", as: String.self).utf8)),
            published: try row.decode(column: "published", as: Bool.self), createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self))
    }

    static func decode(_ row: any SQLRow) throws -> Inspector {
        Inspector(
            id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
            phone: try row.decode(column: "phone", as: String.self),
            kind: try row.decode(Inspector.Kind.self, column: "kind", table: "inspectors"),
            regionCode: try row.decode(column: "region_code", as: String.self), zone: try row.decode(column: "zone", as: String?.self))
    }
}
