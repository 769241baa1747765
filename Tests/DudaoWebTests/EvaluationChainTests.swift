import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

@Suite("Evaluation chain: self-evaluation to certification, with frozen results")
struct EvaluationChainTests {
    func object(_ r: TestResponse) throws -> [String: Any] { try #require(try r.json() as? [String: Any]) }

    static func date(daysFromNow days: Int) -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: Date().addingTimeInterval(Double(days) * 86400))
    }

    @Test func caseMovesUpTheChainAndIsPublished() async throws {
        try await withDemoApp { client, auth in
            #expect(try await post(client, auth, "xuchang", "/api/v1/evaluations", ["region": "411081", "year": 2024]).status == .forbidden)
            let started = try await post(client, auth, "yuzhou", "/api/v1/evaluations", ["region": "411081", "year": 2024])
            #expect(started.status == .created)
            let id = try #require(try object(started)["id"] as? String)
            let act = "/api/v1/evaluations/\(id)/actions"
            var version = 1
            func step(_ user: String, _ body: [String: Any]) async throws -> TestResponse {
                var b = body
                b["version"] = version
                let r = try await post(client, auth, user, act, b)
                if r.status == .ok { version = try object(r)["version"] as! Int }
                return r
            }
            // Only the office of the current step acts.
            #expect(try await step("xuchang", ["action": "forward"]).status == .forbidden)
            #expect(try await step("yuzhou", ["action": "forward", "comment": "自评完成"]).status == .ok)
            #expect(try await step("xuchang", ["action": "back", "comment": ""]).status == .conflict)
            #expect(try await step("xuchang", ["action": "back", "comment": "请补充佐证材料"]).status == .ok)
            #expect(try await step("yuzhou", ["action": "forward", "comment": "已补充"]).status == .ok)
            #expect(try await step("xuchang", ["action": "forward", "comment": "复核通过"]).status == .ok)
            // Publishing needs an end date after today.
            #expect(try await step("henan", ["action": "forward"]).status == .conflict)
            #expect(try await step("henan", ["action": "forward", "notice_ends_on": Self.date(daysFromNow: -1)]).status == .conflict)
            let published = try await step("henan", ["action": "forward", "comment": "督评通过，予以公示", "notice_ends_on": Self.date(daysFromNow: 10)])
            #expect(published.status == .ok)
            #expect(try object(published)["step"] as? String == "public_notice")
            // Certification waits for the notice to end.
            let early = try await step("nation", ["action": "forward"])
            #expect(early.status == .conflict)
            #expect((try object(early)["error"] as? [String: Any])?["code"] as? String == "notice_running")
            // A stale version is refused.
            var stale = ["action": "back", "comment": "x", "version": version - 1] as [String: Any]
            stale["version"] = version - 1
            #expect(try await post(client, auth, "nation", act, stale).status == .conflict)

            // The public sees it without signing in, with the frozen result.
            try await client.execute(uri: "/public/notices", method: .get) { r in
                #expect(r.status == .ok && r.text.contains("/public/notices/\(id)") && r.text.contains("禹州市"))
            }
            try await client.execute(uri: "/public/notices/\(id)", method: .get) { r in
                #expect(r.status == .ok && r.text.contains("id=\"notice-primary\""))
            }
            let detail = try await client.execute(uri: "/api/v1/evaluations/\(id)", method: .get, headers: auth.bearer("henan")) { try object($0) }
            #expect(
                (detail["steps"] as? [[String: Any]])?.map { $0["action"] as! String }
                    == ["start", "forward", "send_back", "forward", "forward", "forward"])
            #expect((detail["changes_since_frozen"] as? [Any])?.isEmpty == true)
            // Other counties do not see it.
            try await client.execute(uri: "/api/v1/evaluations/\(id)", method: .get, headers: auth.bearer("changge")) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/evaluations/\(id)", method: .get, headers: auth.cookie("changge")) { #expect($0.status == .notFound) }
        }
    }

    /// 禹州市实验第二小学 (1411081002) lacks sports area: give it plenty through the API.
    func giveSportsArea(_ client: any TestClientProtocol, _ auth: TestAuth) async throws {
        let school = "1411081002"
        let db = try #require(TestContext.database)
        let current = try #require(try await ReturnRepository(db.sql).existing(schools: [school], years: [2024]).values.first)
        let put = try await client.execute(
            uri: "/api/v1/schools/\(school)/returns/2024/primary", method: .put, headers: auth.bearer("yuzhou"),
            body: jsonBody([
                "version": current.version, "values": ["sports_area_m2": current.data.students * 9],
                "reasons": ["sports_area_m2_year_over_year": "新建运动场"],
            ]))
        #expect(put.status == .ok)
    }

    /// The live evaluation is served from the stored result, and a change is served at once.
    @Test func theEvaluationAPIFollowsAChangeAtOnce() async throws {
        try await withDemoApp { client, auth in
            let uri = "/api/v1/regions/411081/evaluation"
            let version = HTTPField.Name("Dudao-Data-Version")!
            let first = try await client.execute(uri: uri, method: .get, headers: auth.bearer("yuzhou")) { $0 }
            let again = try await client.execute(uri: uri, method: .get, headers: auth.bearer("yuzhou")) { $0 }
            #expect(first.text == again.text && first.headers[version] == again.headers[version])
            #expect(first.headers[.eTag] != nil && first.headers[.eTag] == again.headers[.eTag])
            // gzip for a client that asks, the same tag.
            var gzipHeaders = auth.bearer("yuzhou")
            gzipHeaders[.acceptEncoding] = "gzip"
            let packed = try await client.execute(uri: uri, method: .get, headers: gzipHeaders) { $0 }
            #expect(packed.headers[.contentEncoding] == "gzip" && packed.headers[.eTag] == first.headers[.eTag])
            // The county page is drawn once per data version too, and follows the change.
            let pageBefore = try await client.execute(uri: "/regions/411081", method: .get, headers: auth.cookie("yuzhou")) { $0.text }
            let pageAgain = try await client.execute(uri: "/regions/411081", method: .get, headers: auth.cookie("yuzhou")) { $0.text }
            #expect(pageBefore == pageAgain && pageBefore.contains("禹州市"))
            let cityBefore = try await client.execute(uri: "/regions/4110", method: .get, headers: auth.cookie("xuchang")) { $0.text }
            try await giveSportsArea(client, auth)
            // So is the city's roll-up page.
            let cityAfter = try await client.execute(uri: "/regions/4110", method: .get, headers: auth.cookie("xuchang")) { $0.text }
            #expect(cityBefore.contains("禹州市") && cityAfter != cityBefore)
            // Each says which data version it shows: the sum of its counties' went up by one.
            func shownVersion(_ page: String) -> Int? {
                guard let line = page.components(separatedBy: "id=\"data-version\">").dropFirst().first else { return nil }
                return Int(line.drop { !$0.isNumber }.prefix { $0.isNumber })
            }
            let shownBefore = try #require(shownVersion(cityBefore))
            #expect(shownVersion(cityAfter) == shownBefore + 1)
            let pageAfter = try await client.execute(uri: "/regions/411081", method: .get, headers: auth.cookie("yuzhou")) { $0.text }
            #expect(pageAfter != pageBefore)
            let after = try await client.execute(uri: uri, method: .get, headers: auth.bearer("yuzhou")) { $0 }
            #expect(after.text != first.text && after.headers[.eTag] != first.headers[.eTag])
            #expect(Int(after.headers[version] ?? "") == Int(first.headers[version] ?? "").map { $0 + 1 })
        }
    }

    /// Changing a return after a step shows up as a difference; the frozen result does not move.
    @Test func recomputationIsComparedNotWrittenOver() async throws {
        try await withDemoApp { client, auth in
            let started = try await post(client, auth, "yuzhou", "/api/v1/evaluations", ["region": "411081", "year": 2024])
            let id = try #require(try object(started)["id"] as? String)
            let school = "1411081002"
            let db = try #require(TestContext.database)
            let current = try #require(try await ReturnRepository(db.sql).existing(schools: [school], years: [2024]).values.first)
            try await giveSportsArea(client, auth)
            let detail = try await client.execute(uri: "/api/v1/evaluations/\(id)", method: .get, headers: auth.bearer("yuzhou")) { try object($0) }
            let changes = try #require(detail["changes_since_frozen"] as? [[String: Any]])
            #expect(changes.contains { ($0["what"] as? String) == "primary.sports_area_per_student.cv" })
            #expect(
                changes.contains {
                    ($0["what"] as? String)?.hasPrefix("禹州市实验第二小学") == true && $0["was"] as? String == "fail" && $0["now"] as? String == "pass"
                })
            let steps = try await EvaluationCaseRepository(db.sql).steps(id)
            #expect(steps.count == 1 && steps[0].passed == false)
            // The frozen inputs still hold the old sports area of that school.
            let inputs = try #require(try JSONSerialization.jsonObject(with: Data(steps[0].inputs.utf8)) as? [[String: Any]])
            #expect(inputs.count == DemoCounty.records().filter { $0.data.year == 2024 && $0.school.countyCode == "411081" }.count)
            let frozenRow = try #require(inputs.first { $0["school_code"] as? String == school && $0["stage"] as? String == "primary" })
            #expect((frozenRow["values"] as? [String: Double])?["sports_area_m2"] == current.data[.sportsAreaM2])
        }
    }
}
