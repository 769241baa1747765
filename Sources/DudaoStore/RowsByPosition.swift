import DudaoCore
import Logging
import PostgresKit
import SQLKit
import SQLiteKit

/// Reads many rows by position straight from the drivers' rows: SQLKit's rows decode each
/// column by name through `Decodable`, which was most of the time of reading a national year
/// (212,078 return rows of 48 columns; 200,000 schools). Used by `ReturnRepository.rows(under:year:)`
/// and `SchoolRepository.list(under:)` when the database is one of ours (pool or session);
/// anything else (a test's wrapper) takes SQLKit. As strict as the SQLKit path: an unknown
/// stored value is an `UnknownStoredValue` naming its table and column.
enum RowsByPosition {
    /// A value bound to a query.
    enum Bind {
        case integer(Int)
        case text(String)
    }

    /// The rows of `sql` (`$1`… placeholders; `?1`… on SQLite), each read by `postgres` or
    /// `sqlite`; `nil` when `db` is not one of ours.
    static func query<T: Sendable>(
        _ db: any SQLDatabase, _ sql: String, _ binds: [Bind],
        postgres: @escaping @Sendable (inout Cells) throws -> T, sqlite: ([SQLiteColumn]) throws -> T
    ) async throws -> [T]? {
        if let pool = db as? PooledPostgres {
            return try await pool.withSession { session in
                guard let session = session as? PostgresSession else { throw StoreInvariant("a PostgreSQL session expected") }
                return try await query(session, sql, binds, postgres)
            }
        }
        if let session = db as? PostgresSession { return try await query(session, sql, binds, postgres) }
        let text = sql.replacingOccurrences(of: "$", with: "?")
        let values: [SQLiteData] = binds.map {
            switch $0 {
            case .integer(let n): .integer(n)
            case .text(let s): .text(s)
            }
        }
        if let pool = db as? SingleConnectionSQLite {
            let connection = try await pool.pool.requestConnection(logger: pool.logger).get()
            defer { pool.pool.releaseConnection(connection, logger: pool.logger) }
            return try await connection.query(text, values).map { try sqlite($0.columns) }
        }
        if let session = db as? SQLiteSession {
            return try await session.connection.query(text, values).map { try sqlite($0.columns) }
        }
        return nil
    }

