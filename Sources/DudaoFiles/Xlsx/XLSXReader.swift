import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// How much an .xlsx may make the reader hold. A few kilobytes of zip can declare gigabytes of
/// XML, a cell reference can point a million columns to the right, so every size and count is
/// bounded and checked before anything is allocated for it.
public struct XLSXLimits: Sendable, Hashable {
    /// Largest uncompressed size of one zip part (worksheet, shared strings, workbook): 512 MiB.
    public static let defaultMaxPartBytes = 512 << 20
    /// Rows per sheet: 1,048,576, Excel's own maximum.
    public static let defaultMaxRows = 1_048_576
    /// Columns per sheet: 256 (A…IV); a returns file has about 30.
    public static let defaultMaxColumns = 256
    /// Cells held for the sheet, empty cells padding a row included: 50,000,000.
    public static let defaultMaxCells = 50_000_000
    /// Entries in the shared-string table: 50,000,000.
    public static let defaultMaxSharedStrings = 50_000_000
    /// Excel's grid (A1…XFD1048576): a cell reference or row number outside it is malformed.
    public static let excelRows = 1_048_576
    public static let excelColumns = 16_384

    public static let standard = XLSXLimits()

    public var maxPartBytes: Int
    public var maxRows: Int
    public var maxColumns: Int
    public var maxCells: Int
    public var maxSharedStrings: Int

    public init(
        maxPartBytes: Int = defaultMaxPartBytes, maxRows: Int = defaultMaxRows, maxColumns: Int = defaultMaxColumns,
        maxCells: Int = defaultMaxCells, maxSharedStrings: Int = defaultMaxSharedStrings
    ) {
        self.maxPartBytes = maxPartBytes
        self.maxRows = min(maxRows, Self.excelRows)
        self.maxColumns = min(maxColumns, Self.excelColumns)
        self.maxCells = maxCells
        self.maxSharedStrings = maxSharedStrings
    }
}

/// Reads the first worksheet of an .xlsx file into a `Table` (text of every cell, shared and
/// inline strings resolved). Only what returns need: no formulas are evaluated (the cached
/// value is read), no styles, dates stay serial numbers.
///
/// Parts are read with a SAX parser, so memory follows the cells kept, not the XML tree; every
/// limit passed, malformed reference or XML error is a `FileError.refused` naming the file, the
/// part and the place.
public enum XLSXReader {
    public static func readFirstSheet(_ url: URL, limits: XLSXLimits = .standard) throws -> Table {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch { throw FileError.unreadable(url.lastPathComponent, "\(error)") }
        return try read(data, name: url.lastPathComponent, limits: limits)
    }

    /// - Parameter indents: keep a text cell's indentation (Excel's 增加缩进, a cell style) as
    ///   leading ideographic spaces, one per level, for outlines whose levels are indents.
    public static func read(_ data: Data, name: String, limits: XLSXLimits = .standard, indents: Bool = false) throws -> Table {
        let parts = try XLSXParts.open(data, name: name, limits: limits)
        let strings = try sharedStrings(parts)
        let sheetPath = try firstSheetPath(parts)
        var grid = try sheet(sheetPath, parts: parts, strings: strings, indents: indents ? try styleIndents(parts) : [:])
        while grid.last?.allSatisfy({ $0.isEmpty }) == true { grid.removeLast() }
        guard let header = grid.first, !header.isEmpty else { throw FileError.empty(name) }
        return Table(name: name, header: header, rows: Array(grid.dropFirst()))
    }

    static func sharedStrings(_ parts: XLSXParts) throws(FileError) -> [String] {
        let path = "xl/sharedStrings.xml"
        let handler = SharedStringsHandler(place: parts.place(path), limit: parts.limits.maxSharedStrings)
        try parts.parse(path, into: handler)
        return handler.strings
    }

    /// The indent level of each cell style that has one (xl/styles.xml, cellXfs by position).
    static func styleIndents(_ parts: XLSXParts) throws(FileError) -> [Int: Int] {
        let handler = StylesHandler()
        try parts.parse("xl/styles.xml", into: handler)
        return handler.indents
    }

