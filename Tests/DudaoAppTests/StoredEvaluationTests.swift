import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// Stored evaluation results (issue #10 §2): served while the region's data version holds,
/// recomputed after any change to what the evaluation reads, and always equal to a computation
/// from scratch.
@Suite("Stored evaluations")
struct StoredEvaluationTests {
    func withDemo(_ body: (Database) async throws -> Void) async throws {
        try await TestDatabase.with { db in
            try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
            try await body(db)
        }
    }

    func services(_ db: Database, day: String = "2026-11-24") -> Services {
        Services(database: db, clock: FixedClock(day: day), passwordCost: 4)
    }

    /// The county's API JSON computed from scratch, not through the store.
    func fresh(_ services: Services, _ code: String, year: Int = 2024) async throws -> String {
        guard case .county(let e) = try await EvaluationService(services.reads).evaluate(region: code, year: year, programme: "quality-2017")
        else { throw EvaluationFailure.noData(region: code) }
        var dto = CountyEvaluationDTO(e)
        dto.complete(with: try await services.evaluations.parts(of: e))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(dto), as: UTF8.self)
    }

    func read(_ services: Services, _ code: String) async throws -> StoredEvaluations.Result {
        try await services.storedEvaluations.read(region: code, year: 2024, programme: "quality-2017", language: .zh)
    }

    @Test func servedFromTheStoreUntilTheCountysDataChanges() async throws {
        try await withDemo { db in
            let services = services(db)
            let first = try await read(services, "411081")
            #expect(first.computed && first.dataVersion > 0)
            let expected = try await fresh(services, "411081")
            #expect(first.body == expected)
            let second = try await read(services, "411081")
            #expect(!second.computed && second.body == first.body && second.computedAt == first.computedAt)

            // A return of one school changes: the county's version rises and the result follows.
            let school = try #require(try await SchoolRepository(services.reads).find("1411081001"))
            let row = try #require(try await ReturnRepository(services.reads).rows(school: school.code).first { $0.data.year == 2024 })
            var data = row.data
            data[.teachingAreaM2] = (data[.teachingAreaM2] ?? 0) + 800
            _ = try await services.returns.edit(
                school: school, data: data, expectedVersion: row.version, reasons: [:], actor: "t")
            let third = try await read(services, "411081")
            #expect(third.computed && third.dataVersion == first.dataVersion + 1)
            let recomputed = try await fresh(services, "411081")
            #expect(third.body != first.body && third.body == recomputed)
        }
    }

    @Test func aScoreInOneCountyMarksItsCityButNotItsNeighbour() async throws {
        try await withDemo { db in
            let services = services(db)
            _ = try await read(services, "411082")
            let city = try await read(services, "4110")
            #expect(city.computed)
            let yuzhou = try #require(try await UserRepository(db.sql).find(username: "yuzhou"))
            let sheet = try #require(ScoreSheet.sheet(id: "quality-2017-assurance"))
            let version = try await ScoreRepository(services.reads).entries(sheet: sheet.id, region: "411081", year: 2024)["ga01"]?.version ?? 0
            _ = try await services.sheets.score(
                sheet: sheet, region: "411081", year: 2024, itemId: "ga01", entry: ScoreEntry(met: false, comment: "规划未印发"),
                files: [], expectedVersion: version, by: yuzhou)
            let cityAfter = try await read(services, "4110"), neighbour = try await read(services, "411082")
            #expect(cityAfter.computed && !neighbour.computed)
            // 禹州市's stored result now holds the new score.
            let yuzhouResult = try await read(services, "411081")
            #expect(yuzhouResult.computed && yuzhouResult.body.contains("规划未印发"))
        }
    }

    @Test func aResultFromAnotherDayIsComputedAgain() async throws {
        try await withDemo { db in
            let first = try await read(services(db, day: "2026-11-24"), "411081")
            let sameDay = try await read(services(db, day: "2026-11-24"), "411081")
            let nextDay = try await read(services(db, day: "2026-11-25"), "411081")
            #expect(first.computed && !sameDay.computed && nextDay.computed)
        }
    }

    @Test func countyFactsAndImportsRaiseTheVersion() async throws {
        try await withDemo { db in
            let services = services(db)
            let before = try await DataVersions(services.reads).version(of: "411081")
            let rows = [(row: 2, facts: CountyFacts(countyCode: "411081", year: 2024, values: [.teacherAveragePay: 91_000]))]
            _ = try await services.duty.importFacts(rows, source: "facts.csv", by: nil, actorName: "t")
            let afterFacts = try await DataVersions(services.reads).version(of: "411081")
            #expect(afterFacts == before + 1)
            let records = DemoCounty.records().filter { $0.data.year == 2024 && $0.school.countyCode == "411081" }
            _ = try await services.returns.importBatch(ReturnBatch(source: "again.csv", records: records, issues: [], columnNames: [:]), actor: "t")
            #expect(try await DataVersions(services.reads).version(of: "411081") == afterFacts + 1)
            // The province is the sum of its counties.
            let counties = ["411081", "411082", "411023"]
            var sum = 0
            for c in counties { sum += try await DataVersions(services.reads).version(of: c) }
            #expect(try await DataVersions(services.reads).version(of: "41") >= sum)
        }
    }
}
