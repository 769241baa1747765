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
                #expect(page.contains("returns of 2019"))
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