    static func sheet(_ path: String, parts: XLSXParts, strings: [String], indents: [Int: Int] = [:]) throws(FileError) -> [[String]] {
        let handler = WorksheetHandler(place: parts.place(path), limits: parts.limits, strings: strings, indents: indents)
        guard try parts.parse(path, into: handler) else { throw FileError.unreadable(parts.file, "no worksheet found") }
        return handler.grid
    }

    /// Follows workbook.xml → workbook.xml.rels to the first sheet; falls back to sheet1.xml when
    /// either part is missing or unreadable as XML (limits and damaged data still refuse the file).
    static func firstSheetPath(_ parts: XLSXParts) throws(FileError) -> String {
        let fallback = "xl/worksheets/sheet1.xml"
        let (workbookPath, relsPath) = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        guard parts.archive.entries[workbookPath] != nil, parts.archive.entries[relsPath] != nil else { return fallback }
        /// Parsed, or false when its XML is not usable; a size limit or damaged data still refuses.
        func usable(_ path: String, _ handler: some PartHandler) throws(FileError) -> Bool {
            do { return try parts.parse(path, into: handler) } catch {
                if error.code == "part_too_large" || error.code == "unreadable" { throw error }
                return false
            }
        }
        let workbook = WorkbookHandler()
        guard try usable(workbookPath, workbook), let id = workbook.firstSheetId else { return fallback }
        let relationships = RelationshipsHandler(id: id)
        guard try usable(relsPath, relationships), let target = relationships.target else { return fallback }
        return target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }

    /// "C12" → 2 (0 when the reference is not valid).
    static func columnIndex(_ reference: String) -> Int {
        cellReference(reference)?.column ?? 0
    }

    /// "AB12" → column 27 (0-based), row 12. nil unless 1–3 capital letters up to XFD, then a row
    /// number 1…1,048,576 without leading zeros: anything else is no cell of an Excel sheet.
    static func cellReference(_ reference: String) -> (column: Int, row: Int)? {
        let utf8 = reference.utf8
        guard utf8.count <= 10 else { return nil }
        let letters = utf8.prefix { (65...90).contains($0) }
        guard (1...3).contains(letters.count), let row = rowNumber(utf8.dropFirst(letters.count)) else { return nil }
        let column = letters.reduce(0) { $0 * 26 + Int($1 - 64) }
        guard column <= XLSXLimits.excelColumns else { return nil }
        return (column - 1, row)
    }

    /// "12" → 12. nil unless decimal digits without a leading zero, 1…1,048,576.
    static func rowNumber(_ digits: some Collection<UInt8>) -> Int? {
        guard (1...7).contains(digits.count), digits.first != 48, digits.allSatisfy({ (48...57).contains($0) }) else { return nil }
        let n = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
        return n <= XLSXLimits.excelRows ? n : nil
    }
}

// MARK: - Zip parts

/// The parts of one archive, each read within the size limit and parsed with a SAX delegate.
struct XLSXParts {
    let archive: ZipReader
    let file: String
    let limits: XLSXLimits

    func place(_ part: String) -> XLSXPlace { XLSXPlace(file: file, part: part) }

    /// An archive's parts; a file that is not a zip is refused.
    static func open(_ data: Data, name: String, limits: XLSXLimits) throws(FileError) -> XLSXParts {
        do { return XLSXParts(archive: try ZipReader(data), file: name, limits: limits) } catch {
            throw FileError.unreadable(name, "not an xlsx (zip) file: \(error)")
        }
    }

