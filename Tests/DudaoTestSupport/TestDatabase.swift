import DudaoCore
import DudaoStore
import Foundation
import Logging
import SQLKit

/// A fresh, migrated database for one test, on the backend the run was asked for:
/// `DUDAO_TEST_DATABASE_URL=postgres://…` runs every store and web test on PostgreSQL
/// (each test in a schema of its own); otherwise each test gets a new SQLite file.
/// Database-wide extensions (pg_trgm) are created once per test process, before any schema's
/// migrations run, so that parallel tests do not race to create them.
actor Extensions {
    static let shared = Extensions()
    /// The one creation every test waits for: an actor is re-entered at each `await`, so a flag
    /// set after the statement would let the tests that start together all run it (and all but
    /// one fail on the catalog's unique key, as they did on a new database).
    private var creation: Task<Void, any Error>?

    func ensure(_ admin: Database) async throws {
        if creation == nil {
            let sql = admin.sql
            creation = Task { try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public").run() }
        }
        try await creation!.value
    }
}

/// Files tests write (an upload, an export, a database that is made busy): all in one directory
/// per test process, removed when the process exits, instead of thousands left in /tmp.
public enum Scratch {
    public static let directory: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-tests-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.directory) }
        return dir
    }()

    /// A new file's place: `prefix-<uuid>.ext`.
    public static func file(_ prefix: String, _ ext: String) -> URL {
        directory.appendingPathComponent("\(prefix)-\(UUID().uuidString).\(ext)")
    }
}

public enum TestDatabase {
    public static var backendURL: String? {
        let url = ProcessInfo.processInfo.environment["DUDAO_TEST_DATABASE_URL"]
        return url?.isEmpty == false ? url : nil
    }

    public static func with<R>(_ body: (Database) async throws -> R) async throws -> R {
        let logger = Logger(label: "dudao.test")
        let database: Database
        var cleanup: @Sendable () async throws -> Void = {}
        if let url = backendURL {
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
            let admin = try Database.openPostgres(url: url, searchPath: nil, logger: logger, connections: 1)
            do {
                try await Extensions.shared.ensure(admin)
                try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            } catch {
                try? await admin.shutdown()
                throw error
            }
            try await admin.shutdown()
            database = try Database.openPostgres(url: url, searchPath: [schema], logger: logger, connections: 2)
            do { try await Migrations.run(on: database) } catch {
                try? await database.shutdown()
                throw error
            }
            cleanup = {
                let admin = try Database.openPostgres(url: url, searchPath: nil, logger: logger, connections: 1)
                try await admin.sql.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run()
                try await admin.shutdown()
            }
        } else {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dudao-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            database = try await Database.open(dir.appendingPathComponent("test.sqlite").path, logger: logger)
            cleanup = { try? FileManager.default.removeItem(at: dir) }
        }
        do {
            let result = try await body(database)
            try await database.shutdown()
            try await cleanup()
            return result
        } catch {
            try? await database.shutdown()
            try? await cleanup()
            throw error
        }
    }

    /// The keys and indexes of `tables` as the database states them (PostgreSQL: index and
    /// constraint definitions; SQLite: the schema's statements), sorted: equal before and after
    /// means nothing was lost or changed.
    public static func schema(_ db: Database, of tables: [String]) async throws -> [String] {
        let list = tables.map { "'\($0)'" }.joined(separator: ", ")
        let sql: String =
            backendURL == nil
            ? "SELECT sql AS def FROM sqlite_master WHERE tbl_name IN (\(list)) AND sql IS NOT NULL"
            : """
            SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN (\(list))
            UNION ALL SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid IN (SELECT to_regclass(t) FROM unnest(ARRAY[\(list)]) AS t)
            """
        return try await db.sql.raw("\(unsafeRaw: sql)").all().map { try $0.decode(column: "def", as: String.self) }.sorted()
    }

    /// Number of rows in a table.
    public static func count(_ db: Database, _ table: String) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()!
            .decode(column: "n", as: Int.self)
    }
}

/// Small hand-made records for tests.
public enum Fixtures {
    public static func school(
        _ code: String, county: String = "411081", type: SchoolType = .primarySchool,
        name: String? = nil
    ) -> School {
        School(code: code, name: name ?? "测试学校\(code.suffix(3))", countyCode: county, type: type, ownership: .public, locality: .town)
    }

    /// A primary row that meets every quality-2017 threshold with 100 students.
    public static func goodPrimary(_ code: String, year: Int = 2024, students: Double = 100) -> StageReturn {
        StageReturn(
            schoolCode: code, year: year, stage: .primary,
            values: [
                .students: students, .teachers: 8, .teachersAboveDegree: 5, .teachersMidTitle: 4, .keyTeachers: 2, .peArtTeachers: 1,
                .teachingAreaM2: 5 * students, .sportsAreaM2: 8 * students, .instrumentValueYuan: 2100 * students,
                .computers: 10, .multimediaClassrooms: 3, .books: 3000,
            ])
    }

    public static func batch(_ records: [(School, StageReturn)], source: String = "test.csv") -> ReturnBatch {
        ReturnBatch(
            source: source, records: records.enumerated().map { ReturnRecord(school: $1.0, data: $1.1, sourceRow: $0 + 2) },
            issues: [], columnNames: [:])
    }
}
