import DudaoCore
import DudaoStore
import Foundation

/// The evaluation chain as pages and API use it: every step freezes the county's result as
/// computed at that moment (in the stable JSON shape), and the latest frozen result can be
/// compared with a recomputation.
struct EvaluationCases: Sendable {
    let database: Database

    /// The county's result as computed now; nil when the county has no returns for the year.
    func compute(county: String, year: Int, programme: String) async throws -> CountyEvaluationDTO? {
        guard case .county(let e) = try await EvaluationService(database.sql).evaluate(region: county, year: year, programme: programme) else { return nil }
        return CountyEvaluationDTO(e)
    }

    /// Starts a county's self-evaluation; nil when there is nothing to evaluate.
    func start(county: String, year: Int, programme: String, by actor: Identity) async throws -> EvaluationCase? {
        guard let dto = try await compute(county: county, year: year, programme: programme) else { return nil }
        return try await EvaluationCaseRepository(database).start(county: county, year: year, programmeId: dto.programme.id, by: actor,
                                                                  passed: dto.passed, snapshot: SnapshotDiff.encode(dto))
    }

    /// Moves the case one step, freezing the result judged; nil when the county's returns are gone.
    func act(_ action: EvaluationAction, on c: EvaluationCase, expectedVersion: Int, by actor: Identity) async throws -> EvaluationCase? {
        guard let dto = try await compute(county: c.regionCode, year: c.year, programme: c.programmeId) else { return nil }
        return try await EvaluationCaseRepository(database).act(action, caseId: c.id, expectedVersion: expectedVersion, by: actor,
                                                                today: Today.iso(), passed: dto.passed, snapshot: SnapshotDiff.encode(dto))
    }

    /// What differs between the latest frozen result and a recomputation now.
    func changes(_ c: EvaluationCase, steps: [EvaluationStepRecord]) async throws -> SnapshotDiff? {
        guard let frozen = steps.last.flatMap({ SnapshotDiff.decode($0.snapshot) }),
              let now = try await compute(county: c.regionCode, year: c.year, programme: c.programmeId) else { return nil }
        return SnapshotDiff.between(frozen, now)
    }
}