    /// Parses a part as it is inflated, 64 KiB at a time (memory follows the handler, not the
    /// part's size), checked on the way (`PartInput`): the declared size, then the bytes counted
    /// (a declared size is only a claim), the prologue, no processing instruction anywhere.
    /// False when the archive has no such part.
    @discardableResult
    func parse(_ part: String, into handler: some PartHandler) throws(FileError) -> Bool {
        guard let entry = archive.entries[part] else { return false }
        try checkDeclaredSize(entry, part)
        let stream: ZipReader.PartStream
        do { stream = try archive.open(entry) } catch { throw FileError.unreadable(file, "\(part): \(error)") }
        let place = place(part)
        let reader = PartReader(handler)
        let input = PartInput(stream, limit: limits.maxPartBytes, declared: entry.uncompressedSize, place: place, reader: reader)
        let parser = XMLParser(stream: input)
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        let ok = withExtendedLifetime(reader) { parser.parse() }
        // A refusal of the bytes (size, prologue, corrupt data) explains whatever libxml2 saw after it.
        if let failure = input.failure { throw failure }
        try conclude(ok, parser: parser, reader: reader, place: place)
        return true
    }

    func checkDeclaredSize(_ entry: ZipReader.Entry, _ path: String) throws(FileError) {
        let limit = limits.maxPartBytes
        guard entry.uncompressedSize <= limit else {
            throw place(path).refuse(
                "part_too_large", zh: "解压后为 \(FileError.bytes(entry.uncompressedSize))，超过 \(FileError.bytes(limit)) 的上限",
                en: "the part is \(FileError.bytes(entry.uncompressedSize)) uncompressed, more than the limit of \(FileError.bytes(limit))")
        }
    }

    /// The handler's refusal or the parser's error, in words, once a parse has ended.
    private func conclude(_ ok: Bool, parser: XMLParser, reader: PartReader, place: XLSXPlace) throws(FileError) {
        if let refusal = reader.refusal { throw refusal }
        let truncated = { (position: XMLPosition) in
            place.at(position).refuse(
                "malformed_xml", zh: "XML 在根元素闭合之前就结束了（文件可能不完整）",
                en: "the XML ends before its root element is closed (the file may be truncated)")
        }
        if let error = reader.xmlError {
            // libxml2 reports a premature end with the codes of "extra content" (5) or an unfinished tag (77).
            if !reader.path.isEmpty && (error.code == 5 || error.code == 77) { throw truncated(error.position) }
            throw place.at(error.position).malformed(error.code)
        }
        // libxml2 recovers from some errors; whatever it still reports as a failure is one here.
        if !ok, let code = (parser.parserError as NSError?)?.code, !PartReader.warnings.contains(code) {
            throw place.at(XMLPosition(parser)).malformed(code)
        }
        if !reader.path.isEmpty { throw truncated(XMLPosition(parser)) }
    }
}

/// Where in an .xlsx a refusal happened: the file and the zip part, then the sheet row and cell
/// and the XML line and column when known.
struct XLSXPlace {
    var file: String
    var part: String
    var row: Int?
    var cell: String?
    var line: Int?
    var column: Int?

    func at(_ position: XMLPosition, row: Int? = nil, cell: String? = nil) -> XLSXPlace {
        var p = self
        p.line = position.line > 0 ? position.line : nil
        p.column = position.column > 0 ? position.column : nil
        p.row = row
        p.cell = cell
        return p
    }

    var en: String {
        var s = "\(file), \(part)"
        if let row { s += ", row \(row)" }
        if let cell { s += ", cell \(FileError.shown(cell))" }
        if let line { s += column.map { " (XML line \(line), column \($0))" } ?? " (XML line \(line))" }
        return s
    }

    var zh: String {
        var s = "\(file)，\(part)"
        if let row { s += "，第\(row)行" }
        if let cell { s += "，单元格 \(FileError.shown(cell))" }
        if let line { s += column.map { "（XML第\(line)行第\($0)列）" } ?? "（XML第\(line)行）" }
        return s
    }

    func refuse(_ code: String, zh: String, en: String) -> FileError {
        .refused(file: file, code: code, zh: "\(self.zh)：\(zh)", en: "\(self.en): \(en)")
    }

