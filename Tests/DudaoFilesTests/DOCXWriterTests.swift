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

    /// An invitation card: a QR code as a picture in the document, which a reader still decodes.
    @Test func imagesAreEmbeddedAsPicturesAQRReaderStillReads() throws {
        let url = "https://dudao.example.cn/s/AbCdEfGhIjKlMnOpQrSt_-"
        let png = try QRCode(url, correction: .medium).png(module: 6)
        let docx = try DOCXWriter.write([.title("邀请函"), .image(png: png, widthMM: 40, heightMM: 40), .pageBreak, .paragraph(url)])
        #expect(try PackagePart.data("word/media/image1.png", in: docx) == png)
        let rels = String(decoding: try #require(try PackagePart.data("word/_rels/document.xml.rels", in: docx)), as: UTF8.self)
        #expect(rels.contains(#"Id="rIdImg1""#) && rels.contains(#"Target="media/image1.png""#))
        let body = String(decoding: try #require(try PackagePart.data("word/document.xml", in: docx)), as: UTF8.self)
        // 40 mm = 1,440,000 EMU each way; the page break before the link.
        #expect(body.contains(#"r:embed="rIdImg1""#) && body.contains(#"<wp:extent cx="1440000" cy="1440000"/>"#))
        #expect(body.contains(#"<w:br w:type="page"/>"#))
        let types = String(decoding: try #require(try PackagePart.data("[Content_Types].xml", in: docx)), as: UTF8.self)
        #expect(types.contains(#"Extension="png" ContentType="image/png""#))
        guard QRCodeTests.zbarimg != nil else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-docx-qr-\(UUID().uuidString).png")
        defer { try? FileManager.default.removeItem(at: file) }
        try #require(try PackagePart.data("word/media/image1.png", in: docx)).write(to: file)
        #expect(try QRCodeTests.zbar(file) == url)
    }
}
