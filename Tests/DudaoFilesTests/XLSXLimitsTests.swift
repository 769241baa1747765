import DudaoCore
import Foundation
import Testing
import ZIPFoundation

@testable import DudaoFiles

/// Hostile and malformed workbooks: each is refused quickly with a message that names the file,
/// the part, the place and the limit, instead of taking gigabytes or failing with "(null)".
@Suite("XLSX reading: limits, strict references, malformed XML")
struct XLSXLimitsTests {
    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    /// A workbook whose parts are given as XML (OfficePackage adds the XML declaration and a line
    /// break, so a part's own first line is line 2). Without workbook.xml the reader takes sheet1.xml.
    func workbook(sheet: String, sharedStrings: String? = nil, parts: [String: String] = [:]) throws -> Data {
        let package = try OfficePackage(kind: "xlsx")
        try package.add("xl/worksheets/sheet1.xml", sheet)
        if let sharedStrings { try package.add("xl/sharedStrings.xml", sharedStrings) }
        for (path, xml) in parts.sorted(by: { $0.key < $1.key }) { try package.add(path, xml) }
        return try package.data()
    }

    func sheet(_ rows: String) -> String {
        #"<worksheet xmlns="\#(Self.ns)"><sheetData>\#(rows)</sheetData></worksheet>"#
    }

    /// The FileError `body` throws, nil when it throws nothing (or something else).
    func refusal(_ body: () throws -> Table) -> FileError? {
        do { _ = try body(); return nil } catch let error as FileError { return error } catch { return nil }
    }

    func read(_ data: Data, _ limits: XLSXLimits = .standard) throws -> Table {
        try XLSXReader.read(data, name: "t.xlsx", limits: limits)
    }

    // MARK: Valid files keep their meaning

    @Test func sharedInlineAndCachedValuesAreRead() throws {
        let strings =
            #"<sst xmlns="\#(Self.ns)" count="3" uniqueCount="3"><si><t>学校名称</t></si>"#
            + #"<si><r><rPr><b/></rPr><t>禹州</t></r><r><t xml:space="preserve">市 一小</t></r></si>"#
            + #"<si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh></si></sst>"#
        let rows =
            #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>在校生数</t></is></c>"#
            + #"<c r="D1" t="inlineStr"><is><r><t>面</t></r><r><t>积</t></r></is></c></row>"#
            + #"<row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2"><f>SUM(1,2)</f><v>3</v></c><c t="s"><v>2</v></c>"#
            + #"<c r="D2" t="str"><f>"a"&amp;"b"</f><v>a&amp;b</v></c></row>"#
            + #"<row><c r="A3"><v>7.25</v></c></row>"#
            + #"<row r="5" s="1" customFormat="1"/><row r="6"><c r="B6" s="2"/></row>"#
        let table = try read(try workbook(sheet: sheet(rows), sharedStrings: strings))
        #expect(table.header == ["学校名称", "在校生数", "", "面积"])
        // Trailing empty rows (5 and 6) are dropped; row 3 has no r and follows row 2.
        #expect(table.rows == [["禹州市 一小", "3", "漢字", "a&b"], ["7.25"]])
    }

    @Test func firstSheetFollowsTheWorkbookRelationships() throws {
        let data = try workbook(
            sheet: sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>second tab</t></is></c></row>"#),
            parts: [
                "xl/worksheets/sheet2.xml": sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>first tab</t></is></c></row>"#),
                "xl/workbook.xml":
                    #"<workbook xmlns="\#(Self.ns)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
                    + #"<sheet name="A" sheetId="2" r:id="rId7"/><sheet name="B" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
                "xl/_rels/workbook.xml.rels": #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                    + #"<Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Type="t" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#,
            ])
        #expect(try read(data).header == ["first tab"])
    }

