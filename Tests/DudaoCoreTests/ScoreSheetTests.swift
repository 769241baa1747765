import Foundation
import Testing

@testable import DudaoCore

/// Score sheets: totals, weights, veto, grade bands, deductions and computed items, against
/// figures worked out by hand.
@Suite("Score sheets")
struct ScoreSheetTests {
    /// Three scored items weighted 50/30/20, a deduction item and a veto item.
    static let annual = """
        {"id": "t", "name_zh": "测试考核", "name_en": "test", "source": "test", "wording": "test", "scoring": "points", "pass_total": 60,
         "grades": [{"min": 90, "zh": "优秀", "en": "excellent"}, {"min": 80, "zh": "良好", "en": "good"}, {"min": 60, "zh": "合格", "en": "pass"}, {"min": 0, "zh": "不合格", "en": "fail"}],
         "items": [
          {"id": "a", "text_zh": "甲", "text_en": "a", "max": 10, "weight": 40},
          {"id": "b", "text_zh": "乙", "text_en": "b", "max": 20, "weight": 30},
          {"id": "c", "text_zh": "丙", "text_en": "c", "max": 100, "weight": 10},
          {"id": "d", "text_zh": "整改", "text_en": "overdue", "max": 20, "weight": 20, "deduction": {"source": "overdue_rectifications", "per": 5}},
          {"id": "v", "text_zh": "重大事故", "text_en": "incident", "veto": true}
         ]}
        """

    static func sheet(_ json: String = annual) throws -> ScoreSheet { try JSONDecoder().decode(ScoreSheet.self, from: Data(json.utf8)) }

    @Test func weightedTotalGradeAndDeductions() throws {
        let sheet = try Self.sheet()
        let entries: [String: ScoreEntry] = [
            "a": ScoreEntry(score: 8), "b": ScoreEntry(score: 15), "c": ScoreEntry(score: 90), "v": ScoreEntry(vetoed: false),
        ]
        // Two overdue cases: 20 − 2 × 5 = 10 of 20.
        let r = SheetEvaluator.evaluate(sheet, entries: entries, facts: SheetFacts(counts: [.overdueRectifications: 2]))
        // 8/10 × 40 + 15/20 × 30 + 90/100 × 10 + 10/20 × 20 = 32 + 22.5 + 9 + 10 = 73.5
        #expect(abs(r.total - 73.5) < 1e-9)
        #expect(r.complete && r.passed == true && r.grade?.zh == "合格")
        #expect(r.item("d")?.deducted == 10 && r.item("d")?.points == 10)
        // Five overdue cases take all 20 points, never more.
        let many = SheetEvaluator.evaluate(sheet, entries: entries, facts: SheetFacts(counts: [.overdueRectifications: 5]))
        #expect(many.item("d")?.points == 0 && abs(many.total - 63.5) < 1e-9)
        // Exactly at a band's lower edge: 90 is 优秀.
        let top = SheetEvaluator.evaluate(
            sheet, entries: ["a": ScoreEntry(score: 10), "b": ScoreEntry(score: 20), "c": ScoreEntry(score: 100), "v": ScoreEntry()],
            facts: SheetFacts(counts: [.overdueRectifications: 2]))
        #expect(abs(top.total - 90) < 1e-9 && top.grade?.zh == "优秀")
    }

    @Test func vetoFailsWhateverTheScore() throws {
        let sheet = try Self.sheet()
        let r = SheetEvaluator.evaluate(
            sheet, entries: ["a": ScoreEntry(score: 10), "b": ScoreEntry(score: 20), "c": ScoreEntry(score: 100), "v": ScoreEntry(vetoed: true)],
            facts: SheetFacts())
        #expect(r.vetoed && r.passed == false && r.grade?.zh == "不合格")
    }

    @Test func unansweredItemsLeaveTheVerdictOpen() throws {
        let r = SheetEvaluator.evaluate(try Self.sheet(), entries: ["a": ScoreEntry(score: 10)], facts: SheetFacts())
        // a and the deduction item (no overdue cases: full 20) are answered; b, c and the veto question are not.
        #expect(r.answered == 2 && !r.complete && r.passed == nil && r.grade == nil)
        #expect(abs(r.total - 60) < 1e-9)
    }

