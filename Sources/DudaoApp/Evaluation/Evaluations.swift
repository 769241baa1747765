import DudaoCore
import DudaoStore
import Foundation
import SQLKit

/// A programme part that returns cannot decide, with what completes it (nil: nothing yet).
public struct EvaluationPart: Sendable {
    public var part: Programme.PendingPart
    public var sheet: SheetResult?
    public var survey: SatisfactionResult?

    public init(part: Programme.PendingPart, sheet: SheetResult? = nil, survey: SatisfactionResult? = nil) {
        self.part = part
        self.sheet = sheet
        self.survey = survey
    }
}

/// The evaluation chain (use cases `StartEvaluation`, `ActOnEvaluation`): every step freezes
/// the county's result as computed at that moment (`EvaluationSnapshot`), and the latest
/// frozen result can be compared with a recomputation.
public struct Evaluations: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// The county's result as computed now; nil when the county has no returns for the year.
    /// Includes the programme's scored parts (their sheets as scored now), so every step
    /// freezes the sheets with the computed result.
    public func compute(county: String, year: Int, programme: String) async throws -> CountyEvaluationDTO? {
        guard case .county(let e) = try await EvaluationService(services.reads).evaluate(region: county, year: year, programme: programme) else {
            return nil
        }
        var dto = CountyEvaluationDTO(e)
        dto.complete(with: try await parts(of: e))
        dto.report_measures = try await ScoreRepository(services.reads).measures(region: county, year: year, programme: programme)?.text
        return dto
    }

    /// Each pending part of the programme with what completes it: its sheet's result, or for a
    /// survey part the county's closed satisfaction campaigns of the year.
    public func parts(of e: CountyEvaluation) async throws -> [EvaluationPart] {
        var out: [EvaluationPart] = []
        for part in e.pending {
            if let sheet = ScoreSheet.sheet(programme: e.programme.id, part: part.id) {
                out.append(.init(part: part, sheet: try await services.sheets.result(sheet: sheet, region: e.region.code, year: e.year)))
            } else if part.kind == "survey" {
                out.append(
                    .init(
                        part: part,
                        survey: try await services.surveys.satisfaction(county: e.region.code, year: e.year, threshold: part.threshold ?? 0.85)))
            } else {
                out.append(.init(part: part))
            }
        }
        return out
    }

    /// Starts a county's self-evaluation; nil when there is nothing to evaluate.
    public func start(county: String, year: Int, programme: String, by actor: Identity) async throws -> EvaluationCase? {
        guard actor.canStartEvaluation(county: county) else {
            throw ReviewRefusal(code: "not_allowed", zh: "自评由县级督导办发起", en: "the county office starts its self-evaluation")
        }
        guard let dto = try await compute(county: county, year: year, programme: programme) else { return nil }
        let snapshot = try EvaluationSnapshot.encode(dto)
        let report = try await report(county: county, year: year, programme: programme)?.docx()
        return try await services.transaction { tx, now in
            let c = try await EvaluationCaseRepository(tx).start(
                county: county, year: year, programmeId: dto.programme.id, by: actor,
                passed: dto.passed, snapshot: snapshot, at: now.timestamp)
            try await Self.freeze(report, of: c, on: tx, by: actor.username, at: now.timestamp)
            return c
        }
    }

    /// Moves the case one step, freezing the result judged; nil when the county's returns are gone.
    public func act(_ action: EvaluationAction, on c: EvaluationCase, expectedVersion: Int, by actor: Identity) async throws -> EvaluationCase? {
        guard let dto = try await compute(county: c.regionCode, year: c.year, programme: c.programmeId) else { return nil }
        let snapshot = try EvaluationSnapshot.encode(dto)
        let report = try await report(county: c.regionCode, year: c.year, programme: c.programmeId)?.docx()
        return try await services.transaction { tx, now in
            let moved = try await EvaluationCaseRepository(tx).act(
                action, caseId: c.id, expectedVersion: expectedVersion, by: actor, today: now.today,
                passed: dto.passed, snapshot: snapshot, at: now.timestamp)
            try await Self.freeze(report, of: moved, on: tx, by: actor.username, at: now.timestamp)
            return moved
        }
    }

    /// The self-evaluation report as it stood at a step, kept with the step (attachment
    /// `evaluation_step` / `caseId/seq`), so what each level judged can be read again unchanged.
    static func freeze(_ report: Data?, of c: EvaluationCase, on tx: any SQLDatabase, by actor: String, at now: String) async throws {
        guard let report, let seq = try await EvaluationCaseRepository(tx).steps(c.id).last?.seq else { return }
        _ = try await AttachmentRepository(tx).add(
            objectType: "evaluation_step", objectId: "\(c.id)/\(seq)", filename: "自评报告-\(c.regionCode)-\(c.year)-第\(seq)步.docx",
            contentType: UploadKind.docx.contentType, data: report, by: actor, at: now)
    }

    /// What differs between the latest frozen result and a recomputation now.
    public func changes(_ c: EvaluationCase, steps: [EvaluationStepRecord]) async throws -> SnapshotDiff? {
        guard let last = steps.last, let now = try await compute(county: c.regionCode, year: c.year, programme: c.programmeId) else { return nil }
        return SnapshotDiff.between(try EvaluationSnapshot.decode(last.snapshot), now)
    }
}
