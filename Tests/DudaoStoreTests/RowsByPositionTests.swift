import DudaoApp
import DudaoCore
import DudaoTestSupport
import SQLKit
import Testing

@testable import DudaoStore

@Suite("Many rows read by position")
struct RowsByPositionTests {
    /// The fast reader of many schools (`RowsByPosition.schools`, behind
    /// `SchoolRepository.list(under:)`) reads every column as stored, keeps to the subtree, and
    /// is as strict about values it does not know as the row-by-name reading.
    @Test func manySchoolsAreReadAsStoredAndAsStrictly() async throws {
        try await TestDatabase.with { db in
            let stored: [(String, String, String, String, String, String, Bool, String?, String?)] = [
                ("1411081002", "禹州市第二小学", "411081", "primary_school", "public", "urban", false, nil, nil),
                ("1411081001", "禹州市顺店镇中心学校", "411081", "nine_year", "private", "rural", true, "顺店镇", "411081105"),
                ("1411082001", "长葛市第一高级中学", "411082", "senior_school", "public", "town", true, nil, nil),
            ]
            for county in ["411081", "411082"] { try await RegionRepository(db.sql).ensureLineage(of: county) }
            for s in stored {
                try await db.sql.insert(into: "schools")
                    .columns(
                        "code", "name", "county_code", "school_type", "ownership", "locality", "boarding", "township", "township_code", "updated_at"
                    )
                    .values(s.0, s.1, s.2, s.3, s.4, s.5, s.6, s.7, s.8, "2026-12-07T00:00:00.000Z").run()
            }
            let yuzhou = [
                School(
                    code: "1411081001", name: "禹州市顺店镇中心学校", countyCode: "411081", type: .nineYear, ownership: .private, locality: .rural,
                    boarding: true, township: "顺店镇", townshipCode: "411081105"),
                School(code: "1411081002", name: "禹州市第二小学", countyCode: "411081", type: .primarySchool, ownership: .public, locality: .urban),
            ]
            let changge = School(
                code: "1411082001", name: "长葛市第一高级中学", countyCode: "411082", type: .seniorSchool, ownership: .public, locality: .town, boarding: true)
            // The database is one of ours, so the fast path is the one taken.
            #expect(try await RowsByPosition.schools(db.sql, under: "411081") == yuzhou)
            #expect(try await SchoolRepository(db.sql).list(under: "411081") == yuzhou)
            #expect(try await SchoolRepository(db.sql).list(under: "4110") == yuzhou + [changge])
            #expect(try await SchoolRepository(db.sql).list(under: "") == yuzhou + [changge])
            #expect(try await SchoolRepository(db.sql).list(under: "4101") == [])
            try await db.sql.update("schools").set("ownership", to: "cooperative").where("code", .equal, "1411082001").run()
            let error = await #expect(throws: UnknownStoredValue.self) { try await SchoolRepository(db.sql).list(under: "") }
            #expect(error?.description == "schools.ownership holds 'cooperative', which this version does not know")
        }
    }

    /// The rows an import looks up (`ReturnRepository.existing`, read by position): every field
    /// as stored (a missing one is nil), each row's version, only the schools and years asked.
    @Test func existingRowsComeWithTheirVersions() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("1411081001"), b = Fixtures.school("1411081002"), c = Fixtures.school("1411081003")
            var thin = Fixtures.goodPrimary(b.code)
            thin[.books] = nil
            thin[.sportsAreaM2] = 812.5
            let first = Fixtures.batch([
                (a, Fixtures.goodPrimary(a.code, year: 2023)), (a, Fixtures.goodPrimary(a.code)), (b, thin), (c, Fixtures.goodPrimary(c.code)),
            ])
            _ = try await Services(database: db).returns.importBatch(first, actor: "t")
            // A's 2024 row changes once: version 2.
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code, students: 120))]), actor: "t")
            let fast = try #require(try await RowsByPosition.stageReturns(db.sql, schools: [a.code, b.code], years: [2024]))
            #expect(fast.count == 2)
            let found = try await ReturnRepository(db.sql).existing(schools: [a.code, b.code], years: [2024])
            #expect(Set(found.keys) == [Fixtures.goodPrimary(a.code).key, thin.key])
            #expect(found[thin.key]?.data == thin && found[thin.key]?.version == 1)
            #expect(found[thin.key]?.data[.books] == nil && found[thin.key]?.data[.sportsAreaM2] == 812.5)
            #expect(found[Fixtures.goodPrimary(a.code).key]?.data == Fixtures.goodPrimary(a.code, students: 120))
            #expect(found[Fixtures.goodPrimary(a.code).key]?.version == 2)
            let both = try await ReturnRepository(db.sql).existing(schools: [a.code], years: [2023, 2024])
            #expect(both.count == 2 && both[Fixtures.goodPrimary(a.code, year: 2023).key]?.version == 1)
            #expect(try await ReturnRepository(db.sql).existing(schools: [], years: [2024]).isEmpty)
        }
    }
}