    @Test func badSheetsAreRefusedWhenLoaded() {
        // Weights of a points sheet must add up to 100.
        #expect(throws: DecodingError.self) {
            try Self.sheet(Self.annual.replacingOccurrences(of: "\"weight\": 40", with: "\"weight\": 41"))
        }
        // A computed item naming a field that does not exist.
        #expect(throws: DecodingError.self) {
            try Self.sheet(
                Self.annual.replacingOccurrences(
                    of: "\"max\": 10, \"weight\": 40", with: "\"max\": 10, \"weight\": 40, \"computed\": {\"every_school\": \"pupils <= 2000\"}"))
        }
    }

    /// The quality-2017 assurance sheet on the duty test county: school size computed from the
    /// returns (all under 2000), small rural schools funded as 100 (山村民办小学: 65,000 for 60
    /// students), teacher pay from the duty indicator (98% fails).
    @Test func computedItemsOfTheAssuranceSheet() throws {
        let sheet = try #require(ScoreSheet.sheet(programme: "quality-2017", part: "government_assurance"))
        #expect(sheet.items.count == 15 && sheet.scoring == .passFail)
        let duty = DutyEvaluatorTests.evaluate()
        let facts = SheetFacts(duty: duty, schools: DutyEvaluatorTests.schools, returns: DutyEvaluatorTests.returns2024)
        var r = SheetEvaluator.evaluate(sheet, entries: [:], facts: facts)
        #expect(r.item("ga03")?.met == true)
        #expect(r.item("ga06")?.met == true)
        #expect(r.item("ga08")?.met == false && r.item("ga08")?.computed?.details.first?.contains("98.00%") == true)
        // No special school: nothing to check, so the standard holds.
        #expect(r.item("ga07")?.met == true)
        #expect(r.passed == nil && r.answered == 4)
        // A 2,100-student primary school fails the size item, named with its students.
        var big = DutyEvaluatorTests.returns2024
        big[0][.students] = 2100
        r = SheetEvaluator.evaluate(sheet, entries: [:], facts: SheetFacts(duty: duty, schools: DutyEvaluatorTests.schools, returns: big))
        #expect(r.item("ga03")?.met == false && r.item("ga03")?.computed?.details == ["城关小学 2100"])
        // Every other item met by hand: the part fails on teacher pay alone.
        let byHand = Dictionary(uniqueKeysWithValues: sheet.items.map { ($0.id, ScoreEntry(met: true)) })
        r = SheetEvaluator.evaluate(sheet, entries: byHand, facts: facts)
        #expect(r.complete && r.passed == false && r.items.filter { $0.met == false }.map(\.id) == ["ga08"])
    }

    /// 甲 73.5, 乙 90, 丙 90 (tie: shared rank 2… after 乙 by code), 丁 vetoed with 95 points
    /// ranks after every other graded region, 戊 not fully scored comes last without a rank.
    @Test func assessmentRankingTiesVetoAndOpenSheets() throws {
        let sheet = try Self.sheet()
        func region(_ code: String, _ name: String) -> Region { Region(code: code, name: name, level: .county, parentCode: "4199") }
        func result(_ a: Double, _ b: Double, _ c: Double, veto: Bool = false, open: Bool = false) -> SheetResult {
            var entries: [String: ScoreEntry] = ["a": ScoreEntry(score: a), "b": ScoreEntry(score: b), "c": ScoreEntry(score: c)]
            if !open { entries["v"] = ScoreEntry(vetoed: veto) }
            return SheetEvaluator.evaluate(sheet, entries: entries, facts: SheetFacts(counts: [.overdueRectifications: 2]))
        }
        let ranking = AssessmentRanking.make([
            (region("419905", "戊"), result(10, 20, 100, open: true)),
            (region("419901", "甲"), result(8, 15, 90)),
            (region("419903", "丙"), result(10, 20, 100)),
            (region("419902", "乙"), result(10, 20, 100)),
            (region("419904", "丁"), result(10, 20, 100, veto: true)),
        ])
        #expect(ranking.rows.map(\.region.name) == ["乙", "丙", "甲", "丁", "戊"])
        #expect(ranking.rows.map(\.rank) == [1, 1, 3, 4, nil])
        #expect(ranking.rows[3].result.grade?.zh == "不合格")
    }

    @Test func missedDeadlinesCountWithinThePeriod() {
        func c(_ deadline: String, closed: String?) -> RectificationCase {
            var x = RectificationCase(
                id: deadline, schoolCode: "4199010001", countyCode: "419901", category: "safety", description: "d", assignedUnit: "u",
                responsiblePerson: "p", deadline: deadline, openedOn: "2026-01-01")
            if let closed {
                x.state = .closed
                x.closedOn = closed
            }
            return x
        }
        let cases = [
            c("2026-03-01", closed: "2026-02-20"),  // closed in time
            c("2026-03-01", closed: "2026-03-05"),  // closed late: counts
            c("2026-05-01", closed: nil),  // still open after its deadline: counts
            c("2026-12-20", closed: nil),  // not yet due on 2026-11-25
            c("2025-12-01", closed: nil),  // before the period
        ]
        #expect(cases.filter { $0.missedDeadline(from: "2026-01-01", to: "2026-12-31", today: "2026-11-25") }.count == 2)
    }

    @Test func everyShippedSheetLoads() {
        let ids = ScoreSheet.builtIn.map(\.id)
        #expect(
            ids.sorted() == [
                "annual-assessment-county", "basic-2012-promotion", "county-duty-sheet", "quality-2017-assurance", "quality-2017-quality",
            ])
        #expect(ScoreSheet.sheet(id: "annual-assessment-county")?.scoredBy == .above)
        for sheet in ScoreSheet.builtIn {
            #expect(!sheet.wording.isEmpty && !sheet.source.isEmpty, "\(sheet.id)")
            for item in sheet.items {
                if case .indicator(let id) = item.computed {
                    #expect(DutyProgramme.programme(id: "county-duty")?.indicator(id) != nil, "\(sheet.id).\(item.id) → \(id)")
                }
            }
        }
        #expect(ScoreSheet.sheet(id: "quality-2017-quality")?.items.count == 9)
        #expect(ScoreSheet.sheet(id: "basic-2012-promotion")?.passTotal == 85)
    }
}
