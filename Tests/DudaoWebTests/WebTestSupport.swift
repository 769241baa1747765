import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

@testable import DudaoWeb

/// Signed-in callers for tests: a session cookie (with its CSRF token) or an API token per
/// demo account.
struct TestAuth: Sendable {
    var sessions: [String: UserRepository.Session]
    var tokens: [String: String]

    func cookie(_ username: String) -> HTTPFields {
        [.cookie: "\(SessionCookie.name)=\(sessions[username]!.token)"]
    }

    func csrf(_ username: String) -> String { sessions[username]!.csrfToken }

    func bearer(_ username: String) -> HTTPFields {
        [.authorization: "Bearer \(tokens[username]!)", .contentType: "application/json"]
    }
}

/// Runs `body` against the application over a fresh database holding the demo data and the
/// demo accounts (bcrypt cost 4 to keep tests fast).
func withDemoApp(_ body: @escaping @Sendable (any TestClientProtocol, TestAuth) async throws -> Void) async throws {
    try await TestDatabase.with { db in
        for year in [2023, 2024] {
            let records = DemoCounty.records().filter { $0.data.year == year }
            _ = try await ReturnImporter(database: db).run(ReturnBatch(source: "demo", records: records, issues: [], columnNames: [:]), actor: "test")
        }
        // The demo's inspectors, visits and rectification cases (as `dudao demo` loads them).
        let schools = try await SchoolRepository(db.sql).list(under: DemoCounty.mainCounty)
        let supervision = DemoSupervision.make(schools: schools, county: DemoCounty.mainCounty)
        try await InspectorRepository(db.sql).upsert(supervision.inspectors, usernames: [supervision.inspectors[0].id: "inspector"])
        try await InspectorRepository(db.sql).assign(supervision.responsibility, since: "2026-09-01")
        try await VisitRepository(db.sql).insert(supervision.visits.map {
            VisitRecord(id: $0.id, schoolCode: $0.school, countyCode: DemoCounty.mainCounty, inspectorId: $0.inspector, date: $0.date, kind: $0.kind,
                        checklistId: $0.checklist, answers: "{}", peopleMet: $0.peopleMet, notes: "", location: nil, status: "signed", version: 1)
        })
        for (visit, c) in supervision.cases { try await RectificationRepository(db).open(c, visitId: visit, by: "demo") }
        let users = UserRepository(db.sql, cost: 4)
        var auth = TestAuth(sessions: [:], tokens: [:])
        for a in DemoAccounts.all {
            let identity = try await users.create(username: a.username, displayName: a.name, role: a.role, regionCode: a.region,
                                                  schoolCode: a.school, password: DemoAccounts.password, actor: "test")
            auth.sessions[a.username] = try await users.openSession(for: identity)
            auth.tokens[a.username] = try await users.issueToken(for: identity, name: "test")
        }
        let state = AppState(database: db, renderer: try await Renderer.load())
        let app = Application(router: buildRouter(state))
        let signedIn = auth
        try await TestContext.$database.withValue(db) {
            try await app.test(.router) { client in try await body(client, signedIn) }
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(buffer: body), options: [.fragmentsAllowed]) }
}

func jsonBody(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

/// The database behind the app of the running test, for tests that seed or count rows.
enum TestContext {
    @TaskLocal static var database: Database?
}
