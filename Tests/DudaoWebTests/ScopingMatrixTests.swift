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

/// For every role, tries objects of a sibling region and of a parent region by id, through
/// every access path (page URL, API URL, query parameter, JSON body), and expects 403/404
/// with nothing changed.
@Suite("Scoping: nobody reads or writes outside their region")
struct ScopingMatrixTests {
    struct Target {
        var regions: [String]
        var schools: [String]
    }

    /// Per account: ids it must not reach (sibling and parent regions, and their schools).
    static let forbidden: [String: Target] = [
        "yuzhou": Target(
            regions: ["411082", "411025", "4110", "41", "4101", "410102", "11"], schools: ["1411082001", "1411025001", "1410102001", "1110101001"]),
        "changge": Target(regions: ["411081", "4110", "41", "410102"], schools: ["1411081001", "1411081050", "1410102001"]),
        "inspector": Target(regions: ["411082", "4110", "41"], schools: ["1411082001", "1410102001"]),
        "principal": Target(regions: ["411081", "411082", "4110", "41"], schools: ["1411081002", "1411082001"]),
        "xuchang": Target(regions: ["4101", "410102", "41", "11"], schools: ["1410102001", "1110101001"]),
        "henan": Target(regions: ["11", "110101"], schools: ["1110101001"]),
    ]

