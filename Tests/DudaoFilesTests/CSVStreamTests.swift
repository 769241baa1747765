import DudaoCore
import DudaoTestSupport
import Foundation
import Testing

@testable import DudaoFiles

/// The streaming CSV reader gives the same rows whatever the chunk size, so records, quotes,
/// line ends and multi-byte characters cut by a chunk's end are read as one.
@Suite("CSV streaming")
struct CSVStreamTests {
    func file(_ bytes: [UInt8], ext: String = "csv") throws -> URL {
        let url = Scratch.file("stream", ext)
        try Data(bytes).write(to: url)
        return url
    }

    func rows(_ url: URL, chunk: Int, sample: Int = 4) throws -> [String] {
        let stream = try CSVStream(url: url, chunkSize: chunk, sample: sample)
        var out = [try stream.header().joined(separator: "|")]
        while let (row, cells) = try stream.next() { out.append("\(row):" + cells.joined(separator: "|")) }
        return out
    }

    /// Quoted commas, doubled quotes, a quoted line break, CRLF and LF and lone CR, a blank row in
    /// the middle and at the end, a BOM, and Chinese text (three bytes a character in UTF-8).
    static let tricky =
        "\u{FEFF}学校,名称,备注\r\n1,\"禹州, 市\",\"他说\"\"好\"\"\"\r\n\r\n2,第二\n行,\"跨\n两行\"\r3,三,\n\n"

    @Test func sameRowsWhateverTheChunkSize() throws {
        let url = try file(Array(Self.tricky.utf8))
        let expected = ["学校|名称|备注", "2:1|禹州, 市|他说\"好\"", "4:2|第二", "5:行|跨\n两行", "6:3|三|"]
        for chunk in [1, 2, 3, 5, 7, 16, 1 << 20] {
            #expect(try rows(url, chunk: chunk) == expected, "chunk \(chunk)")
        }
        // The in-memory reader and the table agree with the stream.
        let table = try CSVTable.parse(Data(Self.tricky.utf8), name: "t.csv")
        #expect(table.rows == [["1", "禹州, 市", "他说\"好\""], [], ["2", "第二"], ["行", "跨\n两行"], ["3", "三", ""]])
    }

    @Test func gbkIsDecodedAcrossChunks() throws {
        // "学校,名称\n1,一小\n" in GBK: 学 D1A7 校 D0A3 名 C3FB 称 B3C6 一 D2BB 小 D0A1.
        let url = try file([0xD1, 0xA7, 0xD0, 0xA3, 0x2C, 0xC3, 0xFB, 0xB3, 0xC6, 0x0A, 0x31, 0x2C, 0xD2, 0xBB, 0xD0, 0xA1, 0x0A])
        // The encoding is told from the first 10 bytes (名 C3 FB cannot be UTF-8); then 3 at a time.
        for chunk in [3, 5, 1 << 20] {
            #expect(try rows(url, chunk: chunk, sample: 10) == ["学校|名称", "2:1|一小"], "chunk \(chunk)")
        }
    }

    @Test func aBadByteAfterTheFirstChunkIsRefusedWithItsPlace() throws {
        // The first chunk is valid UTF-8; row 4, column 2 holds FF.
        var bytes = Array("a,b\n1,2\n3,4\n5,".utf8)
        bytes += [0xFF] + Array("x\n".utf8)
        let url = try file(bytes)
        #expect(throws: FileError.self) { _ = try rows(url, chunk: 8) }
        do { _ = try rows(url, chunk: 8) } catch let error as FileError {
            #expect(error.code == "csv_encoding")
            #expect(error.message(.en).contains("row 4, column 2: byte 0xFF is not valid UTF-8"), "\(error)")
        }
    }

    @Test func anOpenQuoteAndAnEndlessRowAreRefused() throws {
        let url = try file(Array("a,b\n1,\"open\n2,3\n".utf8))
        do {
            _ = try rows(url, chunk: 4)
            Issue.record("an open quote was accepted")
        } catch let error as FileError {
            #expect(error.code == "csv_quote" && error.message(.en).contains("row 2, column 2"), "\(error)")
        }
        #expect(throws: FileError.self) { _ = try CSVTable.parse(Data(), name: "empty.csv") }
    }

    @Test func rowSourcesKeepTheSheetsRowNumbers() throws {
        let table = Table(name: "t", header: ["a"], rows: [["1"], [], ["3"]])
        let rows = TableRows(table)
        #expect(rows.header() == ["a"])
        #expect(rows.next()?.row == 2 && rows.next()?.row == 4 && rows.next() == nil)
    }
}
