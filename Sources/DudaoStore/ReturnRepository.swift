import DudaoCore
import SQLKit

public struct ReturnRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// All rows of schools in the subtree of `regionCode` for `year`.
    public func rows(under regionCode: String, year: Int) async throws -> [StageReturn] {
        if let rows = try await RowsByPosition.stageReturns(db, under: regionCode, year: year) { return rows }
        // The nation holds every school: no join needed (every row has its school, a foreign key).
        if regionCode.isEmpty {
            return try await db.select().columns("*").from("stage_returns").where("year", .equal, year).orderBy("school_code")
                .all().map(ReturnColumnsSQL.decode)
        }
        return try await db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("r"))).from(
            SQLAlias(SQLIdentifier("stage_returns"), as: SQLIdentifier("r"))
        )
        .join(
            SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
            on: SQLColumn("school_code", table: "r"), .equal, SQLColumn("code", table: "s")
        )
        .where(SQLColumn("county_code", table: "s"), under: regionCode)
        .where(SQLColumn("year", table: "r"), .equal, SQLBind(year))
        .orderBy(SQLColumn("school_code", table: "r"))
        .all().map(ReturnColumnsSQL.decode)
    }

    public func rows(school code: String) async throws -> [(data: StageReturn, version: Int)] {
        try await db.select().columns("*").from("stage_returns").where("school_code", .equal, code)
            .orderBy("year", .descending).orderBy("stage").all()
            .map { (try ReturnColumnsSQL.decode($0), try $0.decode(column: "version", as: Int.self)) }
    }

    /// Rows with their version numbers, by key, for the given schools and years.
    public func existing(schools: [String], years: Set<Int>) async throws -> [ReturnKey: (data: StageReturn, version: Int)] {
        var out: [ReturnKey: (StageReturn, Int)] = [:]
        for chunk in schools.chunked(500) {
            if let rows = try await RowsByPosition.stageReturns(db, schools: Array(chunk), years: years.sorted()) {
                for (data, version) in rows { out[data.key] = (data, version) }
                continue
            }
            let rows = try await db.select().columns("*").from("stage_returns")
                .where("school_code", .in, Array(chunk)).where("year", .in, Array(years)).all()
            for row in rows {
                let data = try ReturnColumnsSQL.decode(row)
                out[data.key] = (data, try row.decode(column: "version", as: Int.self))
            }
        }
        return out
    }

    /// Years that have returns in the subtree, newest first.
    public func years(under regionCode: String) async throws -> [Int] {
        // The nation: every row counts, and the year index answers alone.
        if regionCode.isEmpty {
            return try await db.select().distinct().column("year").from("stage_returns").orderBy("year", .descending).all()
                .map { try $0.decode(column: "year", as: Int.self) }
        }
        return try await db.select().distinct().column(SQLColumn("year", table: "r"))
            .from(SQLAlias(SQLIdentifier("stage_returns"), as: SQLIdentifier("r")))
            .join(
                SQLAlias(SQLIdentifier("schools"), as: SQLIdentifier("s")), method: SQLJoinMethod.inner,
                on: SQLColumn("school_code", table: "r"), .equal, SQLColumn("code", table: "s")
            )
            .where(SQLColumn("county_code", table: "s"), under: regionCode)
            .orderBy(SQLColumn("year", table: "r"), SQLDirection.descending)
            .all().map { try $0.decode(column: "year", as: Int.self) }
    }

    /// Rows with their versions as `ReturnColumnsSQL.bulk` writes them (insert or replace by
    /// key; the returns import, `ReturnImporter`).
    static func cells(_ rows: [(data: StageReturn, version: Int)], actor: String, at now: String) -> [[BulkInsert.Cell]] {
        rows.map { data, version in
            var row: [BulkInsert.Cell] = [.text(data.schoolCode), .integer(data.year), .text(ReturnColumnsSQL.stageText(data.stage))]
            row.reserveCapacity(ReturnColumnsSQL.bulk.columns.count)
            for field in ReturnColumnsSQL.fields { row.append(.double(data[field])) }
            row += [.integer(version), .text(now), .text(actor)]
            return row
        }
    }
}