    private static func query<T: Sendable>(
        _ session: PostgresSession, _ sql: String, _ binds: [Bind], _ read: @Sendable (inout Cells) throws -> T
    ) async throws -> [T] {
        var bindings = PostgresBindings()
        for bind in binds {
            switch bind {
            case .integer(let n): bindings.append(n)
            case .text(let s): bindings.append(s)
            }
        }
        var out: [T] = []
        for try await row in try await session.connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: session.logger) {
            var cells = Cells(cells: row.makeIterator())
            out.append(try read(&cells))
        }
        return out
    }

    /// A PostgreSQL row's cells, read in the order of the query's columns.
    struct Cells {
        var cells: PostgresRow.Iterator

        mutating func next<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
            guard let cell = cells.next() else { throw StoreInvariant("a row with fewer columns than its query") }
            return try cell.decode(Value.self)
        }
    }

    /// The subtree of `regionCode` as a key range of county codes (see `where(_:under:)`);
    /// `nil` for the nation (no condition).
    static func under(_ regionCode: String, column: String, from first: Int) -> (sql: String, binds: [Bind])? {
        regionCode.isEmpty ? nil : ("\(column) >= $\(first) AND \(column) < $\(first + 1)", [.text(regionCode), .text(regionCode + ":")])
    }

    // MARK: Return rows

    /// The columns read, in this order: key, every field, nothing else.
    static let stageColumns = ["school_code", "year", "stage"] + ReturnColumnsSQL.fields.map(\.rawValue)

    static func stageReturns(_ db: any SQLDatabase, under regionCode: String, year: Int) async throws -> [StageReturn]? {
        let list = stageColumns.map { "r." + $0 }.joined(separator: ", ")
        // The nation holds every school: no join needed (every row has its school, a foreign key).
        let range = under(regionCode, column: "s.county_code", from: 2)
        let filter = range.map { "JOIN schools s ON r.school_code = s.code WHERE \($0.sql) AND" } ?? "WHERE"
        return try await query(
            db, "SELECT \(list) FROM stage_returns r \(filter) r.year = $1 ORDER BY r.school_code", [.integer(year)] + (range?.binds ?? []),
            postgres: { cells in try stageReturn(&cells) }, sqlite: { cells in try stageReturn(cells) })
    }

    /// The rows of `schools` (at most a few thousand) in `years`, each with its version.
    static func stageReturns(
        _ db: any SQLDatabase, schools: [String], years: [Int]
    ) async throws -> [(data: StageReturn, version: Int)]? {
        guard !schools.isEmpty, !years.isEmpty else { return [] }
        func placeholders(_ range: Range<Int>) -> String { range.map { "$\($0)" }.joined(separator: ", ") }
        let sql =
            "SELECT \(stageColumns.joined(separator: ", ")), version FROM stage_returns WHERE school_code IN (\(placeholders(1..<schools.count + 1))) "
            + "AND year IN (\(placeholders(schools.count + 1..<schools.count + years.count + 1)))"
        return try await query(
            db, sql, schools.map(Bind.text) + years.map(Bind.integer),
            postgres: { cells in (try stageReturn(&cells), try cells.next(Int.self)) },
            sqlite: { cells in
                guard cells.count == stageColumns.count + 1, case .integer(let version) = cells[stageColumns.count].data else {
                    throw StoreInvariant("stage_returns row without its version")
                }
                return (try stageReturn(cells), version)
            })
    }

    /// A return row's key and fields, the first `stageColumns` of a PostgreSQL row.
    private static func stageReturn(_ cells: inout Cells) throws -> StageReturn {
        var data = StageReturn(schoolCode: try cells.next(), year: try cells.next(), stage: try stage(try cells.next()))
        for field in ReturnColumnsSQL.fields {
            data[field] = try cells.next(Double?.self)
        }
        return data
    }

    /// A return row's key and fields, the first `stageColumns` of a SQLite row.
    private static func stageReturn(_ cells: [SQLiteColumn]) throws -> StageReturn {
        guard cells.count >= stageColumns.count, case .text(let code) = cells[0].data, case .integer(let year) = cells[1].data,
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

    private static func stage(_ text: String) throws -> Stage? {
        if text == ReturnColumnsSQL.allStagesMarker { return nil }
        return try known(Stage.self, text, table: "stage_returns", column: "stage")
    }

    // MARK: Schools

    static func schools(_ db: any SQLDatabase, under regionCode: String) async throws -> [School]? {
        let columns = "code, name, county_code, school_type, ownership, locality, boarding, township, township_code"
        let range = under(regionCode, column: "county_code", from: 1)
        return try await query(
            db, "SELECT \(columns) FROM schools \(range.map { "WHERE " + $0.sql } ?? "") ORDER BY code", range?.binds ?? [],
            postgres: { cells in
                var s = try school(cells.next(), cells.next(), cells.next(), cells.next(), cells.next(), cells.next())
                s.boarding = try cells.next()
                s.township = try cells.next()
                s.townshipCode = try cells.next()
                return s
            },
            sqlite: { cells in
                guard cells.count == 9, case .text(let code) = cells[0].data, case .text(let name) = cells[1].data,
                    case .text(let county) = cells[2].data, case .text(let type) = cells[3].data, case .text(let ownership) = cells[4].data,
                    case .text(let locality) = cells[5].data, case .integer(let boarding) = cells[6].data
                else { throw StoreInvariant("schools row without its columns") }
                var s = try school(code, name, county, type, ownership, locality)
                s.boarding = boarding != 0
                s.township = try optionalText(cells[7].data, column: "township")
                s.townshipCode = try optionalText(cells[8].data, column: "township_code")
                return s
            })
    }

    private static func school(
        _ code: String, _ name: String, _ county: String, _ type: String, _ ownership: String, _ locality: String
    ) throws -> School {
        School(
            code: code, name: name, countyCode: county, type: try known(SchoolType.self, type, table: "schools", column: "school_type"),
            ownership: try known(Ownership.self, ownership, table: "schools", column: "ownership"),
            locality: try known(Locality.self, locality, table: "schools", column: "locality"))
    }

    private static func optionalText(_ data: SQLiteData, column: String) throws -> String? {
        switch data {
        case .text(let text): return text
        case .null: return nil
        case let other: throw UnknownStoredValue(table: "schools", column: column, value: "\(other)")
        }
    }

    private static func known<Value: RawRepresentable<String>>(_: Value.Type, _ text: String, table: String, column: String) throws -> Value {
        guard let value = Value(rawValue: text) else { throw UnknownStoredValue(table: table, column: column, value: text) }
        return value
    }
}
