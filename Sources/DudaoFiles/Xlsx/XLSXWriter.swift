import Foundation

/// Writes a minimal, valid .xlsx workbook: one sheet per `Table`, bold header row, plain decimal
/// numbers as numbers, everything else as inline strings (no shared-string table needed).
public enum XLSXWriter {
    public static func write(_ sheets: [Table]) throws -> Data {
        let package = try OfficePackage(kind: "xlsx")
        let sheetIds = sheets.indices.map { $0 + 1 }
        try package.add(
            "[Content_Types].xml",
            """
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(sheetIds.map { #"<Override PartName="/xl/worksheets/sheet\#($0).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"# }.joined())\
            </Types>
            """)
        try package.add(
            "_rels/.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try package.add(
            "xl/workbook.xml",
            """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            \(zip(sheetIds, sheets).map { #"<sheet name="\#(escape(sheetName($1.name)))" sheetId="\#($0)" r:id="rId\#($0)"/>"# }.joined())\
            </sheets></workbook>
            """)
        try package.add(
            "xl/_rels/workbook.xml.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(sheetIds.map { #"<Relationship Id="rId\#($0)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0).xml"/>"# }.joined())\
            <Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """)
        try package.add(
            "xl/styles.xml",
            """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border/></borders>\
            <cellStyleXfs count="1"><xf/></cellStyleXfs>\
            <cellXfs count="2"><xf fontId="0"/><xf fontId="1" applyFont="1"/></cellXfs>\
            </styleSheet>
            """)
        for (id, sheet) in zip(sheetIds, sheets) {
            try package.add("xl/worksheets/sheet\(id).xml", worksheet(sheet))
        }
        return try package.data()
    }

    static func worksheet(_ table: Table) -> String {
        var xml =
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>"#
        for (r, row) in ([table.header] + table.rows).enumerated() {
            xml += #"<row r="\#(r + 1)">"#
            for (c, value) in row.enumerated() {
                let ref = columnName(c) + String(r + 1)
                let style = r == 0 ? #" s="1""# : ""
                // Only plain decimals become number cells: "NaN", "1e5", "0x1p3" or a code like "00123"
                // would otherwise be written as a number Excel rejects or reads differently.
                if r > 0, !table.textColumns.contains(c), CellText.isPlainNumber(value) {
                    xml += #"<c r="\#(ref)"\#(style)><v>\#(value)</v></c>"#
                } else if !value.isEmpty {
                    xml += #"<c r="\#(ref)" t="inlineStr"\#(style)><is><t xml:space="preserve">\#(escape(value))</t></is></c>"#
                }
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    /// 0 → "A", 26 → "AA"
    static func columnName(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let rem = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + rem))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// Excel sheet names: at most 31 characters, none of []:*?/\
    static func sheetName(_ name: String) -> String {
        String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
