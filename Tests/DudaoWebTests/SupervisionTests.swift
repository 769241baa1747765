import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// A safety case at the demo's first school (禹州市实验第一小学), opened by the inspector.
func openSafetyCase(id: String, _ description: String, deadline: String, openedOn: String, on db: Database) async throws {
    let c = RectificationCase(
        id: id, schoolCode: "1411081001", countyCode: "411081", category: "safety", description: description,
        assignedUnit: "禹州市实验第一小学", responsiblePerson: "校长", deadline: deadline, openedOn: openedOn)
    try await Services(database: db).rectifications.open(c, visitId: nil, by: "inspector")
}

@Suite("Rectification cases and coverage over the web and API")
struct SupervisionTests {
    func json(_ r: TestResponse) throws -> [String: Any] { try #require(try r.json() as? [String: Any]) }

    /// The rates the API publishes equal a count over the demo's cases done here.
    @Test func ratesMatchAnIndependentCount() async throws {
        try await withDemoApp { client, auth in
            let asOf = "2026-11-24"
            let body = try await client.execute(
                uri: "/api/v1/regions/411081/rectifications?as_of=\(asOf)", method: .get, headers: auth.bearer("yuzhou")
            ) { try json($0) }
            let db = try #require(TestContext.database)
            let cases = DemoSupervision.make(schools: try await SchoolRepository(db.sql).list(under: "411081"), county: "411081").cases.map(
                \.rectification)
            let closed = cases.filter { ($0.closedOn ?? "9999") <= asOf }
            let onTime = closed.filter { $0.closedOn! <= $0.deadline }
            let rates = try #require(body["rates"] as? [String: Any])
            #expect(rates["total"] as? Int == cases.count)
            #expect(rates["closed"] as? Int == closed.count && rates["closed_on_time"] as? Int == onTime.count)
            #expect(rates["closing_rate_text"] as? String == String(format: "%.2f%%", Double(closed.count) * 100 / Double(cases.count)))
            #expect((body["cases"] as? [Any])?.count == cases.count)
            #expect(Set(cases.map(\.state)) == Set(RectificationState.allCases), "the demo has cases in every state")
        }
    }

    /// An assigned case worked by the principal and verified by the inspector, over the API.
    @Test func caseGoesToClosureWithVersions() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            try await openSafetyCase(id: "R-test", "消防通道堆放杂物", deadline: "2099-12-31", openedOn: "2026-11-20", on: db)
            func act(_ user: String, _ action: String, _ version: Int, note: String = "") async throws -> TestResponse {
                try await client.execute(
                    uri: "/api/v1/rectifications/R-test/actions", method: .post, headers: auth.bearer(user),
                    body: jsonBody(["action": action, "note": note, "version": version]))
            }
            #expect(try await act("inspector", "start", 1).status == .forbidden)
            #expect(try await act("principal", "verify", 1).status == .forbidden)
            #expect(try await act("principal", "start", 1).status == .ok)
            #expect(try await act("principal", "submit_evidence", 2).status == .conflict)  // no note
            #expect(try await act("principal", "submit_evidence", 2, note: "已清理，附照片").status == .ok)
            #expect(try await act("inspector", "verify", 2).status == .conflict)  // stale version
            let closed = try await act("inspector", "verify", 3, note: "现场核实")
            let state = try json(closed)["state"] as? String
            #expect(closed.status == .ok && state == "closed")
            #expect(try await act("principal", "start", 4).status == .conflict)  // illegal from closed
            #expect(try await act("changge", "reopen", 4, note: "x").status == .notFound)  // other county
            let history = try await AuditLog(db.sql).history(objectType: "rectification", objectId: "R-test").map(\.action)
            #expect(history.sorted() == ["open", "start", "submit_evidence", "verify"])
        }
    }

    @Test func pageShowsRatesCasesActionsAndCoverage() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/411081/supervision?month=2026-11", method: .get, headers: auth.cookie("inspector")) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("id=\"closing-rate\"") && r.text.contains("id=\"on-time-rate\""))
                #expect(r.text.contains("data-state=\"evidence_submitted\"") && r.text.contains("class=\"verify\""))
                // The demo leaves some schools unvisited in November.
                #expect(r.text.contains("id=\"unvisited\"") && r.text.contains("/schools/1411081005"))
                #expect(r.text.contains("id=\"by-inspector\"") && r.text.contains("id=\"assignment-check\""))
                // The inspector's own plan lists their five schools.
                let plan = try #require(r.text.firstMatch(of: /<ul id="my-plan" class="plan">(.*?)<\/ul>/)?.1)
                #expect(plan.components(separatedBy: "<li").count - 1 == 5)
            }
            try await client.execute(uri: "/regions/411082/supervision", method: .get, headers: auth.cookie("yuzhou")) {
                #expect($0.status == .notFound)
            }
        }
    }
}

