import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// Scoring a sheet: who may, what may be entered, versions, the freeze after self-evaluation,
/// and the programme verdict once its parts are scored.
@Suite("Scoring sheets")
struct SheetsTests {
    static func setUp(_ db: Database) async throws -> (Services, Identity, Identity, Identity) {
        try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
        let services = Services(database: db, clock: FixedClock(day: "2026-11-24"), passwordCost: 4)
        let users = UserRepository(db.sql)
        return (
            services, try #require(try await users.find(username: "yuzhou")), try #require(try await users.find(username: "changge")),
            try #require(try await users.find(username: "xuchang"))
        )
    }

    @Test func whoMayScoreAndWhat() async throws {
        try await TestDatabase.with { db in
            let (services, yuzhou, changge, xuchang) = try await Self.setUp(db)
            let sheet = try #require(ScoreSheet.sheet(id: "basic-2012-promotion"))
            let principal = try #require(try await UserRepository(db.sql).find(username: "principal"))
            // Another county's office and a principal may not; the city above may.
            for outsider in [changge, principal] {
                await #expect(throws: ServiceError.self) {
                    try await services.sheets.score(
                        sheet: sheet, region: "411081", year: 2023, itemId: "bp01", entry: ScoreEntry(score: 20), expectedVersion: 0, by: outsider)
                }
            }
            // Points within 0…max, one decimal.
            for bad in [ScoreEntry(score: 25.5), ScoreEntry(score: -1), ScoreEntry(score: 12.25), ScoreEntry(met: true)] {
                await #expect(throws: ServiceError.self) {
                    try await services.sheets.score(
                        sheet: sheet, region: "411081", year: 2023, itemId: "bp01", entry: bad, expectedVersion: 0, by: yuzhou)
                }
            }
            let first = try await services.sheets.score(
                sheet: sheet, region: "411081", year: 2023, itemId: "bp01", entry: ScoreEntry(score: 22.5, comment: "自评"), expectedVersion: 0,
                by: yuzhou)
            #expect(first.version == 1)
            // A stale version is a conflict, nothing changes.
            await #expect(throws: ServiceError.self) {
                try await services.sheets.score(
                    sheet: sheet, region: "411081", year: 2023, itemId: "bp01", entry: ScoreEntry(score: 25), expectedVersion: 0, by: xuchang)
            }
            let second = try await services.sheets.score(
                sheet: sheet, region: "411081", year: 2023, itemId: "bp01", entry: ScoreEntry(score: 21, comment: "复核扣分"), expectedVersion: 1,
                by: xuchang)
            #expect(second.version == 2)
            let stored = try await ScoreRepository(db.sql).entries(sheet: sheet.id, region: "411081", year: 2023)["bp01"]
            #expect(stored?.entry.score == 21 && stored?.entry.comment == "复核扣分")
            // Computed items are Dudao's while the data answers them (spending growth is known);
            // retention needs 2022 entrants the demo lacks, so the scorer judges it.
            let duty = try #require(ScoreSheet.sheet(id: "county-duty-sheet"))
            await #expect(throws: ServiceError.self) {
                try await services.sheets.score(
                    sheet: duty, region: "411081", year: 2024, itemId: "d04", entry: ScoreEntry(score: 6), expectedVersion: 0, by: yuzhou)
            }
            _ = try await services.sheets.score(
                sheet: duty, region: "411081", year: 2024, itemId: "d09", entry: ScoreEntry(score: 5, evidence: "学籍系统巩固率96.1%"), expectedVersion: 0,
                by: yuzhou)
            let result = try await services.sheets.result(sheet: duty, region: "411081", year: 2024)
            #expect(result.item("d09")?.points == 5 && result.item("d04")?.points == 6)
            // Evidence files are recognised by their bytes.
            await #expect(throws: ServiceError.self) {
                try await services.sheets.score(
                    sheet: sheet, region: "411081", year: 2023, itemId: "bp02", entry: ScoreEntry(score: 20),
                    files: [("a.jpg", "image/jpeg", Data("<script>".utf8))], expectedVersion: 0, by: yuzhou)
            }
            #expect(try await ScoreRepository(db.sql).entries(sheet: sheet.id, region: "411081", year: 2023)["bp02"] == nil)
        }
    }

    /// basic-2012 for 禹州市 2023: the promotion sheet scored 22 + 21 + 20 + 23 = 86 ≥ 85 completes
    /// that part; standardization has no sheet and stays pending, so the verdict stays pending.
    /// After the self-evaluation is submitted the county can no longer change a score, and the
    /// frozen result keeps the sheet as it was.
    @Test func scoredPartsCompleteTheProgrammeAndFreeze() async throws {
        try await TestDatabase.with { db in
            let (services, yuzhou, _, xuchang) = try await Self.setUp(db)
            let sheet = try #require(ScoreSheet.sheet(id: "basic-2012-promotion"))
            for (item, points) in [("bp01", 22.0), ("bp02", 21), ("bp03", 20), ("bp04", 23)] {
                _ = try await services.sheets.score(
                    sheet: sheet, region: "411081", year: 2023, itemId: item, entry: ScoreEntry(score: points), expectedVersion: 0, by: yuzhou)
            }
            let dto = try #require(try await services.evaluations.compute(county: "411081", year: 2023, programme: "basic-2012"))
            let promotion = try #require(dto.parts?.first { $0.id == "government_promotion" })
            #expect(promotion.status == "passed" && promotion.total == 86 && promotion.answered == 4)
            #expect(dto.parts?.first { $0.id == "standardization" }?.status == "pending")
            #expect(dto.verdict == (dto.passed ? "pending" : "failed"))
            // Start and submit the self-evaluation: the county's scores are frozen for it, and so
            // is the report: each step keeps the DOCX as it stood.
            _ = try await services.sheets.saveMeasures(
                region: "411081", year: 2023, programme: "basic-2012", text: "第一稿：新建学校两所", expectedVersion: 0, by: yuzhou)
            let c = try #require(try await services.evaluations.start(county: "411081", year: 2023, programme: "basic-2012", by: yuzhou))
            _ = try await services.sheets.saveMeasures(
                region: "411081", year: 2023, programme: "basic-2012", text: "第二稿：新建学校三所", expectedVersion: 1, by: yuzhou)
            _ = try await services.evaluations.act(.forward(comment: "上报", noticeEndsOn: nil), on: c, expectedVersion: 1, by: yuzhou)
            await #expect(throws: ServiceError.self) {
                try await services.sheets.score(
                    sheet: sheet, region: "411081", year: 2023, itemId: "bp01", entry: ScoreEntry(score: 10), expectedVersion: 1, by: yuzhou)
            }
            // The city reviewer marks an area down: the live result changes, the frozen one does not.
            _ = try await services.sheets.score(
                sheet: sheet, region: "411081", year: 2023, itemId: "bp01", entry: ScoreEntry(score: 18), expectedVersion: 1, by: xuchang)
            let steps = try await EvaluationCaseRepository(db.sql).steps(c.id)
            let frozen = try EvaluationSnapshot.decode(try #require(steps.last).snapshot)
            #expect(frozen.parts?.first { $0.id == "government_promotion" }?.total == 86)
            #expect(frozen.report_measures == "第二稿：新建学校三所")
            let first = try #require(try await AttachmentRepository(db.sql).list(objectType: "evaluation_step", objectId: "\(c.id)/1").first)
            let docx = try #require(try await AttachmentRepository(db.sql).load(first.id)).data
            let xml = String(decoding: try #require(try PackagePart.data("word/document.xml", in: docx)), as: UTF8.self)
            #expect(xml.contains("第一稿：新建学校两所") && !xml.contains("第二稿"))
            let initial = try EvaluationSnapshot.decode(try #require(steps.first).snapshot)
            #expect(initial.report_measures == "第一稿：新建学校两所")
            let diff = try #require(try await services.evaluations.changes(c, steps: steps))
            #expect(diff.changes.contains { $0.what == "government_promotion" && $0.was == "passed 86" && $0.now == "failed 82" })
        }
    }
}