    /// A libxml2 error, described for people; the number is kept for whoever debugs it.
    func malformed(_ code: Int) -> FileError {
        let what: (zh: String, en: String) =
            switch code {
            case 4: ("文档为空", "the document is empty")
            case 5, 86: ("根元素之后还有多余内容", "extra content after the root element")
            case 9: ("含有 XML 不允许的字符", "a character XML does not allow")
            case 26: ("使用了未声明的实体", "an undeclared entity")
            case 38: ("属性值中含有「<」", "'<' inside an attribute value")
            case 39, 40, 41: ("属性书写错误", "a malformed attribute")
            case 42, 203: ("属性重复", "a repeated attribute")
            case 68: ("缺少名称", "a name is missing")
            case 73: ("缺少「>」", "'>' expected")
            case 76: ("结束标签与开始标签不匹配", "an end tag that does not match its start tag")
            case 77: ("数据在标签结束前中断", "the data ends inside a tag")
            case 81: ("字节不符合声明的字符编码", "bytes that are not valid in the declared encoding")
            case 85: ("标签嵌套不平衡", "unbalanced tags")
            case 89: ("实体循环引用", "an entity that refers to itself")
            case 201: ("使用了未声明的命名空间前缀", "an undeclared namespace prefix")
            default: ("语法错误", "a syntax error")
            }
        return refuse(
            "malformed_xml", zh: "XML 格式错误：\(what.zh)（libxml2 错误码 \(code)）",
            en: "not well-formed XML: \(what.en) (libxml2 error \(code))")
    }
}

struct XMLPosition {
    var line: Int
    var column: Int
    init(_ parser: XMLParser) {
        line = parser.lineNumber
        column = parser.columnNumber
    }
}

// MARK: - SAX plumbing

/// What a part parser does with the events; `path` holds the open elements, the current one last
/// (on `end` too). Throwing stops the parse at once.
protocol PartHandler: AnyObject {
    func start(_ name: String, attributes: [String: String], path: [String], at: XMLPosition) throws(FileError)
    func end(_ name: String, path: [String], at: XMLPosition) throws(FileError)
    func characters(_ text: String)
}

extension PartHandler {
    func end(_ name: String, path: [String], at: XMLPosition) throws(FileError) {}
    func characters(_ text: String) {}
}

/// The XMLParser delegate: keeps the element path, hands events to the handler, and stops at the
/// first refusal or XML error, remembering where it was.
final class PartReader: NSObject, XMLParserDelegate {
    /// libxml2 codes that are warnings (relative namespace URIs, unknown XML version …), not errors.
    static let warnings: Set<Int> = [27, 93, 97, 98, 99, 100, 102, 106, 107]
    /// XML_ERR_USER_STOP: the parse was stopped from here.
    static let userStop = 111

    let handler: any PartHandler
    var path: [String] = []
    var refusal: FileError?
    var xmlError: (code: Int, position: XMLPosition)?

    init(_ handler: any PartHandler) { self.handler = handler }

