import DudaoCore
import Foundation
import SQLKit

/// A reporting round (数据填报轮次): one school year, the schools under the opening office.
public struct Round: Sendable, Hashable, Codable {
    public var id: String
    public var year: Int
    public var regionCode: String
    public var title: String
    public var openedBy: String
    public var openedAt: String

    public init(id: String, year: Int, regionCode: String, title: String, openedBy: String, openedAt: String) {
        self.id = id
        self.year = year
        self.regionCode = regionCode
        self.title = title
        self.openedBy = openedBy
        self.openedAt = openedAt
    }
}

/// Rounds, their schools' states and approvals, written with their audit entries on the
/// database given (the use case's transaction). Who may act and what a step does is decided
/// by the use case (`Rounds` in DudaoApp) with `ReviewChain`.
public struct RoundRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// Stores a round opened by `actor` over `schools`, each in its starting state, with the
    /// audit entry. Who may open one and which schools it covers is the use case's decision.
    public func insert(_ round: Round, schools: [(school: School, state: SubmissionState)], by actor: String) async throws {
        try await db.insert(into: "rounds").columns("id", "year", "region_code", "title", "opened_by", "opened_at")
            .values(round.id, round.year, round.regionCode, round.title, round.openedBy, round.openedAt).run()
        for chunk in schools.chunked(300) {
            let insert = db.insert(into: "round_schools").columns("round_id", "school_code", "county_code", "state", "updated_at", "updated_by")
            for (school, state) in chunk {
                insert.values(round.id, school.code, school.countyCode, state.rawValue, round.openedAt, actor)
            }
            try await insert.run()
        }
        try await AuditLog(db).record([
            AuditEntry(
                at: round.openedAt, actor: actor, action: "open", objectType: "round",
                objectId: round.id, oldValue: nil, newValue: "\(round.title); year=\(round.year); schools=\(schools.count)",
                regionCode: round.regionCode)
        ])
    }

    public func find(_ id: String) async throws -> Round? {
        try await db.select().columns("*").from("rounds").where("id", .equal, id).first().map(Self.decode)
    }

    /// Rounds that concern the caller: opened above, at or below their region.
    public func list(for actor: Identity) async throws -> [Round] {
        try await db.select().columns("*").from("rounds").orderBy("opened_at", .descending).all().map(Self.decode)
            .filter { Self.concerns($0, actor) }
    }

    public static func concerns(_ round: Round, _ actor: Identity) -> Bool {
        RegionCode.contains(round.regionCode, actor.regionCode) || RegionCode.contains(actor.regionCode, round.regionCode)
    }

    public func snapshot(_ round: Round) async throws -> RoundSnapshot {
        try await Self.snapshotOnly(round, on: db)
    }

    /// Stores one review step the use case has decided (`before` → `after` by `ReviewChain`):
    /// the school's state or the region's approval, and an audit entry with the comment.
    public func record(
        _ action: ReviewAction, round: Round, before: RoundSnapshot, after: RoundSnapshot, by actor: String, at now: String
    )
        async throws
    {
        var entry = AuditEntry(at: now, actor: actor, action: "", objectType: "round", objectId: round.id, oldValue: nil, newValue: nil)
        switch action {
        case .submit(let school), .returnSchool(let school, _):
            let comment: String? = if case .returnSchool(_, let c) = action { c } else { nil }
            guard let state = after.schools[school] else { throw StoreInvariant("school \(school) missing from round \(round.id)") }
            try await db.update("round_schools").set("state", to: state.rawValue).set("updated_at", to: now)
                .set("updated_by", to: actor).set("comment", to: comment)
                .where("round_id", .equal, round.id).where("school_code", .equal, school).run()
            entry.action = comment == nil ? "submit" : "return"
            entry.objectId += "/\(school)"
            entry.oldValue = before.schools[school]?.rawValue
            entry.newValue = state.rawValue + (comment.map { " | \($0)" } ?? "")
            entry.regionCode = before.counties[school]
        case .approve(let region):
            try await db.insert(into: "round_approvals").columns("round_id", "region_code", "approved_by", "approved_at")
                .values(round.id, region, actor, now).run()
            entry.action = "approve"
            entry.objectId += "/\(region)"
            entry.newValue = "approved"
            entry.regionCode = region
        case .returnRegion(let region, let comment):
            try await db.delete(from: "round_approvals").where("round_id", .equal, round.id).where("region_code", .equal, region).run()
            entry.action = "return"
            entry.objectId += "/\(region)"
            entry.oldValue = "approved"
            entry.newValue = "returned | \(comment)"
            entry.regionCode = region
        }
        try await AuditLog(db).record([entry])
    }

    /// Why a school's returns for a year cannot be edited now (submitted or approved in a
    /// round), or nil. Used inside the edit's transaction.
    public static func lockReason(year: Int, school: String, on db: any SQLDatabase) async throws -> String? {
        let ids = try await db.select().column("round_id").from("round_schools").where("school_code", .equal, school).all()
            .map { try $0.decode(column: "round_id", as: String.self) }
        guard !ids.isEmpty else { return nil }
        let rounds = try await db.select().columns("*").from("rounds").where("id", .in, ids).where("year", .equal, year).all().map(Self.decode)
        for round in rounds {
            let snapshot = try await RoundRepository.snapshotOnly(round, on: db)
            if let lock = snapshot.lockingApproval(school: school) {
                return "「\(round.title)」中 \(lock) 已审核通过，数据已锁定 / locked: \(lock) approved in round \(round.title)"
            }
            if snapshot.schools[school] == .submitted {
                return "「\(round.title)」中已上报，数据已锁定 / locked: submitted in round \(round.title)"
            }
        }
        return nil
    }

    /// Why a county's facts for a year cannot be edited now (approved at its level or above in a
    /// round of that year), or nil.
    public static func countyLockReason(year: Int, county: String, on db: any SQLDatabase) async throws -> String? {
        let rounds = try await db.select().columns("*").from("rounds").where("year", .equal, year).all().map(Self.decode)
            .filter { RegionCode.contains($0.regionCode, county) }
        for round in rounds {
            if let lock = try await RoundRepository.snapshotOnly(round, on: db).lockingApproval(county: county) {
                return "「\(round.title)」中 \(lock) 已审核通过，数据已锁定 / locked: \(lock) approved in round \(round.title)"
            }
        }
        return nil
    }

    static func snapshotOnly(_ round: Round, on db: any SQLDatabase) async throws -> RoundSnapshot {
        var schools: [String: SubmissionState] = [:], counties: [String: String] = [:]
        for row in try await db.select().columns("school_code", "county_code", "state").from("round_schools").where("round_id", .equal, round.id)
            .all()
        {
            let code = try row.decode(column: "school_code", as: String.self)
            schools[code] = try row.decode(SubmissionState.self, column: "state", table: "round_schools")
            counties[code] = try row.decode(column: "county_code", as: String.self)
        }
        let approved = Set(
            try await db.select().column("region_code").from("round_approvals").where("round_id", .equal, round.id).all()
                .map { try $0.decode(column: "region_code", as: String.self) })
        return RoundSnapshot(regionCode: round.regionCode, schools: schools, counties: counties, approved: approved)
    }

    /// A school that gets data entered moves from not started to draft.
    public static func markDraft(year: Int, school: String, by actor: String, at now: String, on db: any SQLDatabase) async throws {
        let ids = try await db.select().column("id").from("rounds").where("year", .equal, year).all().map {
            try $0.decode(column: "id", as: String.self)
        }
        guard !ids.isEmpty else { return }
        try await db.update("round_schools").set("state", to: SubmissionState.draft.rawValue).set("updated_at", to: now)
            .set("updated_by", to: actor)
            .where("school_code", .equal, school).where("round_id", .in, ids).where("state", .equal, SubmissionState.notStarted.rawValue).run()
    }

    static func decode(_ row: any SQLRow) throws -> Round {
        Round(
            id: try row.decode(column: "id", as: String.self), year: try row.decode(column: "year", as: Int.self),
            regionCode: try row.decode(column: "region_code", as: String.self), title: try row.decode(column: "title", as: String.self),
            openedBy: try row.decode(column: "opened_by", as: String.self), openedAt: try row.decode(column: "opened_at", as: String.self))
    }
}