@Suite("Bulletin page and workbook")
struct BulletinWebTests {
    @Test func bulletinMatchesTheCoreAndDownloads() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let schools = try await SchoolRepository(db.sql).list(under: "411081")
            let demo = DemoSupervision.make(schools: schools, county: "411081")
            let expected = Bulletin.make(
                from: "2026-09-01", to: "2026-11-30", counties: [("411081", "禹州市")],
                visits: demo.visits.map { .init(county: "411081", school: $0.school, date: $0.date) },
                cases: demo.cases.map(\.rectification))
            try await client.execute(uri: "/regions/4110/bulletin?from=2026-09-01&to=2026-11-30", method: .get, headers: auth.cookie("xuchang")) {
                r in
                #expect(r.status == .ok)
                let row = try #require(r.text.firstMatch(of: /<tr data-county="411081">(.*?)<\/tr>/)?.1)
                #expect(row.contains("<td class=\"num\">\(expected.total.visits)</td>"))
                #expect(row.contains(NumberText.percent(expected.total.rates.closingRate!)))
                // Counties without supervision data rank after those with it.
                #expect(r.text.contains("data-county=\"411082\""))
            }
            try await client.execute(
                uri: "/regions/4110/bulletin?from=2026-09-01&to=2026-11-30&format=xlsx", method: .get, headers: auth.cookie("xuchang")
            ) { r in
                #expect(r.status == .ok && Array(Data(buffer: r.body).prefix(2)) == [0x50, 0x4B])
            }
            try await client.execute(
                uri: "/regions/4110/bulletin?from=2026-09-01&to=2026-11-30&format=docx", method: .get, headers: auth.cookie("xuchang")
            ) { r in
                #expect(r.status == .ok && r.headers[.contentType]?.contains("wordprocessingml") == true)
                #expect(Array(Data(buffer: r.body).prefix(2)) == [0x50, 0x4B])
            }
            try await client.execute(uri: "/regions/411082/bulletin", method: .get, headers: auth.cookie("yuzhou")) {
                #expect($0.status == .notFound)
            }
        }
    }
}

