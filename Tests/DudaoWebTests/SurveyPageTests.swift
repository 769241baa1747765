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

/// Surveys through HTTP: the public answering page (no sign-in, no JavaScript), the office's
/// pages and downloads, and the API.
@Suite("Survey pages and API")
struct SurveyPageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func parentLink(_ db: Database, _ services: Services) async throws -> String {
        let changge = try #require(try await UserRepository(db.sql).find(username: "changge"))
        let created = try await services.surveys.createLinks(
            .init(surveyId: "parents-satisfaction", region: "411082", group: .parents, perSchool: 1, closesOn: "2099-12-31"), by: changge)
        return created.links[0].token
    }

    static func fullAnswers(_ choice: String) -> String {
        let likert = ["conditions", "teachers", "workload", "after_school", "admission", "fees", "safety", "gap", "government"]
        return
            (["a_child_stage=primary", "a_boarding=0", "a_irregular_fees=0", "a_suggestions=%E5%BE%88%E5%A5%BD"] + likert.map { "a_\($0)=\(choice)" })
            .joined(separator: "&")
    }

    @Test func aParentAnswersOnceWithoutSigningIn() async throws {
        try await withDemoApp { client, _ in
            let db = try #require(TestContext.database)
            let token = try await Self.parentLink(db, Services(database: db))
            let page = try await client.execute(uri: "/s/\(token)", method: .get)
            #expect(page.status == .ok && page.text.contains("家长卷") && page.text.contains("非常满意") && page.text.contains("name=\"a_government\""))
            #expect(page.headers[.cacheControl] == "no-store" && !page.text.contains("<script"))
            // Saved half-way, resumed from the same link with the answer checked.
            let saved = try await client.execute(
                uri: "/s/\(token)", method: .post, headers: Self.form, body: ByteBuffer(string: "action=save&a_conditions=satisfied"))
            #expect(saved.status == .ok && saved.text.contains("已保存"))
            let resumed = try await client.execute(uri: "/s/\(token)", method: .get)
            #expect(resumed.text.contains("value=\"satisfied\" checked"))
            // Submitting with questions missing names them; a number that is not one is refused.
            let missing = try await client.execute(
                uri: "/s/\(token)", method: .post, headers: Self.form, body: ByteBuffer(string: "action=submit&a_conditions=satisfied"))
            #expect(missing.status == .unprocessableContent && missing.text.contains("必填项未填写"))
            let done = try await client.execute(
                uri: "/s/\(token)", method: .post, headers: Self.form, body: ByteBuffer(string: "action=submit&" + Self.fullAnswers("very_satisfied"))
            )
            #expect(done.status == .seeOther && done.headers[.location] == "/survey-thanks")
            #expect(try await client.execute(uri: "/survey-thanks", method: .get).text.contains("感谢"))
            let again = try await client.execute(uri: "/s/\(token)", method: .get)
            #expect(again.status == .conflict && again.text.contains("已经提交过"))
            let twice = try await client.execute(
                uri: "/s/\(token)", method: .post, headers: Self.form, body: ByteBuffer(string: "action=submit&" + Self.fullAnswers("neutral")))
            #expect(twice.status == .conflict)
            #expect(try await client.execute(uri: "/s/short", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/s/AAAAAAAAAAAAAAAAAAAAAA", method: .get).status == .notFound)
        }
    }

    @Test func theOfficeCreatesLinksPrintsThemAndReadsResults() async throws {
        try await withDemoApp(clock: FixedClock(day: "2026-11-25")) { client, auth in
            let list = try await client.execute(uri: "/regions/411081/surveys", method: .get, headers: auth.cookie("yuzhou"))
            #expect(list.status == .ok && list.text.contains("id=\"campaigns\"") && list.text.contains("家长卷") && list.text.contains("%"))
            let body =
                "csrf=\(auth.csrf("yuzhou"))&survey=students-satisfaction&group=students&links=2&closes=2026-12-31&school=1411081001,1411081002&title="
            let created = try await client.execute(
                uri: "/regions/411081/surveys", method: .post, headers: auth.cookie("yuzhou").merging(Self.form), body: ByteBuffer(string: body))
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let campaign = try await client.execute(uri: location, method: .get, headers: auth.cookie("yuzhou"))
            #expect(campaign.status == .ok && campaign.text.contains("id=\"totals\"") && campaign.text.contains("<strong>4</strong>"))
            let invitations = try await client.execute(uri: location + "/invitations", method: .get, headers: auth.cookie("yuzhou"))
            #expect(invitations.status == .ok && invitations.text.components(separatedBy: "class=\"invitation\"").count - 1 == 4)
            #expect(invitations.text.contains("<svg") && invitations.text.contains("/s/"))
            // The same cards as a Word document: one QR picture per link.
            let docx = try await client.execute(uri: location + "/invitations?format=docx", method: .get, headers: auth.cookie("yuzhou"))
            let docxData = Data(buffer: docx.body)
            #expect(docx.status == .ok && docxData.prefix(2) == Data([0x50, 0x4B]))
            #expect(
                try PackagePart.data("word/media/image4.png", in: docxData) != nil && PackagePart.data("word/media/image5.png", in: docxData) == nil)
            let csv = try await client.execute(uri: location + "/links.csv", method: .get, headers: auth.cookie("yuzhou"))
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.components(separatedBy: "/s/").count - 1 == 4)
            // Without the form's CSRF token nothing is created.
            let forged = try await client.execute(
                uri: "/regions/411081/surveys", method: .post, headers: auth.cookie("yuzhou").merging(Self.form),
                body: ByteBuffer(string: "survey=students-satisfaction&group=students&links=2&closes=2026-12-31"))
            #expect(forged.status == .forbidden)
            // The demo's parents' campaign: results page, workbook and a chart.
            let db = try #require(TestContext.database)
            let parents = try #require(try await SurveyRepository(db.sql).campaigns(under: "411081").first { $0.surveyId == "parents-satisfaction" })
            let results = try await client.execute(uri: "/surveys/\(parents.id)", method: .get, headers: auth.cookie("xuchang"))
            #expect(results.status == .ok && results.text.contains("survey-chart") && results.text.contains("人数过少"))
            let xlsx = try await client.execute(uri: "/surveys/\(parents.id)?format=xlsx", method: .get, headers: auth.cookie("yuzhou"))
            #expect(xlsx.status == .ok && xlsx.body.getBytes(at: 0, length: 2) == [0x50, 0x4B])
            let chart = try await client.execute(uri: "/surveys/\(parents.id)/charts/government", method: .get, headers: auth.cookie("yuzhou"))
            #expect(chart.headers[.contentType]?.hasPrefix("image/svg+xml") == true && chart.text.contains("非常满意"))
            // A principal sees neither the list nor the form.
            #expect(try await client.execute(uri: "/regions/411081/surveys", method: .get, headers: auth.cookie("principal")).status != .ok)
            // The county page shows the measured satisfaction part.
            let county = try await client.execute(uri: "/regions/411081?year=2024", method: .get, headers: auth.cookie("yuzhou"))
            #expect(county.text.contains("社会认可度") && county.text.contains("/regions/411081/surveys"))
        }
    }

    @Test func theAPICreatesLinksReportsAndCloses() async throws {
        try await withDemoApp(clock: FixedClock(day: "2026-11-25")) { client, auth in
            let created = try await post(
                client, auth, "changge", "/api/v1/regions/411082/survey-campaigns",
                ["survey": "teachers-satisfaction", "group": "teachers", "links": 3, "closes": "2026-12-31"])
            #expect(created.status == .created)
            let object = try #require(try created.json() as? [String: Any])
            let id = try #require(object["campaign"] as? String)
            let links = try #require(object["links"] as? [[String: Any]])
            let db = try #require(TestContext.database)
            #expect(links.count == 3 * (try await SchoolRepository(db.sql).list(under: "411082").count))
            let bad = try await post(
                client, auth, "changge", "/api/v1/regions/411082/survey-campaigns",
                ["survey": "teachers-satisfaction", "group": "parents", "links": 3, "closes": "2026-12-31"])
            #expect(bad.status == .badRequest && bad.text.contains("\"field\":\"group\""))
            let results = try await client.execute(uri: "/api/v1/survey-campaigns/\(id)/results", method: .get, headers: auth.bearer("xuchang"))
            let r = try #require(try results.json() as? [String: Any])
            #expect(r["responses"] as? Int == 0 && r["invited"] as? Int == links.count && r["satisfaction_rate"] is NSNull)
            let closed = try await client.execute(uri: "/api/v1/survey-campaigns/\(id)/close", method: .post, headers: auth.bearer("changge"))
            #expect(closed.status == .noContent)
            let surveys = try await client.execute(uri: "/api/v1/surveys", method: .get, headers: auth.bearer("changge"))
            #expect(surveys.text.contains("inspector-work"))
        }
    }
}
