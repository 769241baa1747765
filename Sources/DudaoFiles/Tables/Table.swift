import Foundation

/// A sheet of text cells as read from CSV or XLSX: a header row and data rows.
public struct Table: Sendable {
    public var name: String
    public var header: [String]
    /// Data rows (without the header); rows may be shorter than the header.
    public var rows: [[String]]
    /// Columns whose cells stay text even when they look like numbers (codes).
    public var textColumns: Set<Int>

    public init(name: String, header: [String], rows: [[String]], textColumns: Set<Int> = []) {
        self.name = name
        self.header = header
        self.rows = rows
        self.textColumns = textColumns
    }

    /// Reads a CSV or XLSX file, chosen by extension.
    public static func read(_ url: URL) throws -> Table {
        switch url.pathExtension.lowercased() {
        case "xlsx": return try XLSXReader.readFirstSheet(url)
        case "csv", "txt": return try CSVTable.read(url)
        default: throw FileError.unsupported(url.lastPathComponent)
        }
    }
}

public enum FileError: Error, CustomStringConvertible, Sendable {
    case unsupported(String)
    case unreadable(String, String)
    case empty(String)

    public var description: String {
        switch self {
        case .unsupported(let name): "unsupported file type: \(name) (use .csv or .xlsx) / 不支持的文件类型"
        case .unreadable(let name, let why): "cannot read \(name): \(why) / 无法读取文件"
        case .empty(let name): "\(name) has no header row / 文件没有表头"
        }
    }
}
