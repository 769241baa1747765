import Foundation
import Testing

@testable import DudaoCore

/// Surveys as data and their results, against figures worked out by hand.
@Suite("Surveys and satisfaction rates")
struct SurveyTallyTests {
    static let parents = SurveyCatalog.survey(id: "parents-satisfaction")!
    /// The nine Likert items every parent is asked (boarding life only of boarders).
    static let likert = ["conditions", "teachers", "workload", "after_school", "admission", "fees", "safety", "gap", "government"]

    static func response(_ choice: String, boarding: Bool = false, _ overrides: [String: ChecklistAnswer] = [:]) -> SurveyResponse {
        var answers = ChecklistAnswers(["child_stage": .choice("primary"), "boarding": .bool(boarding)])
        for id in likert { answers[id] = .choice(choice) }
        for (id, a) in overrides { answers[id] = a }
        return SurveyResponse(schoolCode: "4110810001", group: .parents, answers: answers)
    }

    /// R1 all very satisfied (9/9); R2 all satisfied, a boarder dissatisfied with boarding life
    /// (9/10); R3 all neutral (0/9); R4 "don't know" everywhere but the overall question, very
    /// satisfied (1/1); R5 satisfied except buildings, dissatisfied (8/9).
    static let five: [SurveyResponse] = [
        response("very_satisfied", ["irregular_fees": .bool(false)]),
        response("satisfied", boarding: true, ["boarding_life": .choice("dissatisfied"), "irregular_fees": .bool(true)]),
        response("neutral"),
        response("dont_know", ["government": .choice("very_satisfied")]),
        response("satisfied", ["conditions": .choice("dissatisfied")]),
    ]

    @Test func satisfactionPoolsEveryLikertAnswerLeavingOutAbstentions() throws {
        let t = SurveyTally.make(Self.parents, responses: Self.five, invited: 8)
        // 9 + 9 + 0 + 1 + 8 = 27 satisfied of 9 + 10 + 9 + 1 + 9 = 38 rated.
        #expect(t.satisfied == 27 && t.rated == 38)
        #expect(abs(try #require(t.satisfactionRate) - 27.0 / 38.0) < 1e-12)
        #expect(NumberText.percent(27.0 / 38.0) == "71.05%")
        #expect(t.responseRate == 5.0 / 8.0 && !t.suppressed)
        let government = try #require(t.items.first { $0.itemId == "government" })
        // very satisfied: R1, R4; satisfied: R2, R5; neutral: R3.
        #expect(government.choices.map(\.count) == [2, 2, 1, 0, 0, 0])
        #expect(government.satisfactionRate == 0.8)
        let conditions = try #require(t.items.first { $0.itemId == "conditions" })
        #expect(conditions.answered == 5 && conditions.rated == 4 && conditions.satisfied == 2)
        #expect(conditions.choices.first { $0.id == "dont_know" }?.share == 0.2)
        let fees = try #require(t.items.first { $0.itemId == "irregular_fees" })
        #expect(fees.answered == 2 && fees.choices.map(\.count) == [1, 1])
        let boarding = try #require(t.items.first { $0.itemId == "boarding_life" })
        #expect(boarding.answered == 1 && boarding.satisfied == 0 && boarding.rated == 1)
    }

    @Test func fewerRespondentsThanTheMinimumShowCountsOnly() {
        let t = SurveyTally.make(Self.parents, responses: Array(Self.five.prefix(4)), invited: 10)
        #expect(t.suppressed && t.satisfactionRate == nil && t.items.isEmpty)
        #expect(t.responses == 4 && t.responseRate == 0.4)
        // Pooled for a county, small schools still count towards the county's rate.
        let pooled = SatisfactionResult(
            threshold: 0.85,
            tallies: [t, SurveyTally.make(Self.parents, responses: [Self.five[4]], invited: 3)])
        #expect(pooled.responses == 5 && pooled.satisfied == 27 && pooled.rated == 38)
        #expect(pooled.passed == false)
        #expect(SatisfactionResult(threshold: 0.85, tallies: [t]).rate == nil)
        #expect(SatisfactionResult(threshold: 0.85, tallies: [t]).passed == nil)
    }

    @Test func thePassMarkIsInclusive() {
        // A rate exactly at the threshold passes.
        var responses = (0..<2).map { _ in Self.response("very_satisfied") }  // 18/18
        responses.append(Self.response("neutral", ["government": .choice("satisfied")]))  // 1/9 → 19/27
        let t = SurveyTally.make(Self.parents, responses: responses + [Self.five[3], Self.five[3]], invited: 5)
        // 19 + 1 + 1 = 21 of 27 + 1 + 1 = 29.
        #expect(t.satisfied == 21 && t.rated == 29)
        let exact = SatisfactionResult(threshold: 21.0 / 29.0, tallies: [t])
        #expect(exact.passed == true)
    }

