import Foundation
import Testing

@testable import DudaoFiles

/// The zip reader under XLSX import: bounded offsets, and a deflate stream that does not end
/// within its entry is refused (ZIPFoundation's reader looped forever on it; found by the fuzzer).
@Suite("Zip reading")
struct ZipReaderTests {
    /// A one-entry zip with the given method and raw (compressed) bytes.
    static func zip(name: String, method: UInt16, raw: [UInt8], uncompressed: Int) -> Data {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        let n = Array(name.utf8)
        let local =
            le32(0x0403_4B50) + le16(20) + le16(0) + le16(Int(method)) + le16(0) + le16(0) + le32(0)
            + le32(raw.count) + le32(uncompressed) + le16(n.count) + le16(0) + n + raw
        let central =
            le32(0x0201_4B50) + le16(20) + le16(20) + le16(0) + le16(Int(method)) + le16(0) + le16(0) + le32(0)
            + le32(raw.count) + le32(uncompressed) + le16(n.count) + le16(0) + le16(0) + le16(0) + le16(0) + le32(0) + le32(0) + n
        let end = le32(0x0605_4B50) + le16(0) + le16(0) + le16(1) + le16(1) + le32(central.count) + le32(local.count) + le16(0)
        return Data(local + central + end)
    }

    @Test func storedEntriesAreRead() throws {
        let reader = try ZipReader(Self.zip(name: "a.txt", method: 0, raw: Array("学校".utf8), uncompressed: 6))
        var out = Data()
        try reader.extract(try #require(reader.entries["a.txt"])) { out.append($0) }
        #expect(String(decoding: out, as: UTF8.self) == "学校")
    }

    @Test func anUnterminatedDeflateStreamIsRefusedNotLoopedOn() throws {
        // A stored, non-final deflate block of 5 bytes, and no final block after it.
        let raw: [UInt8] = [0x00, 0x05, 0x00, 0xFA, 0xFF] + Array("abcde".utf8)
        let reader = try ZipReader(Self.zip(name: "xl/worksheets/sheet1.xml", method: 8, raw: raw, uncompressed: 5))
        #expect(throws: ZipReader.Failure.self) {
            try reader.extract(try #require(reader.entries["xl/worksheets/sheet1.xml"])) { _ in }
        }
        #expect(throws: FileError.self) {
            try XLSXReader.read(Self.zip(name: "xl/worksheets/sheet1.xml", method: 8, raw: raw, uncompressed: 5), name: "t.xlsx")
        }
    }

    @Test func offsetsOutsideTheFileAreRefused() throws {
        var data = Self.zip(name: "a.txt", method: 0, raw: Array("abc".utf8), uncompressed: 3)
        // Point the central directory's local header offset past the end.
        let central = data.count - 22 - (46 + 5)
        data[central + 42] = 0xFF; data[central + 43] = 0xFF
        let reader = try ZipReader(data)
        #expect(throws: ZipReader.Failure.self) { try reader.extract(try #require(reader.entries["a.txt"])) { _ in } }
        #expect(throws: ZipReader.Failure.self) { try ZipReader(Data(data.prefix(30))) }
    }

    /// Foundation's XMLParser on Linux crashes on a processing instruction without data; such
    /// parts are refused before parsing (found by the 100,000-case fuzz run).
    @Test func processingInstructionsInAPartAreRefusedBeforeParsing() throws {
        for xml in [
            #"<?xml version="1.0"?><worksheet><sheetData><?x?></sheetData></worksheet>"#,
            #"<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><worksheet/>"#, "<?x?><worksheet/>",
        ] {
            let data = Self.zip(name: "xl/worksheets/sheet1.xml", method: 0, raw: Array(xml.utf8), uncompressed: xml.utf8.count)
            let error = #expect(throws: FileError.self) { try XLSXReader.read(data, name: "pi.xlsx") }
            #expect(error?.code == "xml_processing_instruction", "\(xml)")
        }
    }
}
