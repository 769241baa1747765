import DudaoCore
import DudaoStore

/// Working a rectification case (use case `ActOnRectification`): one transition decided by
/// `RectificationRules`, its version check and its audit entry in one transaction.
public struct Rectifications: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    @discardableResult
    public func act(_ action: RectificationAction, id: String, expectedVersion: Int, by actor: Identity) async throws -> RectificationCase {
        try await services.transaction { tx, now in
            let cases = RectificationRepository(tx)
            guard let current = try await cases.find(id)?.case else {
                throw ReviewRefusal(code: "unknown_unit", zh: "未找到整改事项", en: "no such case")
            }
            let next = try RectificationRules.apply(action, to: current, by: actor, today: now.today)
            try await cases.update(action, from: current, to: next, expectedVersion: expectedVersion, by: actor.username, at: now.timestamp)
            return next
        }
    }

    /// Opens a case outside a visit (demo data, later: key tasks).
    public func open(_ c: RectificationCase, visitId: String?, by actor: String) async throws {
        try await services.transaction { tx, now in
            try await RectificationRepository(tx).open(c, visitId: visitId, by: actor, at: now.timestamp)
        }
    }
}