@Suite("Long lists a page at a time")
struct PagedListTests {
    func json(_ r: TestResponse) throws -> [String: Any] { try #require(try r.json() as? [String: Any]) }

    /// The demo county has 54 cases: the list shows 50, the second page the other 4; the state
    /// filter and the counts by state come from the database.
    @Test func supervisionListPages() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let all = try await RectificationRepository(db.sql).list(under: "411081")
            #expect(all.count == 54)
            func rows(_ text: String) -> [String] { text.matches(of: /<tr data-case="([^"]+)"/).map { String($0.1) } }
            let first = try await client.execute(uri: "/regions/411081/supervision", method: .get, headers: auth.cookie("yuzhou")) { $0.text }
            let second = try await client.execute(uri: "/regions/411081/supervision?page=2", method: .get, headers: auth.cookie("yuzhou")) { $0.text }
            #expect(rows(first) == all.prefix(50).map(\.id) && rows(second) == all.dropFirst(50).map(\.id))
            #expect(first.contains("href=\"?page=2\" rel=\"next\"") && !first.contains("rel=\"prev\""))
            #expect(second.contains("href=\"?page=1\" rel=\"prev\"") && !second.contains("rel=\"next\""))
            let closed = all.filter { $0.state == .closed }
            let filtered = try await client.execute(uri: "/regions/411081/supervision?state=closed", method: .get, headers: auth.cookie("yuzhou")) {
                $0.text
            }
            #expect(rows(filtered) == closed.prefix(50).map(\.id))
            #expect(filtered.contains("class=\"current\">已销号 \(closed.count)</a>"))
            try await client.execute(uri: "/regions/411081/supervision?page=0", method: .get, headers: auth.cookie("yuzhou")) {
                #expect($0.status == .badRequest)
            }
        }
    }

    @Test func rectificationsAPIPages() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let all = try await RectificationRepository(db.sql).list(under: "411081")
            var ids: [String] = []
            var offset: Int? = 0
            while let start = offset {
                let body = try await client.execute(
                    uri: "/api/v1/regions/411081/rectifications?limit=20&offset=\(start)", method: .get, headers: auth.bearer("yuzhou")
                ) { try json($0) }
                ids += (body["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                offset = body["next_offset"] as? Int
                let byState = try #require(body["by_state"] as? [String: Int])
                #expect(byState.values.reduce(0, +) == 54 && byState["closed"] == all.filter { $0.state == .closed }.count)
            }
            #expect(ids == all.map(\.id))
            let open = try await client.execute(
                uri: "/api/v1/regions/411081/rectifications?state=evidence_submitted", method: .get, headers: auth.bearer("yuzhou")
            ) { try json($0) }
            #expect(
                (open["cases"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == all.filter { $0.state == .evidenceSubmitted }.map(\.id))
            for bad in ["state=done", "limit=0", "limit=1001", "offset=-1"] {
                try await client.execute(uri: "/api/v1/regions/411081/rectifications?\(bad)", method: .get, headers: auth.bearer("yuzhou")) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
        }
    }

    /// The change log: the office's own region, filters, and older entries a page at a time.
    @Test func changeLogPageAndAPI() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let expected = try await AuditLog(db.sql).search(under: "411081", text: nil, limit: 100_000)
            #expect(expected.count > 120)
            var seen: [String] = []
            var next: String? = ""
            while let before = next {
                let body = try await client.execute(
                    uri: "/api/v1/audit?limit=50"
                        + (before.isEmpty ? "" : "&before=" + (before.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")),
                    method: .get, headers: auth.bearer("yuzhou")
                ) { try json($0) }
                let entries = try #require(body["entries"] as? [[String: Any]])
                #expect(entries.allSatisfy { $0["region_code"] as? String == "411081" })
                seen += entries.map { "\($0["at"] ?? "") \($0["object_id"] ?? "")" }
                next = body["next"] as? String
            }
            #expect(seen == expected.map { "\($0.at) \($0.objectId)" })
            let page = try await client.execute(uri: "/audit?type=rectification", method: .get, headers: auth.cookie("yuzhou")) { $0.text }
            let older = try #require(page.firstMatch(of: /<a href="\?([^"]+)" rel="next" id="audit-next">/)?.1)
            #expect(older.hasPrefix("type=rectification&amp;before="))
            let second = try await client.execute(
                uri: "/audit?" + older.replacingOccurrences(of: "&amp;", with: "&"), method: .get, headers: auth.cookie("yuzhou")
            ) { r in
                #expect(r.status == .ok)
                return r.text
            }
            #expect(second.contains("rectification R-") && second.contains(">第一页</a>"))
            for bad in ["before=nonsense", "from=2026-02-30", "from=2026-11-02&to=2026-11-01", "limit=501"] {
                try await client.execute(uri: "/api/v1/audit?\(bad)", method: .get, headers: auth.bearer("yuzhou")) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
            try await client.execute(uri: "/api/v1/audit", method: .get, headers: auth.bearer("principal")) { #expect($0.status == .forbidden) }
        }
    }

    /// The change log's rows are drawn once per entry and kept (`AuditPages.rows`): the page
    /// shows the API's first 50 entries in order, each value escaped, and the same on a second
    /// request; a new entry comes first at once.
    @Test func changeLogRowsAreTheEntries() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            func page() async throws -> [String] {
                try await client.execute(uri: "/audit", method: .get, headers: auth.cookie("yuzhou")) { r in
                    #expect(r.status == .ok)
                    return r.text.matches(of: /<tr><td>(.*?)<\/td><\/tr>/.dotMatchesNewlines()).map { String($0.1) }
                }
            }
            let first = try await page()
            let api = try await client.execute(uri: "/api/v1/audit?limit=50", method: .get, headers: auth.bearer("yuzhou")) { r in
                try #require(try json(r)["entries"] as? [[String: Any]])
            }
            #expect(first.count == 50 && api.count == 50)
            #expect(first.map { $0.components(separatedBy: "</td><td>")[3] } == api.map { "\($0["object_type"]!) \($0["object_id"]!)" })
            #expect(try await page() == first)
            try await AuditLog(db.sql).record([
                AuditEntry(
                    at: "2099-01-01T00:00:00.000Z", actor: "yuzhou", action: "update", objectType: "region", objectId: "411081",
                    oldValue: "<b>旧</b>", newValue: "a & \"b\"", regionCode: "411081")
            ])
            let after = try await page()
            #expect(
                after.first
                    == "2099-01-01 08:00</td><td>yuzhou</td><td>update</td><td>region 411081</td><td>&lt;b&gt;旧&lt;/b&gt;</td><td>a &amp; &quot;b&quot;"
            )
            #expect(Array(after.dropFirst()) == Array(first.prefix(49)))
        }
    }
}

