import DudaoCore
import Foundation
import SQLKit

/// The projects register (建设项目台账); written on the database given.
public struct ProjectRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func insert(_ p: Project, at now: String) async throws {
        try await db.insert(into: "projects")
            .columns(
                "id", "region_code", "name", "kind", "school_code", "budget", "places_added", "stage", "planned_start", "planned_completion",
                "started_on",
                "completed_on", "in_use_on", "version", "updated_at"
            )
            .values(
                p.id, p.regionCode, p.name, p.kind.rawValue, p.schoolCode, p.budget, p.placesAdded, p.stage.rawValue, p.plannedStart,
                p.plannedCompletion,
                p.startedOn, p.completedOn, p.inUseOn, p.version, now
            ).run()
    }

    public func find(_ id: String) async throws -> Project? {
        try await db.select().columns("*").from("projects").where("id", .equal, id).first().map(Self.decode)
    }

    public func list(under region: String) async throws -> [Project] {
        var q = db.select().columns("*").from("projects")
        q = q.where("region_code", under: region)
        return try await q.orderBy("region_code").orderBy("planned_completion").orderBy("name").all().map(Self.decode)
    }

    /// Writes a stage change if the row is still at `expectedVersion`; false when someone changed it meanwhile.
    public func update(_ p: Project, expectedVersion: Int, at now: String) async throws -> Bool {
        !(try await db.update("projects").set("stage", to: p.stage.rawValue).set("started_on", to: p.startedOn).set("completed_on", to: p.completedOn)
            .set("in_use_on", to: p.inUseOn).set("version", to: expectedVersion + 1).set("updated_at", to: now).where("id", .equal, p.id)
            .where("version", .equal, expectedVersion).returning("id").all()).isEmpty
    }

    static func decode(_ row: any SQLRow) throws -> Project {
        Project(
            id: try row.decode(column: "id", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            name: try row.decode(column: "name", as: String.self), kind: try row.decode(ProjectKind.self, column: "kind", table: "projects"),
            schoolCode: try row.decode(column: "school_code", as: String?.self), budget: try row.decode(column: "budget", as: Double.self),
            placesAdded: try row.decode(column: "places_added", as: Int.self),
            stage: try row.decode(ProjectStage.self, column: "stage", table: "projects"),
            plannedStart: try row.decode(column: "planned_start", as: String.self),
            plannedCompletion: try row.decode(column: "planned_completion", as: String.self),
            startedOn: try row.decode(column: "started_on", as: String?.self), completedOn: try row.decode(column: "completed_on", as: String?.self),
            inUseOn: try row.decode(column: "in_use_on", as: String?.self), version: try row.decode(column: "version", as: Int.self))
    }
}