    private func stop(_ parser: XMLParser, _ error: FileError) {
        if refusal == nil { refusal = error }
        parser.abortParsing()
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String]
    ) {
        path.append(elementName)
        guard refusal == nil, xmlError == nil else { return }
        do { try handler.start(elementName, attributes: attributeDict, path: path, at: XMLPosition(parser)) } catch { stop(parser, error) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard !path.isEmpty else { return }
        defer { path.removeLast() }
        guard refusal == nil, xmlError == nil else { return }
        do { try handler.end(elementName, path: path, at: XMLPosition(parser)) } catch { stop(parser, error) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard refusal == nil, xmlError == nil else { return }
        handler.characters(string)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard refusal == nil, xmlError == nil else { return }
        handler.characters(String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        let code = (parseError as NSError).code
        guard refusal == nil, xmlError == nil, !Self.warnings.contains(code), code != Self.userStop else { return }
        // Stop at the first error: libxml2 would otherwise "recover" and feed us guesses.
        xmlError = (code, XMLPosition(parser))
        parser.abortParsing()
    }
}

/// The bytes before the root element. ECMA-376 Part 2 allows XML parts in UTF-8 or UTF-16 only
/// and never with a DTD; both are checked on the raw bytes, so libxml2 never sees an entity
/// declaration or an encoding (EBCDIC, UTF-7 …) that could hide one.
enum Prologue: Equatable {
    case fine
    case doctype
    case encoding(String)
    /// A processing instruction other than the XML declaration. Office parts carry none, and
    /// Foundation's XMLParser on Linux crashes (strlen of a null pointer) on one without data
    /// (`<?x?>`, found by DudaoFuzzTests), so they are refused before parsing.
    case processingInstruction
    /// The bytes end before the root element and more are coming (a part read as it is inflated).
    case undecided

    /// - Parameter complete: whether `data` is the whole part; when not, `.undecided` asks for more.
    static func check(_ data: Data, complete: Bool = true) -> Prologue {
        data.withUnsafeBytes { raw in check(raw.bindMemory(to: UInt8.self), complete: complete) }
    }

    /// The refusal this outcome is, nil when the part may be parsed.
    func refusal(_ place: XLSXPlace) -> FileError? {
        switch self {
        case .fine, .undecided: nil
        case .doctype:
            place.refuse(
                "xml_doctype", zh: "含有文档类型声明（<!DOCTYPE …>），Office 文件不含此类声明",
                en: "the part holds a document type declaration (<!DOCTYPE …>), which Office files never carry")
        case .processingInstruction:
            place.refuse(
                "xml_processing_instruction", zh: "含有处理指令（<?…?>），Office 文件除 XML 声明外不含此类内容",
                en: "the part holds a processing instruction (<?…?>), which Office files never carry beyond the XML declaration")
        case .encoding(let name):
            place.refuse(
                "xml_encoding", zh: "编码为 \(FileError.shown(name))，Office 文件只使用 UTF-8 或 UTF-16",
                en: "the part is encoded in \(FileError.shown(name)); Office files use UTF-8 or UTF-16 only")
        }
    }

    /// How "<?" is spelt in the part's code units: UTF-8 bytes, or UTF-16 in its byte order.
    static func piPattern(_ head: Data) -> [UInt8] {
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0x3C, 0]) { return [0x3C, 0, 0x3F, 0] }
        if head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0, 0x3C]) { return [0, 0x3C, 0, 0x3F] }
        return [0x3C, 0x3F]
    }

    static func check(_ b: UnsafeBufferPointer<UInt8>, complete: Bool = true) -> Prologue {
        // Too few bytes to tell the encoding or a byte-order mark.
        if !complete && b.count < 8 { return .undecided }
        func starts(_ prefix: [UInt8]) -> Bool { b.count >= prefix.count && zip(b, prefix).allSatisfy { $0 == $1 } }
        if starts([0, 0, 0xFE, 0xFF]) || starts([0xFF, 0xFE, 0, 0]) || starts([0x3C, 0, 0, 0]) || starts([0, 0, 0, 0x3C]) {
            return .encoding("UTF-32")
        }
        if starts([0x4C, 0x6F, 0xA7, 0x94]) { return .encoding("EBCDIC") }
        // Code units: bytes, or UTF-16 units in either byte order.
        var offset = 0, width = 1, bigEndian = false
        if starts([0xEF, 0xBB, 0xBF]) {
            offset = 3
        } else if starts([0xFF, 0xFE]) {
            (offset, width) = (2, 2)
        } else if starts([0xFE, 0xFF]) {
            (offset, width, bigEndian) = (2, 2, true)
        } else if starts([0x3C, 0]) {
            width = 2
        } else if starts([0, 0x3C]) {
            (width, bigEndian) = (2, true)
        }
        let count = (b.count - offset) / width
        func unit(_ k: Int) -> UInt16 {
            let i = offset + k * width
            if width == 1 { return UInt16(b[i]) }
            return bigEndian ? UInt16(b[i]) << 8 | UInt16(b[i + 1]) : UInt16(b[i + 1]) << 8 | UInt16(b[i])
        }
        func has(_ pattern: [UInt16], at k: Int) -> Bool {
            guard k + pattern.count <= count else { return false }
            for (j, p) in pattern.enumerated() where unit(k + j) != p { return false }
            return true
        }
        func find(_ pattern: [UInt16], from k: Int) -> Int? {
            var j = k
            while j + pattern.count <= count {
                if has(pattern, at: j) { return j }
                j += 1
            }
            return nil
        }
        let piStart = Array("<?".utf16), piEnd = Array("?>".utf16), declaration = Array("<?xml".utf16)
        let commentStart = Array("<!--".utf16), commentEnd = Array("-->".utf16), markup = Array("<!".utf16)
        var k = 0
        var first = true
        while true {
            while k < count, [0x20, 0x09, 0x0A, 0x0D].contains(unit(k)) { k += 1 }
            // "<?xml" and "<!--" are five units: fewer left cannot say which comes.
            if !complete && k + 5 > count { return .undecided }
            if has(piStart, at: k) {
                // Unterminated: not well-formed, which libxml2 reports with its position.
                guard let end = find(piEnd, from: k + 2) else { return complete ? .fine : .undecided }
                guard first && has(declaration, at: k) else { return .processingInstruction }
                let text = String(decoding: (k..<end).map { unit($0) < 0x80 ? UInt8(unit($0)) : 0x3F }, as: UTF8.self)
                if let name = encodingName(text), !["utf-8", "utf8", "utf-16", "utf-16le", "utf-16be"].contains(name.lowercased()) {
                    return .encoding(name)
                }
                k = end + 2
            } else if has(commentStart, at: k) {
                guard let end = find(commentEnd, from: k + 4) else { return complete ? .fine : .undecided }
                k = end + 3
            } else if has(markup, at: k) {
                return .doctype
            } else {
                // Past the prologue: "<?" can only start a processing instruction (text escapes "<").
                return find(piStart, from: k) == nil ? .fine : .processingInstruction
            }
            first = false
        }
    }

    /// The value of `encoding="…"` in an XML declaration.
    static func encodingName(_ declaration: String) -> String? {
        guard let key = declaration.range(of: "encoding") else { return nil }
        var rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }
}

