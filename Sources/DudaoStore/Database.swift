@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The platform's database, opened from a path or URL: a file path (or `sqlite:` URL) means
/// the embedded SQLite default, `postgres://…` means PostgreSQL. Both are driven through the
/// same SQLKit code.
public final class Database: Sendable {
    public enum Backend: String, Sendable { case sqlite, postgres }

    public let backend: Backend
    /// Use for single statements; use `transaction` for anything that must be all-or-nothing.
    public let sql: any SQLDatabase
    /// Callers behind session cookies and API tokens, shared by everything in this process
    /// that uses this database (`Accounts` reads and empties it).
    public let callers = CallerCache()
    private let shutdownAction: @Sendable () async throws -> Void

    init(backend: Backend, sql: any SQLDatabase, shutdown: @escaping @Sendable () async throws -> Void) {
        self.backend = backend
        self.sql = sql
        self.shutdownAction = shutdown
    }

    /// Resolution order of issue #2: explicit `--db`, then `DUDAO_DATABASE_URL`, then `./dudao.sqlite`.
    public static func resolveLocation(_ explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = ProcessInfo.processInfo.environment["DUDAO_DATABASE_URL"], !env.isEmpty { return env }
        return "dudao.sqlite"
    }

    /// Opens the database and brings its schema up to date.
    public static func open(_ location: String, logger: Logger = Logger(label: "dudao.db"), migrate: Bool = true) async throws -> Database {
        let db: Database
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            db = try openPostgres(url: location, searchPath: nil, logger: logger)
        } else {
            var path = location
            if path.hasPrefix("sqlite://") { path = String(path.dropFirst("sqlite://".count)) }
            if path.hasPrefix("sqlite:") { path = String(path.dropFirst("sqlite:".count)) }
            db = try await openSQLite(path: path, logger: logger)
        }
        if migrate {
            do { try await Migrations.run(on: db) } catch {
                // Close the pools before reporting: they must never be dropped while open.
                try? await db.shutdown()
                throw error
            }
        }
        return db
    }

    /// PostgreSQL; `searchPath` lets tests work in a schema of their own. `connections` caps
    /// the pool (on one event loop when small, so tests running in parallel stay within the
    /// server's connection limit).
    public static func openPostgres(url: String, searchPath: [String]?, logger: Logger, connections: Int? = nil) throws -> Database {
        var config = try SQLPostgresConfiguration(url: url)
        config.searchPath = searchPath
        let group: any EventLoopGroup = connections == nil ? MultiThreadedEventLoopGroup.singleton : MultiThreadedEventLoopGroup.singleton.any()
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: config),
            maxConnectionsPerEventLoop: connections ?? 4, logger: logger, on: group)
        return Database(backend: .postgres, sql: PooledPostgres(pool: pool, logger: logger)) {
            try await pool.shutdownAsync()
        }
    }

    /// SQLite in WAL mode through exactly one connection, so that writers never meet
    /// SQLITE_BUSY and a transaction holds the database alone.
    static func openSQLite(path: String, logger: Logger) async throws -> Database {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = EventLoopGroupConnectionPool(
            source: SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: true)),
            maxConnectionsPerEventLoop: 1, pruneInterval: nil, logger: logger, on: group)
        let db = Database(backend: .sqlite, sql: SingleConnectionSQLite(pool: pool, logger: logger)) {
            try await pool.shutdownAsync()
            try await group.shutdownGracefully()
        }
        do {
            try await db.sql.raw("PRAGMA journal_mode=WAL").run()
            try await db.sql.raw("PRAGMA synchronous=NORMAL").run()
            try await db.sql.raw("PRAGMA busy_timeout=5000").run()
            // A national import is one transaction of a few hundred MB of pages: a 64 MiB page
            // cache and in-memory statement journals keep it from spilling to disk mid-way.
            try await db.sql.raw("PRAGMA cache_size=-65536").run()
            try await db.sql.raw("PRAGMA temp_store=MEMORY").run()
        } catch {
            try? await db.shutdown()
            throw error
        }
        return db
    }

    /// Runs `body` in one transaction on one connection: committed when it returns, rolled
    /// back when it throws. Inside, use only the database passed to `body`.
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await sql.withSession { session in
            try await session.raw("BEGIN").run()
            do {
                let result = try await body(session)
                try await session.raw("COMMIT").run()
                return result
            } catch {
                try? await session.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func shutdown() async throws { try await shutdownAction() }

    /// A write the database refused that trying again may mend, as every client is told it (the
    /// web answers `busy` 503 and `conflict` 409, the command line prints it); nothing of the
    /// transaction was kept.
    public struct Refusal: Sendable, Equatable {
        public enum Kind: String, Sendable { case busy, conflict }
        public var kind: Kind
        public var zh: String
        public var en: String
    }

    /// nil for any other error (the server's own fault).
    public static func refusal(_ error: any Error) -> Refusal? {
        if isLockTimeout(error) {
            return Refusal(
                kind: .busy, zh: "系统繁忙（数据库正被占用），请稍后重试，未保存任何内容", en: "the database is busy; nothing was saved, try again shortly")
        }
        // A key another writer stored between our look-up and our insert (an import's new rows).
        if isUniqueViolation(error) {
            return Refusal(
                kind: .conflict, zh: "同一时间另一处修改已保存了相同的记录，本次未保存任何内容，请重试",
                en: "another change saved the same record at the same time; nothing was saved, try again")
        }
        return nil
    }

    /// Whether the database refused a row because its key is stored already: another writer
    /// stored it between this one's look-up and its insert (an import inserts rows it found
    /// new as they are). Nothing of the transaction is kept; trying again reads the new row.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        if let e = error as? SQLiteError { return e.reason == .constraintPrimaryKeyFailed || e.reason == .constraintUniqueFailed }
        if let e = error as? PSQLError, let code = e.serverInfo?[.sqlState] { return code == "23505" }
        return false
    }

    /// True for "another writer holds the database" (SQLite busy after `busy_timeout`, a
    /// PostgreSQL lock or statement timeout): the caller should answer "busy, try again".
    public static func isLockTimeout(_ error: any Error) -> Bool {
        if let e = error as? SQLiteError {
            switch e.reason {
            case .busy, .busyTimeout, .busyInRecovery, .busyInSnapshot, .locked, .lockedBySharedCache: return true
            default: return false
            }
        }
        if let e = error as? PSQLError, let code = e.serverInfo?[.sqlState] {
            return code == "55P03" || code == "57014" || code == "40P01"
        }
        return false
    }
}

