import DudaoCore

/// Why a CSV or XLSX file could not be turned into a `Table`.
public enum FileError: Error, CustomStringConvertible, Sendable {
    case unsupported(String)
    case unreadable(String, String)
    case empty(String)
    /// Content refused on purpose: a size or count limit passed, malformed XML, a cell reference
    /// outside the sheet, bytes that are neither UTF-8 nor GBK. `code` is stable for programs; the
    /// messages name the file, the part, the place (row, cell, line, column) and the limit.
    case refused(file: String, code: String, zh: String, en: String)

    /// A stable machine code: `unsupported`, `unreadable`, `empty`, or the refusal's code.
    public var code: String {
        switch self {
        case .unsupported: "unsupported"
        case .unreadable: "unreadable"
        case .empty: "empty"
        case .refused(_, let code, _, _): code
        }
    }

    public func message(_ language: Language) -> String {
        switch self {
        case .refused(_, _, let zh, let en): language == .zh ? zh : en
        case .unsupported(let name):
            language == .zh ? "不支持的文件类型：\(name)（请使用 .csv 或 .xlsx）" : "unsupported file type: \(name) (use .csv or .xlsx)"
        case .unreadable(let name, let why): language == .zh ? "无法读取文件 \(name)：\(why)" : "cannot read \(name): \(why)"
        case .empty(let name): language == .zh ? "\(name) 没有表头" : "\(name) has no header row"
        }
    }

    public var description: String {
        switch self {
        case .unsupported(let name): "unsupported file type: \(name) (use .csv or .xlsx) / 不支持的文件类型"
        case .unreadable(let name, let why): "cannot read \(name): \(why) / 无法读取文件"
        case .empty(let name): "\(name) has no header row / 文件没有表头"
        case .refused(_, _, let zh, let en): "\(en) / \(zh)"
        }
    }

    /// Quoted for messages and cut short, so a hostile megabyte-long value never makes a huge message.
    static func shown(_ raw: String) -> String { raw.count > 40 ? String(raw.prefix(40)) + "…" : raw }

    /// "1 MiB", "512 KiB", "100 bytes".
    static func bytes(_ n: Int) -> String {
        if n >= 1 << 20 && n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
        if n >= 1 << 10 && n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
        return "\(n) bytes"
    }

    static func bytes(_ n: UInt64) -> String { n > UInt64(Int.max) ? "\(n) bytes" : bytes(Int(n)) }
}
