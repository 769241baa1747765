import DudaoCore
import Foundation
import SQLKit

/// A recorded school visit (督导检查): saved as a draft while being entered (so a lost
/// connection loses nothing), then signed off by the inspector.
public struct VisitRecord: Sendable, Hashable, Codable {
    public var id: String
    public var schoolCode: String
    public var countyCode: String
    public var inspectorId: String
    public var date: String
    public var kind: VisitKind
    public var checklistId: String
    /// JSON object: item id → answer.
    public var answers: String
    public var peopleMet: String
    public var notes: String
    public var location: String?
    public var status: VisitStatus
    public var version: Int

    public init(
        id: String, schoolCode: String, countyCode: String, inspectorId: String, date: String, kind: VisitKind, checklistId: String,
        answers: String, peopleMet: String, notes: String, location: String?, status: VisitStatus, version: Int
    ) {
        self.id = id
        self.schoolCode = schoolCode
        self.countyCode = countyCode
        self.inspectorId = inspectorId
        self.date = date
        self.kind = kind
        self.checklistId = checklistId
        self.answers = answers
        self.peopleMet = peopleMet
        self.notes = notes
        self.location = location
        self.status = status
        self.version = version
    }
}

public struct VisitRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func insert(_ visits: [VisitRecord], at now: String) async throws {
        for chunk in visits.chunked(200) {
            let insert = db.insert(into: "visits").columns(
                "id", "school_code", "county_code", "inspector_id", "visit_date", "kind", "checklist_id",
                "answers", "people_met", "notes", "location", "status", "version", "updated_at")
            for v in chunk {
                insert.values(
                    v.id, v.schoolCode, v.countyCode, v.inspectorId, v.date, v.kind.rawValue, v.checklistId, v.answers, v.peopleMet, v.notes,
                    v.location, v.status.rawValue, v.version, now)
            }
            try await insert.ignoringConflicts(with: ["id"]).run()
        }
        try await DataVersions(db, .supervision).bump(visits.map(\.countyCode), at: now)
    }

    public func find(_ id: String) async throws -> VisitRecord? {
        try await db.select().columns("*").from("visits").where("id", .equal, id).first().map(Self.decode)
    }

    /// Saves a draft: inserted when new (stored as version 1), else updated if it is still a
    /// draft read at `v.version`. Returns the stored version, or nil on a version conflict.
    /// Callers check that an existing visit belongs to them before saving over it.
    public func save(_ v: VisitRecord, at now: String) async throws -> Int? {
        if try await find(v.id) == nil {
            var stored = v
            stored.version = 1
            try await insert([stored], at: now)
            return 1
        }
        let rows = try await db.update("visits").set("visit_date", to: v.date).set("kind", to: v.kind.rawValue).set("checklist_id", to: v.checklistId)
            .set("answers", to: v.answers).set("people_met", to: v.peopleMet).set("notes", to: v.notes).set("location", to: v.location)
            .set("status", to: v.status.rawValue).set("version", to: v.version + 1).set("updated_at", to: now)
            .where("id", .equal, v.id).where("version", .equal, v.version).where("status", .equal, VisitStatus.draft.rawValue).returning("version")
            .all()
        guard rows.count == 1 else { return nil }
        try await DataVersions(db, .supervision).bump([v.countyCode], at: now)
        return v.version + 1
    }

    /// The school's visits, newest first (the newest `limit` when given).
    public func list(school: String, limit: Int? = nil) async throws -> [VisitRecord] {
        var q = db.select().columns("*").from("visits").where("school_code", .equal, school).orderBy("visit_date", .descending).orderBy("id")
        if let limit { q = q.limit(limit) }
        return try await q.all().map(Self.decode)
    }

    /// The day of each school's newest signed visit (schools never visited are absent).
    public func lastSigned(schools: [String]) async throws -> [String: String] {
        var out: [String: String] = [:]
        for chunk in schools.chunked(500) {
            for row in try await db.select().column("school_code").column(SQLFunction("MAX", args: SQLColumn("visit_date")), as: "last")
                .from("visits").where("school_code", .in, Array(chunk)).where("status", .equal, VisitStatus.signed.rawValue).groupBy("school_code")
                .all()
            {
                out[try row.decode(column: "school_code", as: String.self)] = try row.decode(column: "last", as: String.self)
            }
        }
        return out
    }

    static func decode(_ row: any SQLRow) throws -> VisitRecord {
        VisitRecord(
            id: try row.decode(column: "id", as: String.self), schoolCode: try row.decode(column: "school_code", as: String.self),
            countyCode: try row.decode(column: "county_code", as: String.self), inspectorId: try row.decode(column: "inspector_id", as: String.self),
            date: try row.decode(column: "visit_date", as: String.self), kind: try row.decode(VisitKind.self, column: "kind", table: "visits"),
            checklistId: try row.decode(column: "checklist_id", as: String.self), answers: try row.decode(column: "answers", as: String.self),
            peopleMet: try row.decode(column: "people_met", as: String.self), notes: try row.decode(column: "notes", as: String.self),
            location: try row.decode(column: "location", as: String?.self),
            status: try row.decode(VisitStatus.self, column: "status", table: "visits"),
            version: try row.decode(column: "version", as: Int.self))
    }
}
