import Foundation
import Testing

@testable import DudaoCore

// SPEC §4.3: supervision checklists as data, with XLSForm-style relevant / constraint /
// finding_when conditions.

/// A small hand-made checklist exercising every item type and a relevance chain:
/// is_boarding → boarders → dorm_ok, a section asked only for boarding schools, and a choice
/// that makes a follow-up text item relevant.
private let sampleJSON = #"""
    {
      "id": "sample", "kind": "special", "name_zh": "样例", "name_en": "Sample",
      "sections": [
        { "id": "s1", "title_zh": "寄宿", "title_en": "Boarding", "category": "safety",
          "items": [
            { "id": "is_boarding", "text_zh": "是否寄宿", "text_en": "Boarding?", "type": "yes_no" },
            { "id": "boarders", "text_zh": "寄宿生数", "text_en": "Boarders", "type": "number",
              "relevant": "is_boarding == 1", "constraint": ". >= 1 and . <= 2000",
              "constraint_message_zh": "寄宿生数应在 1 至 2000 之间", "constraint_message_en": "Boarders must be 1 to 2,000" },
            { "id": "dorm_ok", "text_zh": "宿舍管理到位", "text_en": "Dormitory run well", "type": "yes_no",
              "relevant": "boarders > 0", "finding_when": ". == 0" }
          ] },
        { "id": "s2", "title_zh": "寄宿生饮食", "title_en": "Boarders' meals", "category": "canteen",
          "relevant": "is_boarding == 1",
          "items": [
            { "id": "night_meal", "text_zh": "晚餐供应", "text_en": "Evening meal", "type": "yes_no", "finding_when": ". == 0" }
          ] },
        { "id": "s3", "title_zh": "其他", "title_en": "Other",
          "items": [
            { "id": "fees_irregular", "text_zh": "违规收费", "text_en": "Irregular fees", "type": "yes_no",
              "category": "enrolment_fees", "finding_when": "fees_irregular == 1" },
            { "id": "fees_detail", "text_zh": "说明", "text_en": "Details", "type": "text", "relevant": "fees_irregular == 1" },
            { "id": "rating", "text_zh": "评价", "text_en": "Rating", "type": "choice", "category": "ethos",
              "choices": [ { "id": "good", "zh": "好", "en": "Good" }, { "id": "poor", "zh": "差", "en": "Poor" } ],
              "finding_when": ". == 'poor'" },
            { "id": "rating_reason", "text_zh": "原因", "text_en": "Why", "type": "text", "relevant": "rating == 'poor'" },
            { "id": "photos", "text_zh": "照片", "text_en": "Photos", "type": "photo", "constraint": ". <= 3" },
            { "id": "notes", "text_zh": "备注", "text_en": "Notes", "type": "text", "required": false }
          ] }
      ]
    }
    """#

private func sample() throws -> Checklist {
    try Checklist.decode(Data(sampleJSON.utf8))
}

/// A complete valid set for the sample (boarding school, nothing wrong).
private let sampleComplete: ChecklistAnswers = [
    "is_boarding": .bool(true), "boarders": .number(120), "dorm_ok": .bool(true), "night_meal": .bool(true),
    "fees_irregular": .bool(false), "rating": .choice("good"), "photos": .photo(2),
]

private func codes(_ issues: [ChecklistIssue]) -> [String] {
    issues.map { "\($0.itemId):\($0.code.rawValue)" }
}

@Suite("Checklist conditions")
struct ChecklistConditionTests {
    private func eval(_ text: String, _ numbers: [String: Double] = [:], _ strings: [String: String] = [:]) throws -> Bool? {
        try Condition.parse(text).evaluate(number: { numbers[$0] }, string: { strings[$0] })
    }

    @Test func numericComparisons() throws {
        #expect(try eval("boarders > 0", ["boarders": 3]) == true)
        #expect(try eval("boarders > 0", ["boarders": 0]) == false)
        #expect(try eval("fees_irregular == 1", ["fees_irregular": 1]) == true)
        #expect(try eval("a + b * 2 <= max(c, 10)", ["a": 1, "b": 4, "c": 3]) == true)  // 9 <= 10
        #expect(try eval("(a + b) * 2 != 10", ["a": 1, "b": 4]) == false)
        #expect(try eval("x >= 1.5", ["x": 1.5]) == true)
        #expect(try eval("x < 1.5", ["x": 1.5]) == false)
    }

    @Test func selfValue() throws {
        let c = try Condition.parse(". >= 0 and . <= students")
        #expect(c.variables == [".", "students"])
        #expect(c.evaluate(number: { [".": 5, "students": 10][$0] }, string: { _ in nil }) == true)
        #expect(c.evaluate(number: { [".": 11, "students": 10][$0] }, string: { _ in nil }) == false)
        // A dotted name and a decimal are not the item's own value.
        #expect(try Condition.parse("prev.x > 0.5").variables == ["prev.x"])
    }

    @Test func stringComparisons() throws {
        #expect(try eval("rating == 'poor'", [:], ["rating": "poor"]) == true)
        #expect(try eval("rating != \"poor\"", [:], ["rating": "good"]) == true)
        #expect(try eval("'poor' == rating", [:], ["rating": "good"]) == false)
        #expect(try eval(". == 'a b'", [:], [".": "a b"]) == true)  // blanks inside quotes are kept
        #expect(try eval("x == 'a and b'", [:], ["x": "a and b"]) == true)  // keywords in quotes are text
        let c = try Condition.parse("rating == 'poor' or . > 2")
        #expect(c.stringComparisons.map(\.variable) == ["rating"])
        #expect(c.stringComparisons.map(\.literal) == ["poor"])
        #expect(c.numericVariables == ["."])
    }

    @Test func andOrParentheses() throws {
        let text = "(a == 1 or b == 1) and c > 0"
        #expect(try eval(text, ["a": 0, "b": 1, "c": 2]) == true)
        #expect(try eval(text, ["a": 0, "b": 0, "c": 2]) == false)
        #expect(try eval(text, ["a": 1, "b": 0, "c": 0]) == false)
        // and binds tighter than or: a == 1 or (b == 1 and c > 0)
        #expect(try eval("a == 1 or b == 1 and c > 0", ["a": 1, "b": 0, "c": 0]) == true)
        #expect(try eval("((a > 0))", ["a": 1]) == true)
        #expect(try Condition.parse(text).variables == ["a", "b", "c"])
    }

    /// A comparison needing a missing value is unknown (nil); and/or use three-valued logic.
    @Test func missingValuesAreUnknown() throws {
        #expect(try eval("a > 0") == nil)
        #expect(try eval("a != 1") == nil)
        #expect(try eval("a > 0 and b > 0", ["b": 0]) == false)  // false wins
        #expect(try eval("a > 0 and b > 0", ["b": 1]) == nil)
        #expect(try eval("a > 0 or b > 0", ["b": 1]) == true)  // true wins
        #expect(try eval("a > 0 or b > 0", ["b": 0]) == nil)
        #expect(try eval("x / y > 1", ["x": 1, "y": 0]) == nil)  // division by zero
        #expect(try eval("r == 'x'") == nil)
    }

    @Test(arguments: [
        "", "a", "a = 1", "a > ", "> 1", "a < b < c", "(a > 1", "a > 1)", "'x' == 'y'", "a + 1 == 'x'",
        "a < 'x'", "a == 'x", "a ! 1", "a > 1 and", "or a > 1", "foo(a) > 1",
    ])
    func rejects(text: String) {
        #expect(throws: ExpressionError.self) { try Condition.parse(text) }
    }
}

@Suite("Checklist validation")
struct ChecklistValidationTests {

    @Test func sampleDecodes() throws {
        let c = try sample()
        #expect(c.kind == .special)
        #expect(
            c.items.map(\.id) == [
                "is_boarding", "boarders", "dorm_ok", "night_meal", "fees_irregular",
                "fees_detail", "rating", "rating_reason", "photos", "notes",
            ])
        // Categories come from the item, else its section, else `other`.
        #expect(c.item(id: "dorm_ok")?.category == .safety)
        #expect(c.item(id: "night_meal")?.category == .canteen)
        #expect(c.item(id: "fees_irregular")?.category == .enrolmentFees)
        #expect(c.item(id: "photos")?.category == .other)
        #expect(c.item(id: "notes")?.required == false)
        #expect(c.item(id: "photos")?.required == true)  // required unless told
        #expect(c.structuralProblems().isEmpty)
    }

    @Test func completeValidSetHasNoIssues() throws {
        let c = try sample()
        #expect(c.validate(sampleComplete).isEmpty)
        #expect(c.findings(sampleComplete).isEmpty)
        // Optional text may be given; a non-boarding school answers fewer items.
        var answers = sampleComplete
        answers["notes"] = .text("一切正常")
        #expect(c.validate(answers).isEmpty)
        let dayschool: ChecklistAnswers = [
            "is_boarding": .bool(false), "fees_irregular": .bool(false),
            "rating": .choice("good"), "photos": .photo(1),
        ]
        #expect(c.validate(dayschool).isEmpty)
    }

    @Test func missingRequired() throws {
        let c = try sample()
        #expect(
            codes(c.validate([:])) == [
                "is_boarding:required_missing", "fees_irregular:required_missing",
                "rating:required_missing", "photos:required_missing",
            ])
        var answers = sampleComplete
        answers["dorm_ok"] = nil
        answers["photos"] = .photo(0)  // no photo counts as no answer
        let issues = c.validate(answers)
        #expect(codes(issues) == ["dorm_ok:required_missing", "photos:required_missing"])
        #expect(issues[0].messageZh.contains("宿舍管理到位") && issues[0].messageEn.contains("Dormitory run well"))
        #expect(issues[1].messageZh.contains("照片"))
        // Blank text is no answer either.
        answers = sampleComplete
        answers["fees_irregular"] = .bool(true)
        answers["fees_detail"] = .text("  \n")
        #expect(codes(c.validate(answers)) == ["fees_detail:required_missing"])
    }

    @Test func failedConstraint() throws {
        let c = try sample()
        var answers = sampleComplete
        answers["boarders"] = .number(2500)
        answers["photos"] = .photo(4)
        let issues = c.validate(answers)
        #expect(codes(issues) == ["boarders:constraint_failed", "photos:constraint_failed"])
        #expect(issues[0].messageZh == "寄宿生数应在 1 至 2000 之间")
        #expect(issues[0].messageEn == "Boarders must be 1 to 2,000")
        // Without a message in the file, a generic one names the condition.
        #expect(issues[1].messageZh.contains(". <= 3") && issues[1].messageEn.contains("Photos"))
        answers["boarders"] = .number(2001)
        answers["photos"] = .photo(3)
        #expect(codes(c.validate(answers)) == ["boarders:constraint_failed"])
        // A failed answer still counts for what follows: 0 boarders means dorm_ok does not apply.
        answers["boarders"] = .number(0)
        #expect(codes(c.validate(answers)) == ["boarders:constraint_failed", "dorm_ok:not_relevant_answered"])
        answers["boarders"] = .number(2000)
        #expect(c.validate(answers).isEmpty)
    }

    @Test func irrelevantAnswered() throws {
        let c = try sample()
        var answers = sampleComplete
        answers["is_boarding"] = .bool(false)
        // boarders, dorm_ok and night_meal (a section asked only for boarding schools) no longer apply.
        #expect(
            codes(c.validate(answers)) == [
                "boarders:not_relevant_answered", "dorm_ok:not_relevant_answered",
                "night_meal:not_relevant_answered",
            ])
        answers = sampleComplete
        answers["fees_detail"] = .text("无")
        answers["rating_reason"] = .text("无")
        #expect(codes(c.validate(answers)) == ["fees_detail:not_relevant_answered", "rating_reason:not_relevant_answered"])
        // A blank answer to an item that does not apply is no answer.
        answers = sampleComplete
        answers["fees_detail"] = .text("")
        #expect(c.validate(answers).isEmpty)
    }

    @Test func wrongType() throws {
        let c = try sample()
        var answers = sampleComplete
        answers["is_boarding"] = .number(1)
        #expect(codes(c.validate(answers)).first == "is_boarding:wrong_type")
        answers = sampleComplete
        answers["rating"] = .choice("excellent")  // not one of the choices
        answers["photos"] = .text("photo.jpg")
        answers["boarders"] = .number(.nan)
        let issues = c.validate(answers)
        // A wrongly typed answer does not count, so dorm_ok (asked when boarders > 0) no longer applies.
        #expect(codes(issues) == ["boarders:wrong_type", "dorm_ok:not_relevant_answered", "rating:wrong_type", "photos:wrong_type"])
        #expect(issues[2].messageZh.contains("excellent"))
        // rating = .text("good") is text, not a choice.
        answers = sampleComplete
        answers["rating"] = .text("good")
        #expect(codes(c.validate(answers)) == ["rating:wrong_type"])
    }

    @Test func unknownItem() throws {
        let c = try sample()
        var answers = sampleComplete
        answers["zz_extra"] = .bool(true)
        answers["aa_extra"] = .number(1)
        answers["photos"] = nil
        // In checklist order, then the unknown ids sorted.
        #expect(codes(c.validate(answers)) == ["photos:required_missing", "aa_extra:unknown_item", "zz_extra:unknown_item"])
    }

    /// Relevance follows the answers that count: an item hidden because the item it depends on
    /// is hidden (or unanswered, or wrongly answered) is hidden too.
    @Test func relevanceChains() throws {
        let c = try sample()
        let base: ChecklistAnswers = ["fees_irregular": .bool(false), "rating": .choice("good"), "photos": .photo(1)]

        var answers = base
        answers["is_boarding"] = .bool(true)
        // boarders asked but not answered → dorm_ok is not asked yet; the boarding section is.
        #expect(c.isRelevant("boarders", answers))
        #expect(!c.isRelevant("dorm_ok", answers))
        #expect(c.isRelevant("night_meal", answers))
        #expect(codes(c.validate(answers)) == ["boarders:required_missing", "night_meal:required_missing"])

        answers["boarders"] = .number(50)
        #expect(c.isRelevant("dorm_ok", answers))
        #expect(codes(c.validate(answers)) == ["dorm_ok:required_missing", "night_meal:required_missing"])

        // Not boarding: the boarders answer does not count, so dorm_ok stays hidden however it reads.
        answers["is_boarding"] = .bool(false)
        #expect(!c.isRelevant("boarders", answers))
        #expect(!c.isRelevant("dorm_ok", answers))
        #expect(!c.isRelevant("night_meal", answers))
        #expect(codes(c.validate(answers)) == ["boarders:not_relevant_answered"])

        // A wrongly typed answer does not count either.
        answers["is_boarding"] = .bool(true)
        answers["boarders"] = .text("50")
        #expect(!c.isRelevant("dorm_ok", answers))

        // Choice-driven relevance.
        answers = base
        answers["rating"] = .choice("poor")
        #expect(c.isRelevant("rating_reason", answers))
        #expect(codes(c.validate(answers)).contains("rating_reason:required_missing"))
    }

    @Test func findings() throws {
        let c = try sample()
        var answers = sampleComplete
        answers["dorm_ok"] = .bool(false)
        answers["night_meal"] = .bool(false)
        answers["fees_irregular"] = .bool(true)
        answers["fees_detail"] = .text("收取资料费每生 200 元")
        answers["rating"] = .choice("poor")
        answers["rating_reason"] = .text("课堂纪律差")
        #expect(c.validate(answers).isEmpty)
        let found = c.findings(answers)
        #expect(found.map(\.itemId) == ["dorm_ok", "night_meal", "fees_irregular", "rating"])
        #expect(found.map(\.category) == [.safety, .canteen, .enrolmentFees, .ethos])
        #expect(found[0].textZh == "宿舍管理到位")

        // Answers to items that do not apply open no finding.
        answers["is_boarding"] = .bool(false)
        #expect(c.findings(answers).map(\.itemId) == ["fees_irregular", "rating"])
        // Nor do wrongly typed ones.
        answers["rating"] = .choice("awful")
        #expect(c.findings(answers).map(\.itemId) == ["fees_irregular"])
    }

    @Test func answersRoundTripAsJSON() throws {
        let answers: ChecklistAnswers = ["a": .bool(true), "b": .number(2.5), "c": .text("文字"), "d": .choice("good"), "e": .photo(3)]
        let data = try JSONEncoder().encode(answers)
        #expect(try JSONDecoder().decode(ChecklistAnswers.self, from: data) == answers)
        let json = #"{"x": {"bool": false}, "y": {"choice": "poor"}}"#
        let decoded = try JSONDecoder().decode(ChecklistAnswers.self, from: Data(json.utf8))
        #expect(decoded["x"] == .bool(false) && decoded["y"] == .choice("poor"))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ChecklistAnswers.self, from: Data(#"{"x": {"bool": true, "number": 1}}"#.utf8))
        }
    }

    /// The decoder refuses checklists whose conditions cannot work.
    @Test(arguments: [
        // forward reference
        (
            #"{"id":"a","text_zh":"甲","text_en":"A","type":"yes_no","relevant":"b == 1"},{"id":"b","text_zh":"乙","text_en":"B","type":"yes_no"}"#,
            "not an earlier item"
        ),
        // relevant on itself
        (#"{"id":"a","text_zh":"甲","text_en":"A","type":"yes_no","relevant":"a == 1"}"#, "not an earlier item"),
        // `.` in relevant
        (#"{"id":"a","text_zh":"甲","text_en":"A","type":"number","relevant":". > 1"}"#, "not an earlier item"),
        // duplicate id
        (#"{"id":"a","text_zh":"甲","text_en":"A","type":"yes_no"},{"id":"a","text_zh":"乙","text_en":"B","type":"yes_no"}"#, "duplicate item id a"),
        // bad id
        (#"{"id":"A-1","text_zh":"甲","text_en":"A","type":"yes_no"}"#, "bad item id"),
        // unknown choice in a comparison
        (
            #"{"id":"r","text_zh":"甲","text_en":"A","type":"choice","choices":[{"id":"x","zh":"x","en":"x"}],"finding_when":". == 'y'"}"#,
            "no choice 'y'"
        ),
        // choice item used as a number
        (
            #"{"id":"r","text_zh":"甲","text_en":"A","type":"choice","choices":[{"id":"x","zh":"x","en":"x"}]},{"id":"s","text_zh":"乙","text_en":"B","type":"yes_no","relevant":"r > 1"}"#,
            "as a number"
        ),
        // yes/no item compared with a string
        (#"{"id":"a","text_zh":"甲","text_en":"A","type":"yes_no","finding_when":". == 'yes'"}"#, "with a string"),
        // choice item without choices
        (#"{"id":"r","text_zh":"甲","text_en":"A","type":"choice"}"#, "no choices"),
        // unparsable condition
        (#"{"id":"a","text_zh":"甲","text_en":"A","type":"number","constraint":". = 1"}"#, "use =="),
    ])
    func rejectsBrokenChecklists(items: String, expected: String) {
        let json =
            #"{"id":"bad","kind":"routine","name_zh":"坏","name_en":"Bad","sections":[{"id":"s","title_zh":"节","title_en":"S","items":["#
            + items + "]}]}"
        do {
            _ = try Checklist.decode(Data(json.utf8))
            Issue.record("accepted: \(items)")
        } catch {
            #expect(String(describing: error).contains(expected), "\(error)")
        }
    }
}

// MARK: - Shipped checklists

/// Answers every asked item of `checklist`, in order, with the first candidate that raises no
/// issue and opens no finding; `preset` answers are kept as given.
private func cleanAnswers(_ checklist: Checklist, preset: ChecklistAnswers = [:]) -> ChecklistAnswers {
    var answers = preset
    for item in checklist.items where preset[item.id] == nil && checklist.isRelevant(item.id, answers) {
        let candidates: [ChecklistAnswer] =
            switch item.type {
            case .yesNo: [.bool(true), .bool(false)]
            case .number: [600.0, 0, 1, 2, 10, 40].map { .number($0) }
            case .text: [.text("情况正常")]
            case .choice, .likert: item.choices.map { .choice($0.id) }
            case .photo: [.photo(1)]
            }
        for candidate in candidates {
            var trial = answers
            trial[item.id] = candidate
            let ok =
                !checklist.validate(trial).contains { $0.itemId == item.id }
                && !checklist.findings(trial).contains { $0.itemId == item.id }
            if ok {
                answers = trial
                break
            }
        }
    }
    return answers
}

@Suite("Shipped checklists", .enabled(if: coreResourcesAvailable))
struct ShippedChecklistTests {

    @Test func everyShippedFileLoads() throws {
        let dir = CoreResources.url("checklists")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files == ["dropout-control.json", "routine.json", "start-of-term.json"])
        for file in files {
            let checklist = try Checklist.decode(Data(contentsOf: dir.appendingPathComponent(file)))
            #expect(file == "\(checklist.id).json")
            #expect(checklist.structuralProblems().isEmpty)
            #expect(!checklist.nameZh.isEmpty && !checklist.nameEn.isEmpty)
            for item in checklist.items {
                #expect(!item.textZh.isEmpty && !item.textEn.isEmpty, "\(item.id)")
                // Chinese first: the Chinese text is Chinese.
                #expect(item.textZh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(item.id)")
                if item.constraint != nil {
                    #expect(item.constraintMessageZh != nil && item.constraintMessageEn != nil, "\(checklist.id).\(item.id)")
                }
            }
        }
        #expect(ChecklistCatalog.builtIn.map(\.id) == ["dropout-control", "routine", "start-of-term"])
        #expect(ChecklistCatalog.routine?.kind == .routine)
        #expect(ChecklistCatalog.special.map(\.id) == ["dropout-control", "start-of-term"])
        #expect(ChecklistCatalog.checklist(id: "nope") == nil)
    }

    @Test func idsUniqueWithinAChecklist() {
        for checklist in ChecklistCatalog.builtIn {
            let ids = checklist.items.map(\.id)
            #expect(Set(ids).count == ids.count, "\(checklist.id)")
            let sectionIds = checklist.sections.map(\.id)
            #expect(Set(sectionIds).count == sectionIds.count, "\(checklist.id)")
            for item in checklist.items where item.type == .choice {
                #expect(Set(item.choices.map(\.id)).count == item.choices.count, "\(checklist.id).\(item.id)")
            }
        }
    }

    /// relevant: earlier items only; constraint: `.` and earlier items; finding_when: also the
    /// item's own id. Quoted strings are choices of the item compared.
    @Test func conditionsReferToEarlierItems() throws {
        for checklist in ChecklistCatalog.builtIn {
            var earlier: [String: ChecklistItem] = [:]
            for section in checklist.sections {
                if let relevant = section.relevant {
                    #expect(relevant.variables.isSubset(of: Set(earlier.keys)), "\(checklist.id).\(section.id)")
                }
                for item in section.items {
                    let names = Set(earlier.keys)
                    if let c = item.relevant {
                        #expect(c.variables.isSubset(of: names), "\(checklist.id).\(item.id): \(c)")
                    }
                    if let c = item.constraint {
                        #expect(c.variables.isSubset(of: names.union(["."])), "\(checklist.id).\(item.id): \(c)")
                    }
                    if let c = item.findingWhen {
                        #expect(c.variables.isSubset(of: names.union([".", item.id])), "\(checklist.id).\(item.id): \(c)")
                    }
                    for c in [section.relevant, item.relevant, item.constraint, item.findingWhen].compactMap({ $0 }) {
                        // Every condition text parses again to the same thing.
                        #expect(try Condition.parse(c.text) == c)
                        for (name, literal) in c.stringComparisons {
                            let target = name == "." ? item : earlier[name]
                            #expect(target?.type == .choice || target?.type == .text, "\(checklist.id).\(item.id): \(c)")
                            if target?.type == .choice {
                                #expect(target!.choices.contains { $0.id == literal }, "\(checklist.id).\(item.id): \(c)")
                            }
                        }
                    }
                    earlier[item.id] = item
                }
            }
        }
    }

    /// The default routine checklist covers the nine areas of SPEC §4.3, each with 2–5 items.
    @Test func routineCoversTheNineAreas() throws {
        let routine = try #require(ChecklistCatalog.routine)
        let areas: [FindingCategory] = [
            .management, .enrolmentFees, .curriculum, .workload, .healthPE,
            .teacherEthics, .safety, .canteen, .ethos,
        ]
        #expect(routine.sections.compactMap(\.category).filter { $0 != .other } == areas)
        for section in routine.sections where section.category != .other {
            #expect((2...5).contains(section.items.count), "\(section.id)")
        }
        let types = Set(routine.items.map(\.type))
        // Every type a checklist may hold (Likert items belong to surveys).
        #expect(types == Set(ChecklistItem.ItemType.allCases).subtracting([.likert]))
        #expect(routine.items.contains { $0.relevant?.variables.contains("is_boarding") == true })
        #expect(routine.items.contains { $0.type == .number && $0.constraint != nil })
        // Every area can open a finding.
        for area in areas {
            #expect(routine.items.contains { $0.category == area && $0.findingWhen != nil }, "\(area)")
        }
    }

    /// A school with nothing wrong: every shipped checklist can be completed with no issue and
    /// no finding, for boarding and day schools alike.
    @Test func cleanVisitsHaveNoIssuesOrFindings() throws {
        let presets: [ChecklistAnswers] = [[:], ["is_boarding": .bool(true)], ["is_boarding": .bool(false), "has_canteen": .bool(false)]]
        for checklist in ChecklistCatalog.builtIn {
            for preset in presets {
                let p = ChecklistAnswers(preset.values.filter { checklist.item(id: $0.key) != nil })
                let answers = cleanAnswers(checklist, preset: p)
                #expect(checklist.validate(answers).isEmpty, "\(checklist.id) \(codes(checklist.validate(answers)))")
                #expect(checklist.findings(answers).isEmpty, "\(checklist.id) \(checklist.findings(answers).map(\.itemId))")
            }
        }
    }

    @Test func routineBoardingItems() throws {
        let routine = try #require(ChecklistCatalog.routine)
        let boarding = cleanAnswers(routine, preset: ["is_boarding": .bool(true)])
        #expect(boarding["boarders"] != nil)
        #expect(routine.isRelevant("safety_dorm_night", boarding))
        let day = cleanAnswers(routine, preset: ["is_boarding": .bool(false)])
        #expect(!routine.isRelevant("boarders", day))
        #expect(!routine.isRelevant("safety_dorm_night", day))
        var wrong = day
        wrong["safety_dorm_night"] = .bool(false)
        #expect(codes(routine.validate(wrong)) == ["safety_dorm_night:not_relevant_answered"])
        #expect(routine.findings(wrong).isEmpty)
        // More boarders than students fails the constraint.
        var tooMany = boarding
        tooMany["boarders"] = .number(10_000)
        #expect(codes(routine.validate(tooMany)) == ["boarders:constraint_failed"])
    }

    @Test func routineFindings() throws {
        let routine = try #require(ChecklistCatalog.routine)
        var answers = cleanAnswers(routine, preset: ["is_boarding": .bool(true), "has_canteen": .bool(true)])
        answers["fees_irregular"] = .bool(true)
        answers["fees_irregular_detail"] = .text("以资料费名义每生收取 120 元")
        answers["largest_class"] = .number(62)
        answers["pe_daily_hour"] = .bool(false)
        answers["safety_hazard"] = .bool(true)
        answers["safety_hazard_photo"] = .photo(2)
        answers["canteen_samples"] = .bool(false)
        answers["mgmt_last_rectification_done"] = .choice("partly_done")
        #expect(routine.validate(answers).isEmpty, "\(codes(routine.validate(answers)))")
        let found = routine.findings(answers)
        #expect(
            found.map(\.itemId) == [
                "mgmt_last_rectification_done", "fees_irregular", "largest_class",
                "pe_daily_hour", "safety_hazard", "canteen_samples",
            ])
        #expect(found.map(\.category) == [.management, .enrolmentFees, .enrolmentFees, .healthPE, .safety, .canteen])
        // The hazard photo is required once a hazard is reported.
        answers["safety_hazard_photo"] = nil
        #expect(codes(routine.validate(answers)) == ["safety_hazard_photo:required_missing"])
    }

    @Test func dropoutControl() throws {
        let checklist = try #require(ChecklistCatalog.checklist(id: "dropout-control"))
        #expect(checklist.kind == .special)
        var answers = cleanAnswers(checklist, preset: ["students_enrolled": .number(800), "students_left": .number(0)])
        #expect(!checklist.isRelevant("one_plan_each", answers))
        #expect(!checklist.isRelevant("students_returned", answers))

        answers["students_left"] = .number(3)
        #expect(
            codes(checklist.validate(answers)) == [
                "main_reason:required_missing", "one_plan_each:required_missing",
                "students_returned:required_missing",
            ])
        answers["main_reason"] = .choice("other")
        answers["one_plan_each"] = .bool(false)
        answers["students_returned"] = .number(1)
        #expect(codes(checklist.validate(answers)) == ["main_reason_other:required_missing", "returned_support:required_missing"])
        answers["main_reason_other"] = .text("随父母外出流动")
        answers["returned_support"] = .bool(true)
        #expect(checklist.validate(answers).isEmpty)
        #expect(!checklist.isRelevant("plan_photos", answers))  // no plans, no plan photos
        let found = checklist.findings(answers)
        #expect(found.map(\.itemId) == ["students_left", "one_plan_each", "students_returned"])
        #expect(found.allSatisfy { $0.category == .dropout })

        answers["students_returned"] = .number(4)  // more than left
        #expect(codes(checklist.validate(answers)) == ["students_returned:constraint_failed"])
        answers["students_left"] = .number(900)  // more than on roll
        #expect(codes(checklist.validate(answers)).first == "students_left:constraint_failed")
    }

    @Test func startOfTerm() throws {
        let checklist = try #require(ChecklistCatalog.checklist(id: "start-of-term"))
        var answers = cleanAnswers(
            checklist,
            preset: [
                "expected_students": .number(500), "present_students": .number(500),
                "hazards_found": .number(4),
            ])
        #expect(!checklist.isRelevant("absentees_followed_up", answers))
        #expect(checklist.isRelevant("hazards_fixed", answers))
        #expect(answers["hazards_fixed"] == nil)  // every candidate either fails the check or opens a finding
        answers["hazards_fixed"] = .number(4)
        #expect(!checklist.isRelevant("hazard_photos", answers))
        #expect(checklist.validate(answers).isEmpty, "\(codes(checklist.validate(answers)))")

        answers["present_students"] = .number(497)
        answers["hazards_fixed"] = .number(3)
        #expect(codes(checklist.validate(answers)) == ["absentees_followed_up:required_missing", "hazard_photos:required_missing"])
        answers["absentees_followed_up"] = .bool(false)
        answers["hazard_photos"] = .photo(1)
        answers["canteen_ready"] = .choice("no")
        #expect(checklist.validate(answers).isEmpty)
        let found = checklist.findings(answers)
        #expect(found.map(\.itemId) == ["absentees_followed_up", "hazards_fixed", "canteen_ready"])
        #expect(found.map(\.category) == [.dropout, .safety, .canteen])
    }
}
