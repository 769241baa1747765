import DudaoApp
import DudaoCore
import DudaoTestSupport
import Foundation
import SQLKit
import Testing

@testable import DudaoStore

/// What the national data set needs from the store: generated activity written whole, counts
/// made by the database that equal counts over the rows, the change log a page at a time, and
/// code columns ordered byte by byte. On SQLite and PostgreSQL.
@Suite("National scale: activity, tallies, change log")
struct NationalScaleTests {
    /// Schools of a small generated national set (12 counties), imported as the CLI would.
    func withSchools(_ body: (Database) async throws -> Void) async throws {
        try await TestDatabase.with { db in
            var records: [ReturnRecord] = []
            NationalDataset.generate(schools: 240, kindergartens: 60, counties: 12, year: 2024, seed: 5) { records.append($0) }
            _ = try await Services(database: db).returns.importBatch(
                ReturnBatch(source: "generated", records: records, issues: [], columnNames: [:]), actor: "t")
            try await body(db)
        }
    }

    @Test func generatedActivityIsWrittenWholeOnce() async throws {
        try await withSchools { db in
            let activity = NationalActivity(inspectors: 40, visits: 900, cases: 400, years: 2, until: "2026-11-30", seed: 2)
            let counts = try await db.transaction { tx in try await NationalActivityWriter(tx).write(activity) }
            #expect(counts == .init(schools: 300, inspectors: 40, visits: 900, cases: 400))
            #expect(try await TestDatabase.count(db, "inspectors") == 40)
            #expect(try await TestDatabase.count(db, "responsibilities") == 300)
            #expect(try await TestDatabase.count(db, "visits") == 900)
            #expect(try await TestDatabase.count(db, "rectifications") == 400)
            let audit = try await AuditLog(db.sql).search(under: "", AuditQuery(objectType: "visit", limit: 1000)).entries
            #expect(audit.count == 900)
            // A second run would mix generated work with the first: refused, nothing added.
            await #expect(throws: StoreInvariant.self) {
                _ = try await db.transaction { tx in try await NationalActivityWriter(tx).write(activity) }
            }
            #expect(try await TestDatabase.count(db, "visits") == 900)
        }
    }

    /// The database's grouped counts for a bulletin equal the same counts made over the rows
    /// (`Bulletin.make(…visits:cases:)`), for several periods and regions, and the supervision
    /// list's per-inspector rates and state counts equal counts over the rows.
    @Test func talliesByTheDatabaseEqualCountsOverTheRows() async throws {
        try await withSchools { db in
            let activity = NationalActivity(inspectors: 30, visits: 1500, cases: 700, years: 2, until: "2026-11-30", seed: 4)
            _ = try await db.transaction { tx in try await NationalActivityWriter(tx).write(activity) }
            let repository = RectificationRepository(db.sql)
            let visits = try await db.sql.select().columns("county_code", "school_code", "visit_date", "status").from("visits").all().map {
                (
                    Bulletin.VisitFact(
                        county: try $0.decode(column: "county_code", as: String.self), school: try $0.decode(column: "school_code", as: String.self),
                        date: try $0.decode(column: "visit_date", as: String.self)), try $0.decode(column: "status", as: String.self)
                )
            }.filter { $0.1 == "signed" }.map(\.0)
            let cases = try await repository.list(under: "")
            #expect(cases.count == 700 && visits.count == 1500)
            let counties = Set(cases.map(\.countyCode)).sorted()
            let province = String(counties[0].prefix(2))
            for (region, from, to) in [
                ("", "2025-09-01", "2025-09-30"), ("", "2024-12-01", "2026-11-30"), (province, "2026-03-01", "2026-06-30"),
                (counties[1], "2025-01-01", "2025-12-31"),
            ] {
                let names = counties.filter { $0.hasPrefix(region) }.map { (code: $0, name: $0) }
                let expected = Bulletin.make(
                    from: from, to: to, counties: names, visits: visits.filter { $0.county.hasPrefix(region) },
                    cases: cases.filter { $0.countyCode.hasPrefix(region) })
                let tallied = Bulletin.make(
                    from: from, to: to, counties: names, tallies: try await repository.bulletinTallies(under: region, from: from, to: to))
                #expect(tallied == expected, "\(region) \(from)…\(to)")
                #expect(expected.total.findings > 0 && expected.total.rates.closed > 0 && expected.total.visits > 0)
            }
            // The period ending before late closures: some cases closed later count as open then.
            let early = try await repository.bulletinTallies(under: "", from: "2024-12-01", to: "2026-01-15").values.reduce(0) {
                $0 + ($1.byState[.inProgress] ?? 0)
            }
            #expect(early > cases.filter { $0.openedOn <= "2026-01-15" && $0.state == .inProgress }.count)
            // Rates per responsible inspector and counts by state, as the supervision list shows them.
            let responsible = try await InspectorRepository(db.sql).responsibilities(under: counties[0])
            let county = cases.filter { $0.countyCode == counties[0] }
            let byInspector = Dictionary(grouping: county, by: { responsible[$0.schoolCode] ?? "" }).mapValues {
                RectificationRates($0, asOf: "2026-11-30")
            }
            #expect(try await repository.ratesByInspector(under: counties[0], asOf: "2026-11-30") == byInspector)
            #expect(try await repository.countByState(under: counties[0]) == Dictionary(grouping: county, by: \.state).mapValues(\.count))
            // A page of a state's cases, newest first.
            let inProgress = county.filter { $0.state == .inProgress }
            let page = try await repository.list(under: counties[0], state: .inProgress, limit: 3, offset: 1)
            #expect(page.map(\.id) == Array(inProgress.dropFirst().prefix(3)).map(\.id))
        }
    }

    /// Schools without a signed visit in a month, by a query, equal a count over the rows.
    @Test func unvisitedSchoolsOfAMonth() async throws {
        try await withSchools { db in
            let activity = NationalActivity(inspectors: 30, visits: 2000, cases: 0, years: 1, until: "2026-11-30", seed: 6)
            _ = try await db.transaction { tx in try await NationalActivityWriter(tx).write(activity) }
            let schools = try await SchoolRepository(db.sql).list(under: "")
            let county = try #require(schools.first?.countyCode)
            let visited = Set(
                try await db.sql.select().columns("school_code", "visit_date").from("visits").all()
                    .filter { try $0.decode(column: "visit_date", as: String.self).hasPrefix("2026-10") }
                    .map { try $0.decode(column: "school_code", as: String.self) })
            let expected = schools.filter { $0.countyCode == county && !visited.contains($0.code) }.map(\.code)
            let found = try await InspectorRepository(db.sql).unvisited(under: county, month: "2026-10", limit: 5)
            #expect(found.count == expected.count && found.count > 5)
            #expect(found.schools.map(\.school.code) == Array(expected.prefix(5)))
            #expect(found.schools.allSatisfy { $0.inspector != nil })
        }
    }

    /// The change log a page at a time: newest first, filters, the caller's region only, and
    /// a page position that is followed to the end without repeating or losing an entry.
    @Test func changeLogPagesFiltersAndScope() async throws {
        try await TestDatabase.with { db in
            var entries: [AuditEntry] = []
            for day in 1...9 {
                for (actor, region) in [("yuzhou", "411081"), ("changge", "411082"), ("xuchang", "4110"), ("nanyang", "411302")] {
                    entries.append(
                        AuditEntry(
                            at: "2026-10-0\(day)T08:00:00.000Z", actor: actor, action: day % 2 == 0 ? "open" : "sign",
                            objectType: day % 2 == 0 ? "rectification" : "visit",
                            objectId: "\(actor)-\(day)", oldValue: nil, newValue: day == 5 ? "消防通道" : "x", regionCode: region))
                }
            }
            // Entries of one time share it: the id breaks the tie, so paging stays exact.
            for chunk in stride(from: 0, to: entries.count, by: 4) { try await AuditLog(db.sql).record(Array(entries[chunk..<chunk + 4])) }
            let log = AuditLog(db.sql)
            // The city sees its own entries and its two counties', newest first.
            var seen: [String] = []
            var before: AuditCursor?
            repeat {
                let page = try await log.search(under: "4110", AuditQuery(before: before, limit: 4))
                seen += page.entries.map(\.objectId)
                before = page.next
                if let cursor = page.next { #expect(AuditCursor(text: cursor.text) == cursor) }
            } while before != nil
            #expect(seen.count == 27 && Set(seen).count == 27)
            #expect(seen.prefix(3).allSatisfy { $0.hasSuffix("-9") } && seen.suffix(3).allSatisfy { $0.hasSuffix("-1") })
            #expect(!seen.contains { $0.hasPrefix("nanyang") })
            // A county sees only its own; filters narrow within the caller's region.
            #expect(try await log.search(under: "411081", AuditQuery(limit: 100)).entries.count == 9)
            #expect(try await log.search(under: "4110", AuditQuery(actor: "changge", limit: 100)).entries.map(\.objectId).first == "changge-9")
            #expect(
                try await log.search(under: "4110", AuditQuery(objectType: "rectification", from: "2026-10-03", to: "2026-10-06", limit: 100)).entries
                    .count == 6)
            #expect(try await log.search(under: "41", AuditQuery(text: "消防", limit: 100)).entries.count == 4)
            #expect(try await log.search(under: "411081", AuditQuery(actor: "changge", limit: 100)).entries.isEmpty)
            // A school's history: a key range on the object id, newest first, at most `limit`.
            let history = try await log.history(objectType: "visit", objectId: "yuzhou-", limit: 2)
            #expect(history.map(\.objectId) == ["yuzhou-9", "yuzhou-7"])
            // Only a position the log wrote is read back.
            for bad in [
                "", "x", "2026-10-01T08:00:00.000Z", "2026-10-01T08:00:00.000Z~zz", "notatime~abc",
                "2026-10-01T08:00:00.000Z~" + String(repeating: "a", count: 65),
            ] {
                #expect(AuditCursor(text: bad) == nil, "\(bad)")
            }
        }
    }

    /// PostgreSQL compares the code columns byte by byte whatever the database's locale.
    @Test func codeColumnsUseTheCCollation() async throws {
        guard TestDatabase.backendURL != nil else { return }
        try await TestDatabase.with { db in
            for (table, column) in Migrations.codeColumns {
                let row = try await db.sql.raw(
                    "SELECT collation_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(bind: table) AND column_name = \(bind: column)"
                ).first()
                #expect(try row?.decode(column: "collation_name", as: String?.self) == "C", "\(table).\(column)")
            }
        }
    }
}
