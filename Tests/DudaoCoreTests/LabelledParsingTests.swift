import Testing

@testable import DudaoCore

/// Files spell domain values in English ids, Chinese names or aliases.
@Suite("Labelled parsing")
struct LabelledParsingTests {
    @Test func schoolType() {
        #expect(SchoolType.parse("九年一贯制学校") == .nineYear)
        #expect(SchoolType.parse("九年一贯制") == .nineYear)  // alias
        #expect(SchoolType.parse("nine_year") == .nineYear)
        #expect(SchoolType.parse("Nine-year school") == .nineYear)  // English name
        #expect(SchoolType.parse("teaching_point") == .teachingPoint)
        #expect(SchoolType.parse("  Teaching_Point\n") == .teachingPoint)  // case and blanks ignored
        #expect(SchoolType.parse("教学点") == .teachingPoint)
        #expect(SchoolType.parse("小学教学点") == .teachingPoint)
        #expect(SchoolType.parse("特殊教育学校") == .special)
        #expect(SchoolType.parse("初中") == .juniorSchool)
        #expect(SchoolType.parse("大学") == nil)
    }

    @Test func ownership() {
        #expect(Ownership.parse("民办") == .private)
        #expect(Ownership.parse("私立") == .private)
        #expect(Ownership.parse("公办") == .public)
        #expect(Ownership.parse("PUBLIC") == .public)
        #expect(Ownership.parse("合资") == nil)
    }

    @Test func locality() {
        #expect(Locality.parse("乡村") == .rural)
        #expect(Locality.parse("农村") == .rural)
        #expect(Locality.parse("镇区") == .town)
        #expect(Locality.parse("城区") == .urban)
        #expect(Locality.parse("Urban") == .urban)
        #expect(Locality.parse("郊区") == nil)
    }

    @Test func stage() {
        #expect(Stage.parse("初中") == .junior)
        #expect(Stage.parse("junior") == .junior)
        #expect(Stage.parse("Junior secondary") == .junior)
        #expect(Stage.parse("小学") == .primary)
        #expect(Stage.parse("学前教育") == .preschool)
        #expect(Stage.parse("特教") == .special)
        #expect(Stage.parse("大学") == nil)
    }

    @Test(arguments: ["", "   ", "\n", "unknown", "xyz"])
    func unknownOrBlankIsNil(text: String) {
        #expect(SchoolType.parse(text) == nil)
        #expect(Ownership.parse(text) == nil)
        #expect(Locality.parse(text) == nil)
        #expect(Stage.parse(text) == nil)
    }

    /// Every accepted spelling of every value parses back to that value (no two values share
    /// a spelling within one type).
    @Test func everySpellingRoundTrips() {
        func check<T: Labelled>(_: T.Type) {
            for value in T.allCases {
                for spelling in [value.rawValue, value.zh, value.en, value.en.uppercased()] + value.aliases {
                    #expect(T.parse(spelling) == value, "\(T.self) \(spelling)")
                }
            }
        }
        check(SchoolType.self)
        check(Stage.self)
        check(Ownership.self)
        check(Locality.self)
    }

    @Test func labelsAndLanguage() {
        #expect(SchoolType.nineYear.label(.zh) == "九年一贯制学校")
        #expect(SchoolType.nineYear.label(.en) == "Nine-year school")
        #expect(SchoolType.accepted.contains("nine_year/九年一贯制学校"))
        #expect(SchoolType.nineYear.stages == [.primary, .junior])
        #expect(SchoolType.teachingPoint.stages == [.primary])
        #expect(Stage.junior.isCompulsory && Stage.primary.isCompulsory && !Stage.senior.isCompulsory)
        #expect(Language(code: "en-US") == .en)
        #expect(Language(code: "zh-CN") == .zh)
        #expect(Language(code: nil) == .zh)
    }

    @Test func schoolCode() {
        #expect(School.isValidCode("4110810001"))
        #expect(!School.isValidCode("411081001"))
        #expect(!School.isValidCode("41108100a1"))
    }
}