// MARK: - Part handlers

/// Text of a shared or inline string: `<t>` directly, else the `<t>` of every run `<r>`
/// (phonetic runs `<rPh>` are not part of the text).
struct RichText {
    var direct: String?
    var runs = ""
    var text: String { direct ?? runs }
}

enum TextTarget { case value, direct, run }

final class SharedStringsHandler: PartHandler {
    let place: XLSXPlace
    let limit: Int
    private(set) var strings: [String] = []
    private var current = RichText()
    private var target: TextTarget?

    init(place: XLSXPlace, limit: Int) {
        self.place = place
        self.limit = limit
    }

    func start(_ name: String, attributes: [String: String], path: [String], at: XMLPosition) throws(FileError) {
        switch name {
        case "si" where path.count == 2: current = RichText()
        case "t" where path.count == 3 && path[1] == "si":
            current.direct = current.direct ?? ""
            target = .direct
        case "t" where path.count == 4 && path[2] == "r" && path[1] == "si": target = .run
        default: break
        }
    }

    func end(_ name: String, path: [String], at: XMLPosition) throws(FileError) {
        switch name {
        case "t": target = nil
        case "si" where path.count == 2:
            guard strings.count < limit else {
                throw place.at(at).refuse(
                    "too_many_strings", zh: "共享字符串超过 \(limit) 条的上限",
                    en: "the shared-string table holds more than \(limit) strings, the limit")
            }
            strings.append(current.text)
        default: break
        }
    }

    func characters(_ text: String) {
        switch target {
        case .direct: current.direct?.append(text)
        case .run: current.runs.append(text)
        case .value, nil: break
        }
    }
}

