import DudaoCore
import Foundation
import SQLKit

/// Rectification cases (整改) and their transitions with a version check and an audit entry.
/// Writes run on the database it is given: the use case's transaction (DudaoApp).
public struct RectificationRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// Opens a case with its audit entry.
    public func open(_ c: RectificationCase, visitId: String?, by actor: String, at now: String) async throws {
        try await db.insert(into: "rectifications")
            .columns(
                "id", "visit_id", "school_code", "county_code", "category", "description", "assigned_unit", "responsible_person",
                "deadline", "state", "opened_on", "closed_on", "reopen_count", "version"
            )
            .values(
                c.id, visitId, c.schoolCode, c.countyCode, c.category, c.description, c.assignedUnit, c.responsiblePerson,
                c.deadline, c.state.rawValue, c.openedOn, c.closedOn, c.reopenCount, 1
            ).run()
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: "open", objectType: "rectification", objectId: c.id,
                oldValue: nil, newValue: "\(c.category): \(c.description); deadline \(c.deadline)", regionCode: c.countyCode)
        ])
        // Overdue cases count on score sheets (annual assessment).
        try await DataVersions(db).bump([c.countyCode], at: now)
    }

    public func find(_ id: String) async throws -> (case: RectificationCase, version: Int)? {
        try await db.select().columns("*").from("rectifications").where("id", .equal, id).first().map {
            (try Self.decode($0), try $0.decode(column: "version", as: Int.self))
        }
    }

    public func list(under region: String, school: String? = nil) async throws -> [RectificationCase] {
        var q = db.select().columns("*").from("rectifications").where("county_code", .like, region + "%")
        if let school { q = q.where("school_code", .equal, school) }
        return try await q.orderBy("opened_on", .descending).orderBy("id").all().map(Self.decode)
    }

    /// Stores a transition the use case has decided (`current` → `next` by `RectificationRules`)
    /// if the case still has `expectedVersion`, with its audit entry.
    public func update(
        _ action: RectificationAction, from current: RectificationCase, to next: RectificationCase, expectedVersion: Int, by actor: String,
        at now: String
    ) async throws {
        let updated = try await db.update("rectifications").set("state", to: next.state.rawValue).set("closed_on", to: next.closedOn)
            .set("reopen_count", to: next.reopenCount).set("version", to: expectedVersion + 1)
            .where("id", .equal, current.id).where("version", .equal, expectedVersion).returning("version").all()
        guard updated.count == 1 else {
            throw ReviewRefusal(code: "version_conflict", zh: "该事项已被他人处理，请刷新", en: "someone else changed this case; reload")
        }
        let note: String =
            switch action {
            case .start: ""
            case .submitEvidence(let n), .verify(let n): n
            case .returnEvidence(let r), .reopen(let r): r
            }
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: Self.name(action), objectType: "rectification",
                objectId: current.id, oldValue: current.state.rawValue,
                newValue: next.state.rawValue + (note.isEmpty ? "" : " | \(note)"), regionCode: current.countyCode)
        ])
        try await DataVersions(db).bump([current.countyCode], at: now)
    }

    static func name(_ a: RectificationAction) -> String {
        switch a {
        case .start: "start"
        case .submitEvidence: "submit_evidence"
        case .verify: "verify"
        case .returnEvidence: "return_evidence"
        case .reopen: "reopen"
        }
    }

    static func decode(_ row: any SQLRow) throws -> RectificationCase {
        var c = RectificationCase(
            id: try row.decode(column: "id", as: String.self), schoolCode: try row.decode(column: "school_code", as: String.self),
            countyCode: try row.decode(column: "county_code", as: String.self), category: try row.decode(column: "category", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            assignedUnit: try row.decode(column: "assigned_unit", as: String.self),
            responsiblePerson: try row.decode(column: "responsible_person", as: String.self),
            deadline: try row.decode(column: "deadline", as: String.self),
            openedOn: try row.decode(column: "opened_on", as: String.self))
        c.state = try row.decode(RectificationState.self, column: "state", table: "rectifications")
        c.closedOn = try row.decode(column: "closed_on", as: String?.self)
        c.reopenCount = try row.decode(column: "reopen_count", as: Int.self)
        return c
    }
}
