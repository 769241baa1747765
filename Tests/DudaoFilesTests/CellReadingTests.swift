import DudaoCore
import Foundation
import Testing

@testable import DudaoFiles

/// The byte-level shortcuts a returns row is read with decide exactly as the Unicode-aware
/// calls they replaced (Foundation's character sets and `Character` properties are the
/// independent answers).
@Suite("Reading cells by bytes")
struct CellReadingTests {
    /// The question the reader asked before trimming was `Character.isWhitespace` (Unicode's
    /// White_Space; Foundation's set would add U+200B, which was never a reason to trim).
    @Test func whiteSpaceIsUnicodesWhiteSpace() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if RowReader.isWhiteSpace(scalar) != Character(scalar).isWhitespace { differing.append(value) }
        }
        #expect(differing.isEmpty)
        // And a cell is trimmed when either end is blank, whatever the blank.
        let row = RowReader(cells: ["\u{3000}小学 ", "小学", "\u{00A0}", "4110810001"], columns: [], fieldColumns: [], names: [:], file: "f", row: 2)
        #expect(row.text(at: 0) == "小学" && row.text(at: 1) == "小学" && row.text(at: 2) == nil && row.text(at: 3) == "4110810001")
    }

    /// The row reader finds the registry, year and stage columns by position; every such column
    /// of the file format is one of them (a column added to `ReturnColumns` and not here would be
    /// read as nothing).
    @Test func theReaderKnowsEveryColumnThatIsNotAFact() {
        let facts = Set(ReturnField.allCases.map(\.rawValue))
        #expect(Set(RowReader.Column.allCases.map(\.id)) == Set(ReturnColumns.all.map(\.id)).subtracting(facts))
    }

    @Test func digitsAreASCIIDigitsOnly() {
        let cases = ["", "0", "4110810001", "41108１", "٤١", "12a", " 12", "1\u{0301}2", "411081"]
        for text in cases {
            #expect(text.isASCIIDigits == text.allSatisfy { $0.isASCII && $0.isNumber }, "\(text)")
        }
        #expect(School.isValidCode("4110810001") && !School.isValidCode("411081000１") && !School.isValidCode("411081000"))
        #expect(RegionCode.normalize("411081000000") == "411081" && RegionCode.normalize("410000") == "41" && RegionCode.normalize("4１") == nil)
    }

    @Test func loweringOnlyWhereItMattersFindsTheSameWords() {
        let words = ["all", "school", "全校", "合计", "1", "是", "yes", "true", "y", "寄宿"]
        for text in ["ALL", "School", "全校", "YES", "Yes", "TRUE", "Y", "否", "no", "ＡＬＬ", "寄宿", "\u{212A}"] {
            #expect(words.contains(RowReader.asciiLowered(text)) == words.contains(text.lowercased()), "\(text)")
        }
    }

    @Test func everyLabelParsesFromEachSpelling() {
        func check<T: Labelled>(_ type: T.Type) {
            for value in T.allCases {
                #expect(T.parse(value.zh) == value && T.parse(value.rawValue) == value && T.parse(" \(value.en.uppercased()) ") == value)
                for alias in value.aliases { #expect(T.parse(alias) == value, "\(alias)") }
            }
        }
        check(SchoolType.self)
        check(Ownership.self)
        check(Locality.self)
        check(Stage.self)
    }
}
