import Foundation
import Testing

@testable import DudaoCore

/// SPEC §4.1: validation rules are data (left, operator, right, importance, missing-value
/// strategy). Hard rules block: negative areas, more graduates than students, teachers with
/// no students. Soft rules warn: year-over-year change above 30%, per-student area above 50 m².
@Suite("Validation rules, shipped set", .enabled(if: coreResourcesAvailable))
struct ValidationRuleTests {
    let rules = ValidationRuleSet.standard

    /// A plausible primary row: nothing to report.
    func cleanRow(_ changes: [ReturnField: Double?] = [:]) -> StageReturn {
        var row = makeRow([
            .students: 300, .teachers: 20, .teachersAboveDegree: 15, .teachersMidTitle: 10, .keyTeachers: 3,
            .peArtTeachers: 2, .teachingAreaM2: 1500, .sportsAreaM2: 2400, .instrumentValueYuan: 600_000,
            .computers: 30, .multimediaClassrooms: 7, .books: 9000, .boarders: 50, .entrants: 50,
            .graduates: 45, .classes: 10,
        ])
        for (field, value) in changes { row[field] = value }
        return row
    }

    func ids(_ row: StageReturn, previous: StageReturn? = nil) -> [String] {
        rules.check(row, previous: previous).map(\.ruleId)
    }

    @Test func shippedRulesLoad() throws {
        #expect(!rules.rules.isEmpty)
        #expect(Set(rules.rules.map(\.id)).count == rules.rules.count)  // ids are unique
        let byId = Dictionary(uniqueKeysWithValues: rules.rules.map { ($0.id, $0) })
        for id in [
            "teaching_area_m2_not_negative", "sports_area_m2_not_negative", "graduates_within_students",
            "key_teachers_within_teachers", "teachers_need_students",
        ] {
            #expect(byId[id]?.importance == .blocking, "\(id)")
        }
        for id in [
            "teaching_area_m2_per_student_plausible", "sports_area_m2_per_student_plausible",
            "students_year_over_year", "teachers_year_over_year",
        ] {
            #expect(byId[id]?.importance == .warning, "\(id)")
        }
        let need = try #require(byId["teachers_need_students"])
        #expect(need.missing == .neverSkip)
        #expect(need.when?.node == .compare(.expression(.variable("teachers")), .gt, .expression(.number(0))))
        #expect(byId["graduates_within_students"]?.missing == .skipIfAnyMissing)  // the default
        #expect(rules.rules.allSatisfy { !$0.messageZh.isEmpty && !$0.messageEn.isEmpty })
    }

    @Test func cleanRowHasNoViolations() {
        #expect(ids(cleanRow()).isEmpty)
        // Within 30% of last year on everything.
        let lastYear = cleanRow([.students: 280, .teachers: 19])
        #expect(ids(cleanRow(), previous: lastYear).isEmpty)
    }

    // MARK: blocking

    @Test func negativeAreaBlocks() throws {
        let violations = rules.check(cleanRow([.teachingAreaM2: -5]), previous: nil)
        #expect(violations.map(\.ruleId) == ["teaching_area_m2_not_negative"])
        let v = try #require(violations.first)
        #expect(v.importance == .blocking)
        #expect(v.field == .teachingAreaM2)
        #expect(v.left == -5)
        #expect(v.right == 0)
        #expect(v.messageZh == "教学及辅助用房面积不能为负数")
        #expect(ids(cleanRow([.sportsAreaM2: -0.5])) == ["sports_area_m2_not_negative"])
        #expect(ids(cleanRow([.teachingAreaM2: 0])).isEmpty)  // zero is allowed
    }

    @Test func keyTeachersAboveTeachersBlocks() {
        #expect(ids(cleanRow([.keyTeachers: 21])) == ["key_teachers_within_teachers"])
        #expect(ids(cleanRow([.keyTeachers: 20])).isEmpty)  // equal is fine
    }

    @Test func moreGraduatesThanStudentsBlocks() throws {
        let violations = rules.check(cleanRow([.graduates: 301]), previous: nil)
        #expect(violations.map(\.ruleId) == ["graduates_within_students"])
        #expect(violations.first?.importance == .blocking)
        #expect(violations.first?.left == 301)
        #expect(violations.first?.right == 300)
        #expect(ids(cleanRow([.graduates: 300])).isEmpty)
    }

