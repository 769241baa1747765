import DudaoCore
import DudaoStore
import Foundation

/// Reporting rounds: opening one (`OpenRound`) and each review step (`ActOnRound`), each in
/// one transaction with its audit entry. Who may act is asked here (`Identity`, `ReviewChain`);
/// `RoundRepository` only stores what was decided.
public struct Rounds: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// Opens a round for every school registered under the office's region (or the listed
    /// ones, which must lie in it). Schools that already have returns for the year start as drafts.
    public func open(year: Int, title: String, by actor: Identity, only: [String]? = nil) async throws -> Round {
        guard actor.isOfficeStaff else { throw ReviewRefusal(code: "not_allowed", zh: "只有督导办可以发起填报", en: "only offices open rounds") }
        return try await services.transaction { tx, now in
            var schools = try await SchoolRepository(tx).list(under: actor.regionCode)
            if let only, !only.isEmpty {
                let wanted = Set(only)
                schools = schools.filter { wanted.contains($0.code) }
                let unknown = wanted.subtracting(schools.map(\.code)).sorted()
                guard unknown.isEmpty else {
                    throw ReviewRefusal(
                        code: "unknown_unit", zh: "不在本地区的学校：\(unknown.joined(separator: "、"))",
                        en: "schools not in this region: \(unknown.joined(separator: ", "))")
                }
            }
            let withData = Set(try await ReturnRepository(tx).rows(under: actor.regionCode, year: year).map(\.schoolCode))
            let round = Round(
                id: UUID().uuidString.lowercased(), year: year, regionCode: actor.regionCode, title: title,
                openedBy: actor.username, openedAt: now.timestamp)
            try await RoundRepository(tx).insert(
                round, schools: schools.map { ($0, withData.contains($0.code) ? .draft : .notStarted) }, by: actor.username)
            return round
        }
    }

    /// One review step, checked by `ReviewChain` against the round as stored in this transaction.
    @discardableResult
    public func act(_ action: ReviewAction, round: Round, by actor: Identity) async throws -> RoundSnapshot {
        try await services.transaction { tx, now in
            let rounds = RoundRepository(tx)
            let before = try await rounds.snapshot(round)
            var hasData = true
            if case .submit(let school) = action {
                hasData = !(try await ReturnRepository(tx).existing(schools: [school], years: [round.year]).isEmpty)
            }
            let after = try ReviewChain.apply(action, by: actor, to: before, schoolHasData: hasData)
            try await rounds.record(action, round: round, before: before, after: after, by: actor.username, at: now.timestamp)
            return after
        }
    }
}
