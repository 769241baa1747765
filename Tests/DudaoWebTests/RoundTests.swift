import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

@Suite("Reporting rounds and the review chain")
struct RoundTests {
    func json(_ r: TestResponse) throws -> [String: Any] { try #require(try r.json() as? [String: Any]) }

    func states(_ r: TestResponse) throws -> [String: String] {
        let schools = try #require(try json(r)["schools"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: schools.map { ($0["code"] as! String, $0["state"] as! String) })
    }

    /// A city round over three schools in two counties, through every step of the chain.
    @Test func cityRoundThroughTheWholeChain() async throws {
        try await withDemoApp { client, auth in
            let a = "1411081001", b = "1411081002", c = "1411082001"
            let opened = try await post(client, auth, "xuchang", "/api/v1/rounds", ["year": 2024, "title": "2024学年", "schools": [a, b, c]])
            #expect(opened.status == .created)
            let id = try #require(try json(opened)["id"] as? String)
            let actions = "/api/v1/rounds/\(id)/actions"
            let round = try await client.execute(uri: "/api/v1/rounds/\(id)", method: .get, headers: auth.bearer("xuchang")) { $0 }
            #expect(try states(round) == [a: "draft", b: "draft", c: "draft"])
            let roundSchema =
                OpenAPITests.doc["components"].flatMap { ($0 as? [String: Any])?["schemas"] as? [String: Any] }?["Round"] as! [String: Any]
            #expect(SchemaCheck(doc: OpenAPITests.doc).check(try round.json(), against: roundSchema, at: "round").isEmpty)

            // County cannot approve before its schools submit; the principal submits their own school only.
            #expect(try await post(client, auth, "yuzhou", actions, ["action": "approve", "unit": "411081"]).status == .conflict)
            #expect(try await post(client, auth, "principal", actions, ["action": "submit", "unit": b]).status == .forbidden)
            #expect(try await post(client, auth, "principal", actions, ["action": "submit", "unit": a]).status == .ok)
            // Submitted data is locked for entry, through the API and through imports.
            let locked = try await client.execute(
                uri: "/api/v1/schools/\(a)/returns/2024/primary", method: .put, headers: auth.bearer("yuzhou"),
                body: jsonBody(["version": 1, "values": ["books": 1]]))
            #expect(locked.status.code == 423)
            let db = try #require(TestContext.database)
            var row = try #require(try await ReturnRepository(db.sql).existing(schools: [a], years: [2024]).values.first?.data)
            row[.books] = 7
            let school = try #require(try await SchoolRepository(db.sql).find(a))
            await #expect(throws: ImportRejected.self) {
                try await Services(database: db).returns.importBatch(
                    ReturnBatch(source: "late.csv", records: [ReturnRecord(school: school, data: row, sourceRow: 2)], issues: [], columnNames: [:]),
                    actor: "t")
            }

            #expect(try await post(client, auth, "yuzhou", actions, ["action": "submit", "unit": b]).status == .ok)
            #expect(try await post(client, auth, "changge", actions, ["action": "approve", "unit": "411081"]).status == .forbidden)
            #expect(try await post(client, auth, "yuzhou", actions, ["action": "approve", "unit": "411081"]).status == .ok)
            // The city waits for 411082.
            #expect(try await post(client, auth, "xuchang", actions, ["action": "approve", "unit": "4110"]).status == .conflict)
            #expect(try await post(client, auth, "changge", actions, ["action": "submit", "unit": c]).status == .ok)
            #expect(try await post(client, auth, "changge", actions, ["action": "approve", "unit": "411082"]).status == .ok)
            #expect(try await post(client, auth, "xuchang", actions, ["action": "approve", "unit": "4110"]).status == .ok)
            // The province is above the round: not a unit of it.
            #expect(try await post(client, auth, "henan", actions, ["action": "approve", "unit": "41"]).status == .notFound)

            // The city is the top of this round: it may still return a county after approving,
            // and its own approval goes with it.
            let returned = try await post(client, auth, "xuchang", actions, ["action": "return", "unit": "411081", "comment": "请核实"])
            #expect(returned.status == .ok)
            #expect((try json(returned)["approved"] as? [String]) == ["411082"])
        }
    }