    @Test func teachersWithoutStudentsBlocks() {
        #expect(ids(makeRow([.students: 0, .teachers: 3])) == ["teachers_need_students"])
        // The condition "teachers > 0" does not hold: nothing to report.
        #expect(ids(makeRow([.students: 0, .teachers: 0])).isEmpty)
        #expect(ids(makeRow([.students: 0])).isEmpty)
        #expect(ids(makeRow([.students: 5, .teachers: 3])).isEmpty)
    }

    // MARK: warnings

    /// 10 students: 501 m² is 50.1 m²/student (> 50, warns); 500 m² is exactly 50 (no warning).
    @Test func perStudentAreaAbove50Warns() throws {
        let over = rules.check(makeRow([.students: 10, .teachingAreaM2: 501]), previous: nil)
        #expect(over.map(\.ruleId) == ["teaching_area_m2_per_student_plausible"])
        #expect(over.first?.importance == .warning)
        #expect(approx(try #require(over.first).left, 50.1))
        #expect(ids(makeRow([.students: 10, .teachingAreaM2: 500])).isEmpty)
        #expect(ids(makeRow([.students: 10, .sportsAreaM2: 600])) == ["sports_area_m2_per_student_plausible"])
    }

    /// Last year 100 students: |131 − 100| = 31 > 0.3·100 = 30 warns; 130 and 70 (exactly 30%)
    /// do not; 69 warns. Without last year's row the rule cannot apply.
    @Test func yearOverYearChangeWarnsOnlyWithPreviousRow() throws {
        let previous = makeRow([.students: 100])
        let v = rules.check(makeRow([.students: 131]), previous: previous)
        #expect(v.map(\.ruleId) == ["students_year_over_year"])
        #expect(v.first?.importance == .warning)
        #expect(v.first?.left == 31)
        #expect(approx(try #require(v.first).right, 30))
        #expect(ids(makeRow([.students: 130]), previous: previous).isEmpty)
        #expect(ids(makeRow([.students: 70]), previous: previous).isEmpty)
        #expect(ids(makeRow([.students: 69]), previous: previous) == ["students_year_over_year"])
        #expect(ids(makeRow([.students: 131]), previous: nil).isEmpty)
        #expect(ids(makeRow([.students: 500]), previous: nil).isEmpty)
    }

    /// Small schools: 10 → 35 students is +250% but only 25 students, under the floor of 30
    /// in max(0.3·prev, 30); 10 → 41 (31 more) warns. Teachers: 3 → 5 (floor 2) warns, 3 → 4 does not.
    @Test func yearOverYearHasAnAbsoluteFloorForSmallSchools() {
        #expect(ids(makeRow([.students: 35]), previous: makeRow([.students: 10])).isEmpty)
        #expect(ids(makeRow([.students: 41]), previous: makeRow([.students: 10])) == ["students_year_over_year"])
        #expect(ids(makeRow([.students: 100, .teachers: 4]), previous: makeRow([.students: 100, .teachers: 3])).isEmpty)
        #expect(ids(makeRow([.students: 100, .teachers: 6]), previous: makeRow([.students: 100, .teachers: 3])) == ["teachers_year_over_year"])
    }

    @Test func yearOverYearOnTeachersAndAreas() {
        let previous = cleanRow()
        #expect(ids(cleanRow([.teachers: 27]), previous: previous) == ["teachers_year_over_year"])  // +35%
        #expect(ids(cleanRow([.sportsAreaM2: 1600]), previous: previous) == ["sports_area_m2_year_over_year"])  // −33%
    }

    // MARK: missing values

    /// skip_if_any_missing (the default): teachers blank → "key_teachers ≤ teachers" is skipped.
    @Test func skipIfAnyMissingSkips() {
        #expect(ids(cleanRow([.teachers: nil])).isEmpty)
        // students blank: "graduates ≤ students", "boarders ≤ students" and the per-student area
        // rules are skipped; only the never_skip rule "teachers > 0 ⇒ students > 0" reports.
        #expect(ids(cleanRow([.students: nil])) == ["teachers_need_students"])
    }

    /// never_skip: a blank counts as 0 — teachers reported and students left blank blocks.
    @Test func neverSkipCountsBlankAsZero() throws {
        let v = rules.check(makeRow([.teachers: 3]), previous: nil)
        #expect(v.map(\.ruleId) == ["teachers_need_students"])
        #expect(v.first?.left == 0)
    }
}

