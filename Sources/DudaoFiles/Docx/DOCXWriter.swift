import Foundation

/// Writes a plain, printable .docx: headings, paragraphs and bordered tables, with East Asian
/// fonts set so Chinese renders in Word and LibreOffice alike. Nothing more.
public enum DOCXWriter {
    public enum Block: Sendable {
        case title(String)
        case heading(String)
        case paragraph(String)
        case table(Table)
    }

    public static func write(_ blocks: [Block]) throws -> Data {
        let package = try OfficePackage(kind: "docx")
        try package.add(
            "[Content_Types].xml",
            """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
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
        for block in blocks {
            switch block {
            case .title(let text): body += paragraph(text, size: 36, bold: true, centered: true)
            case .heading(let text): body += paragraph(text, size: 28, bold: true, centered: false)
            case .paragraph(let text): body += paragraph(text, size: 24, bold: false, centered: false)
            case .table(let table): body += self.table(table)
            }
        }
        try package.add(
            "word/document.xml",
            """
            <w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>\(body)\
            <w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1200" w:bottom="1440" w:left="1200"/></w:sectPr>\
            </w:body></w:document>
            """)
        return try package.data()
    }

    static func run(_ text: String, size: Int, bold: Bool) -> String {
        #"<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="宋体"/>\#(bold ? "<w:b/>" : "")<w:sz w:val="\#(size)"/><w:szCs w:val="\#(size)"/></w:rPr><w:t xml:space="preserve">\#(XLSXWriter.escape(text))</w:t></w:r>"#
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
