import CSV
import Foundation

/// CSV in and out (UTF-8, with or without BOM; comma separated; RFC 4180 quoting).
public enum CSVTable {
    public static func read(_ url: URL) throws -> Table {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw FileError.unreadable(url.lastPathComponent, "\(error)") }
        return try parse(data, name: url.lastPathComponent)
    }

    public static func parse(_ data: Data, name: String) throws -> Table {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw FileError.unreadable(name, "\(error)")
        }
        guard let header = reader.headerRow else { throw FileError.empty(name) }
        var rows: [[String]] = []
        while let row = reader.next() {
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { rows.append([]); continue }
            rows.append(row)
        }
        if let error = reader.error { throw FileError.unreadable(name, "\(error)") }
        while rows.last?.isEmpty == true { rows.removeLast() }
        return Table(name: name, header: header, rows: rows)
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

    /// A field as CSV writes it (quoted when it holds a comma, quote or line break).
    public static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