/// Rules written by an office (decoded from JSON), including the missing-value strategies.
@Suite("Validation rules, custom")
struct CustomValidationRuleTests {
    func rule(_ left: String, _ op: String, _ right: String, missing: String? = nil, when: String? = nil) throws -> ValidationRule {
        var fields = [
            "\"id\": \"custom\"", "\"importance\": \"warning\"", "\"left\": \"\(left)\"", "\"operator\": \"\(op)\"",
            "\"right\": \"\(right)\"", "\"field\": \"graduates\"", "\"message_zh\": \"测试\"", "\"message_en\": \"test\"",
        ]
        if let missing { fields.append("\"missing\": \"\(missing)\"") }
        if let when { fields.append("\"when\": \"\(when)\"") }
        let json = "{\"rules\": [{\(fields.joined(separator: ", "))}]}"
        return try #require(try ValidationRuleSet.load(Data(json.utf8)).rules.first)
    }

    @Test func operators() throws {
        let row = makeRow([.students: 10, .graduates: 10])
        #expect(try rule("graduates", "==", "students").check(row, previous: nil) == nil)
        #expect(try rule("graduates", "!=", "students").check(row, previous: nil) != nil)
        #expect(try rule("graduates", "<", "students").check(row, previous: nil) != nil)
        #expect(try rule("graduates", "<=", "students").check(row, previous: nil) == nil)
        #expect(try rule("graduates", ">", "students").check(row, previous: nil) != nil)
        #expect(try rule("graduates", ">=", "students").check(row, previous: nil) == nil)
    }

    /// A condition with ">=" must not be read as ">" followed by "= …".
    @Test func conditionOperators() throws {
        let r = try rule("graduates", "<=", "students", when: "entrants >= 5")
        #expect(r.when?.node == .compare(.expression(.variable("entrants")), .ge, .expression(.number(5))))
        #expect(r.check(makeRow([.students: 10, .graduates: 11, .entrants: 5]), previous: nil) != nil)
        #expect(r.check(makeRow([.students: 10, .graduates: 11, .entrants: 4]), previous: nil) == nil)
    }

    /// Rules' conditions use the checklists' grammar: `and`, `or`, parentheses.
    @Test func conditionsCombineLikeChecklistConditions() throws {
        let r = try rule("graduates", "<=", "students", when: "entrants >= 5 and (teachers > 0 or classes > 0)")
        #expect(r.check(makeRow([.students: 10, .graduates: 11, .entrants: 5, .teachers: 1]), previous: nil) != nil)
        #expect(r.check(makeRow([.students: 10, .graduates: 11, .entrants: 5]), previous: nil) == nil)
        #expect(r.check(makeRow([.students: 10, .graduates: 11, .entrants: 5, .classes: 2]), previous: nil) != nil)
    }

    @Test func invalidExpressionDoesNotDecode() {
        #expect(throws: DecodingError.self) {
            _ = try ValidationRuleSet.load(
                Data(
                    #"{"rules": [{"id": "x", "importance": "blocking", "left": "students +", "operator": ">=", "right": "0", "field": "students", "message_zh": "x", "message_en": "x"}]}"#
                        .utf8))
        }
    }

    /// never_skip: both facts blank count as 0 → "graduates + entrants > 0" is broken (0 > 0).
    /// skip_if_all_missing: all blank → skipped. skip_if_any_missing: skipped.
    @Test func allMissing() throws {
        let row = makeRow([.students: 10])
        #expect(try rule("graduates + entrants", ">", "0", missing: "never_skip").check(row, previous: nil)?.left == 0)
        #expect(try rule("graduates + entrants", ">", "0", missing: "skip_if_all_missing").check(row, previous: nil) == nil)
        #expect(try rule("graduates + entrants", ">", "0", missing: "skip_if_any_missing").check(row, previous: nil) == nil)
    }

    /// Some but not all values present. skip_if_any_missing skips. skip_if_all_missing must
    /// evaluate (DHIS2: the rule is skipped only when every value is missing), the blank
    /// entrants counting as 0: graduates 150 + entrants 0 = 150 > students 100 → violation.
    /// (Otherwise skip_if_all_missing would behave exactly like skip_if_any_missing.)
    @Test func someMissing() throws {
        let row = makeRow([.students: 100, .graduates: 150])
        #expect(try rule("graduates + entrants", "<=", "students", missing: "skip_if_any_missing").check(row, previous: nil) == nil)
        let never = try rule("graduates + entrants", "<=", "students", missing: "never_skip").check(row, previous: nil)
        #expect(never?.left == 150)
        let all = try rule("graduates + entrants", "<=", "students", missing: "skip_if_all_missing").check(row, previous: nil)
        #expect(all?.left == 150)
        #expect(all?.right == 100)
    }
}
