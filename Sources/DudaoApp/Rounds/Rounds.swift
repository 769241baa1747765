import DudaoCore
import DudaoStore

/// Reporting rounds: opening one (`OpenRound`) and each review step (`ActOnRound`), each in
/// one transaction with its audit entry.
public struct Rounds: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public func open(year: Int, title: String, by actor: Identity, only: [String]? = nil) async throws -> Round {
        try await services.transaction { tx, now in
            try await RoundRepository(tx).open(year: year, title: title, by: actor, only: only, at: now.timestamp)
        }
    }

    @discardableResult
    public func act(_ action: ReviewAction, round: Round, by actor: Identity) async throws -> RoundSnapshot {
        try await services.transaction { tx, now in
            try await RoundRepository(tx).apply(action, round: round, by: actor, at: now.timestamp)
        }
    }
}
