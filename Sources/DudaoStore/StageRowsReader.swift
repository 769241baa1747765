import DudaoCore
import Logging
import PostgresKit
import SQLKit
import SQLiteKit

/// Reads many return rows by position straight from the drivers' rows: SQLKit's rows decode
/// each of the 48 columns by name through `Decodable`, which was most of the time of reading a
/// national year (212,078 rows). Used by `ReturnRepository.rows(under:year:)` when the
/// database is one of ours (pool or session); anything else (a test's wrapper) takes SQLKit.
enum StageRowsReader {
    /// The columns read, in this order: key, every field, nothing else.
    static let columns = ["school_code", "year", "stage"] + ReturnColumnsSQL.fields.map(\.rawValue)

    /// `nil` when `db` is not one of ours.
    static func rows(_ db: any SQLDatabase, under regionCode: String, year: Int) async throws -> [StageReturn]? {
        let list = columns.map { "r." + $0 }.joined(separator: ", ")
        // The nation holds every school: no join needed (every row has its school, a foreign key).
        func sql(_ p1: String, _ p2: String, _ p3: String) -> String {
            regionCode.isEmpty
                ? "SELECT \(list) FROM stage_returns r WHERE r.year = \(p1) ORDER BY r.school_code"
                : "SELECT \(list) FROM stage_returns r JOIN schools s ON r.school_code = s.code "
                    + "WHERE s.county_code >= \(p2) AND s.county_code < \(p3) AND r.year = \(p1) ORDER BY r.school_code"
        }
        // The subtree as a key range (see `where(_:under:)`), which the schools' county index answers.
        let prefix = regionCode, nation = regionCode.isEmpty, postgres = sql("$1", "$2", "$3")
        if let pool = db as? PooledPostgres {
            return try await pool.withSession { session in
                guard let session = session as? PostgresSession else { throw StoreInvariant("a PostgreSQL session expected") }
                return try await rows(session, postgres, year: year, prefix: prefix, nation: nation)
            }
        }
        if let session = db as? PostgresSession {
            return try await rows(session, postgres, year: year, prefix: prefix, nation: nation)
        }
        let binds: [SQLiteData] = regionCode.isEmpty ? [.integer(year)] : [.integer(year), .text(prefix), .text(prefix + ":")]
        let text = sql("?1", "?2", "?3")
        if let pool = db as? SingleConnectionSQLite {
            let connection = try await pool.pool.requestConnection(logger: pool.logger).get()
            defer { pool.pool.releaseConnection(connection, logger: pool.logger) }
            return try decode(try await connection.query(text, binds))
        }
        if let session = db as? SQLiteSession {
            return try decode(try await session.connection.query(text, binds))
        }
        return nil
    }

    private static func rows(_ session: PostgresSession, _ sql: String, year: Int, prefix: String, nation: Bool) async throws -> [StageReturn] {
        var binds = PostgresBindings()
        binds.append(year)
        if !nation {
            binds.append(prefix)
            binds.append(prefix + ":")
        }
        var out: [StageReturn] = []
        for try await row in try await session.connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: session.logger) {
            var cells = row.makeIterator()
            guard let code = cells.next(), let year = cells.next(), let stage = cells.next() else { continue }
            var data = StageReturn(
                schoolCode: try code.decode(String.self), year: try year.decode(Int.self), stage: try Self.stage(try stage.decode(String.self)))
            for field in ReturnColumnsSQL.fields {
                guard let cell = cells.next() else { break }
                data[field] = try cell.decode(Double?.self)
            }
            out.append(data)
        }
        return out
    }

    private static func decode(_ rows: [SQLiteRow]) throws -> [StageReturn] {
        try rows.map { row in
            let cells = row.columns
            guard cells.count == columns.count, case .text(let code) = cells[0].data, case .integer(let year) = cells[1].data,
                case .text(let stage) = cells[2].data
            else { throw StoreInvariant("stage_returns row without its key") }
            var data = StageReturn(schoolCode: code, year: Int(year), stage: try Self.stage(stage))
            for (offset, field) in ReturnColumnsSQL.fields.enumerated() {
                switch cells[3 + offset].data {
                case .float(let value): data[field] = value
                case .integer(let value): data[field] = Double(value)
                case .null: data[field] = nil
                case let other: throw UnknownStoredValue(table: "stage_returns", column: field.rawValue, value: "\(other)")
                }
            }
            return data
        }
    }

    private static func stage(_ text: String) throws -> Stage? {
        if text == ReturnColumnsSQL.allStagesMarker { return nil }
        guard let stage = Stage(rawValue: text) else {
            throw UnknownStoredValue(table: "stage_returns", column: "stage", value: text)
        }
        return stage
    }
}
