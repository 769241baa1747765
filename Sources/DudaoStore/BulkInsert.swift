import NIOCore
import PostgresKit
import SQLKit
import SQLiteKit

/// Inserts many rows at once. A national import writes 600,000 rows (schools, returns, audit
/// entries): bound value by value through SQLKit's encoders that is 14 million parameters and
/// most of the import's time. In a transaction's session the rows go the fast way: SQLite binds
/// `SQLiteData` straight to the pinned connection (up to 32,000 values a statement), PostgreSQL
/// `COPY`s them. Any other database (a test's wrapper around a session) gets plain bound values
/// through SQLKit. Every value is bound or copied, never spliced into the statement text.
struct BulkInsert: Sendable {
    /// A value of one cell.
    enum Cell {
        case text(String)
        case integer(Int)
        case double(Double?)
        case boolean(Bool)
        case textOrNull(String?)
    }

    let table: String
    let columns: [String]
    /// What follows the insert: `ON CONFLICT (…) DO UPDATE SET …`, or empty.
    let conflict: String

    /// The same insert for rows known not to be stored (the caller has looked): no conflict
    /// rule, so PostgreSQL copies them straight into the table instead of through a temporary
    /// one and an `INSERT … SELECT … ON CONFLICT`. Should another writer store one of them
    /// meanwhile, the insert fails on the key and the caller's transaction with it.
    var inserting: BulkInsert { BulkInsert(table: table, columns: columns, conflict: "") }

    /// `ON CONFLICT (key) DO UPDATE SET` every other column of `table` to the new row's value;
    /// with `unlessSameBut`, only a row that differs in a column other than those (a stamp such
    /// as `updated_at`) is rewritten, so re-importing a file leaves unchanged rows alone.
    /// `keeping`: columns a NULL does not overwrite (a file without the column keeps what is stored).
    static func replacing(
        _ table: String, key: [String], of columns: [String], unlessSameBut stamps: [String]? = nil, keeping: Set<String> = []
    ) -> String {
        let others = columns.filter { !key.contains($0) }
        let set = others.map { keeping.contains($0) ? "\($0) = COALESCE(excluded.\($0), \(table).\($0))" : "\($0) = excluded.\($0)" }
        var clause = "ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(set.joined(separator: ", "))"
        if let stamps {
            let compared = others.filter { !stamps.contains($0) }.map {
                keeping.contains($0)
                    ? "(excluded.\($0) IS NOT NULL AND \(table).\($0) IS DISTINCT FROM excluded.\($0))"
                    : "\(table).\($0) IS DISTINCT FROM excluded.\($0)"
            }
            if !compared.isEmpty { clause += " WHERE " + compared.joined(separator: " OR ") }
        }
        return clause
    }

    /// Rows made ready for one database, without touching it: the values a SQLite statement
    /// binds, or the text PostgreSQL's `COPY` reads. Made while another part of an import is
    /// being written (`ReturnImporter.plan`), so that the writing sends and does not encode.
    enum Payload: @unchecked Sendable {
        /// Unchecked: the buffer is made once and only read after.
        case sqlite(rows: Int, values: [SQLiteData])
        case copy(rows: Int, text: ByteBuffer)
        case cells([[Cell]])

        var isEmpty: Bool {
            switch self {
            case .sqlite(let rows, _), .copy(let rows, _): rows == 0
            case .cells(let rows): rows.isEmpty
            }
        }
    }

    /// `rows` as `db` will take them (see `Payload`).
    func prepare(_ rows: [[Cell]], for db: any SQLDatabase) -> Payload {
        if db is SQLiteSession { return .sqlite(rows: rows.count, values: Self.sqliteValues(rows)) }
        if db is PostgresSession {
            var text = ByteBuffer()
            // About 16 bytes a cell: the buffer grows once or twice instead of doubling from nothing.
            text.reserveCapacity(rows.count * (columns.count * 16 + 1))
            for row in rows { Self.appendCopyLine(row, to: &text) }
            return .copy(rows: rows.count, text: text)
        }
        return .cells(rows)
    }

    func run(_ rows: [[Cell]], on db: any SQLDatabase) async throws {
        try await run(prepare(rows, for: db), on: db)
    }

    func run(_ payload: Payload, on db: any SQLDatabase) async throws {
        guard !payload.isEmpty else { return }
        switch payload {
        case .sqlite(let rows, let values):
            guard let session = db as? SQLiteSession else { throw StoreInvariant("values made for SQLite, written elsewhere") }
            try await run(rows: rows, values: values, on: session.connection)
        case .copy(_, let text):
            guard let session = db as? PostgresSession else { throw StoreInvariant("COPY text made for PostgreSQL, written elsewhere") }
            try await copy(text, on: session)
        case .cells(let rows):
            try await bound(rows, on: db)
        }
    }

