import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

@Suite("Editing a return with its version")
struct ReturnEditTests {
    static let uri = "/api/v1/schools/1411081001/returns/2024/primary"

    func put(
        _ client: any TestClientProtocol, _ auth: TestAuth, as user: String = "yuzhou", uri: String = ReturnEditTests.uri,
        _ body: [String: Any]
    ) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .put, headers: auth.bearer(user), body: jsonBody(body))
    }

    func stored(_ client: any TestClientProtocol, _ auth: TestAuth) async throws -> (version: Int, values: [String: Double]) {
        try await client.execute(uri: "/api/v1/schools/1411081001", method: .get, headers: auth.bearer("admin")) { r in
            let json = try #require(try r.json() as? [String: Any])
            let row = try #require((json["returns"] as? [[String: Any]])?.first { $0["year"] as? Int == 2024 && $0["stage"] as? String == "primary" })
            return (row["version"] as! Int, row["values"] as! [String: Double])
        }
    }

    @Test func saveBumpsVersionAndIsAudited() async throws {
        try await withDemoApp { client, auth in
            let before = try await stored(client, auth)
            let r = try await put(client, auth, ["version": before.version, "values": ["books": 20000]])
            #expect(r.status == .ok)
            #expect((try r.json() as? [String: Any])?["version"] as? Int == before.version + 1)
            let after = try await stored(client, auth)
            #expect(after.values["books"] == 20000 && after.values["students"] == before.values["students"])
            try await client.execute(uri: "/schools/1411081001", method: .get, headers: auth.cookie("yuzhou")) { page in
                #expect(page.text.contains("books=20000"))
            }
        }
    }

    @Test func staleVersionIsAConflictWithBothRows() async throws {
        try await withDemoApp { client, auth in
            let v = try await stored(client, auth).version
            #expect(try await put(client, auth, ["version": v, "values": ["books": 11111]]).status == .ok)
            let r = try await put(client, auth, as: "principal", ["version": v, "values": ["books": 22222]])
            #expect(r.status == .conflict)
            let json = try #require(try r.json() as? [String: Any])
            #expect((json["current"] as? [String: Any])?["version"] as? Int == v + 1)
            #expect(((json["current"] as? [String: Any])?["values"] as? [String: Double])?["books"] == 11111)
            #expect(((json["yours"] as? [String: Any])?["values"] as? [String: Double])?["books"] == 22222)
            #expect(try await stored(client, auth).values["books"] == 11111)
        }
    }

    /// N clients read the same version and save at once: exactly one wins, the rest get 409.
    /// Then N clients each add 1 book with read-modify-write and retry on 409: no update is lost.
    @Test func concurrentEditsLoseNothing() async throws {
        try await withDemoApp { client, auth in
            let n = 12
            let start = try await stored(client, auth)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for i in 0..<n {
                    group.addTask { try await put(client, auth, ["version": start.version, "values": ["books": 30000 + i]]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == n - 1)
            let base = try await stored(client, auth)
            #expect(base.version == start.version + 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<n {
                    group.addTask {
                        while true {
                            let now = try await stored(client, auth)
                            let r = try await put(client, auth, ["version": now.version, "values": ["books": now.values["books"]! + 1]])
                            if r.status == .ok { return }
                            #expect(r.status == .conflict)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let end = try await stored(client, auth)
            #expect(end.values["books"] == base.values["books"]! + Double(n))
            #expect(end.version == base.version + n)
        }
    }

    @Test func blockingRuleRefusesAndWarningNeedsAReason() async throws {
        try await withDemoApp { client, auth in
            let v = try await stored(client, auth).version
            let bad = try await put(client, auth, ["version": v, "values": ["sports_area_m2": -1]])
            #expect(bad.status == .unprocessableContent)
            #expect(((try bad.json() as? [String: Any])?["issues"] as? [[String: Any]])?.first?["code"] as? String == "sports_area_m2_not_negative")
            // 555 → 900 students is a +62% change: a warning that needs a written reason.
            let warned = try await put(client, auth, ["version": v, "values": ["students": 900]])
            #expect(warned.status == .unprocessableContent)
            #expect(((try warned.json() as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "reason_required")
            #expect(try await stored(client, auth).version == v)
            let explained = try await put(client, auth, ["version": v, "values": ["students": 900], "reasons": ["students_year_over_year": "新校区启用"]])
            #expect(explained.status == .ok)
        }
    }

    @Test func inspectorsReadButDoNotEnter() async throws {
        try await withDemoApp { client, auth in
            let v = try await stored(client, auth).version
            #expect(try await put(client, auth, as: "inspector", ["version": v, "values": ["books": 1]]).status == .forbidden)
            #expect(try await stored(client, auth).version == v)
        }
    }
}