    @Test func emptyCellsBeyondTheColumnLimitAreSkippedNotPadded() throws {
        let data = try workbook(sheet: sheet(#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="3"/></row>"#))
        #expect(try read(data).header == ["1"])
    }

    // MARK: References

    @Test func cellReferencesParseStrictly() {
        func parsed(_ reference: String) -> [Int]? { XLSXReader.cellReference(reference).map { [$0.column, $0.row] } }
        #expect(parsed("A1") == [0, 1])
        #expect(parsed("AB12") == [27, 12])
        #expect(parsed("XFD1048576") == [16383, 1_048_576])
        for bad in ["XFE1", "A0", "A01", "a1", "AAAA1", "A1048577", "ZZZZZZ2", "", "A", "1", "A1 ", "$A$1", "A-1"] {
            #expect(parsed(bad) == nil, "\(bad)")
        }
    }

    @Test func hugeColumnReferenceIsRefused() throws {
        let data = try workbook(sheet: sheet(#"<row r="2"><c r="ZZZZZZ2"><v>1</v></c></row>"#))
        let clock = ContinuousClock()
        var error: FileError?
        let elapsed = clock.measure { error = refusal { try read(data) } }
        let e = try #require(error)
        #expect(elapsed < .seconds(10))
        #expect(e.code == "bad_cell_reference")
        #expect(e.message(.en).contains("t.xlsx, xl/worksheets/sheet1.xml, row 2") && e.message(.en).contains("'ZZZZZZ2'"))
        #expect(e.message(.en).contains("XFD") && e.message(.en).contains("XML line 2"))
        #expect(e.message(.zh).contains("单元格引用「ZZZZZZ2」无效"))
    }

    @Test func columnBeyondTheLimitWithAValueIsRefused() throws {
        let data = try workbook(sheet: sheet(#"<row r="2"><c r="A2"><v>1</v></c><c r="IW2"><v>2</v></c></row>"#))
        let e = try #require(refusal { try read(data) })
        #expect(e.code == "too_many_columns")
        #expect(e.message(.en).contains("row 2, cell IW2") && e.message(.en).contains("column 257 is beyond the limit of 256 columns (A to IV)"))
    }

    @Test func hugeRowNumberIsRefused() throws {
        let data = try workbook(sheet: sheet(#"<row r="1"><c r="A1"><v>1</v></c></row><row r="100000000"><c r="A100000000"><v>1</v></c></row>"#))
        let clock = ContinuousClock()
        var error: FileError?
        let elapsed = clock.measure { error = refusal { try read(data) } }
        let e = try #require(error)
        #expect(elapsed < .seconds(10))
        #expect(e.code == "bad_row_number")
        #expect(e.message(.en).contains("xl/worksheets/sheet1.xml") && e.message(.en).contains("'100000000'") && e.message(.en).contains("1048576"))
    }

    // MARK: Sizes and counts

    /// 20 MiB of blanks in a worksheet: about 20 KiB zipped.
    func bomb() throws -> Data {
        try workbook(sheet: sheet(String(repeating: " ", count: 20 << 20)))
    }

    @Test func zipBombIsRefusedByItsDeclaredSize() throws {
        let data = try bomb()
        #expect(data.count < 1 << 20)
        let clock = ContinuousClock()
        var error: FileError?
        let elapsed = clock.measure { error = refusal { try read(data, XLSXLimits(maxPartBytes: 1 << 20)) } }
        let e = try #require(error)
        #expect(elapsed < .seconds(10))
        #expect(e.code == "part_too_large")
        #expect(e.message(.en).contains("t.xlsx, xl/worksheets/sheet1.xml") && e.message(.en).contains("limit of 1 MiB"))
        #expect(e.message(.zh).contains("超过 1 MiB 的上限"))
    }

    /// The same bomb declaring 1,000 bytes: the reader counts while inflating and stops.
    @Test func zipBombWithAFalseSizeIsStoppedWhileInflating() throws {
        let data = declaring(1000, for: "xl/worksheets/sheet1.xml", in: try bomb())
        let entry = try #require(try Archive(data: data, accessMode: .read)["xl/worksheets/sheet1.xml"])
        #expect(entry.uncompressedSize == 1000)
        let clock = ContinuousClock()
        var error: FileError?
        let elapsed = clock.measure { error = refusal { try read(data, XLSXLimits(maxPartBytes: 1 << 20)) } }
        let e = try #require(error)
        #expect(elapsed < .seconds(10))
        #expect(e.code == "part_too_large")
        #expect(e.message(.en).contains("xl/worksheets/sheet1.xml") && e.message(.en).contains("more than the limit of 1 MiB"))
    }

    @Test func tooManyRowsAreRefused() throws {
        let rows = (1...10).map { #"<row r="\#($0)"><c r="A\#($0)"><v>\#($0)</v></c></row>"# }.joined()
        let data = try workbook(sheet: sheet(rows))
        #expect(try read(data, XLSXLimits(maxRows: 10)).rows.count == 9)
        let e = try #require(refusal { try read(data, XLSXLimits(maxRows: 5)) })
        #expect(e.code == "too_many_rows")
        #expect(e.message(.en).contains("xl/worksheets/sheet1.xml, row 6") && e.message(.en).contains("more than 5 rows"))
        #expect(e.message(.zh).contains("第6行") && e.message(.zh).contains("超过 5 行的上限"))
    }

    @Test func tooManyCellsAreRefused() throws {
        let rows = (1...3).map { r in #"<row r="\#(r)">"# + (0..<5).map { #"<c><v>\#($0)</v></c>"# }.joined() + "</row>" }.joined()
        let e = try #require(refusal { try read(try workbook(sheet: sheet(rows)), XLSXLimits(maxCells: 10)) })
        #expect(e.code == "too_many_cells")
        #expect(e.message(.en).contains("row 3") && e.message(.en).contains("more than 10 cells"))
    }

    @Test func tooManySharedStringsAreRefused() throws {
        let strings = #"<sst xmlns="\#(Self.ns)"><si><t>a</t></si><si><t>b</t></si><si><t>c</t></si></sst>"#
        let data = try workbook(sheet: sheet(#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#), sharedStrings: strings)
        let e = try #require(refusal { try read(data, XLSXLimits(maxSharedStrings: 2)) })
        #expect(e.code == "too_many_strings" && e.message(.en).contains("xl/sharedStrings.xml"))
    }

    // MARK: Malformed XML

    @Test func malformedXMLNamesThePartLineAndColumn() throws {
        let xml =
            #"<worksheet xmlns="\#(Self.ns)"><sheetData>"# + "\n"
            + #"<row r="1"><c r="A1"><v>1</v></c></row>"# + "\n"
            + #"<row r="2"></sheetData>"# + "\n"
            + "</worksheet>"
        let e = try #require(refusal { try read(try workbook(sheet: xml)) })
        #expect(e.code == "malformed_xml")
        // The declaration is line 1, so the mismatched </sheetData> is on line 4.
        #expect(e.message(.en).contains("t.xlsx, xl/worksheets/sheet1.xml (XML line 4, column "), "\(e)")
        #expect(e.message(.en).contains("not well-formed XML"))
        #expect(e.message(.zh).contains("XML第4行第"))
        #expect(!e.description.contains("(null)"))
    }

    @Test func malformedSharedStringsNameTheirPart() throws {
        let data = try workbook(sheet: sheet(""), sharedStrings: #"<sst xmlns="\#(Self.ns)"><si><t>a</si></sst>"#)
        let e = try #require(refusal { try read(data) })
        #expect(e.code == "malformed_xml" && e.message(.en).contains("xl/sharedStrings.xml (XML line 2"))
    }

    @Test func truncatedXMLIsRefused() throws {
        let data = try workbook(sheet: #"<worksheet xmlns="\#(Self.ns)"><sheetData><row r="1"><c r="A1"><v>1</v></c>"#)
        let e = try #require(refusal { try read(data) })
        #expect(e.code == "malformed_xml" && e.message(.en).contains("xl/worksheets/sheet1.xml"))
    }

    @Test func documentTypeDeclarationsAreRefused() throws {
        let xml =
            #"<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>"#
            + sheet(#"<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>"#)
        let e = try #require(refusal { try read(try workbook(sheet: xml)) })
        #expect(e.code == "xml_doctype" && e.message(.en).contains("xl/worksheets/sheet1.xml"))
    }
}

/// `zip` with the uncompressed size of `path` rewritten in its local header and central directory
/// entry (little-endian 32-bit fields at offsets 22 and 24).
private func declaring(_ size: UInt32, for path: String, in zip: Data) -> Data {
    var bytes = [UInt8](zip)
    let name = Array(path.utf8)
    func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
    func put(_ i: Int) { for k in 0..<4 { bytes[i + k] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(k))) } }
    var i = 0
    while i + 46 <= bytes.count {
        if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x03, bytes[i + 3] == 0x04,
            i + 30 + u16(i + 26) <= bytes.count, Array(bytes[i + 30..<i + 30 + u16(i + 26)]) == name
        {
            put(i + 22)
        } else if bytes[i] == 0x50, bytes[i + 1] == 0x4B, bytes[i + 2] == 0x01, bytes[i + 3] == 0x02,
            i + 46 + u16(i + 28) <= bytes.count, Array(bytes[i + 46..<i + 46 + u16(i + 28)]) == name
        {
            put(i + 24)
        }
        i += 1
    }
    return Data(bytes)
}
