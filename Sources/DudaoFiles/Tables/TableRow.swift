import DudaoCore
import Foundation

/// One data row of a table being read by column id (the county facts, inspector roster and
/// task outline parsers): its cells, trimmed, and its problems named by file, row and the
/// column's heading as the file wrote it.
struct TableRow {
    let cells: [String]
    /// The row's number in the file (the heading is row 1).
    let row: Int
    /// Column id → index in `cells`.
    let columns: [String: Int]
    let table: Table
    var trimming: CharacterSet = .whitespaces

    /// The cell of column `id`, trimmed; "" when the file has no such column or the row ends before it.
    func callAsFunction(_ id: String) -> String {
        guard let i = columns[id], i < cells.count else { return "" }
        return cells[i].trimmingCharacters(in: trimming)
    }

    /// An error at this row in column `id`, named by the file's heading of that column (its id
    /// when the file has none), or by `column` when given.
    func issue(_ id: String, _ code: String, zh: String, en: String, column: String? = nil) -> ImportIssue {
        let name = column ?? columns[id].flatMap { $0 < table.header.count ? table.header[$0] : nil } ?? id
        return ImportIssue(.error, code: code, file: table.name, row: row, column: name, field: id, zh: zh, en: en)
    }
}
