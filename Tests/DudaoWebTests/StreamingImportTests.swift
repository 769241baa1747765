import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// `Returns.importFile`: a file read a chunk at a time inside one transaction behaves as the
/// whole file checked at once — last year's row is the file's wherever it stands, a refusal
/// anywhere stores nothing, and every value survives the bulk writes on both backends.
@Suite("Streaming returns import")
struct StreamingImportTests {
    static let header = ImportFileTests.header

    func write(_ lines: [String]) throws -> URL {
        let url = Scratch.file("stream", "csv")
        try Data(lines.joined(separator: "\r\n").utf8).write(to: url)
        return url
    }

    /// A good primary row (100 students unless told) of school `code` in county 411081.
    func row(_ code: String, year: Int = 2024, students: Int = 100, name: String? = nil) -> String {
        let name = name.map { CSVTable.quote($0) } ?? "学校\(code.suffix(4))"
        return "\(year),\(code),\(name),\(code.prefix(6)),小学,公办,乡村,小学,\(students),8,5,4,2,1,500,800,210000,10,3,3000"
    }

    func code(_ n: Int) -> String { "411081" + String(format: "%04d", n) }

    @Test func lastYearComesFromTheFileWhereverItStands() async throws {
        try await TestDatabase.with { db in
            // 2,500 rows of 2024 first (two chunks), then last year's row of school 1: 100 → 140
            // students is a 40% change, which the rule reports once the 2023 row is known.
            var lines = [Self.header] + (1...2500).map { row(code($0), students: $0 == 1 ? 140 : 100) }
            lines.append(row(code(1), year: 2023))
            let report = try await Services(database: db).returns.importFile(try write(lines), year: nil, actor: "t")
            #expect(report.rows == 2501 && report.inserted == 2501 && report.schools == 2500)
            #expect(report.warnings.filter { $0.code == "students_year_over_year" }.map(\.row) == [2])
            #expect(try await TestDatabase.count(db, "stage_returns") == 2501)
            #expect(try await TestDatabase.count(db, "audit_log") == 2501)
        }
    }

    /// The import writes chunk N-1 while it checks chunk N: last year's row is found in the
    /// chunk being written (the overlay) as well as in the database (chunks written before).
    /// Each change below is hand-counted against the rule "more than max(30%, 30) apart".
    @Test func lastYearIsFoundInTheChunkStillBeingWrittenAndInTheDatabase() async throws {
        try await TestDatabase.with { db in
            // Chunk 1 (rows 2–2001): 2023 for schools 1–1999 and 2001. Chunk 2 (rows 2002–4001):
            // 2024 for schools 1–2000, school 7 at 140 (+40). Chunk 3 (rows 4002–6001): 2025 for
            // schools 1–2000, school 9 at 60 (−40), school 7 stays at 140. Chunk 4 (row 6002):
            // 2024 for school 2001 at 150 (+50 on its 2023 row, written two chunks before).
            var lines = [Self.header] + (Array(1...1999) + [2001]).map { row(code($0), year: 2023) }
            lines += (1...2000).map { row(code($0), year: 2024, students: $0 == 7 ? 140 : 100) }
            lines += (1...2000).map { row(code($0), year: 2025, students: $0 == 9 ? 60 : $0 == 7 ? 140 : 100) }
            lines.append(row(code(2001), year: 2024, students: 150))
            let report = try await Services(database: db).returns.importFile(try write(lines), year: nil, actor: "t")
            #expect(report.rows == 6001 && report.inserted == 6001)
            #expect(report.warnings.filter { $0.code == "students_year_over_year" }.compactMap(\.row).sorted() == [2008, 4010, 6002])
            #expect(try await TestDatabase.count(db, "stage_returns") == 6001)
            #expect(try await TestDatabase.count(db, "audit_log") == 6001)
        }
    }

    /// New schools and rows are inserted as they are, stored ones upserted: a school stored
    /// before the file, or added by an earlier chunk of it, is written again as an update.
    @Test func storedAndNewSchoolsMixAcrossChunks() async throws {
        try await TestDatabase.with { db in
            let first = [Self.header] + (1...1500).map { row(code($0)) }
            _ = try await Services(database: db).returns.importFile(try write(first), year: nil, actor: "t")
            // 2024 for schools 1001–3500 (rows 2–2501: chunk 1 ends at school 3000), then 2025
            // for the same schools (rows 2502–5001, chunks 2 and 3): stored schools 1001–1100
            // renamed, 1001–1050 at 110 students in 2024 (updates), the rest of 1001–1500
            // unchanged; schools 1501–3500 new, each in two chunks.
            func line(_ n: Int, year: Int) -> String {
                row(code(n), year: year, students: year == 2024 && n <= 1050 ? 110 : 100, name: n <= 1100 ? "新名\(n)" : nil)
            }
            let second = [Self.header] + (1001...3500).map { line($0, year: 2024) } + (1001...3500).map { line($0, year: 2025) }
            let report = try await Services(database: db).returns.importFile(try write(second), year: nil, actor: "t")
            #expect(report.rows == 5000 && report.schools == 2500)
            #expect(report.inserted == 2000 + 2500 && report.updated == 50 && report.unchanged == 450)
            #expect(try await TestDatabase.count(db, "schools") == 3500)
            #expect(try await TestDatabase.count(db, "stage_returns") == 1500 + 4500)
            #expect(try await TestDatabase.count(db, "audit_log") == 1500 + 4500 + 50)
            let schools = SchoolRepository(db.sql)
            #expect(try await schools.find(code(1001))?.name == "新名1001")
            #expect(try await schools.find(code(1101))?.name == "学校1101")
            #expect(try await schools.find(code(3500))?.name == "学校3500")
            let stored = try await ReturnRepository(db.sql).rows(school: code(1001))
            // 2025 (new), then 2024 (updated: its second version).
            #expect(stored.map { $0.data[.students] } == [100, 110] && stored.map(\.version) == [1, 2])
        }
    }

