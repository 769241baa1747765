import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Testing

@Suite("Evaluation from stored returns")
struct EvaluationServiceTests {
    /// The store must hand the evaluator exactly what was imported: the result from the
    /// database equals the result computed directly from the demo records.
    @Test func storedEvaluationMatchesInMemory() async throws {
        try await TestDatabase.with { db in
            let records = DemoCounty.records().filter { $0.data.year == 2024 }
            _ = try await Services(database: db).returns.importBatch(
                ReturnBatch(source: "demo", records: records, issues: [], columnNames: [:]), actor: "t")
            let programme = try #require(ProgrammeCatalog.programme(id: "quality-2017"))
            let county = records.filter { $0.school.countyCode == "411081" }
            let expected = CountyEvaluator.evaluate(
                programme: programme, region: RegionCatalog.standard["411081"]!, year: 2024,
                schools: Array(Set(county.map(\.school))), returns: county.map(\.data))
            guard case .county(let stored) = try await EvaluationService(db.sql).evaluate(region: "411081", year: nil, programme: "quality-2017")
            else {
                Issue.record("a county gives a county evaluation")
                return
            }
            #expect(stored.year == 2024)
            #expect(stored.passed == expected.passed)
            for (a, b) in zip(stored.stages, expected.stages) {
                #expect(a.indicators.map { $0.dispersion?.cv } == b.indicators.map { $0.dispersion?.cv })
                #expect(a.schools.map(\.school.code).sorted() == b.schools.map(\.school.code).sorted())
                #expect(a.failingSchools.count == b.failingSchools.count)
            }
        }
    }

    @Test func cityRollsUpItsCounties() async throws {
        try await TestDatabase.with { db in
            let records = DemoCounty.records().filter { $0.data.year == 2024 }
            _ = try await Services(database: db).returns.importBatch(
                ReturnBatch(source: "demo", records: records, issues: [], columnNames: [:]), actor: "t")
            guard case .rollup(let r) = try await EvaluationService(db.sql).evaluate(region: "4110", year: 2024, programme: "quality-2017") else {
                Issue.record("a city gives a roll-up")
                return
            }
            #expect(r.counties.map(\.region.code) == ["411025", "411081", "411082"])
            // The demo is built so that 长葛市 passes and 禹州市 fails on primary sports area.
            #expect(r.counties.map(\.passed) == [false, false, true])
            let yuzhou = try #require(r.counties.first { $0.region.code == "411081" })
            #expect(yuzhou.worst.first { $0.stage == .primary }?.indicator == "sports_area_per_student")
        }
    }

    @Test func unknownRegionAndProgrammeAreErrors() async throws {
        try await TestDatabase.with { db in
            await #expect(throws: EvaluationFailure.self) {
                try await EvaluationService(db.sql).evaluate(region: "419999", year: 2024, programme: "quality-2017")
            }
            await #expect(throws: EvaluationFailure.self) {
                try await EvaluationService(db.sql).evaluate(region: "", year: 2024, programme: "no-such")
            }
        }
    }
}
