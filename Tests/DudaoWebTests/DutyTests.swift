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

/// 督政 on the demo: 禹州市 fails some duty indicators (data made so in `DemoDuty`), the city
/// ranks its counties, and county facts are imported all or nothing with audit rows.
@Suite("Government duty (督政)")
struct DutyTests {
    @Test func countyPageShowsIndicatorsAndShortfallsInWords() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/411081/duty?year=2024", method: .get, headers: auth.cookie("yuzhou")) { r in
                #expect(r.status == .ok)
                let page = r.text
                #expect(page.contains("data-indicator=\"large_class_share\" class=\"fail\""))
                #expect(page.contains("data-indicator=\"preschool_gross_enrolment\" class=\"fail\""))
                #expect(page.contains("data-indicator=\"legal_vice_principal_rate\" class=\"pass\""))
                // Retention needs the entrants of 2019: the demo has none, so it is unknown and says why.
                #expect(page.contains("data-indicator=\"retention_primary\" class=\"unknown\""))
                #expect(page.contains("缺少数据 2019年统计数据"))
                #expect(page.contains("少拨"))
            }
            // JSON: fractions with the published display, the missing fact named.
            let api = try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: auth.bearer("yuzhou"))
            let body = try #require(try api.json() as? [String: Any])
            let indicators = try #require(body["indicators"] as? [[String: Any]])
            let gross = try #require(indicators.first { $0["id"] as? String == "preschool_gross_enrolment" })
            #expect(gross["display"] as? String == "87.00%" && gross["passed"] as? Bool == false)
            let retention = try #require(indicators.first { $0["id"] as? String == "retention_primary" })
            #expect(retention["passed"] is NSNull && (retention["missing"] as? [String]) == ["returns of 2019"])
            #expect(((body["public_funds_shortfalls"] as? [[String: Any]])?.count ?? 0) == 2)
        }
    }

    @Test func cityRanksItsCounties() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/4110/duty?year=2024", method: .get, headers: auth.cookie("xuchang")) { r in
                #expect(r.status == .ok)
                // 禹州市 has private schools; 长葛市 and 襄城县 have none and share first place.
                let table = r.text.components(separatedBy: "data-indicator=\"private_share_compulsory\"")[1].components(separatedBy: "</table>")[0]
                let order = ["411082", "411025", "411081"].map { table.range(of: "data-county=\"\($0)\"")!.lowerBound }
                #expect(order[2] > order[0] && order[2] > order[1])
            }
            let api = try await client.execute(uri: "/api/v1/regions/4110/duty?year=2024", method: .get, headers: auth.bearer("xuchang"))
            let rankings = try #require((try api.json() as? [String: Any])?["rankings"] as? [[String: Any]])
            let gross = try #require(rankings.first { $0["id"] as? String == "preschool_gross_enrolment" }?["counties"] as? [[String: Any]])
            // 禹州市 (87.00%) last behind 长葛市 and 襄城县 (about 93%), higher values first.
            #expect(gross.last?["county"] as? String == "411081" && gross.last?["display"] as? String == "87.00%")
            #expect(gross.map { $0["rank"] as? Int } == [1, 2, 3])
            let values = gross.compactMap { $0["value"] as? Double }
            #expect(values.count == 3 && values == values.sorted(by: >))
        }
    }

    /// The county office edits its facts in the form; the duty page follows; a stale version is
    /// a conflict; an approval in a round of the year locks them like school returns.
    @Test func countyFactsFormVersionAndLock() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let page = try await client.execute(uri: "/regions/411081/facts?year=2024", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok && page.text.contains("name=\"teacher_average_pay_yuan\" value=\"86400\""))
            let form: HTTPFields = auth.cookie("yuzhou").merging([.contentType: "application/x-www-form-urlencoded"])
            var fields = [
                "csrf": auth.csrf("yuzhou"), "year": "2024", "version": "1", "teacher_average_pay_yuan": "88200",
                "civil_servant_average_pay_yuan": "88100", "preschool_age_population": "",
            ]
            func body() -> ByteBuffer {
                ByteBuffer(
                    string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(
                        separator: "&"))
            }
            let saved = try await client.execute(uri: "/regions/411081/facts", method: .post, headers: form, body: body())
            #expect(saved.status == .seeOther)
            let stored = try #require(try await CountyFactRepository(db.sql).find(county: "411081", year: 2024))
            #expect(stored.version == 2 && stored.facts[.teacherAveragePay] == 88_200 && stored.facts[.preschoolAgePopulation] == nil)
            // Teacher pay now passes; gross enrolment has lost its population and names it.
            let duty = try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: auth.bearer("yuzhou"))
            let indicators = try #require((try duty.json() as? [String: Any])?["indicators"] as? [[String: Any]])
            #expect(indicators.first { $0["id"] as? String == "teacher_pay_not_below_civil_servants" }?["passed"] as? Bool == true)
            #expect(indicators.first { $0["id"] as? String == "preschool_gross_enrolment" }?["missing"] as? [String] == ["preschool_age_population"])
            // The same version again: someone else's change is not overwritten.
            let stale = try await client.execute(uri: "/regions/411081/facts", method: .post, headers: form, body: body())
            #expect(stale.status == .conflict)
            // Bad numbers name the field.
            fields["version"] = "2"
            fields["teacher_average_pay_yuan"] = "1e400"
            let bad = try await client.execute(uri: "/regions/411081/facts", method: .post, headers: form, body: body())
            #expect(bad.status == .badRequest)
            // Approved by the city in a round of 2024: locked.
            try await db.sql.insert(into: "rounds").columns("id", "year", "region_code", "title", "opened_by", "opened_at")
                .values("r-lock", 2024, "4110", "2024学年统计数据填报", "xuchang", "2026-11-01T00:00:00.000Z").run()
            try await db.sql.insert(into: "round_approvals").columns("round_id", "region_code", "approved_by", "approved_at")
                .values("r-lock", "411081", "xuchang", "2026-11-02T00:00:00.000Z").run()
            fields["teacher_average_pay_yuan"] = "90000"
            let locked = try await client.execute(uri: "/regions/411081/facts", method: .post, headers: form, body: body())
            #expect(locked.status == .conflict && locked.text.contains("已审核通过"))
            let view = try await client.execute(uri: "/regions/411081/facts?year=2024", method: .get, headers: auth.cookie("yuzhou"))
            #expect(view.text.contains("id=\"locked\"") && !view.text.contains("<button type=\"submit\">保存</button>"))
            // Another county's facts: not found.
            #expect(
                try await client.execute(uri: "/regions/411081/facts?year=2024", method: .get, headers: auth.cookie("changge")).status == .notFound)
        }
    }

    @Test func countyFactsImportIsAllOrNothingWithAudit() async throws {
        try await TestDatabase.with { db in
            try await DemoLoader.loadReturns(Services(database: db), log: { _ in })
            let services = Services(database: db)
            let auditBefore = try await TestDatabase.count(db, "audit_log")
            let before = try #require(try await CountyFactRepository(db.sql).find(county: "411081", year: 2024))
            // The second row names a region that is not a county: nothing of the first is stored.
            var changed = before.facts
            changed[.teacherAveragePay] = 90_000
            await #expect(throws: ImportRejected.self) {
                _ = try await services.duty.importFacts(
                    [(2, changed), (3, CountyFacts(countyCode: "4110", year: 2024, values: [.preschoolAgePopulation: 1]))],
                    source: "t.csv", by: nil, actorName: "t")
            }
            #expect(try await CountyFactRepository(db.sql).find(county: "411081", year: 2024)?.facts == before.facts)
            #expect(try await TestDatabase.count(db, "audit_log") == auditBefore)
            // A county office may not import another county's facts.
            let changge = Identity(userId: "u", username: "changge", displayName: "c", role: .county, regionCode: "411082", schoolCode: nil)
            await #expect(throws: ImportRejected.self) {
                _ = try await services.duty.importFacts([(2, changed)], source: "t.csv", by: changge, actorName: "changge")
            }
            // A valid file stores the change, bumps the version and writes one audit row.
            let counts = try await services.duty.importFacts([(2, changed)], source: "t.csv", by: nil, actorName: "t")
            #expect(counts.updated == 1 && counts.inserted == 0)
            let after = try #require(try await CountyFactRepository(db.sql).find(county: "411081", year: 2024))
            #expect(after.facts[.teacherAveragePay] == 90_000 && after.version == before.version + 1)
            #expect(try await TestDatabase.count(db, "audit_log") == auditBefore + 1)
        }
    }
}
