import Foundation

/// CSV in and out (comma separated; RFC 4180 quoting). Read: UTF-8 with or without BOM, or
/// GBK/GB18030 as Excel on Chinese Windows saves "CSV (逗号分隔)". Written: UTF-8 with a BOM.
public enum CSVTable {
    public static func read(_ url: URL) throws -> Table {
        try table(CSVStream(url: url))
    }

    public static func parse(_ data: Data, name: String) throws -> Table {
        try table(CSVStream(data: data, name: name))
    }

    /// Every record of a stream as a table; a blank row stays as an empty row (row numbers hold).
    static func table(_ stream: CSVStream) throws(FileError) -> Table {
        let header = try stream.header()
        var rows: [[String]] = []
        while let (row, cells) = try stream.next() {
            while rows.count < row - 2 { rows.append([]) }
            rows.append(cells)
        }
        return Table(name: stream.name, header: header, rows: rows)
    }

    /// Writes a table as UTF-8 CSV with a BOM, so Excel opens the Chinese text correctly.
    public static func write(_ table: Table) -> Data {
        var out = "\u{FEFF}"
        out.reserveCapacity(64 * (table.rows.count + 1))
        for row in [table.header] + table.rows {
            out += row.map(quote).joined(separator: ",")
            out += "\r\n"
        }
        return Data(out.utf8)
    }

    /// A field as CSV writes it: text a spreadsheet would run as a formula (= + - @, tab, carriage
    /// return first) gets a leading apostrophe, as OWASP advises, so it opens as text; plain
    /// numbers such as -3.5 stay numbers. Quoted when it holds a comma, quote or line break.
    public static func quote(_ field: String) -> String {
        let field = CellText.looksLikeFormula(field) ? "'" + field : field
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - Bytes to text

    /// GB 18030 (a superset of GBK and GB2312) as Foundation names it: CFStringEncoding 0x0632
    /// with the NSStringEncoding marker bit, what `CFStringConvertEncodingToNSStringEncoding` gives.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Whether this Foundation can decode GB 18030 ("学校" is D1 A7 D0 A3).
    static let gb18030Available = String(data: Data([0xD1, 0xA7, 0xD0, 0xA3]), encoding: gb18030) == "学校"

    /// Why bytes could not be read as text, turned into a refusal that says what to do.
    static func refusal(_ decoded: Undecodable, name: String) -> FileError {
        let save = (
            zh: "请在 Excel 中「另存为」，文件类型选「CSV UTF-8（逗号分隔）」后重新上传",
            en: "in Excel use Save As and choose \"CSV UTF-8 (Comma delimited)\" (CSV UTF-8（逗号分隔）), then upload again"
        )
        switch decoded {
        case .utf16:
            return FileError.refused(
                file: name, code: "csv_utf16", zh: "\(name)：文件是 UTF-16 编码（「Unicode 文本」），\(save.zh)",
                en: "\(name): the file is UTF-16 encoded (\"Unicode Text\"); \(save.en)")
        case .gbUnavailable:
            return FileError.refused(
                file: name, code: "csv_gbk", zh: "\(name)：文件似乎是 GBK/GB18030 编码（Excel 的「CSV（逗号分隔）」），本系统无法读取；\(save.zh)",
                en:
                    "\(name): the file appears to be GBK/GB18030 encoded (Excel's \"CSV (Comma delimited)\" on Chinese Windows), which cannot be decoded here; \(save.en)"
            )
        case .invalid(let row, let column, let line, let byte, let asUTF8):
            let hex = "0x" + String(byte, radix: 16, uppercase: true)
            let lineZh = line == row ? "" : "（文本第\(line)行）", lineEn = line == row ? "" : " (text line \(line))"
            let what =
                asUTF8
                ? (zh: "不是有效的 UTF-8 文本（也不是 GBK/GB18030）", en: "is not valid UTF-8 (nor GBK/GB18030) text")
                : (zh: "不是有效的 GBK/GB18030 文本（也不是 UTF-8）", en: "is not valid GBK/GB18030 (nor UTF-8) text")
            return FileError.refused(
                file: name, code: "csv_encoding",
                zh: "\(name)，第\(row)行第\(column)列\(lineZh)：字节 \(hex) \(what.zh)；\(save.zh)",
                en: "\(name) row \(row), column \(column)\(lineEn): byte \(hex) \(what.en); \(save.en)")
        }
    }

    enum Undecodable {
        case utf16
        case gbUnavailable
        case invalid(row: Int, column: Int, line: Int, byte: UInt8, asUTF8: Bool)
    }

    /// Offset of the first byte that does not start a well-formed UTF-8 sequence (no overlong
    /// forms, no surrogates, nothing above U+10FFFF); the count when all are valid.
    static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        while i < b.count {
            let lead = b[i]
            if lead < 0x80 { i += 1; continue }
            let length: Int, second: ClosedRange<UInt8>
            switch lead {
            case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
            case 0xE0: (length, second) = (3, 0xA0...0xBF)
            case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
            case 0xED: (length, second) = (3, 0x80...0x9F)
            case 0xF0: (length, second) = (4, 0x90...0xBF)
            case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
            case 0xF4: (length, second) = (4, 0x80...0x8F)
            default: return i
            }
            guard i + length <= b.count, second.contains(b[i + 1]),
                (i + 2..<i + length).allSatisfy({ (0x80...0xBF).contains(b[$0]) })
            else { return i }
            i += length
        }
        return i
    }

    /// Offset of the first byte that breaks GB 18030's structure (single bytes 00–80, pairs
    /// 81–FE + 40–7E/80–FE, quadruples 81–FE 30–39 81–FE 30–39); nil when all are valid. 0x80 is
    /// the euro sign of Windows code page 936.
    static func firstInvalidGB18030(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i < b.count {
            let lead = b[i]
            if lead <= 0x80 { i += 1; continue }
            guard lead != 0xFF, i + 1 < b.count else { return i }
            let second = b[i + 1]
            if (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) { i += 2; continue }
            guard (0x30...0x39).contains(second), i + 3 < b.count, (0x81...0xFE).contains(b[i + 2]),
                (0x30...0x39).contains(b[i + 3])
            else { return i }
            i += 4
        }
        return nil
    }

    /// The 1-based CSV row (the header is row 1), column and text line of byte `offset`. Quotes are
    /// followed, so commas and line breaks inside a quoted field do not count; neither UTF-8 nor
    /// GB 18030 uses the bytes of `"`, `,`, CR or LF inside a multi-byte character.
    static func place(of offset: Int, in b: UnsafeBufferPointer<UInt8>) -> (row: Int, column: Int, line: Int) {
        var row = 1, column = 1, line = 1, quoted = false
        var i = 0
        while i < offset {
            let byte = b[i]
            let lineEnd = byte == 0x0A || (byte == 0x0D && (i + 1 >= b.count || b[i + 1] != 0x0A))
            if lineEnd { line += 1 }
            if byte == 0x22 {
                quoted.toggle()
            } else if !quoted && byte == 0x2C {
                column += 1
            } else if !quoted && lineEnd {
                row += 1
                column = 1
            }
            i += 1
        }
        return (row, column, line)
    }
}