@Suite("Kept supervision figures follow new work")
struct KeptSupervisionFiguresTests {
    /// The list's rows are drawn once and kept (`SupervisionPages.rows`): two visitors whose
    /// rows show the same get the same drawing, yet each row carries the visitor's own form
    /// token and only the actions the visitor may take, and a change of the case shows at once.
    @Test func keptRowsAreEachVisitorsOwn() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            try await openSafetyCase(id: "R-rows", "围墙破损", deadline: "2099-12-31", openedOn: "2099-01-01", on: db)
            func row(_ user: String) async throws -> String {
                try await client.execute(uri: "/regions/411081/supervision", method: .get, headers: auth.cookie(user)) { r in
                    #expect(r.status == .ok)
                    return String(try #require(r.text.firstMatch(of: /<tr data-case="R-rows".*?<\/tr>/.dotMatchesNewlines())).0)
                }
            }
            func tokens(_ html: String) -> Set<String> { Set(html.matches(of: /name="csrf" value="([^"]*)"/).map { String($0.1) }) }
            // Assigned: the county office works it (start, evidence); the inspector only verifies later.
            let office = try await row("yuzhou")
            #expect(office.contains("data-state=\"assigned\"") && office.contains("value=\"start\"") && office.contains("value=\"submit_evidence\""))
            #expect(tokens(office) == [auth.csrf("yuzhou")])
            let inspector = try await row("inspector")
            #expect(!inspector.contains("value=\"start\"") && tokens(inspector).isEmpty)
            for (action, version, note) in [("start", 1, ""), ("submit_evidence", 2, "已修复")] {
                let r = try await client.execute(
                    uri: "/api/v1/rectifications/R-rows/actions", method: .post, headers: auth.bearer("yuzhou"),
                    body: jsonBody(["action": action, "note": note, "version": version]))
                #expect(r.status == .ok)
            }
            // Evidence in: both may verify or return it, each with their own token.
            let byInspector = try await row("inspector"), byOffice = try await row("yuzhou")
            for html in [byInspector, byOffice] {
                #expect(html.contains("data-state=\"evidence_submitted\"") && html.contains("value=\"verify\"") && !html.contains("value=\"start\""))
            }
            #expect(tokens(byInspector) == [auth.csrf("inspector")] && tokens(byOffice) == [auth.csrf("yuzhou")])
            #expect(auth.csrf("inspector") != auth.csrf("yuzhou"))
            #expect(
                byInspector.replacingOccurrences(of: auth.csrf("inspector"), with: "T")
                    == byOffice.replacingOccurrences(of: auth.csrf("yuzhou"), with: "T"))
        }
    }

    /// The bulletin and the list's counts are kept per supervision version: a case opened or a
    /// visit signed below the region shows on the next request.
    @Test func newWorkShowsAtOnce() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            func total() async throws -> (visits: Int, findings: Int) {
                try await client.execute(
                    uri: "/api/v1/regions/4110/bulletin?from=2026-11-01&to=2026-11-30", method: .get, headers: auth.bearer("xuchang")
                ) { r in
                    let body = try #require(try r.json() as? [String: Any])
                    let total = try #require(body["total"] as? [String: Any])
                    return (try #require(total["visits"] as? Int), try #require(total["findings"] as? Int))
                }
            }
            func assigned() async throws -> String? {
                try await client.execute(uri: "/regions/411081/supervision", method: .get, headers: auth.cookie("yuzhou")) { r in
                    r.text.firstMatch(of: /href="\?state=assigned"[^>]*>[^<]* (\d+)<\/a>/).map { String($0.1) }
                }
            }
            func visitsOnSchoolPage() async throws -> Int {
                try await client.execute(uri: "/schools/1411081002", method: .get, headers: auth.cookie("yuzhou")) { r in
                    try #require(r.text.firstMatch(of: /<ul id="visits">(.*?)<\/ul>/)).1.components(separatedBy: "<li>").count - 1
                }
            }
            let before = try await total()
            let assignedBefore = try #require(try await assigned())
            let schoolVisitsBefore = try await visitsOnSchoolPage()
            try await openSafetyCase(id: "R-kept", "楼道应急灯损坏", deadline: "2026-12-20", openedOn: "2026-11-20", on: db)
            try await VisitRepository(db.sql).insert(
                [
                    VisitRecord(
                        id: "V-kept", schoolCode: "1411081002", countyCode: "411081", inspectorId: "411081-I01", date: "2026-11-21", kind: .routine,
                        checklistId: "routine", answers: "{}", peopleMet: "校长", notes: "", location: nil, status: .signed, version: 1)
                ], at: "2026-11-21T08:00:00.000Z")
            let after = try await total()
            #expect(after.findings == before.findings + 1 && after.visits == before.visits + 1)
            #expect(try await assigned() == String(Int(assignedBefore)! + 1))
            #expect(try await visitsOnSchoolPage() == schoolVisitsBefore + 1)
        }
    }
}