/// Complaints and what happened to them; written on the database given.
public struct ComplaintRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// The next 受理编号 of a county's year (2026-0001, …; `Series`).
    public func nextNumber(region: String, year: Int) async throws -> String {
        let n = try await Series.complaints.next(region: region, year: year, on: db)
        return "\(year)-" + String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n)
    }

    public func insert(_ c: Complaint) async throws {
        try await db.insert(into: "complaints")
            .columns(
                "id", "region_code", "number", "source", "received_on", "complainant", "phone", "content", "school_code", "assigned_unit", "deadline",
                "state", "reply", "answered_on", "called_back_on", "satisfied", "reopen_count", "rectification_id", "key_task_id", "version"
            )
            .values(
                c.id, c.regionCode, c.number, c.source.rawValue, c.receivedOn, c.complainant, c.phone, c.content, c.schoolCode, c.assignedUnit,
                c.deadline,
                c.state.rawValue, c.reply, c.answeredOn, c.calledBackOn, c.satisfied.map { $0 ? 1 : 0 }, c.reopenCount, c.rectificationId,
                c.keyTaskId,
                c.version
            ).run()
    }

    public func find(_ id: String) async throws -> Complaint? {
        try await db.select().columns("*").from("complaints").where("id", .equal, id).first().map(Self.decode)
    }

    public func list(under region: String, from: String? = nil, to: String? = nil) async throws -> [Complaint] {
        var q = db.select().columns("*").from("complaints")
        q = q.where("region_code", under: region)
        if let from { q = q.where("received_on", .greaterThanOrEqual, from) }
        if let to { q = q.where("received_on", .lessThanOrEqual, to) }
        return try await q.orderBy("received_on", .descending).orderBy("number", .descending).all().map(Self.decode)
    }

    /// Writes the complaint's new state if it is still at its version; false when changed meanwhile.
    public func update(_ c: Complaint, expectedVersion: Int) async throws -> Bool {
        !(try await db.update("complaints").set("assigned_unit", to: c.assignedUnit).set("deadline", to: c.deadline).set(
            "state", to: c.state.rawValue
        )
        .set("school_code", to: c.schoolCode).set("reply", to: c.reply).set("answered_on", to: c.answeredOn).set("called_back_on", to: c.calledBackOn)
        .set("satisfied", to: c.satisfied.map { $0 ? 1 : 0 }).set("reopen_count", to: c.reopenCount).set("rectification_id", to: c.rectificationId)
        .set("key_task_id", to: c.keyTaskId).set("version", to: expectedVersion + 1).where("id", .equal, c.id).where(
            "version", .equal, expectedVersion
        )
        .returning("id").all()).isEmpty
    }

    public struct Event: Sendable, Hashable {
        public var at: String
        public var actor: String
        public var action: String
        public var note: String
    }

    public func record(_ complaintId: String, action: String, note: String, by actor: String, at now: String) async throws {
        let row = try await db.select().column(SQLFunction("MAX", args: SQLColumn("seq")), as: "m").from("complaint_events")
            .where("complaint_id", .equal, complaintId).first()
        let seq = (try row?.decode(column: "m", as: Int?.self) ?? 0) + 1
        try await db.insert(into: "complaint_events").columns("complaint_id", "seq", "at", "actor", "action", "note")
            .values(complaintId, seq, now, actor, action, note).run()
    }

    public func events(_ complaintId: String) async throws -> [Event] {
        try await db.select().columns("*").from("complaint_events").where("complaint_id", .equal, complaintId).orderBy("seq").all().map { row in
            Event(
                at: try row.decode(column: "at", as: String.self), actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self), note: try row.decode(column: "note", as: String.self))
        }
    }

    static func decode(_ row: any SQLRow) throws -> Complaint {
        var c = Complaint(
            id: try row.decode(column: "id", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            number: try row.decode(column: "number", as: String.self),
            source: try row.decode(ComplaintSource.self, column: "source", table: "complaints"),
            receivedOn: try row.decode(column: "received_on", as: String.self), complainant: try row.decode(column: "complainant", as: String.self),
            phone: try row.decode(column: "phone", as: String.self), content: try row.decode(column: "content", as: String.self),
            schoolCode: try row.decode(column: "school_code", as: String?.self))
        c.assignedUnit = try row.decode(column: "assigned_unit", as: String?.self)
        c.deadline = try row.decode(column: "deadline", as: String?.self)
        c.state = try row.decode(ComplaintState.self, column: "state", table: "complaints")
        c.reply = try row.decode(column: "reply", as: String?.self)
        c.answeredOn = try row.decode(column: "answered_on", as: String?.self)
        c.calledBackOn = try row.decode(column: "called_back_on", as: String?.self)
        c.satisfied = try row.decode(column: "satisfied", as: Int?.self).map { $0 != 0 }
        c.reopenCount = try row.decode(column: "reopen_count", as: Int.self)
        c.rectificationId = try row.decode(column: "rectification_id", as: String?.self)
        c.keyTaskId = try row.decode(column: "key_task_id", as: String?.self)
        c.version = try row.decode(column: "version", as: Int.self)
        return c
    }
}