/// An `SQLDatabase` over a one-connection SQLite pool; `withSession` pins that connection.
struct SingleConnectionSQLite: SQLDatabase, @unchecked Sendable {
    // The pool is thread-safe (it locks internally) but AsyncKit does not mark it Sendable.
    let pool: EventLoopGroupConnectionPool<SQLiteConnectionSource>
    let logger: Logger

    var eventLoop: any EventLoop { pool.eventLoopGroup.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var version: (any SQLDatabaseReportedVersion)? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        pool.withConnection(logger: logger) { $0.sql().execute(sql: query, onRow) }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await closure(SQLiteSession(connection: connection))
    }
}

/// The pinned connection of a SQLite session (a transaction): SQLKit for statements, and the
/// connection itself for bulk inserts that bind `SQLiteData` directly (`BulkInsert`).
struct SQLiteSession: ForwardingSQLDatabase, @unchecked Sendable {
    // A connection is used by one task at a time: the session's.
    let connection: SQLiteConnection
    let sql: any SQLDatabase

    init(connection: SQLiteConnection) {
        self.connection = connection
        sql = connection.sql()
    }
}

/// The PostgreSQL pool as an `SQLDatabase`; `withSession` pins one connection (a transaction)
/// and hands it over as a `PostgresSession`, so bulk writes can `COPY` on it.
struct PooledPostgres: ForwardingSQLDatabase, @unchecked Sendable {
    // The pool is thread-safe (it locks internally) but AsyncKit does not mark it Sendable.
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    let logger: Logger
    let sql: any SQLDatabase

    init(pool: EventLoopGroupConnectionPool<PostgresConnectionSource>, logger: Logger) {
        self.pool = pool
        self.logger = logger
        sql = pool.database(logger: logger).sql()
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let connection = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(connection, logger: logger) }
        return try await closure(PostgresSession(connection: connection, logger: logger))
    }
}

/// The pinned connection of a PostgreSQL session (a transaction): SQLKit for statements, and
/// the connection itself for `COPY … FROM STDIN` (`BulkInsert`).
struct PostgresSession: ForwardingSQLDatabase, @unchecked Sendable {
    // A connection is used by one task at a time: the session's.
    let connection: PostgresConnection
    let logger: Logger
    let sql: any SQLDatabase

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
        sql = connection.sql()
    }
}

/// A wrapper that hands every statement to `sql` (the pool and session types above).
protocol ForwardingSQLDatabase: SQLDatabase {
    var sql: any SQLDatabase { get }
}

extension ForwardingSQLDatabase {
    var logger: Logger { sql.logger }
    var eventLoop: any EventLoop { sql.eventLoop }
    var dialect: any SQLDialect { sql.dialect }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        sql.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await sql.execute(sql: query, onRow)
    }
}
