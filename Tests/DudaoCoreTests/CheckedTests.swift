import Testing

@testable import DudaoCore

@Suite("Checked values from clients")
struct CheckedTests {
    @Test func datesAreRealCalendarDaysWithinTheRange() throws {
        #expect(try Checked.date("2024-02-29", field: "d") == "2024-02-29")
        for bad in [
            "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "9223372036854775807-03-01", "-5-01-01", "2024-3-1", "1948-12-31",
            "2101-01-01", "", "2024-02-29T00:00", "２０２４-01-01",
        ] {
            #expect(throws: FieldError.self, "\(bad)") { try Checked.date(bad, field: "d") }
        }
        // The ordinal arithmetic never sees an unchecked number.
        #expect(DateText.ordinal("9999999999999999999-01-01") == nil)
        #expect(DateText.ordinal("1970-01-01") == 0 && DateText.ordinal("2000-03-01") == 11_017)
        #expect(DateText.days(from: "2024-02-28", to: "2024-03-01") == 2)
        #expect(DateText.string(fromOrdinal: DateText.ordinal("2026-11-24")! + 30) == "2026-12-24")
    }

    @Test func yearsDayCountsAndIntegers() throws {
        #expect(try Checked.year("2024", field: "year") == 2024)
        for bad in ["0", "-1", "9223372036854775807", "1948", "2101", "+2024", "20 24", "２０２４"] {
            #expect(throws: FieldError.self) { try Checked.year(bad, field: "year") }
        }
        #expect(try Checked.dayCount("3650", field: "n") == 3650)
        for bad in ["-1", "3651", "9223372036854775807", "-9223372036854775808", "1e3", "0x10", ""] {
            #expect(throws: FieldError.self) { try Checked.dayCount(bad, field: "n") }
        }
        let e = #expect(throws: FieldError.self) { try Checked.dayCount("99999", field: "deadline_days") }
        #expect(e?.field == "deadline_days" && e?.code == "out_of_range")
    }

    @Test func numbersAreFiniteDecimalsWithinRange() throws {
        #expect(try Checked.number("1,200", field: "x", in: 0...1e12, whole: true) == 1200)
        #expect(try Checked.number("-3.5", field: "x", in: -10...10, whole: false) == -3.5)
        for bad in ["inf", "Infinity", "nan", "1e5", "0x1p3", "1.", ".5", "1..2", "", "--1"] {
            #expect(throws: FieldError.self, "\(bad)") { try Checked.number(bad, field: "x", in: -1e12...1e12, whole: false) }
        }
        let whole = #expect(throws: FieldError.self) { try ReturnField.students.parse("10.5") }
        #expect(whole?.code == "not_whole")
        #expect(try ReturnField.sportsAreaM2.parse("10.5") == 10.5)
        #expect(throws: FieldError.self) { try ReturnField.students.check(.infinity) }
        #expect(throws: FieldError.self) { try ReturnField.students.check(2e12) }
    }

    @Test func textsAreBoundedAndFreeOfControls() throws {
        #expect(try Checked.text("校长、食堂管理员", field: "t") == "校长、食堂管理员")
        #expect(throws: FieldError.self) { try Checked.text(String(repeating: "字", count: 201), field: "t") }
        #expect(throws: FieldError.self) { try Checked.text("a\u{0}b", field: "t") }
        #expect(throws: FieldError.self) { try Checked.text("a\nb", field: "t") }
        #expect(try Checked.text("a\nb", field: "t", max: 10, multiline: true) == "a\nb")
        #expect(throws: FieldError.self) { try Checked.identifier("V-../../x", field: "id") }
        #expect(try Checked.identifier("V-2f0c-aa_1", field: "id") == "V-2f0c-aa_1")
    }

    @Test func choicesAreIdsOfTheClosedSet() throws {
        #expect(try Checked.choice("warning", field: "kind", as: LetterKind.self) == .warning)
        // Forms and the API send ids; a Chinese name or an alias is for files (Labelled.parse).
        for bad in ["预警函", "Warning", "warning ", "early_warning"] {
            let e = #expect(throws: FieldError.self, "\(bad)") { try Checked.choice(bad, field: "kind", as: LetterKind.self) }
            #expect(e?.field == "kind" && e?.code == "not_one_of")
            #expect(e?.messageEn == "'\(bad)' is not one of reminder, supervision, warning")
        }
        let none = #expect(throws: FieldError.self) { try Checked.choice("", field: "kind", as: LetterKind.self) }
        #expect(none?.code == "missing" && none?.messageZh == "请选择一项（reminder/提醒函, supervision/督办函, warning/预警函）")
        let long = #expect(throws: FieldError.self) { try Checked.choice(String(repeating: "x", count: 5000), field: "kind", as: LetterKind.self) }
        #expect((long?.messageEn.count ?? 0) < 120)
    }

    @Test func uploadsAreRecognisedFromBytes() {
        #expect(UploadKind.recognise([0xFF, 0xD8, 0xFF, 0xE0, 0]) == .jpeg)
        #expect(UploadKind.recognise([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == .png)
        #expect(UploadKind.recognise(Array("RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 ".utf8)) == .webp)
        #expect(UploadKind.recognise(Array("%PDF-1.4".utf8)) == .pdf)
        #expect(UploadKind.recognise(Array("<html><script>".utf8)) == nil)
        #expect(UploadKind.recognise(Array("<svg xmlns=\"http://www.w3.org/2000/svg\">".utf8)) == nil)
        #expect(UploadKind.recognise([0x50, 0x4B, 0x03, 0x04] + Array("[Content_Types].xml word/document.xml".utf8)) == .docx)
        #expect(UploadKind.recognise([0x50, 0x4B, 0x03, 0x04] + Array("[Content_Types].xml xl/workbook.xml".utf8)) == .xlsx)
        #expect(UploadKind.recognise([0x50, 0x4B, 0x03, 0x04] + Array("evil.html".utf8)) == nil)
        #expect(UploadKind.recognise([UInt8]()) == nil)
    }
}