    @Test func everyCrossRegionAccessIsRefused() async throws {
        try await withDemoApp { client, auth in
            // Schools in another city of Henan and in another province, to have real siblings.
            let db = try #require(TestContext.database)
            for (code, county) in [("1410102001", "410102"), ("1110101001", "110101")] {
                let school = School(code: code, name: "外地学校\(code.suffix(3))", countyCode: county, type: .primarySchool)
                var row = StageReturn(schoolCode: code, year: 2024, stage: .primary)
                row[.students] = 300
                _ = try await Services(database: db).returns.importBatch(
                    ReturnBatch(source: "t", records: [ReturnRecord(school: school, data: row, sourceRow: 2)], issues: [], columnNames: [:]),
                    actor: "t")
            }
            let auditBefore = try await TestDatabase.count(db, "audit_log")
            var cases = 0
            for (user, target) in Self.forbidden.sorted(by: { $0.key < $1.key }) {
                for region in target.regions {
                    for uri in [
                        "/regions/\(region)", "/regions/\(region)/evaluation.xlsx?year=2024", "/regions/\(region)/duty?year=2024",
                        "/regions/\(region)/sheets/quality-2017-assurance?year=2024", "/regions/\(region)/report?year=2024",
                        "/regions/\(region)/facts?year=2024", "/regions/\(region)/surveys", "/regions/\(region)/key-tasks",
                        "/regions/\(region)/dispatch", "/regions/\(region)/letters", "/regions/\(region)/projects", "/regions/\(region)/complaints",
                    ] {
                        try await client.execute(uri: uri, method: .get, headers: auth.cookie(user)) { r in
                            #expect([.notFound, .forbidden].contains(r.status), "\(user) page \(uri) → \(r.status)")
                        }
                        cases += 1
                    }
                    for uri in [
                        "/api/v1/regions/\(region)", "/api/v1/regions/\(region)/evaluation?year=2024", "/api/v1/regions/\(region)/schools",
                        "/api/v1/regions/\(region)/duty?year=2024", "/api/v1/regions/\(region)/sheets/county-duty-sheet?year=2024",
                        "/api/v1/regions/\(region)/key-targets", "/api/v1/regions/\(region)/dispatch", "/api/v1/regions/\(region)/letters",
                        "/api/v1/regions/\(region)/projects", "/api/v1/regions/\(region)/complaints",
                    ] {
                        try await client.execute(uri: uri, method: .get, headers: auth.bearer(user)) { r in
                            #expect([.notFound, .forbidden].contains(r.status), "\(user) API \(uri) → \(r.status)")
                        }
                        cases += 1
                    }
                    try await client.execute(
                        uri: "/api/v1/regions/\(region)/survey-campaigns", method: .post, headers: auth.bearer(user),
                        body: jsonBody(["survey": "parents-satisfaction", "group": "parents", "links": 1, "closes": "2099-12-31"])
                    ) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) POST survey links \(region) → \(r.status)")
                    }
                    try await client.execute(
                        uri: "/api/v1/regions/\(region)/key-targets", method: .post, headers: auth.bearer(user),
                        body: jsonBody(["year": 2026, "title": "probe"])
                    ) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) POST key target \(region) → \(r.status)")
                    }
                    try await client.execute(
                        uri: "/api/v1/regions/\(region)/accountability", method: .post, headers: auth.bearer(user),
                        body: jsonBody([
                            "kind": "talk", "person": "x", "unit": "y", "unit_region": region, "day": "2026-01-05", "form": "z", "facts": "w",
                        ])
                    ) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) POST accountability \(region) → \(r.status)")
                    }
                    for (uri, body) in [
                        (
                            "/api/v1/regions/\(region)/projects",
                            [
                                "name": "probe", "kind": "other", "budget": 1, "places_added": 0, "planned_start": "2026-01-01",
                                "planned_completion": "2026-02-01",
                            ] as [String: Any]
                        ),
                        ("/api/v1/regions/\(region)/complaints", ["source": "letter", "content": "probe"]),
                    ] {
                        try await client.execute(uri: uri, method: .post, headers: auth.bearer(user), body: jsonBody(body)) { r in
                            #expect([.notFound, .forbidden].contains(r.status), "\(user) POST \(uri) → \(r.status)")
                        }
                    }
                    cases += 5
                }
                for school in target.schools {
                    try await client.execute(uri: "/schools/\(school)", method: .get, headers: auth.cookie(user)) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) page school \(school) → \(r.status)")
                    }
                    try await client.execute(uri: "/api/v1/schools/\(school)", method: .get, headers: auth.bearer(user)) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) API school \(school) → \(r.status)")
                    }
                    // Query parameter: the change log search must not reveal another region's rows.
                    try await client.execute(uri: "/audit?q=\(school)", method: .get, headers: auth.cookie(user)) { r in
                        #expect(!r.text.contains("stage_return \(school)"), "\(user) audit search found \(school)")
                    }
                    // JSON body write through the API, with a cookie session as well as a token.
                    for headers in [auth.bearer(user), auth.cookie(user).merging([.contentType: "application/json"])] {
                        try await client.execute(
                            uri: "/api/v1/schools/\(school)/returns/2024/primary", method: .put, headers: headers,
                            body: jsonBody(["version": 1, "values": ["students": 1]])
                        ) { r in
                            #expect([.notFound, .forbidden].contains(r.status), "\(user) PUT \(school) → \(r.status)")
                        }
                    }
                    cases += 5
                }
            }
            // 禹州市's survey campaign, by id, through every path: only its office and those above reach it.
            let campaign = try #require(try await SurveyRepository(db.sql).campaigns(under: "411081").first)
            for user in ["changge", "inspector", "principal"] {
                for uri in [
                    "/surveys/\(campaign.id)", "/surveys/\(campaign.id)/invitations", "/surveys/\(campaign.id)/links.csv",
                    "/surveys/\(campaign.id)?format=xlsx",
                ] {
                    try await client.execute(uri: uri, method: .get, headers: auth.cookie(user)) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) \(uri) → \(r.status)")
                    }
                }
                try await client.execute(uri: "/api/v1/survey-campaigns/\(campaign.id)/results", method: .get, headers: auth.bearer(user)) { r in
                    #expect([.notFound, .forbidden].contains(r.status), "\(user) survey results → \(r.status)")
                }
                try await client.execute(uri: "/api/v1/survey-campaigns/\(campaign.id)/close", method: .post, headers: auth.bearer(user)) { r in
                    #expect([.notFound, .forbidden].contains(r.status), "\(user) survey close → \(r.status)")
                }
                cases += 6
            }
            // 禹州市's own key target, its task and a letter sent to 禹州, by id through every path:
            // another county, the inspector and the principal reach none of them.
            let ownTarget = try #require(try await KeyTaskRepository(db.sql).targets(visibleFrom: "411081").first { $0.regionCode == "411081" })
            let ownTask = try #require(try await KeyTaskRepository(db.sql).tasks(target: ownTarget.id).first)
            let letter = try #require(try await EscalationRepository(db.sql).letters(touching: "411081").first)
            let auditBeforeKeyTasks = try await TestDatabase.count(db, "audit_log")
            for user in ["changge", "inspector", "principal"] {
                for uri in [
                    "/key-targets/\(ownTarget.id)", "/key-targets/\(ownTarget.id)?format=xlsx", "/key-tasks/\(ownTask.id)", "/letters/\(letter.id)",
                    "/letters/\(letter.id)/docx",
                ] {
                    try await client.execute(uri: uri, method: .get, headers: auth.cookie(user)) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) \(uri) → \(r.status)")
                    }
                }
                for uri in ["/api/v1/key-targets/\(ownTarget.id)", "/api/v1/letters/\(letter.id)"] {
                    try await client.execute(uri: uri, method: .get, headers: auth.bearer(user)) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) \(uri) → \(r.status)")
                    }
                }
                for (uri, body) in [
                    ("/api/v1/key-tasks/\(ownTask.id)/reports", ["done": true] as [String: Any]),
                    ("/api/v1/key-targets/\(ownTarget.id)/tasks", ["x": 1]), ("/api/v1/letters/\(letter.id)/reply", ["reply": "x"]),
                    ("/api/v1/letters", ["kind": "reminder", "trigger": "key_task", "object": ownTask.id, "reply_due": "2099-01-01"]),
                ] {
                    let payload: Any = uri.hasSuffix("/tasks") ? [["number": "9", "title": "x", "unit": "y", "deadline": "2026-12-31"]] : body
                    try await client.execute(uri: uri, method: .post, headers: auth.bearer(user), body: jsonBody(payload)) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) POST \(uri) → \(r.status)")
                    }
                }
                cases += 11
            }
            #expect(try await TestDatabase.count(db, "audit_log") == auditBeforeKeyTasks)

            // A county's document, by id and by search, through page, file and API.
            let yuzhou = try #require(try await UserRepository(db.sql).find(username: "yuzhou"))
            let filed = try await Services(database: db).documents.file(
                .init(data: Data("禹州市内部督导台账 scoping-probe".utf8), filename: "t.txt", title: "禹州市内部台账", kind: .evidence, region: "411081"), by: yuzhou)
            let auditWithDocument = try await TestDatabase.count(db, "audit_log")
            // Another county's office, and a principal of this county (evidence is not theirs).
            for user in ["changge", "principal"] {
                for uri in ["/documents/\(filed.document.id)", "/documents/\(filed.document.id)/file", "/public/documents/\(filed.document.id)/file"]
                {
                    try await client.execute(uri: uri, method: .get, headers: auth.cookie(user)) { r in
                        #expect([.notFound, .forbidden].contains(r.status), "\(user) \(uri) → \(r.status)")
                    }
                }
                try await client.execute(uri: "/api/v1/documents/search?q=scoping-probe", method: .get, headers: auth.bearer(user)) { r in
                    #expect((try? r.json() as? [String: Any])?["total"] as? Int == 0, "\(user) found another county's evidence")
                }
                cases += 4
            }
            // Nothing was written anywhere.
            #expect(try await TestDatabase.count(db, "audit_log") == auditWithDocument)
            _ = auditBefore
            print("scoping matrix: \(cases) role × object × access-path cases, all refused")
            #expect(cases > 150)
        }
    }

    /// Form fields and JSON bodies that name another region's unit inside a shared round.
    @Test func formFieldsAndBodiesCannotReachOtherRegions() async throws {
        try await withDemoApp { client, auth in
            let a = "1411081001", c = "1411082001"
            let opened = try await client.execute(
                uri: "/api/v1/rounds", method: .post, headers: auth.bearer("xuchang"),
                body: jsonBody(["year": 2024, "schools": [a, c]]))
            let id = try #require((try opened.json() as? [String: Any])?["id"] as? String)
            let db = try #require(TestContext.database)
            let before = try await TestDatabase.count(db, "audit_log")
            var cases = 0
            let attempts: [(user: String, action: String, unit: String)] = [
                ("yuzhou", "submit", c), ("yuzhou", "approve", "411082"), ("yuzhou", "return", c), ("yuzhou", "approve", "4110"),
                ("changge", "submit", a), ("changge", "approve", "411081"), ("changge", "return", a),
                ("principal", "submit", c), ("inspector", "submit", a), ("inspector", "approve", "411081"),
            ]
            for (user, action, unit) in attempts {
                let form = "csrf=\(auth.csrf(user))&action=\(action)&unit=\(unit)&comment=x"
                let viaForm = try await client.execute(
                    uri: "/rounds/\(id)/actions", method: .post,
                    headers: auth.cookie(user).merging([.contentType: "application/x-www-form-urlencoded"]),
                    body: ByteBuffer(string: form))
                #expect([.forbidden, .notFound, .conflict].contains(viaForm.status), "\(user) form \(action) \(unit) → \(viaForm.status)")
                let viaJSON = try await client.execute(
                    uri: "/api/v1/rounds/\(id)/actions", method: .post, headers: auth.bearer(user),
                    body: jsonBody(["action": action, "unit": unit, "comment": "x"]))
                #expect([.forbidden, .notFound, .conflict].contains(viaJSON.status), "\(user) JSON \(action) \(unit) → \(viaJSON.status)")
                cases += 2
            }
            // Evaluations: another county cannot start or act on this county's case.
            let started = try await client.execute(
                uri: "/api/v1/evaluations", method: .post, headers: auth.bearer("changge"),
                body: jsonBody(["region": "411081", "year": 2024]))
            #expect([.forbidden, .notFound].contains(started.status))
            cases += 1
            #expect(try await TestDatabase.count(db, "audit_log") == before)
            let states = try await RoundRepository(db.sql).snapshot(try #require(try await RoundRepository(db.sql).find(id)))
            #expect(states.schools.values.allSatisfy { $0 == .draft } && states.approved.isEmpty)
            print("scoping matrix (form fields and JSON bodies): \(cases) cases, all refused")
        }
    }

    /// The same requests inside the caller's own region succeed (the matrix is not passing
    /// because everything is refused).
    @Test func ownRegionIsReachable() async throws {
        try await withDemoApp { client, auth in
            for (user, uri) in [
                ("yuzhou", "/regions/411081"), ("xuchang", "/regions/411082"), ("henan", "/regions/4110"),
                ("principal", "/schools/1411081001"), ("inspector", "/schools/1411081050"), ("changge", "/schools/1411082001"),
            ] {
                try await client.execute(uri: uri, method: .get, headers: auth.cookie(user)) { r in #expect(r.status == .ok, "\(user) \(uri)") }
            }
            try await client.execute(uri: "/api/v1/regions", method: .get, headers: auth.bearer("xuchang")) { r in
                let json = try r.json() as? [String: Any]
                #expect(json?["code"] as? String == "4110")
            }
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var out = self
        for field in other { out.append(field) }
        return out
    }
}
