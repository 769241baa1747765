import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Testing

/// `FirstLoad`: on PostgreSQL a large load into an empty registry drops the foreign keys and
/// secondary indexes the load would maintain row by row and makes them again at the end,
/// exactly as they were; anything else, and SQLite always, leaves the schema alone.
@Suite("First load into an empty registry")
struct FirstLoadTests {
    static let tables = ["schools", "stage_returns", "audit_log"]
    var postgres: Bool { TestDatabase.backendURL != nil }

    @Test func dropsWhatTheLoadNeedNotKeepAndMakesItAgain() async throws {
        try await TestDatabase.with { db in
            let before = try await TestDatabase.schema(db, of: Self.tables)
            let postgres = self.postgres
            try await db.transaction { tx in
                let begun = try await FirstLoad.begin(on: tx, expectedRows: 100)
                guard postgres else {
                    #expect(begun == nil)
                    return
                }
                let load = try #require(begun)
                // The two keys into schools and regions, and the secondary indexes of the three
                // tables (migrations 1, 17 and 19), named here by hand; primary keys stay.
                let made = load.restoring.map { statement in
                    let words = statement.split(separator: " ")
                    return (statement.hasPrefix("ALTER") ? [words[2], words[5]] : [words[2]]).joined(separator: " ")
                }
                #expect(
                    Set(made) == [
                        "schools schools_county_code_fkey", "stage_returns stage_returns_school_code_fkey", "audit_actor_at", "audit_at",
                        "audit_city_at", "audit_object", "audit_province_at", "audit_region_at", "schools_township", "stage_returns_year",
                    ])
                #expect(load.restoring.filter { $0.contains("FOREIGN KEY") }.count == 2)
                let during = try await tx.raw(
                    "SELECT count(*) AS n FROM pg_indexes WHERE schemaname = current_schema() AND tablename IN ('schools', 'stage_returns', 'audit_log')"
                ).first()!.decode(column: "n", as: Int.self)
                #expect(during == 3)  // the three primary keys
                try await load.finish(on: tx)
            }
            #expect(try await TestDatabase.schema(db, of: Self.tables) == before)
        }
    }

    @Test func notAFirstLoadWhenASchoolIsStoredOrTheChangeLogIsLarger() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001")
            // The first batch's entry in the change log: one.
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code))]), actor: "t")
            let stored = try await db.transaction { tx in try await FirstLoad.begin(on: tx, expectedRows: 100) }
            #expect(stored == nil)
            try await db.sql.raw("DELETE FROM stage_returns").run()
            try await db.sql.raw("DELETE FROM schools").run()
            // No school now, but the change log holds one entry: a load expecting one row is no first load.
            let logged = try await db.transaction { tx in try await FirstLoad.begin(on: tx, expectedRows: 1) }
            #expect(logged == nil)
            let postgres = self.postgres
            try await db.transaction { tx in
                let load = try await FirstLoad.begin(on: tx, expectedRows: 2)
                #expect((load != nil) == postgres)
                try await load?.finish(on: tx)
            }
        }
    }
}