/// The cells of `sheetData`, placed by their references. A row or column beyond the limits is
/// refused when it holds text; an empty one there (a style, a row height) is skipped, never padded to.
final class WorksheetHandler: PartHandler {
    let place: XLSXPlace
    let limits: XLSXLimits
    let strings: [String]
    /// Style index → indent level (only when indentation is kept).
    let indents: [Int: Int]
    /// Where finished rows go: into `grid`, or one by one to a reader on another thread.
    enum Output {
        case grid
        case rows(RowQueue)
    }
    let output: Output
    private(set) var grid: [[String]] = []
    private var cellCount = 0
    /// The last row handed on (streaming: rows must come in order).
    private var lastRow = 0
    // The open row.
    private var rowNumber = 0
    private var cells: [String] = []
    // The open cell.
    private var column = 0
    private var cellName = ""
    private var type: String?
    private var style: Int?
    private var value: String?
    private var inline = RichText()
    private var target: TextTarget?

    init(place: XLSXPlace, limits: XLSXLimits, strings: [String], indents: [Int: Int] = [:], output: Output = .grid) {
        self.place = place
        self.limits = limits
        self.strings = strings
        self.indents = indents
        self.output = output
    }

    func start(_ name: String, attributes: [String: String], path: [String], at: XMLPosition) throws(FileError) {
        let depth = path.count
        // Only the cells of worksheet/sheetData/row/c count.
        guard depth >= 3, path[1] == "sheetData" else { return }
        switch name {
        case "row" where depth == 3:
            if let r = attributes["r"] {
                guard let n = XLSXReader.rowNumber(r.utf8) else {
                    throw place.at(at).refuse(
                        "bad_row_number", zh: "行号「\(FileError.shown(r))」无效（应为 1 至 \(XLSXLimits.excelRows)）",
                        en: "row number '\(FileError.shown(r))' is not valid (1 to \(XLSXLimits.excelRows))")
                }
                rowNumber = n
            } else {
                // A row without a number follows the one before.
                switch output {
                case .grid: rowNumber = grid.count + 1
                case .rows: rowNumber = lastRow + 1
                }
            }
            cells = []
        case "c" where depth == 4 && path[2] == "row":
            if let r = attributes["r"] {
                guard let reference = XLSXReader.cellReference(r) else {
                    throw place.at(at, row: rowNumber).refuse(
                        "bad_cell_reference", zh: "单元格引用「\(FileError.shown(r))」无效（列 A 至 XFD，行 1 至 \(XLSXLimits.excelRows)）",
                        en: "cell reference '\(FileError.shown(r))' is not valid (columns A to XFD, rows 1 to \(XLSXLimits.excelRows))")
                }
                column = reference.column
                cellName = r
            } else {
                column = cells.count
                cellName = XLSXWriter.columnName(column) + String(rowNumber)
            }
            type = attributes["t"]
            style = attributes["s"].flatMap { Int($0) }
            value = nil
            inline = RichText()
        case "v" where depth == 5 && path[3] == "c" && path[2] == "row":
            value = value ?? ""
            target = .value
        case "t" where depth == 6 && path[4] == "is" && path[3] == "c" && path[2] == "row":
            inline.direct = inline.direct ?? ""
            target = .direct
        case "t" where depth == 7 && path[5] == "r" && path[4] == "is" && path[3] == "c" && path[2] == "row":
            target = .run
        default: break
        }
    }

    func end(_ name: String, path: [String], at: XMLPosition) throws(FileError) {
        let depth = path.count
        switch name {
        case "v", "t": target = nil
        case "c" where depth == 4 && path[2] == "row" && path[1] == "sheetData": try endCell(at)
        case "row" where depth == 3 && path[1] == "sheetData": try endRow(at)
        default: break
        }
    }

    func characters(_ text: String) {
        switch target {
        case .value: value?.append(text)
        case .direct: inline.direct?.append(text)
        case .run: inline.runs.append(text)
        case nil: break
        }
    }

