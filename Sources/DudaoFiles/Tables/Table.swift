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
