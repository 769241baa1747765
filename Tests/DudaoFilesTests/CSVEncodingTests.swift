import DudaoCore
import Foundation
import Testing

@testable import DudaoFiles

/// CSV bytes to text: UTF-8 (with or without BOM), GBK/GB18030 as Excel on Chinese Windows saves
/// it, and a clear refusal for anything else instead of U+FFFD.
@Suite("CSV encodings")
struct CSVEncodingTests {
    /// Bytes from hex ("d1a7" → D1 A7).
    func bytes(_ hex: String) -> Data {
        var data = Data()
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            data.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return data
    }

    func refusal(_ body: () throws -> Table) -> FileError? {
        do { _ = try body(); return nil } catch let error as FileError { return error } catch { return nil }
    }

    @Test func gbkInspectorsFileIsRead() throws {
        // python3: "督学编号,姓名,联系电话,专兼职,所属区划,责任区,责任学校\nYZ-01,王督学,13903741234,专职,411081,第1责任区,1411081001\n".encode("gbk")
        let data = bytes(
            "b6bdd1a7b1e0bac52cd0d5c3fb2cc1aacfb5b5e7bbb02cd7a8bce6d6b02ccbf9caf4c7f8bbae2cd4f0c8cec7f82cd4f0c8ced1a7d0a30a"
                + "595a2d30312ccdf5b6bdd1a72c31333930333734313233342cd7a8d6b02c3431313038312cb5da31d4f0c8cec7f82c313431313038313030310a")
        let table = try CSVTable.parse(data, name: "inspectors.csv")
        #expect(table.header == ["督学编号", "姓名", "联系电话", "专兼职", "所属区划", "责任区", "责任学校"])
        let result = InspectorsFileParser.parse(table)
        #expect(result.issues.isEmpty)
        #expect(result.inspectors.first?.name == "王督学" && result.inspectors.first?.zone == "第1责任区")
        #expect(result.assignment == ["1411081001": "YZ-01"])
    }

    @Test func gbkReturnsHeaderIsRecognised() throws {
        // "学年,学校标识码,学校名称\n" in GBK: 学校 is D1 A7 D0 A3.
        let data = bytes("d1a7c4ea" + "2c" + "d1a7d0a3b1eacab6c2eb" + "2c" + "d1a7d0a3c3fbb3c6" + "0a")
        let batch = ReturnsFileParser.parse(try CSVTable.parse(data, name: "returns.csv"), year: 2024)
        #expect(batch.columnNames["school_code"] == "学校标识码" && batch.columnNames["school_name"] == "学校名称")
        #expect(!batch.errors.contains { $0.field == "school_code" || $0.field == "school_name" || $0.field == "year" })
    }

    @Test func utf8WithAndWithoutBOM() throws {
        #expect(try CSVTable.parse(Data("\u{FEFF}学校,b\n1,2\n".utf8), name: "a.csv").header == ["学校", "b"])
        #expect(try CSVTable.parse(Data("学校,b\n1,2\n".utf8), name: "a.csv").rows == [["1", "2"]])
    }

    @Test func invalidUTF8IsRefusedWithRowAndColumn() throws {
        // UTF-8 text, a quoted comma in row 2, then byte FF in row 3, column 3.
        var data = Data("学校,名称,值\n一小,\"禹州, 市\",3\n4,5,".utf8)
        data.append(0xFF)
        data.append(contentsOf: Array("6\n".utf8))
        let e = try #require(refusal { try CSVTable.parse(data, name: "returns.csv") })
        #expect(e.code == "csv_encoding")
        #expect(e.message(.en).contains("returns.csv row 3, column 3: byte 0xFF is not valid UTF-8"), "\(e)")
        #expect(e.message(.zh).contains("第3行第3列") && e.message(.zh).contains("CSV UTF-8（逗号分隔）"))
        #expect(!e.description.contains("\u{FFFD}"))
    }

    @Test func brokenGBKIsRefusedWhereGBKBreaks() throws {
        // "学校,名称\n一小," in GBK (not UTF-8 from its sixth byte on), then FF in row 2, column 2.
        let data = bytes("d1a7d0a3" + "2c" + "c3fbb3c6" + "0a" + "d2bbd0a1" + "2c" + "ff" + "0a")
        let e = try #require(refusal { try CSVTable.parse(data, name: "returns.csv") })
        #expect(e.code == "csv_encoding")
        #expect(e.message(.en).contains("row 2, column 2: byte 0xFF is not valid GBK/GB18030"), "\(e)")
    }

    @Test func utf16IsRefusedWithAHint() throws {
        var data = Data([0xFF, 0xFE])
        data.append(contentsOf: Array("a,b\n".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let e = try #require(refusal { try CSVTable.parse(data, name: "a.txt") })
        #expect(e.code == "csv_utf16" && e.message(.en).contains("CSV UTF-8 (Comma delimited)"))
    }

    @Test func encodingValidatorsFindTheFirstBadByte() {
        func utf8(_ b: [UInt8]) -> Int { b.withUnsafeBufferPointer { CSVTable.firstInvalidUTF8($0) } }
        func gb(_ b: [UInt8]) -> Int? { b.withUnsafeBufferPointer { CSVTable.firstInvalidGB18030($0) } }
        #expect(utf8([0x61, 0xE5, 0xAD, 0xA6]) == 4)
        #expect(utf8([0x61, 0xC0, 0xAF]) == 1)  // overlong "/"
        #expect(utf8([0xED, 0xA0, 0x80]) == 0)  // surrogate
        #expect(utf8([0x61, 0xE5, 0xAD]) == 1)  // cut short
        #expect(gb([0xD1, 0xA7, 0x81, 0x30, 0x81, 0x30]) == nil)
        #expect(gb([0x61, 0xD1, 0x2C]) == 1)
        #expect(gb([0xD1]) == 0)
    }
}