    private func endCell(_ at: XMLPosition) throws(FileError) {
        var text: String
        switch type {
        case "s": text = value.flatMap { Int($0) }.flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? ""
        case "inlineStr": text = inline.text
        default: text = value ?? ""
        }
        if let style, let indent = indents[style], indent > 0, !text.isEmpty, type == "s" || type == "inlineStr" || type == "str" {
            text = String(repeating: "\u{3000}", count: min(indent, 15)) + text
        }
        let rowInside = rowNumber <= limits.maxRows, columnInside = column < limits.maxColumns
        guard rowInside && columnInside else {
            guard text.isEmpty else {
                let here = place.at(at, row: rowNumber, cell: cellName)
                if !rowInside {
                    throw here.refuse(
                        "too_many_rows", zh: "工作表超过 \(limits.maxRows) 行的上限",
                        en: "the sheet has more than \(limits.maxRows) rows, the limit")
                }
                let last = XLSXWriter.columnName(limits.maxColumns - 1)
                throw here.refuse(
                    "too_many_columns", zh: "第\(column + 1)列超出 \(limits.maxColumns) 列的上限（A 至 \(last)）",
                    en: "column \(column + 1) is beyond the limit of \(limits.maxColumns) columns (A to \(last))")
            }
            return
        }
        while cells.count < column { cells.append("") }
        if cells.count == column { cells.append(text) } else { cells[column] = text }
    }

    private func endRow(_ at: XMLPosition) throws(FileError) {
        guard rowNumber <= limits.maxRows else { return }
        if case .rows(let queue) = output {
            // Excel writes rows in order; a sheet that goes back cannot be read a row at a time.
            guard rowNumber > lastRow else {
                throw place.at(at, row: rowNumber).refuse(
                    "rows_out_of_order", zh: "第\(rowNumber)行出现在第\(lastRow)行之后，工作表的行应按行号递增",
                    en: "row \(rowNumber) comes after row \(lastRow); a sheet's rows must be in ascending order")
            }
            lastRow = rowNumber
            defer { cells = [] }
            guard queue.put(row: rowNumber, cells: cells) else { throw RowQueue.stopped(place.file) }
            return
        }
        let index = rowNumber - 1
        while grid.count <= index { grid.append([]) }
        cellCount += cells.count - grid[index].count
        grid[index] = cells
        cells = []
        guard cellCount <= limits.maxCells else {
            throw place.at(at, row: rowNumber).refuse(
                "too_many_cells", zh: "工作表超过 \(limits.maxCells) 个单元格的上限",
                en: "the sheet holds more than \(limits.maxCells) cells, the limit")
        }
    }
}

/// The indent of each cell format of styleSheet/cellXfs (`<xf><alignment indent="2"/></xf>`), by position.
final class StylesHandler: PartHandler {
    private(set) var indents: [Int: Int] = [:]
    private var index = -1

    func start(_ name: String, attributes: [String: String], path: [String], at: XMLPosition) throws(FileError) {
        guard path.count >= 2, path[1] == "cellXfs" else { return }
        if name == "xf" && path.count == 3 { index += 1 }
        if name == "alignment" && path.count == 4, let indent = attributes["indent"].flatMap({ Int($0) }), indent > 0 { indents[index] = indent }
    }
}

/// The relationship id of the first `<sheet>` in workbook.xml (`r:id`, whatever the prefix).
final class WorkbookHandler: PartHandler {
    private(set) var firstSheetId: String?
    private var seen = false

    func start(_ name: String, attributes: [String: String], path: [String], at: XMLPosition) throws(FileError) {
        guard name == "sheet", path.count == 3, path[1] == "sheets", !seen else { return }
        seen = true
        firstSheetId = attributes.first { $0.key.hasSuffix(":id") }?.value ?? attributes["id"]
    }
}

/// The target of one relationship in a .rels part.
final class RelationshipsHandler: PartHandler {
    let id: String
    private(set) var target: String?

    init(id: String) { self.id = id }

    func start(_ name: String, attributes: [String: String], path: [String], at: XMLPosition) throws(FileError) {
        guard name == "Relationship", path.count == 2, target == nil, attributes["Id"] == id else { return }
        target = attributes["Target"]
    }
}
