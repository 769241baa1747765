import Foundation
import Testing
import ZIPFoundation

@testable import DudaoFiles

@Suite("DOCX writing")
struct DOCXWriterTests {
    @Test func documentHoldsEscapedTextTablesAndEastAsianFont() throws {
        let data = try DOCXWriter.write([
            .title("许昌市教育督导工作通报"), .paragraph("办结率 46.30% <含> & 按期办结率"),
            .table(Table(name: "t", header: ["区县", "办结率"], rows: [["禹州市", "46.30%"], ["长葛市", ""]])),
        ])
        let archive = try Archive(data: data, accessMode: .read)
        #expect(archive["[Content_Types].xml"] != nil && archive["_rels/.rels"] != nil)
        var xml = Data()
        _ = try archive.extract(try #require(archive["word/document.xml"])) { xml.append($0) }
        let text = String(decoding: xml, as: UTF8.self)
        #expect(text.contains("许昌市教育督导工作通报") && text.contains("办结率 46.30% &lt;含&gt; &amp; 按期办结率"))
        #expect(text.components(separatedBy: "<w:tr>").count - 1 == 3)
        #expect(text.contains("w:eastAsia=\"宋体\""))
    }
}
