import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

@Suite("Gate plates and random inspections")
struct InspectionTests {
    func form(_ auth: TestAuth, _ user: String) -> HTTPFields { auth.cookie(user).merging([.contentType: "application/x-www-form-urlencoded"]) }

    @Test func everySchoolHasAPlateWithItsInspector() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/411081/plates", method: .get, headers: auth.cookie("yuzhou")) { r in
                #expect(r.status == .ok)
                #expect(r.text.components(separatedBy: "class=\"plate-card\"").count - 1 == 190)
                #expect(!r.text.contains("责任督学：<strong>—</strong>"), "every demo school has a responsible inspector")
            }
        }
    }

    @Test func drawsAreReproducibleExcludeOwnSchoolsAndCanBePublished() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            for _ in 0..<2 {
                let r = try await client.execute(
                    uri: "/regions/411081/draws", method: .post, headers: form(auth, "yuzhou"),
                    body: ByteBuffer(string: "csrf=\(auth.csrf("yuzhou"))&title=t&schools=8&inspectors=5&team=2&seed=20261124"))
                #expect(r.status == .seeOther)
            }
            let draws = try await InspectorRepository(db.sql).draws(under: "411081")
            #expect(draws.count == 2 && draws[0].draw == draws[1].draw && draws[0].draw.seed == 20_261_124)
            let responsible = try await InspectorRepository(db.sql).responsibilities(under: "411081")
            for (school, team) in draws[0].draw.teams {
                #expect(team.count == 2 && !team.contains(responsible[school]!), "\(school) got its own inspector")
            }
            // Not public until published; then visible without signing in.
            try await client.execute(uri: "/public/draws/\(draws[0].id)", method: .get) { #expect($0.status == .notFound) }
            let published = try await client.execute(
                uri: "/draws/\(draws[0].id)/publish", method: .post, headers: form(auth, "yuzhou"),
                body: ByteBuffer(string: "csrf=\(auth.csrf("yuzhou"))"))
            #expect(published.status == .seeOther)
            try await client.execute(uri: "/public/draws/\(draws[0].id)", method: .get) { r in
                #expect(r.status == .ok && r.text.contains("20261124"))
            }
            // Results: a signed visit to a drawn school after the draw appears on the public page.
            let drawn = try #require(draws[0].draw.schools.first)
            var answers = VisitAPITests.answers()
            answers["canteen_samples"] = ["bool": true]
            let visit = try await client.execute(
                uri: "/api/v1/schools/\(drawn)/visits", method: .post, headers: auth.bearer("inspector"),
                body: jsonBody([
                    "date": "2099-01-01", "answers": answers, "sign": true,
                    "findings": [["category": "safety", "description": "抽查发现问题"]],
                ]))
            #expect(visit.status == .created)
            try await client.execute(uri: "/public/draws/\(draws[0].id)", method: .get) { r in
                let row = r.text.firstMatch(of: /<td>2099-01-01<\/td><td class="num">(\d+)<\/td>/)?.1
                #expect(row == "1", "the drawn school shows the visit and its one finding")
            }
            // Another county neither draws here nor publishes this draw.
            let foreign = try await client.execute(
                uri: "/regions/411081/draws", method: .post, headers: form(auth, "changge"),
                body: ByteBuffer(string: "csrf=\(auth.csrf("changge"))&schools=2&inspectors=2&team=1"))
            #expect(foreign.status == .notFound)
            let foreignPublish = try await client.execute(
                uri: "/draws/\(draws[1].id)/publish", method: .post, headers: form(auth, "changge"),
                body: ByteBuffer(string: "csrf=\(auth.csrf("changge"))"))
            #expect(foreignPublish.status == .notFound)
            #expect(try await InspectorRepository(db.sql).draw(draws[1].id)?.published == false)
        }
    }
}
