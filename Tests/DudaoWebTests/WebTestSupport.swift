import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

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
/// demo accounts.
func withDemoApp(
    clock: any AppClock = SystemClock(), _ body: @escaping @Sendable (any TestClientProtocol, TestAuth) async throws -> Void
) async throws {
    try await TestDatabase.with { db in
        // The demo exactly as `dudao demo` loads it (bcrypt cost 4 to keep tests fast).
        try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
        let services = Services(database: db, clock: clock, passwordCost: 4)
        var auth = TestAuth(sessions: [:], tokens: [:])
        // Sessions and tokens opened at the app's clock, as signing in would.
        for a in DemoAccounts.all {
            let identity = try #require(try await UserRepository(db.sql).find(username: a.username))
            auth.sessions[a.username] = try await services.accounts.openSession(for: identity)
            auth.tokens[a.username] = try await services.accounts.issueToken(username: a.username, name: "test", days: 365)
        }
        let state = AppState(services: services, renderer: try await Renderer.load())
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

/// POST a JSON body as a demo user (API token).
func post(_ client: any TestClientProtocol, _ auth: TestAuth, _ user: String, _ uri: String, _ body: [String: Any]) async throws -> TestResponse {
    try await client.execute(uri: uri, method: .post, headers: auth.bearer(user), body: jsonBody(body))
}

func jsonBody(_ object: Any) -> ByteBuffer {
    ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: object))
}

/// The database behind the app of the running test, for tests that seed or count rows.
enum TestContext {
    @TaskLocal static var database: Database?
}
