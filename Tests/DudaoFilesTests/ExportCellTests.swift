import DudaoCore
import Foundation
import Testing
import ZIPFoundation

@testable import DudaoFiles

/// What exports write into a cell: no formula a spreadsheet would run from CSV, and number
/// cells in .xlsx only for plain decimals.
@Suite("Export cells: CSV formulas, XLSX numbers")
struct ExportCellTests {
    @Test func csvTextThatWouldRunAsAFormulaGetsAnApostrophe() {
        #expect(CSVTable.quote("=1+2") == "'=1+2")
        #expect(CSVTable.quote("+1") == "'+1")
        #expect(CSVTable.quote("-1+2") == "'-1+2")
        #expect(CSVTable.quote("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVTable.quote("\tx") == "'\tx")
        #expect(CSVTable.quote("\r=1") == "\"'\r=1\"")
        #expect(CSVTable.quote("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSVTable.quote("-") == "'-")
    }

    @Test func csvNumbersAndOrdinaryTextAreUnchanged() {
        for value in ["-3.5", "-2.50%", "0", "1200", "7.25", "禹州市", "a=b", "", "4110810001"] {
            #expect(CSVTable.quote(value) == value)
        }
        #expect(CSVTable.quote("a,b") == "\"a,b\"")
    }

    @Test func csvExportReadsBackAsText() throws {
        let table = Table(name: "t", header: ["名称", "值"], rows: [["=cmd|' /C calc'!A0", "-3.5"], ["@x", "-800"]])
        let back = try CSVTable.parse(CSVTable.write(table), name: "t.csv")
        #expect(back.rows == [["'=cmd|' /C calc'!A0", "-3.5"], ["'@x", "-800"]])
    }

    @Test func plainNumbers() {
        for yes in ["0", "-0", "12", "-3.5", "0.25", "1200.00", "123456789012345"] { #expect(CellText.isPlainNumber(yes), "\(yes)") }
        for no in [
            "", "NaN", "nan", "Infinity", "-inf", "0x1p3", "00123", "01.5", "1e5", "1E5", "+5", ".5", "5.", "1,200", " 1", "1 ",
            "--1", "1234567890123456", "1" + String(repeating: "0", count: 400),
        ] {
            #expect(!CellText.isPlainNumber(no), "\(no)")
        }
    }

    func sheetXML(_ data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        var xml = Data()
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { xml.append($0) }
        return String(decoding: xml, as: UTF8.self)
    }

    @Test func xlsxWritesNumberCellsOnlyForPlainDecimals() throws {
        let values = ["NaN", "Infinity", "0x1p3", "00123", "1e5", "-3.5", "0", "1200", "0.25", "+5", "123456789012345678"]
        let data = try XLSXWriter.write([Table(name: "t", header: ["v"], rows: values.map { [$0] })])
        let xml = try sheetXML(data)
        for (i, value) in values.enumerated() {
            let ref = "A\(i + 2)"
            let number = #"<c r="\#(ref)"><v>\#(value)</v></c>"#
            let text = #"<c r="\#(ref)" t="inlineStr"><is><t xml:space="preserve">\#(value)</t></is></c>"#
            if ["-3.5", "0", "1200", "0.25"].contains(value) {
                #expect(xml.contains(number), "\(value)")
            } else {
                #expect(xml.contains(text), "\(value)")
            }
        }
        // Either way the reader gets the text back as written.
        #expect(try XLSXReader.read(data, name: "t.xlsx").rows.map { $0[0] } == values)
    }
}
