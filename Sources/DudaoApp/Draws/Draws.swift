import DudaoCore
import DudaoStore

/// 双随机 draws: storing one (`SaveDraw`) and publishing it (`PublishDraw`), each with its
/// audit entry in one transaction.
public struct Draws: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public func save(region: String, title: String, draw: RandomDraw, by actor: String) async throws -> String {
        try await services.transaction { tx, now in
            try await InspectorRepository(tx).saveDraw(region: region, title: title, draw: draw, by: actor, at: now.timestamp)
        }
    }

    public func publish(_ id: String, region: String, by actor: String) async throws {
        try await services.transaction { tx, now in
            try await InspectorRepository(tx).publishDraw(id, by: actor, region: region, at: now.timestamp)
        }
    }
}