    /// Any other database: plain bound values through SQLKit.
    private func bound(_ rows: [[Cell]], on db: any SQLDatabase) async throws {
        // Well under both databases' limits on bound values a statement.
        let perStatement = max(1, 30_000 / columns.count)
        var start = 0
        while start < rows.count {
            let end = min(start + perStatement, rows.count)
            var sql = SQLQueryString("INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns.joined(separator: ", "))) VALUES ")
            for index in start..<end {
                sql.appendLiteral(index == start ? "(" : ", (")
                for (column, cell) in rows[index].enumerated() {
                    if column > 0 { sql.appendLiteral(", ") }
                    switch cell {
                    case .text(let text): sql.appendInterpolation(bind: text)
                    case .textOrNull(let text): sql.appendInterpolation(bind: text)
                    case .integer(let value): sql.appendInterpolation(bind: value)
                    case .double(let value): sql.appendInterpolation(bind: value)
                    case .boolean(let value): sql.appendInterpolation(bind: value)
                    }
                }
                sql.appendLiteral(")")
            }
            sql.appendLiteral(" " + conflict)
            try await db.raw(sql).run()
            start = end
        }
    }

    /// Every value of `rows`, row after row, as SQLite binds them.
    static func sqliteValues(_ rows: [[Cell]]) -> [SQLiteData] {
        var values: [SQLiteData] = []
        values.reserveCapacity(rows.count * (rows.first?.count ?? 0))
        for row in rows {
            for cell in row {
                switch cell {
                case .text(let text): values.append(.text(text))
                case .textOrNull(let text): values.append(text.map(SQLiteData.text) ?? .null)
                case .integer(let value): values.append(.integer(value))
                case .double(let value): values.append(value.map(SQLiteData.float) ?? .null)
                case .boolean(let value): values.append(.integer(value ? 1 : 0))
                }
            }
        }
        return values
    }

    /// SQLite: multi-row VALUES with every value bound to the connection.
    private func run(rows: Int, values: [SQLiteData], on connection: SQLiteConnection) async throws {
        let perStatement = max(1, 32_000 / columns.count)
        let placeholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        func statement(_ count: Int) -> String {
            head + Array(repeating: placeholders, count: count).joined(separator: ", ") + " " + conflict
        }
        let full = statement(perStatement)
        var start = 0
        while start < rows {
            let end = min(start + perStatement, rows)
            let binds = Array(values[start * columns.count..<end * columns.count])
            _ = try await connection.query(end - start == perStatement ? full : statement(end - start), binds)
            start = end
        }
    }

    /// PostgreSQL: `COPY` the rows (text format) into a temporary copy of the table, then one
    /// `INSERT … SELECT … ON CONFLICT`; a table without a conflict rule is copied into directly.
    private func copy(_ text: ByteBuffer, on session: PostgresSession) async throws {
        let names = columns
        let target = conflict.isEmpty ? table : "bulk_" + table
        if !conflict.isEmpty {
            // Dropped when the transaction ends; emptied for each batch of it.
            try await session.sql.raw("CREATE TEMP TABLE IF NOT EXISTS \(unsafeRaw: target) (LIKE \(unsafeRaw: table)) ON COMMIT DROP").run()
            try await session.sql.raw("TRUNCATE \(unsafeRaw: target)").run()
        }
        try await session.connection.copyFrom(table: target, columns: names, logger: session.logger) { writer in
            // In pieces of up to 1 MiB (the text was made whole, ahead of time).
            var rest = text
            while rest.readableBytes > 0 {
                let piece = rest.readSlice(length: min(rest.readableBytes, 1 << 20))!
                try await writer.write(piece)
            }
        }
        if !conflict.isEmpty {
            let list = names.joined(separator: ", ")
            try await session.sql.raw(
                "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: list)) SELECT \(unsafeRaw: list) FROM \(unsafeRaw: target) \(unsafeRaw: conflict)"
            ).run()
        }
    }

    /// One row of COPY's text format: tab-separated, `\N` for NULL, and backslash, tab, line
    /// feed and carriage return escaped inside values. Bytes are written straight into the
    /// buffer (a national import writes 600,000 rows of up to 25 cells).
    static func appendCopyLine(_ row: [Cell], to buffer: inout ByteBuffer) {
        for (index, cell) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch cell {
            case .text(let text): appendCopyText(text, to: &buffer)
            case .textOrNull(let text): if let text { appendCopyText(text, to: &buffer) } else { buffer.writeStaticString("\\N") }
            case .integer(let value): appendDigits(Int64(value), to: &buffer)
            case .double(let value):
                if let value, value.isFinite { appendNumber(value, to: &buffer) } else { buffer.writeStaticString("\\N") }
            case .boolean(let value): buffer.writeInteger(UInt8(ascii: value ? "t" : "f"))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    static func appendCopyText(_ text: String, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                buffer.writeBytes(UnsafeRawBufferPointer(bytes))
                return
            }
            for byte in bytes {
                switch byte {
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }

    /// A whole number's decimal digits, without making a String.
    static func appendDigits(_ value: Int64, to buffer: inout ByteBuffer) {
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var at = 20
            repeat {
                at -= 1
                digits[at] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: digits[at...])))
        }
    }

    /// A number in the shortest form that reads back exactly (values are finite by construction:
    /// every parser refuses inf and nan); whole numbers, most of them, without making a String.
    static func appendNumber(_ value: Double, to buffer: inout ByteBuffer) {
        if value == value.rounded(), abs(value) < 1e15 {
            appendDigits(Int64(value), to: &buffer)
        } else {
            buffer.writeString(value.description)
        }
    }

}