    @Test func returningNeedsACommentAndUnlocks() async throws {
        try await withDemoApp { client, auth in
            let a = "1411081001", c = "1411082001"
            let opened = try await post(client, auth, "xuchang", "/api/v1/rounds", ["year": 2024, "schools": [a, c]])
            let id = try #require(try json(opened)["id"] as? String)
            let actions = "/api/v1/rounds/\(id)/actions"
            for (user, school, county) in [("yuzhou", a, "411081"), ("changge", c, "411082")] {
                #expect(try await post(client, auth, user, actions, ["action": "submit", "unit": school]).status == .ok)
                #expect(try await post(client, auth, user, actions, ["action": "approve", "unit": county]).status == .ok)
            }
            // City returns 411081 (comment required), then the county returns the school.
            #expect(try await post(client, auth, "xuchang", actions, ["action": "return", "unit": "411081", "comment": " "]).status == .conflict)
            #expect(
                try await post(client, auth, "xuchang", actions, ["action": "return", "unit": "411081", "comment": "体育场馆面积与去年差异大，请核实"]).status == .ok)
            let back = try await post(client, auth, "yuzhou", actions, ["action": "return", "unit": a, "comment": "请补充说明"])
            #expect(back.status == .ok)
            #expect(try states(back)[a] == "returned")
            // Open for entry again, and every step is in the history with its comment.
            let edit = try await client.execute(uri: "/api/v1/schools/\(a)/returns/2024/primary", method: .get, headers: auth.bearer("yuzhou")) {
                $0.status
            }
            #expect(edit == .notFound || edit == .methodNotAllowed)  // only PUT exists; the lock check is below
            let put = try await client.execute(
                uri: "/api/v1/schools/\(a)/returns/2024/primary", method: .put, headers: auth.bearer("principal"),
                body: jsonBody(["version": 1, "values": ["books": 17000]]))
            #expect(put.status == .ok)
            let db = try #require(TestContext.database)
            let history = try await AuditLog(db.sql).history(objectType: "round", objectId: id)
            #expect(history.map(\.action).sorted() == ["approve", "approve", "open", "return", "return", "submit", "submit"])
            #expect(history.contains { $0.newValue?.contains("体育场馆面积与去年差异大") == true })
        }
    }

    @Test func webFormsNeedCSRFAndShowOnlyAllowedButtons() async throws {
        try await withDemoApp { client, auth in
            let opened = try await post(client, auth, "yuzhou", "/api/v1/rounds", ["year": 2024, "schools": ["1411081001"]])
            let id = try #require(try json(opened)["id"] as? String)
            let form: HTTPFields = auth.cookie("yuzhou").merging([.contentType: "application/x-www-form-urlencoded"])
            let noCSRF = try await client.execute(
                uri: "/rounds/\(id)/actions", method: .post, headers: form,
                body: ByteBuffer(string: "action=submit&unit=1411081001"))
            #expect(noCSRF.status == .forbidden)
            try await client.execute(uri: "/rounds/\(id)", method: .get, headers: auth.cookie("yuzhou")) { page in
                #expect(page.text.contains("data-unit=\"1411081001\" data-state=\"draft\""))
                #expect(page.text.contains("class=\"submit\"") && !page.text.contains("id=\"approve-own\""))
            }
            let ok = try await client.execute(
                uri: "/rounds/\(id)/actions", method: .post, headers: form,
                body: ByteBuffer(string: "csrf=\(auth.csrf("yuzhou"))&action=submit&unit=1411081001"))
            #expect(ok.status == .seeOther)
            try await client.execute(uri: "/rounds/\(id)", method: .get, headers: auth.cookie("yuzhou")) { page in
                #expect(page.text.contains("data-state=\"submitted\"") && page.text.contains("id=\"approve-own\""))
            }
            // Another county's officer does not see the round at all.
            try await client.execute(uri: "/rounds/\(id)", method: .get, headers: auth.cookie("changge")) { #expect($0.status == .notFound) }
        }
    }

    @Test func webEntryFormSavesWithVersionAndReportsConflicts() async throws {
        try await withDemoApp { client, auth in
            let form: HTTPFields = auth.cookie("principal").merging([.contentType: "application/x-www-form-urlencoded"])
            let page = try await client.execute(uri: "/schools/1411081001/returns/2024/edit", method: .get, headers: auth.cookie("principal")) { $0 }
            #expect(page.status == .ok && page.text.contains("name=\"version\" value=\"1\""))
            let csrf = auth.csrf("principal")
            // The form as the page filled it, with one fact changed.
            let db = try #require(TestContext.database)
            var row = try #require(try await ReturnRepository(db.sql).existing(schools: ["1411081001"], years: [2024]).values.first?.data)
            row[.books] = 16921
            let body = "csrf=\(csrf)&version=1&" + row.values.map { "\($0.key.rawValue)=\(NumberText.plain($0.value))" }.joined(separator: "&")
            let saved = try await client.execute(
                uri: "/schools/1411081001/returns/2024/primary", method: .post, headers: form, body: ByteBuffer(string: body))
            #expect(saved.status == .seeOther, "\(saved.text.firstMatch(of: /id="flash">([^<]*)/)?.1 ?? "")")
            #expect(try await ReturnRepository(db.sql).existing(schools: ["1411081001"], years: [2024]).values.first?.data[.books] == 16921)
            // The same stale form again: a conflict, shown with the current values, nothing saved twice.
            let stale = try await client.execute(
                uri: "/schools/1411081001/returns/2024/primary", method: .post, headers: form,
                body: ByteBuffer(string: body.replacingOccurrences(of: "books=16921", with: "books=16000")))
            #expect(stale.status == .conflict)
            #expect(stale.text.contains("name=\"version\" value=\"2\""))
            // The principal may not enter another school's data.
            try await client.execute(uri: "/schools/1411081002/returns/2024/edit", method: .get, headers: auth.cookie("principal")) {
                #expect($0.status == .notFound)
            }
        }
    }
}
