import Foundation
import Testing

@testable import DudaoFiles

/// An .xlsx read a row at a time (issue #10 §1: "XLSX import streams its sheet XML as well"):
/// the same rows as the in-memory reader, never more than `capacity` rows parsed ahead of the
/// reader, the same refusals at the row where they happen.
@Suite("XLSX rows streamed")
struct XLSXRowStreamTests {
    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

    func sheet(_ rows: String) -> String { #"<worksheet xmlns="\#(Self.ns)"><sheetData>\#(rows)</sheetData></worksheet>"# }

    func workbook(sheet: String, sharedStrings: String? = nil) throws -> Data {
        let package = try OfficePackage(kind: "xlsx")
        try package.add("xl/worksheets/sheet1.xml", sheet)
        if let sharedStrings { try package.add("xl/sharedStrings.xml", sharedStrings) }
        return try package.data()
    }

    /// Every row the stream gives, with its number.
    func all(_ stream: XLSXRowStream) throws -> [(Int, [String])] {
        var rows: [(Int, [String])] = []
        while let row = try stream.next() { rows.append(row) }
        return rows
    }

    func refusal(_ body: () throws -> Void) -> FileError? {
        do { try body(); return nil } catch let error as FileError { return error } catch { return nil }
    }

    @Test func theSameRowsAsTheInMemoryReader() throws {
        let strings =
            #"<sst xmlns="\#(Self.ns)"><si><t>学校名称</t></si><si><r><t>禹州</t></r><r><t xml:space="preserve">市 一小</t></r></si></sst>"#
        let rows =
            #"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>在校生数</t></is></c></row>"#
            + #"<row r="2"><c r="A2" t="s"><v>1</v></c><c r="C2"><v>3</v></c></row>"#
            + #"<row><c r="A3"><v>7.25</v></c></row>"# + #"<row r="5"><c r="B5" t="str"><v>a&amp;b</v></c></row>"#
            + #"<row r="7" s="1" customFormat="1"/>"# + #"<row r="8"><c r="A8" t="inlineStr"><is><t>末行</t></is></c></row>"#
        let data = try workbook(sheet: sheet(rows), sharedStrings: strings)
        let table = try XLSXReader.read(data, name: "t.xlsx")
        let stream = try XLSXRowStream(data, name: "t.xlsx")
        #expect(try stream.header() == table.header)
        let streamed = try all(stream)
        let inMemory = TableRows(table)
        var expected: [(Int, [String])] = []
        while let row = inMemory.next() { expected.append(row) }
        #expect(streamed.map(\.0) == [2, 3, 5, 8])
        #expect(streamed.map(\.0) == expected.map(\.0))
        #expect(streamed.map(\.1) == expected.map(\.1))
        #expect(streamed.map(\.1) == [["禹州市 一小", "", "3"], ["7.25"], ["", "a&b"], ["末行"]])
    }

    @Test func aWrittenWorkbookReadsBackRowForRow() throws {
        let table = Table(
            name: "returns", header: ["学校标识码", "学校名称", "在校生数"],
            rows: (0..<3000).map { ["\(4_110_810_000 + $0)", "第\($0)小学 <&>", "\($0 * 7)"] })
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        try XLSXWriter.write([table]).write(to: url)
        let source = try Table.rows(url)
        #expect(source is XLSXRowStream)
        #expect(try source.header() == table.header)
        var rows: [[String]] = []
        var numbers: [Int] = []
        while let (row, cells) = try source.next() {
            numbers.append(row)
            rows.append(cells)
        }
        #expect(rows == table.rows)
        #expect(numbers == Array(2...3001))
    }

    /// A 40,000-row sheet (about 3 MB of XML) with room for 64 parsed rows: after the header and
    /// ten rows the parser has stopped just ahead of the reader, and no more than 64 rows ever wait.
    @Test func aLargeSheetIsNeverHeldWhole() throws {
        let count = 40_000
        let rows = (1...count).map {
            #"<row r="\#($0)"><c r="A\#($0)" t="inlineStr"><is><t>学校\#($0)</t></is></c><c r="B\#($0)"><v>\#($0)</v></c></row>"#
        }
        let stream = try XLSXRowStream(try workbook(sheet: sheet(rows.joined())), name: "big.xlsx", capacity: 64)
        #expect(try stream.header() == ["学校1", "1"])
        for k in 2...11 { #expect(try stream.next()?.row == k) }
        // The parser runs until the queue is full, then waits for the reader.
        var state = stream.queue.state
        for _ in 0..<200 where state.produced < 11 + 64 {
            Thread.sleep(forTimeInterval: 0.01)
            state = stream.queue.state
        }
        #expect(state.produced == 11 + 64)
        #expect(!state.ended)
        var read = 11
        while let (row, cells) = try stream.next() {
            read += 1
            #expect(row == read)
            if row == count { #expect(cells == ["学校\(count)", "\(count)"]) }
        }
        #expect(read == count)
        #expect(stream.queue.state.mostWaiting <= 64)
        #expect(stream.queue.state.ended)
    }

    @Test func droppingTheStreamEndsItsThread() throws {
        let rows = (1...20_000).map { #"<row r="\#($0)"><c r="A\#($0)"><v>\#($0)</v></c></row>"# }
        var stream: XLSXRowStream? = try XLSXRowStream(try workbook(sheet: sheet(rows.joined())), name: "t.xlsx", capacity: 16)
        _ = try stream?.header()
        _ = try stream?.next()
        let queue = try #require(stream?.queue)
        stream = nil
        var ended = queue.state.ended
        for _ in 0..<500 where !ended {
            Thread.sleep(forTimeInterval: 0.01)
            ended = queue.state.ended
        }
        #expect(ended)
        #expect(queue.state.produced < 20_000)
    }

    /// The rows before a broken one are read; the refusal names the row, as the in-memory reader does.
    @Test func aRefusalComesAtItsRow() throws {
        let rows =
            #"<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>"#
            + #"<row r="3"><c r="A0"><v>3</v></c></row>"#
        let data = try workbook(sheet: sheet(rows))
        let stream = try XLSXRowStream(data, name: "t.xlsx")
        #expect(try stream.header() == ["1"])
        #expect(try stream.next()?.cells == ["2"])
        let error = refusal { _ = try stream.next() }
        #expect(error?.code == "bad_cell_reference")
        #expect(error?.message(.en).contains("row 3") == true)
        #expect(refusal { _ = try XLSXReader.read(data, name: "t.xlsx") }?.code == "bad_cell_reference")
    }

    @Test func rowsGoingBackAreRefusedWhenStreamed() throws {
        let rows = #"<row r="1"><c r="A1"><v>1</v></c></row><row r="4"><c r="A4"><v>4</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>"#
        let stream = try XLSXRowStream(try workbook(sheet: sheet(rows)), name: "t.xlsx")
        _ = try stream.header()
        #expect(try stream.next()?.row == 4)
        let error = refusal { _ = try stream.next() }
        #expect(error?.code == "rows_out_of_order")
        #expect(error?.message(.zh).contains("第3行出现在第4行之后") == true)
    }

    @Test func aSheetWithoutRowOneHasNoHeader() throws {
        let stream = try XLSXRowStream(try workbook(sheet: sheet(#"<row r="2"><c r="A2"><v>1</v></c></row>"#)), name: "t.xlsx")
        #expect(refusal { _ = try stream.header() }?.code == "empty")
    }

    /// A stored (uncompressed) worksheet, so its bytes reach the parser in the 64 KiB chunks
    /// they are stored in, and a test can cut a "<?" or the prologue across two of them.
    func stored(_ xml: String) -> Data {
        ZipReaderTests.zip(name: "xl/worksheets/sheet1.xml", method: 0, raw: Array(xml.utf8), uncompressed: xml.utf8.count)
    }

    @Test func aProcessingInstructionAnywhereIsRefused() throws {
        let chunk = ZipReader.PartStream.chunk
        let head = #"<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>"#
        // "<?" at the end of a chunk, cut in two by the next, and well inside a later chunk.
        for offset in [chunk - 1, chunk - 2, chunk + 5000, 3 * chunk - 1] {
            let padding = String(repeating: " ", count: offset - head.utf8.count)
            let xml = head + padding + "<?x?></sheetData></worksheet>"
            let stream = try XLSXRowStream(stored(xml), name: "pi.xlsx")
            let error = refusal {
                _ = try stream.header()
                while try stream.next() != nil {}
            }
            #expect(error?.code == "xml_processing_instruction", "at \(offset)")
        }
    }

    /// The prologue is decided on however many chunks it takes: a DOCTYPE after a 100 KB comment
    /// is still found; a prologue over 256 KiB is refused.
    @Test func theProloguesChecksSpanChunks() throws {
        let comment = "<!--" + String(repeating: "x", count: 100_000) + "-->"
        let doctype = #"<?xml version="1.0"?>"# + comment + #"<!DOCTYPE w [<!ENTITY a "b">]><worksheet><sheetData/></worksheet>"#
        #expect(refusal { _ = try XLSXRowStream(stored(doctype), name: "d.xlsx").header() }?.code == "xml_doctype")
        let long = #"<?xml version="1.0"?><!--"# + String(repeating: "x", count: 400_000) + "--><worksheet><sheetData/></worksheet>"
        #expect(refusal { _ = try XLSXRowStream(stored(long), name: "l.xlsx").header() }?.code == "xml_prologue_too_long")
        let fine = #"<?xml version="1.0"?>"# + comment + #"<worksheet><sheetData><row r="1"><c r="A1"><v>7</v></c></row></sheetData></worksheet>"#
        #expect(try XLSXRowStream(stored(fine), name: "f.xlsx").header() == ["7"])
    }

    /// The size limit is counted while inflating: a part that declares less than it holds is
    /// refused once its bytes pass the limit.
    @Test func aPartLargerThanTheLimitIsRefusedWhileStreaming() throws {
        let xml = sheet((1...2000).map { #"<row r="\#($0)"><c r="A\#($0)"><v>\#($0)</v></c></row>"# }.joined())
        let lying = ZipReaderTests.zip(name: "xl/worksheets/sheet1.xml", method: 0, raw: Array(xml.utf8), uncompressed: 100)
        let error = refusal {
            let stream = try XLSXRowStream(lying, name: "t.xlsx", limits: XLSXLimits(maxPartBytes: 20_000))
            _ = try stream.header()
            while try stream.next() != nil {}
        }
        #expect(error?.code == "part_too_large")
        #expect(try XLSXRowStream(lying, name: "t.xlsx").header() == ["1"])
    }
}
