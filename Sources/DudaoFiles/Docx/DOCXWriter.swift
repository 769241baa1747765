import Foundation

/// Writes a printable .docx: headings, paragraphs and bordered tables, with East Asian fonts
/// set so Chinese renders in Word and LibreOffice alike. `official` follows the layout offices
/// print (GB/T 9704-2012): A4, margins 37/35/28/26 mm, title in 2号小标宋, body in 3号仿宋 with
/// a two-character first-line indent, 发文字号 centred under the issuer, date right-aligned.
public enum DOCXWriter {
    public enum Block: Sendable {
        case title(String)
        case heading(String)
        case paragraph(String)
        case table(Table)
        /// 发文字号, e.g. 禹督〔2024〕1号 (official layout: centred, 3号仿宋).
        case documentNumber(String)
        /// The issuing office and date at the end, right-aligned.
        case signature(String)
        /// A PNG image, centred, at this size on paper (e.g. a QR code on an invitation card).
        case image(png: Data, widthMM: Double, heightMM: Double)
        /// The next block starts a new page.
        case pageBreak
    }

    public enum Style: Sendable {
        case plain, official
    }

    public static func write(_ blocks: [Block], style: Style = .plain) throws -> Data {
        let package = try OfficePackage(kind: "docx")
        try package.add(
            "[Content_Types].xml",
            """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Default Extension="png" ContentType="image/png"/>\
            <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>\
            </Types>
            """)
        try package.add(
            "_rels/.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>\
            </Relationships>
            """)
        var body = ""
        var images: [Data] = []
        let official = style == .official
        for block in blocks {
            switch block {
            case .title(let text):
                body += official ? paragraph(text, size: 44, font: "方正小标宋简体", align: "center") : paragraph(text, size: 36, bold: true, centered: true)
            case .heading(let text):
                body += official ? paragraph(text, size: 32, font: "黑体", indent: true) : paragraph(text, size: 28, bold: true, centered: false)
            case .paragraph(let text):
                body +=
                    official ? paragraph(text, size: 32, font: "仿宋_GB2312", indent: true) : paragraph(text, size: 24, bold: false, centered: false)
            case .table(let table): body += self.table(table)
            case .documentNumber(let text): body += paragraph(text, size: official ? 32 : 24, font: official ? "仿宋_GB2312" : "宋体", align: "center")
            case .signature(let text):
                for line in text.split(separator: "\n") {
                    body += paragraph(String(line), size: official ? 32 : 24, font: official ? "仿宋_GB2312" : "宋体", align: "right")
                }
            case .image(let png, let width, let height):
                images.append(png)
                body += image(index: images.count, widthMM: width, heightMM: height)
            case .pageBreak:
                body += #"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#
            }
        }
        // Images: word/media/imageN.png, each referenced from the body by relationship id rIdImgN.
        for (i, png) in images.enumerated() { try package.add("word/media/image\(i + 1).png", data: png) }
        try package.add(
            "word/_rels/document.xml.rels",
            #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + images.indices.map {
                    #"<Relationship Id="rIdImg\#($0 + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image\#($0 + 1).png"/>"#
                }.joined() + "</Relationships>")
        // A4; GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (1 mm = 56.7 twips).
        let margins =
            official
            ? #"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992"/>"#
            : #"<w:pgMar w:top="1440" w:right="1200" w:bottom="1440" w:left="1200"/>"#
        try package.add(
            "word/document.xml",
            """
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
            xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
            xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" \
            xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>\(body)\
            <w:sectPr><w:pgSz w:w="11906" w:h="16838"/>\(margins)</w:sectPr>\
            </w:body></w:document>
            """)
        return try package.data()
    }

    /// An inline picture in its own centred paragraph (DrawingML; 1 mm = 36,000 EMU).
    static func image(index: Int, widthMM: Double, heightMM: Double) -> String {
        let cx = Int(widthMM * 36_000), cy = Int(heightMM * 36_000)
        return #"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#
            + #"<wp:extent cx="\#(cx)" cy="\#(cy)"/><wp:docPr id="\#(index)" name="Picture \#(index)"/>"#
            + #"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>"#
            + #"<pic:nvPicPr><pic:cNvPr id="\#(index)" name="image\#(index).png"/><pic:cNvPicPr/></pic:nvPicPr>"#
            + #"<pic:blipFill><a:blip r:embed="rIdImg\#(index)"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"#
            + #"<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="\#(cx)" cy="\#(cy)"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>"#
            + "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    }

    static func run(_ text: String, size: Int, bold: Bool, font: String = "宋体") -> String {
        #"<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="\#(font)"/>\#(bold ? "<w:b/>" : "")<w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/></w:rPr><w:t xml:space="preserve">\#(XLSXWriter.escape(text))</w:t></w:r>"#
    }

    /// A paragraph in the official layout: `indent` is the two-character first-line indent of body text.
    static func paragraph(_ text: String, size: Int, font: String, align: String? = nil, indent: Bool = false) -> String {
        let jc = align.map { #"<w:jc w:val="\#($0)"/>"# } ?? ""
        let ind = indent ? #"<w:ind w:firstLineChars="200" w:firstLine="640"/>"# : ""
        return
            #"<w:p><w:pPr>\#(jc)<w:spacing w:line="560" w:lineRule="exact"/>\#(ind)</w:pPr>\#(run(text, size: size, bold: false, font: font))</w:p>"#
    }

    static func paragraph(_ text: String, size: Int, bold: Bool, centered: Bool) -> String {
        #"<w:p><w:pPr>\#(centered ? #"<w:jc w:val="center"/>"# : "")<w:spacing w:after="120"/></w:pPr>\#(run(text, size: size, bold: bold))</w:p>"#
    }

    static func table(_ t: Table) -> String {
        let border = #"w:val="single" w:sz="4" w:space="0" w:color="000000""#
        var xml =
            #"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:top \#(border)/><w:left \#(border)/><w:bottom \#(border)/><w:right \#(border)/><w:insideH \#(border)/><w:insideV \#(border)/></w:tblBorders></w:tblPr>"#
        for (i, row) in ([t.header] + t.rows).enumerated() {
            xml += "<w:tr>" + row.map { #"<w:tc><w:p>\#(run($0, size: 20, bold: i == 0))</w:p></w:tc>"# }.joined() + "</w:tr>"
        }
        return xml + "</w:tbl>" + #"<w:p/>"#
    }
}
