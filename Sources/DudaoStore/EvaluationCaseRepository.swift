import DudaoCore
import Foundation
import SQLKit

/// One county's evaluation moving through the chain (SPEC §4.2).
public struct EvaluationCase: Sendable, Hashable, Codable {
    public var id: String
    public var regionCode: String
    public var year: Int
    public var programmeId: String
    public var step: EvaluationStep
    public var noticeEndsOn: String?
    public var version: Int
    public var createdBy: String
    public var createdAt: String
}

/// A recorded step with the result it judged, frozen as JSON.
public struct EvaluationStepRecord: Sendable, Hashable, Codable {
    public var seq: Int
    public var step: EvaluationStep
    public var action: String
    public var actor: String
    public var at: String
    public var comment: String?
    public var passed: Bool
    public var snapshot: String
    /// JSON array of the return rows judged: {school_code, year, stage, values}.
    public var inputs: String
}

public struct EvaluationCaseRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// Starts a county's self-evaluation, freezing the result as computed now (the use case has
    /// asked `Identity.canStartEvaluation` before computing it).
    public func start(
        county: String, year: Int, programmeId: String, by actor: Identity, passed: Bool, snapshot: String, at now: String
    ) async throws
        -> EvaluationCase
    {
        let c = EvaluationCase(
            id: UUID().uuidString.lowercased(), regionCode: county, year: year, programmeId: programmeId,
            step: .selfEvaluation, noticeEndsOn: nil, version: 1, createdBy: actor.username, createdAt: now)
        try await db.insert(into: "evaluation_cases")
            .columns("id", "region_code", "year", "programme_id", "step", "notice_ends_on", "version", "created_by", "created_at")
            .values(c.id, c.regionCode, c.year, c.programmeId, c.step.rawValue, c.noticeEndsOn, c.version, c.createdBy, c.createdAt).run()
        try await Self.recordStep(
            db, case: c, seq: 1, action: "start", actor: actor.username, comment: nil, passed: passed, snapshot: snapshot, at: now)
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor.username, action: "start", objectType: "evaluation", objectId: c.id,
                oldValue: nil, newValue: "\(programmeId) \(year) \(passed ? "passed" : "failed")", regionCode: county)
        ])
        return c
    }

    public func find(_ id: String) async throws -> EvaluationCase? {
        try await db.select().columns("*").from("evaluation_cases").where("id", .equal, id).first().map(Self.decode)
    }

    /// Cases of counties in a region's subtree.
    public func list(under region: String) async throws -> [EvaluationCase] {
        try await db.select().columns("*").from("evaluation_cases").where("region_code", under: region)
            .orderBy("created_at", .descending).all().map(Self.decode)
    }

    /// Cases on public notice or certified, for the public page.
    public func publicCases() async throws -> [EvaluationCase] {
        try await db.select().columns("*").from("evaluation_cases")
            .where("step", .in, [EvaluationStep.publicNotice.rawValue, EvaluationStep.certified.rawValue])
            .orderBy("created_at", .descending).all().map(Self.decode)
    }

    public func steps(_ caseId: String) async throws -> [EvaluationStepRecord] {
        try await db.select().columns("*").from("evaluation_steps").where("case_id", .equal, caseId).orderBy("seq").all().map { row in
            EvaluationStepRecord(
                seq: try row.decode(column: "seq", as: Int.self),
                step: try row.decode(EvaluationStep.self, column: "step", table: "evaluation_steps"),
                action: try row.decode(column: "action", as: String.self), actor: try row.decode(column: "actor", as: String.self),
                at: try row.decode(column: "at", as: String.self), comment: try row.decode(column: "comment", as: String?.self),
                passed: try row.decode(column: "passed", as: Bool.self), snapshot: try row.decode(column: "snapshot", as: String.self),
                inputs: try row.decode(column: "inputs", as: String.self))
        }
    }

    /// Moves the case, freezing the result the actor judged. `expectedVersion` guards against
    /// two reviewers acting on the same case at once.
    public func act(
        _ action: EvaluationAction, caseId: String, expectedVersion: Int, by actor: Identity, today: String,
        passed: Bool, snapshot: String, at now: String
    ) async throws -> EvaluationCase {
        guard let c = try await db.select().columns("*").from("evaluation_cases").where("id", .equal, caseId).first().map(Self.decode) else {
            throw ReviewRefusal(code: "unknown_unit", zh: "未找到评估", en: "no such evaluation")
        }
        let next = try EvaluationChain.apply(action, at: c.step, county: c.regionCode, noticeEndsOn: c.noticeEndsOn, by: actor, today: today)
        let updated = try await db.update("evaluation_cases").set("step", to: next.step.rawValue).set("notice_ends_on", to: next.noticeEndsOn)
            .set("version", to: expectedVersion + 1).where("id", .equal, caseId).where("version", .equal, expectedVersion)
            .returning("version").all()
        guard updated.count == 1 else {
            throw ReviewRefusal(code: "version_conflict", zh: "该评估已被他人处理，请刷新", en: "someone else acted on this evaluation; reload")
        }
        let seq =
            (try await db.select().column("seq").from("evaluation_steps").where("case_id", .equal, caseId).all()
                .map { try $0.decode(column: "seq", as: Int.self) }.max() ?? 0) + 1
        let (name, comment): (String, String) =
            switch action {
            case .forward(let comment, _): ("forward", comment)
            case .sendBack(let comment): ("send_back", comment)
            }
        try await Self.recordStep(
            db, case: c, seq: seq, action: name, actor: actor.username, comment: comment, passed: passed, snapshot: snapshot, at: now)
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor.username, action: name, objectType: "evaluation",
                objectId: caseId, oldValue: c.step.rawValue,
                newValue: next.step.rawValue + (comment.isEmpty ? "" : " | \(comment)"), regionCode: c.regionCode)
        ])
        var out = c
        out.step = next.step
        out.noticeEndsOn = next.noticeEndsOn
        out.version = expectedVersion + 1
        return out
    }

    static func recordStep(
        _ db: any SQLDatabase, case c: EvaluationCase, seq: Int, action: String, actor: String, comment: String?,
        passed: Bool, snapshot: String, at now: String
    ) async throws {
        let inputs = try await frozenInputs(db, county: c.regionCode, year: c.year)
        try await db.insert(into: "evaluation_steps")
            .columns("id", "case_id", "seq", "step", "action", "actor", "at", "comment", "passed", "snapshot", "inputs")
            .values(UUID().uuidString, c.id, seq, c.step.rawValue, action, actor, now, comment, passed, snapshot, inputs).run()
    }

    /// The county's return rows for the year, read inside the step's transaction.
    static func frozenInputs(_ db: any SQLDatabase, county: String, year: Int) async throws -> String {
        struct Row: Encodable { var school_code: String; var year: Int; var stage: String; var values: [String: Double] }
        let rows = try await ReturnRepository(db).rows(under: county, year: year).map {
            Row(
                school_code: $0.schoolCode, year: $0.year, stage: ReturnColumnsSQL.stageText($0.stage),
                values: Dictionary(uniqueKeysWithValues: $0.values.map { ($0.key.rawValue, $0.value) }))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(rows), as: UTF8.self)
    }

    static func decode(_ row: any SQLRow) throws -> EvaluationCase {
        EvaluationCase(
            id: try row.decode(column: "id", as: String.self), regionCode: try row.decode(column: "region_code", as: String.self),
            year: try row.decode(column: "year", as: Int.self), programmeId: try row.decode(column: "programme_id", as: String.self),
            step: try row.decode(EvaluationStep.self, column: "step", table: "evaluation_cases"),
            noticeEndsOn: try row.decode(column: "notice_ends_on", as: String?.self), version: try row.decode(column: "version", as: Int.self),
            createdBy: try row.decode(column: "created_by", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self))
    }
}
