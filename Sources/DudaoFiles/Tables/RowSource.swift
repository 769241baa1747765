import Foundation

/// The rows of a CSV or XLSX file, read one at a time. Row numbers are the file's own (the
/// header is row 1), so messages name the row a user sees in Excel.
public protocol RowSource: AnyObject {
    var name: String { get }
    /// The first row.
    func header() throws -> [String]
    /// The next row that is not blank; nil at the end.
    func next() throws -> (row: Int, cells: [String])?
}

extension CSVStream: RowSource {}

/// A table already in memory (an XLSX sheet, a test) read as rows.
public final class TableRows: RowSource {
    let table: Table
    var index = 0

    public init(_ table: Table) { self.table = table }

    public var name: String { table.name }
    public func header() -> [String] { table.header }

    public func next() -> (row: Int, cells: [String])? {
        while index < table.rows.count {
            defer { index += 1 }
            if !table.rows[index].isEmpty { return (index + 2, table.rows[index]) }
        }
        return nil
    }
}

extension Table {
    /// A CSV file or an XLSX file's first sheet, streamed (bounded memory, any size).
    public static func rows(_ url: URL) throws -> any RowSource {
        switch url.pathExtension.lowercased() {
        case "xlsx": return try XLSXRowStream(url: url)
        case "csv", "txt": return try CSVStream(url: url)
        default: throw FileError.unsupported(url.lastPathComponent)
        }
    }
}
