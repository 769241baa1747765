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

/// 年度目标考核 on the demo: 许昌市 assesses its three counties; 长葛市 ranks first, 禹州市 loses
/// points for its overdue rectification cases, 襄城县 is not fully scored.
@Suite("Annual target assessment")
struct AssessmentTests {
    @Test func rankingDeductionsAndBulletin() async throws {
        try await withDemoApp(clock: FixedClock(day: "2026-11-25")) { client, auth in
            let db = try #require(TestContext.database)
            let a = try #require(try await AssessmentRepository(db.sql).find(office: "4110", sheet: "annual-assessment-county", year: 2026))
            // 禹州市's deduction is 5 per case of 2026 past its deadline and not closed by it (at most 20).
            let cases = try await RectificationRepository(db.sql).list(under: "411081")
            let missed = cases.filter { $0.missedDeadline(from: "2026-01-01", to: "2026-12-31", today: "2026-11-25") }.count
            let services = Services(database: db, clock: FixedClock(day: "2026-11-25"))
            let ranking = try await services.assessments.ranking(a)
            let yuzhou = try #require(ranking.rows.first { $0.region.code == "411081" })
            #expect(yuzhou.result.item("a08")?.points == Double(max(0, 20 - 5 * missed)))
            // Hand points 13+8+14+9+11+8+9 = 72 plus the rectification item.
            #expect(abs(yuzhou.result.total - Double(72 + max(0, 20 - 5 * missed))) < 1e-9)
            #expect(ranking.rows.first?.region.code == "411082" && ranking.rows.first?.rank == 1)
            #expect(ranking.rows.last?.region.code == "411025" && ranking.rows.last?.rank == nil)

            let page = try await client.execute(uri: "/assessments/\(a.id)", method: .get, headers: auth.cookie("xuchang"))
            #expect(page.status == .ok && page.text.contains("data-region=\"411082\"") && page.text.contains("优秀"))
            let docx = try await client.execute(uri: "/assessments/\(a.id)?format=docx", method: .get, headers: auth.cookie("xuchang"))
            #expect(docx.status == .ok && docx.body.getBytes(at: 0, length: 2) == [0x50, 0x4B])
            let xlsx = try await client.execute(uri: "/assessments/\(a.id)?format=xlsx", method: .get, headers: auth.cookie("xuchang"))
            #expect(xlsx.status == .ok && xlsx.headers[.contentType]?.contains("spreadsheetml") == true)
            // The counties assessed see the bulletin; nobody outside 许昌市 does.
            #expect(try await client.execute(uri: "/assessments/\(a.id)", method: .get, headers: auth.cookie("changge")).status == .ok)
            #expect(try await client.execute(uri: "/assessments/\(a.id)", method: .get, headers: auth.cookie("principal")).status == .notFound)
        }
    }

    @Test func onlyTheOfficeAboveScoresAndOpens() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let services = Services(database: db, passwordCost: 4)
            let users = UserRepository(db.sql)
            let yuzhou = try #require(try await users.find(username: "yuzhou"))
            let sheet = try #require(ScoreSheet.sheet(id: "annual-assessment-county"))
            // A county does not mark its own assessment.
            await #expect(throws: ServiceError.self) {
                try await services.sheets.score(
                    sheet: sheet, region: "411081", year: 2030, itemId: "a01", entry: ScoreEntry(score: 15), expectedVersion: 0, by: yuzhou)
            }
            // The deduction item is never scored by hand.
            let xuchang = try #require(try await users.find(username: "xuchang"))
            await #expect(throws: ServiceError.self) {
                try await services.sheets.score(
                    sheet: sheet, region: "411081", year: 2030, itemId: "a08", entry: ScoreEntry(score: 20), expectedVersion: 0, by: xuchang)
            }
            // Opening through the page: the city may, a county may not open one for its city.
            let form: HTTPFields = auth.cookie("xuchang").merging([.contentType: "application/x-www-form-urlencoded"])
            let body = "csrf=\(auth.csrf("xuchang"))&sheet=annual-assessment-county&year=2030&from=2030-01-01&to=2030-12-31&title="
            let opened = try await client.execute(uri: "/regions/4110/assessments", method: .post, headers: form, body: ByteBuffer(string: body))
            #expect(opened.status == .seeOther && opened.headers[.location]?.hasPrefix("/assessments/") == true)
            let again = try await client.execute(uri: "/regions/4110/assessments", method: .post, headers: form, body: ByteBuffer(string: body))
            #expect(again.status == .conflict)
            let county: HTTPFields = auth.cookie("yuzhou").merging([.contentType: "application/x-www-form-urlencoded"])
            let refused = try await client.execute(
                uri: "/regions/4110/assessments", method: .post, headers: county,
                body: ByteBuffer(string: body.replacingOccurrences(of: auth.csrf("xuchang"), with: auth.csrf("yuzhou"))))
            #expect([.notFound, .forbidden].contains(refused.status))
            // A period that ends before it starts names the field.
            let bad = try await client.execute(
                uri: "/regions/4110/assessments", method: .post, headers: form,
                body: ByteBuffer(
                    string: body.replacingOccurrences(of: "2030-12-31", with: "2029-12-31").replacingOccurrences(of: "year=2030", with: "year=2031")))
            #expect(bad.status == .badRequest)
        }
    }
}