    @Test func aRefusalInALaterChunkStoresNothing() async throws {
        try await TestDatabase.with { db in
            var lines = [Self.header] + (1...2100).map { row(code($0)) }
            lines[2050] = row(code(2050), students: -3)
            let url = try write(lines)
            let rejected = await #expect(throws: ImportRejected.self) {
                try await Services(database: db).returns.importFile(url, year: nil, actor: "t")
            }
            #expect(Set(rejected?.errors.compactMap(\.row) ?? []) == [2051])
            // The first chunk was written inside the transaction and rolled back with it.
            #expect(try await TestDatabase.count(db, "stage_returns") == 0)
            #expect(try await TestDatabase.count(db, "schools") == 0)
            #expect(try await TestDatabase.count(db, "audit_log") == 0)
        }
    }

    /// A first load (`FirstLoad`, PostgreSQL: keys and secondary indexes made again at the end)
    /// stores what a plain import stores and leaves the schema as it found it; refused, it
    /// stores nothing and the rollback brings back what it dropped.
    @Test func aFirstLoadStoresTheSameAndKeepsTheSchema() async throws {
        try await TestDatabase.with { db in
            let tables = ["schools", "stage_returns", "audit_log"]
            let schema = try await TestDatabase.schema(db, of: tables)
            var lines = [Self.header] + (1...2100).map { row(code($0)) }
            lines[2050] = row(code(2050), students: -3)
            let returns = Services(database: db).returns.bulkLoad(from: 1)
            let bad = try write(lines)
            await #expect(throws: ImportRejected.self) { try await returns.importFile(bad, year: nil, actor: "t") }
            #expect(try await TestDatabase.count(db, "stage_returns") == 0)
            #expect(try await TestDatabase.count(db, "audit_log") == 0)
            #expect(try await TestDatabase.schema(db, of: tables) == schema)

            lines[2050] = row(code(2050), students: 120)
            let report = try await returns.importFile(try write(lines), year: nil, actor: "t")
            #expect(report.inserted == 2100 && report.schools == 2100)
            #expect(try await TestDatabase.schema(db, of: tables) == schema)
            #expect(try await TestDatabase.count(db, "stage_returns") == 2100)
            #expect(try await TestDatabase.count(db, "audit_log") == 2100)
            let stored = try await ReturnRepository(db.sql).rows(school: code(2050))
            #expect(stored.map { $0.data[.students] } == [120] && stored.map(\.version) == [1])
            // The keys hold again: a row of a school that is not stored is refused by the database.
            await #expect(throws: (any Error).self) {
                try await db.sql.raw("INSERT INTO stage_returns (school_code, year, stage) VALUES ('4110819999', 2024, 'primary')").run()
            }
        }
    }

    @Test func rowsOutsideTheActingUsersScopeAreRefused() async throws {
        try await TestDatabase.with { db in
            let url = try write([Self.header, row(code(1)), row("4110230001")])
            let inYuzhou: @Sendable (School) -> Bool = { $0.countyCode == "411081" }
            let rejected = await #expect(throws: ImportRejected.self) {
                try await Services(database: db).returns.importFile(url, year: nil, actor: "t", scope: inYuzhou)
            }
            #expect(rejected?.errors.map { "\($0.row!):\($0.code)" } == ["3:out_of_scope"])
            #expect(try await TestDatabase.count(db, "stage_returns") == 0)
        }
    }

    @Test func aFileWrongThroughoutStopsAtTheErrorLimit() async throws {
        try await TestDatabase.with { db in
            let lines = [Self.header] + (1...3000).map { row(code($0), students: -1) }
            let rejected = await #expect(throws: ImportRejected.self) {
                try await Services(database: db).returns.importFile(try write(lines), year: nil, actor: "t")
            }
            let errors = rejected?.errors ?? []
            #expect(errors.contains { $0.code == "too_many_errors" })
            // Reading stopped after the first chunk of 2,000 rows (two errors each).
            #expect(errors.count > 1000 && errors.compactMap(\.row).max() == 2001)
        }
    }

    @Test func textAndNumbersSurviveTheBulkWrites() async throws {
        try await TestDatabase.with { db in
            // Quotes, a backslash, a line break and a tab in a name; a fractional area.
            let name = "第\"一\"小学\\分校\n(东)\t区"
            let fractional = row(code(2)).replacingOccurrences(of: ",500,800,", with: ",500.25,800,")
            let url = try write([Self.header, row(code(1), name: name), fractional])
            _ = try await Services(database: db).returns.importFile(url, year: 2024, actor: "t")
            let school = try #require(try await SchoolRepository(db.sql).find(code(1)))
            #expect(school.name == name)
            let stored = try #require(try await ReturnRepository(db.sql).rows(school: code(2)).first)
            #expect(stored.data[.teachingAreaM2] == 500.25 && stored.data[.students] == 100 && stored.data[.classes] == nil)
            // A re-import that renames the school renames it (unchanged schools are left alone).
            _ = try await Services(database: db).returns.importFile(
                try write([Self.header, row(code(1), name: "第一小学"), fractional]), year: 2024, actor: "t")
            #expect(try await SchoolRepository(db.sql).find(code(1))?.name == "第一小学")
            // Audit ids sort in the order entries were written.
            let ids = try await db.sql.select().column("id").from("audit_log").all().map { try $0.decode(column: "id", as: String.self) }
            #expect(ids.count == 2 && ids.allSatisfy { $0.count == 36 && $0.dropFirst(14).first == "7" })
        }
    }
}
