import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting

@testable import DudaoWeb

/// Runs `body` against the application over a fresh database holding the demo data.
func withDemoApp(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    try await TestDatabase.with { db in
        for year in [2023, 2024] {
            let records = DemoCounty.records().filter { $0.data.year == year }
            _ = try await ReturnImporter(database: db).run(ReturnBatch(source: "demo", records: records, issues: [], columnNames: [:]), actor: "test")
        }
        let state = AppState(database: db, renderer: try await Renderer.load())
        let app = Application(router: buildRouter(state))
        try await app.test(.router, body)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed]) }
}
