import DudaoApp
import DudaoCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SnapshotTesting
import Testing

@testable import DudaoWeb

/// Rendered pages as reviewed text: a layout change shows as a diff of the snapshot under
/// __Snapshots__/. The clock is fixed; tokens, ids and stored times are replaced by names.
/// To accept a deliberate change, delete the snapshot file and run the test again.
@Suite("Page snapshots", .serialized)
struct PageSnapshotTests {
    static let clock = FixedClock(day: "2026-11-24")

    static func normalized(_ html: String, _ auth: TestAuth) -> String {
        var text = html
        for (user, session) in auth.sessions { text = text.replacingOccurrences(of: session.csrfToken, with: "CSRF-\(user)") }
        text = text.replacing(/name="csrf" value="[0-9a-f]{64}"/, with: "name=\"csrf\" value=\"LOGIN-CSRF\"")
        text = text.replacing(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, with: "UUID")
        text = text.replacing(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, with: "STORED-TIME")
        return text
    }

    final class Box: @unchecked Sendable { var text = "" }

    func page(_ uri: String, as user: String?) async throws -> String {
        let box = Box()
        try await withDemoApp(clock: Self.clock) { client, auth in
            let headers: HTTPFields = user.map { auth.cookie($0) } ?? [:]
            let r = try await client.execute(uri: uri, method: .get, headers: headers)
            #expect(r.status == .ok)
            box.text = Self.normalized(r.text, auth)
        }
        return box.text
    }

    @Test func countyPage() async throws {
        let html = try await page("/regions/411081?year=2024", as: "yuzhou")
        assertSnapshot(of: html, as: .lines, named: "county-411081")
    }

    @Test func schoolPage() async throws {
        let html = try await page("/schools/1411081001", as: "yuzhou")
        assertSnapshot(of: html, as: .lines, named: "school-1411081001")
    }

    @Test func supervisionPage() async throws {
        let html = try await page("/regions/411081/supervision?month=2026-11", as: "yuzhou")
        assertSnapshot(of: html, as: .lines, named: "supervision-411081")
    }

    @Test func bulletinPage() async throws {
        let html = try await page("/regions/4110/bulletin?from=2026-09-01&to=2026-11-24", as: "xuchang")
        assertSnapshot(of: html, as: .lines, named: "bulletin-4110")
    }

    @Test func loginPage() async throws {
        let html = try await page("/login?lang=en", as: nil)
        assertSnapshot(of: html, as: .lines, named: "login-en")
    }
}
