import DudaoCore
import DudaoStore

/// Working a rectification case (use case `ActOnRectification`): one transition, its version
/// check and its audit entry in one transaction.
public struct Rectifications: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    @discardableResult
    public func act(_ action: RectificationAction, id: String, expectedVersion: Int, by actor: Identity) async throws -> RectificationCase {
        try await services.transaction { tx, now in
            try await RectificationRepository(tx).apply(
                action, id: id, expectedVersion: expectedVersion, by: actor, today: now.today, at: now.timestamp)
        }
    }

    /// Opens a case outside a visit (demo data, later: key tasks).
    public func open(_ c: RectificationCase, visitId: String?, by actor: String) async throws {
        try await services.transaction { tx, now in
            try await RectificationRepository(tx).open(c, visitId: visitId, by: actor, at: now.timestamp)
        }
    }
}
