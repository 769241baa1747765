import SQLKit

/// The first national load into an empty registry on PostgreSQL, made cheap: inside the
/// import's transaction the foreign keys into `schools` and `regions` that the import's rows
/// would check one at a time, and the secondary (non-unique) indexes of the schools, returns
/// and change-log tables, are dropped; when every row is written they are made again from the
/// definitions the catalog held (an index built once over sorted rows, a key checked with one
/// join). Primary keys and unique indexes stay, so a repeated key still fails where it stands.
///
/// Measured on the 212,058-row national file (docs/PERFORMANCE.md "First load"): the rows go
/// in in about half the time, and re-making the keys and indexes costs a fraction of what
/// keeping them did row by row.
///
/// The cost: dropping a key or index locks its table (`ACCESS EXCLUSIVE`) until the import
/// commits, so for those seconds every page that reads schools, returns, regions or the change
/// log waits. That is why this is only done for a load of many rows (`Returns.bulkLoadRows`)
/// into a registry with no school at all — a new installation's first load — and never on
/// SQLite, whose writer locks the whole file anyway. Should the import fail, the transaction's
/// rollback restores every dropped definition with it (PostgreSQL's DDL is transactional).
public struct FirstLoad: Sendable {
    /// What was dropped, as the statements that make it again, in order.
    public let restoring: [String]

    /// Tables whose secondary indexes are rebuilt; foreign keys of the first two are re-made.
    static let tables = ["schools", "stage_returns", "audit_log"]

    /// Drops what a first load need not maintain row by row, when this is one: a PostgreSQL
    /// database, no school stored, and a change log holding fewer entries than the load will
    /// add (rebuilding its indexes must cost less than keeping them). Nil when it is not.
    public static func begin(on db: any SQLDatabase, expectedRows: Int) async throws -> FirstLoad? {
        guard db.dialect.name == "postgresql", expectedRows > 0 else { return nil }
        guard try await db.select().column("code").from("schools").limit(1).first() == nil else { return nil }
        let logged =
            try await db.raw("SELECT count(*) AS n FROM (SELECT 1 FROM audit_log LIMIT \(bind: expectedRows)) AS t")
            .first()?.decode(column: "n", as: Int.self) ?? 0
        guard logged < expectedRows else { return nil }

        var restoring: [String] = []
        var dropping: [String] = []
        let tables = Self.tables.map { "'\($0)'" }.joined(separator: ", ")  // constants, not input
        // Foreign keys held by the tables the load writes, pointing at rows it adds or has.
        let keys = try await db.raw(
            """
            SELECT conrelid::regclass::text AS tab, quote_ident(conname) AS name, pg_get_constraintdef(oid) AS def
            FROM pg_constraint
            WHERE contype = 'f' AND conrelid IN (SELECT to_regclass(t) FROM unnest(ARRAY[\(unsafeRaw: tables)]) AS t)
            ORDER BY conrelid::regclass::text, conname
            """
        ).all()
        for key in keys {
            let (table, name, definition) = (
                try key.decode(column: "tab", as: String.self), try key.decode(column: "name", as: String.self),
                try key.decode(column: "def", as: String.self)
            )
            dropping.append("ALTER TABLE \(table) DROP CONSTRAINT \(name)")
            restoring.append("ALTER TABLE \(table) ADD CONSTRAINT \(name) \(definition)")
        }
        // Secondary indexes: not unique, not a primary key, not backing a constraint.
        let indexes = try await db.raw(
            """
            SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
            FROM pg_index i
            WHERE i.indrelid IN (SELECT to_regclass(t) FROM unnest(ARRAY[\(unsafeRaw: tables)]) AS t)
              AND NOT i.indisunique AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY i.indexrelid::regclass::text
            """
        ).all()
        for index in indexes {
            dropping.append("DROP INDEX \(try index.decode(column: "name", as: String.self))")
            restoring.append(try index.decode(column: "def", as: String.self))
        }
        for statement in dropping { try await db.raw("\(unsafeRaw: statement)").run() }
        return FirstLoad(restoring: restoring)
    }

    /// Makes again every key and index `begin` dropped; a row that breaks a key fails the
    /// import (and the rollback brings the key back).
    public func finish(on db: any SQLDatabase) async throws {
        // Index builds sort in memory up to this much (the default, 64 MB, spills a national load to disk).
        try await db.raw("SET LOCAL maintenance_work_mem = '256MB'").run()
        for statement in restoring { try await db.raw("\(unsafeRaw: statement)").run() }
        // The planner's statistics still describe empty tables until autovacuum comes round:
        // measured, an unchanged re-import straight after a first load took 20–23 s instead of
        // 6.3. A small sample (3,000 rows: 40 ms, against 0.3–0.4 s for the default 30,000) is
        // enough for that; autovacuum analyzes again with the full sample once the load commits.
        try await db.raw("SET LOCAL default_statistics_target = 10").run()
        try await db.raw("ANALYZE schools, stage_returns").run()
    }
}