    @Test func everyShippedSurveyLoadsWithItsGroups() throws {
        #expect(Set(SurveyCatalog.builtIn.map(\.id)) == ["parents-satisfaction", "teachers-satisfaction", "students-satisfaction", "inspector-work"])
        #expect(Self.parents.groups == [.parents] && Self.parents.countsForSatisfaction && Self.parents.minimumRespondents == 5)
        #expect(SurveyCatalog.survey(id: "inspector-work")?.countsForSatisfaction == false)
        for s in SurveyCatalog.builtIn { #expect(s.structuralProblems().isEmpty, "\(s.id)") }
        // The default scale: 非常满意 and 满意 satisfied, 不了解 an abstention.
        let item = try #require(Self.parents.item(id: "government"))
        #expect(item.choices.filter { $0.satisfied == true }.map(\.zh) == ["非常满意", "满意"])
        #expect(item.choices.filter { $0.abstain == true }.map(\.zh) == ["不了解"])
    }

    static func survey(_ items: String) -> Data {
        Data(
            """
            {"id": "t", "name_zh": "测", "name_en": "T", "intro_zh": "", "intro_en": "", "groups": ["parents"], "source": "test",
             "sections": [{"id": "s", "title_zh": "一", "title_en": "1", "items": [\(items)]}]}
            """.utf8)
    }

    @Test func unsoundSurveysAreRefusedWithTheReason() {
        let likertWithoutVerdicts =
            #"{"id": "q", "text_zh": "q", "text_en": "q", "type": "likert", "choices": [{"id": "a", "zh": "好", "en": "good"}]}"#
        let photo = #"{"id": "p", "text_zh": "p", "text_en": "p", "type": "photo"}"#
        let later =
            #"{"id": "a", "text_zh": "a", "text_en": "a", "type": "likert", "relevant": "b == 1"}, {"id": "b", "text_zh": "b", "text_en": "b", "type": "yes_no"}"#
        for (items, words) in [(likertWithoutVerdicts, "satisfied"), (photo, "photos"), (later, "not an earlier item")] {
            #expect {
                _ = try Survey.decode(Self.survey(items))
            } throws: { error in
                "\(error)".contains(words)
            }
        }
        // A satisfaction survey needs a Likert item.
        #expect(throws: DecodingError.self) {
            _ = try Survey.decode(
                Data(
                    String(decoding: Self.survey(#"{"id": "y", "text_zh": "y", "text_en": "y", "type": "yes_no"}"#), as: UTF8.self)
                        .replacingOccurrences(of: "\"source\"", with: "\"counts_for_satisfaction\": true, \"source\"").utf8))
        }
    }

    @Test func likertItemsBelongToSurveysNotChecklists() {
        let checklist = #"""
            {"id": "c", "kind": "routine", "name_zh": "c", "name_en": "c", "sections": [{"id": "s", "title_zh": "s", "title_en": "s",
             "items": [{"id": "q", "text_zh": "q", "text_en": "q", "type": "likert"}]}]}
            """#
        #expect {
            _ = try Checklist.decode(Data(checklist.utf8))
        } throws: { error in
            "\(error)".contains("Likert items belong to surveys")
        }
    }

    @Test func linkTokensAreCheckedForShape() {
        #expect(SurveyLink.isWellFormed("AbCdEfGhIjKlMnOpQrSt_-"))
        #expect(!SurveyLink.isWellFormed("AbCdEfGhIjKlMnOpQrSt_"))
        #expect(!SurveyLink.isWellFormed("AbCdEfGhIjKlMnOpQrSt_="))
        #expect(!SurveyLink.isWellFormed("../../etc/passwd/aaaaa"))
    }
}

/// A score sheet item may ask for the county's satisfaction rate (`"computed": {"satisfaction": 0.85}`).
@Suite("Satisfaction on score sheets")
struct SatisfactionSheetItemTests {
    static let sheet = try! JSONDecoder().decode(
        ScoreSheet.self,
        from: Data(
            """
            {"id": "s", "name_zh": "测", "name_en": "t", "source": "test", "wording": "test", "scoring": "pass_fail",
             "items": [{"id": "sat", "text_zh": "群众满意度", "text_en": "satisfaction", "computed": {"satisfaction": 0.7}}]}
            """.utf8))

    @Test func theItemIsJudgedFromClosedSurveys() throws {
        var facts = SheetFacts()
        // No closed survey: judged by hand.
        #expect(SheetEvaluator.evaluate(Self.sheet, entries: [:], facts: facts).item("sat")?.computed?.passed == nil)
        // 27 of 38 = 71.05% ≥ 70%.
        facts.satisfaction = SatisfactionResult(
            threshold: 0.85, tallies: [SurveyTally.make(SurveyTallyTests.parents, responses: SurveyTallyTests.five, invited: 8)])
        let r = SheetEvaluator.evaluate(Self.sheet, entries: [:], facts: facts)
        #expect(r.item("sat")?.computed?.passed == true && r.item("sat")?.computed?.details == ["满意度 71.05%（≥ 70.00%），5份答卷"])
        #expect(r.passed == true)
        // Too few respondents: not judged.
        facts.satisfaction = SatisfactionResult(
            threshold: 0.85, tallies: [SurveyTally.make(SurveyTallyTests.parents, responses: Array(SurveyTallyTests.five.prefix(3)), invited: 8)])
        #expect(SheetEvaluator.evaluate(Self.sheet, entries: [:], facts: facts).item("sat")?.computed?.passed == nil)
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(
                ScoreSheet.self,
                from: Data(
                    #"{"id": "s", "name_zh": "测", "name_en": "t", "source": "t", "wording": "t", "scoring": "pass_fail", "items": [{"id": "x", "text_zh": "x", "text_en": "x", "computed": {"satisfaction": 85}}]}"#
                        .utf8))
        }
    }
}
