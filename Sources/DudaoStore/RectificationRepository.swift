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
        try await DataVersions(db, .supervision).bump([c.countyCode], at: now)
    }

    public func find(_ id: String) async throws -> (case: RectificationCase, version: Int)? {
        try await db.select().columns("*").from("rectifications").where("id", .equal, id).first().map {
            (try Self.decode($0), try $0.decode(column: "version", as: Int.self))
        }
    }

    /// Cases of the subtree (of one school, in one state), newest first; a page of them with `limit`.
    public func list(
        under region: String, school: String? = nil, state: RectificationState? = nil, limit: Int? = nil, offset: Int = 0
    ) async throws -> [RectificationCase] {
        var q = db.select().columns("*").from("rectifications").where("county_code", under: region)
        if let school { q = q.where("school_code", .equal, school) }
        if let state { q = q.where("state", .equal, state.rawValue) }
        q = q.orderBy("opened_on", .descending).orderBy("id")
        if let limit { q = q.limit(limit).offset(offset) }
        return try await q.all().map(Self.decode)
    }

    /// How many cases of the subtree are in each state now (from the index, no rows read).
    public func countByState(under region: String) async throws -> [RectificationState: Int] {
        var out: [RectificationState: Int] = [:]
        for row in try await db.select().column("state").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("rectifications")
            .where("county_code", under: region).groupBy("state").all()
        {
            out[try row.decode(RectificationState.self, column: "state", table: "rectifications")] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// The two rates of the subtree's cases as of `asOf` (`RectificationRates`), counted by the database.
    public func rates(under region: String, asOf: String) async throws -> RectificationRates {
        let row = try await Self.rateColumns(db.select(), asOf: asOf).from("rectifications").where("county_code", under: region)
            .where("opened_on", .lessThanOrEqual, asOf).first()
        return try row.map(Self.rates) ?? RectificationRates([], asOf: asOf)
    }

    /// The two rates as of `asOf` per responsible inspector of the cases' schools ("" for
    /// schools without one), counted by the database.
    public func ratesByInspector(under region: String, asOf: String) async throws -> [String: RectificationRates] {
        let q = Self.rateColumns(
            db.select().column(SQLFunction("COALESCE", args: SQLColumn("inspector_id", table: "r"), SQLLiteral.string("")), as: "inspector"),
            asOf: asOf
        )
        .from(SQLAlias(SQLIdentifier("rectifications"), as: SQLIdentifier("c")))
        .join(
            SQLAlias(SQLIdentifier("responsibilities"), as: SQLIdentifier("r")), method: SQLJoinMethod.left,
            on: SQLColumn("school_code", table: "r"), .equal, SQLColumn("school_code", table: "c")
        )
        .where(SQLColumn("county_code", table: "c"), under: region).where(SQLColumn("opened_on", table: "c"), .lessThanOrEqual, SQLBind(asOf))
        .groupBy(SQLQueryString("1"))
        var out: [String: RectificationRates] = [:]
        for row in try await q.all() { out[try row.decode(column: "inspector", as: String.self)] = try Self.rates(row) }
        return out
    }

    /// COUNT and the closed, closed-on-time and overdue counts as of `asOf` of a group's cases,
    /// as `RectificationRates` counts them (columns n, closed, on_time, overdue).
    static func rateColumns(_ q: SQLSelectBuilder, asOf: String) -> SQLSelectBuilder {
        let closedThen = closedBy(asOf)
        return q.column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLQueryString("SUM(CASE WHEN \(closedThen) THEN 1 ELSE 0 END)"), as: "closed")
            .column(SQLQueryString("SUM(CASE WHEN \(closedThen) AND closed_on <= deadline THEN 1 ELSE 0 END)"), as: "on_time")
            .column(SQLQueryString("SUM(CASE WHEN NOT \(closedThen) AND deadline < \(bind: asOf) THEN 1 ELSE 0 END)"), as: "overdue")
    }

    static func closedBy(_ day: String) -> SQLQueryString { "(closed_on IS NOT NULL AND closed_on <= \(bind: day))" }

    static func rates(_ row: any SQLRow) throws -> RectificationRates {
        var r = RectificationRates([], asOf: "")
        r.total = try row.decode(column: "n", as: Int.self)
        r.closed = try row.decode(column: "closed", as: Int?.self) ?? 0
        r.closedOnTime = try row.decode(column: "on_time", as: Int?.self) ?? 0
        r.overdue = try row.decode(column: "overdue", as: Int?.self) ?? 0
        return r
    }

    /// Each county's bulletin tally for a period (`Bulletin.Tally`), counted by the database:
    /// signed visits and schools visited from `visits`, cases opened in the period from
    /// `rectifications` by category and by state as of `to`, with their rates as of `to`. Two
    /// grouped queries over the period's rows (indexes `visits_county_date`,
    /// `rectifications_county_opened`) instead of every case of the region read into memory.
    public func bulletinTallies(under region: String, from: String, to: String) async throws -> [String: Bulletin.Tally] {
        var tallies: [String: Bulletin.Tally] = [:]
        let visits = try await db.select().column("county_code").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "visits")
            .column(SQLQueryString("COUNT(DISTINCT school_code)"), as: "schools").from("visits").where("county_code", under: region)
            .where("visit_date", .greaterThanOrEqual, from).where("visit_date", .lessThanOrEqual, to)
            .where("status", .equal, VisitStatus.signed.rawValue).groupBy("county_code").all()
        for row in visits {
            let county = try row.decode(column: "county_code", as: String.self)
            var t = Bulletin.Tally(county: county)
            t.visits = try row.decode(column: "visits", as: Int.self)
            t.schoolsVisited = try row.decode(column: "schools", as: Int.self)
            tallies[county] = t
        }
        // The state as of `to`: a case closed after it was still open then (as `Bulletin.Tally.count`).
        let stateThen: SQLQueryString =
            "CASE WHEN state = \(bind: RectificationState.closed.rawValue) AND NOT \(Self.closedBy(to)) THEN \(bind: RectificationState.inProgress.rawValue) ELSE state END"
        let cases = try await Self.rateColumns(db.select().column("county_code").column("category").column(stateThen, as: "state_then"), asOf: to)
            .from("rectifications").where("county_code", under: region)
            .where("opened_on", .greaterThanOrEqual, from).where("opened_on", .lessThanOrEqual, to)
            .groupBy("county_code").groupBy("category").groupBy(SQLQueryString("3")).all()
        for row in cases {
            let county = try row.decode(column: "county_code", as: String.self)
            var part = Bulletin.Tally(county: county)
            part.rates = try Self.rates(row)
            part.byCategory[try row.decode(column: "category", as: String.self)] = part.rates.total
            part.byState[try row.decode(RectificationState.self, column: "state_then", table: "rectifications")] = part.rates.total
            tallies[county, default: Bulletin.Tally(county: county)].add(part)
        }
        return tallies
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
        try await DataVersions(db, .supervision).bump([current.countyCode], at: now)
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
