import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Testing

@Suite("Import into the store, all or nothing")
struct ReturnImporterTests {
    @Test func importsAndReadsBack() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001"), b = Fixtures.school("4110810002")
            let report = try await Services(database: db).returns.importBatch(
                Fixtures.batch([(a, Fixtures.goodPrimary(a.code)), (b, Fixtures.goodPrimary(b.code, students: 200))]), actor: "tester")
            #expect(report.inserted == 2 && report.updated == 0 && report.unchanged == 0 && report.schools == 2)
            let rows = try await ReturnRepository(db.sql).rows(under: "411081", year: 2024)
            #expect(rows.count == 2)
            let stored = try #require(rows.first { $0.schoolCode == b.code })
            #expect(stored == Fixtures.goodPrimary(b.code, students: 200))
            #expect(try await SchoolRepository(db.sql).find(a.code) == a)
            // The county and its parents come from the GB/T 2260 list.
            #expect(try await RegionRepository(db.sql).path(to: "411081").map(\.name) == ["河南省", "许昌市", "禹州市"])
        }
    }

    @Test func reimportIsIdempotent() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001")
            let batch = Fixtures.batch([(a, Fixtures.goodPrimary(a.code))])
            _ = try await Services(database: db).returns.importBatch(batch, actor: "t")
            let again = try await Services(database: db).returns.importBatch(batch, actor: "t")
            #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 1)
            #expect(try await TestDatabase.count(db, "stage_returns") == 1)
            #expect(try await TestDatabase.count(db, "schools") == 1)
            #expect(try await ReturnRepository(db.sql).rows(school: a.code).first?.version == 1)
            #expect(try await TestDatabase.count(db, "audit_log") == 1)
        }
    }

    @Test func changedRowGetsNewVersionAndAuditEntry() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001")
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code))]), actor: "first")
            var changed = Fixtures.goodPrimary(a.code)
            changed[.sportsAreaM2] = 900
            let report = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, changed)]), actor: "second")
            #expect(report.updated == 1)
            let stored = try #require(try await ReturnRepository(db.sql).rows(school: a.code).first)
            #expect(stored.version == 2 && stored.data[.sportsAreaM2] == 900)
            let history = try await AuditLog(db.sql).history(objectType: "stage_return", objectId: a.code)
            #expect(history.count == 2)
            let update = try #require(history.first { $0.action == "update" })
            #expect(update.actor == "second")
            #expect(update.oldValue == "sports_area_m2=800")
            #expect(update.newValue == "sports_area_m2=900")
        }
    }

    @Test func blockingRuleRejectsWholeBatchAndKeepsStoredData() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001"), b = Fixtures.school("4110810002")
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code))]), actor: "t")
            var changedA = Fixtures.goodPrimary(a.code)
            changedA[.books] = 1
            var bad = Fixtures.goodPrimary(b.code)
            bad[.teachingAreaM2] = -5
            let error = await #expect(throws: ImportRejected.self) {
                try await Services(database: db).returns.importBatch(Fixtures.batch([(a, changedA), (b, bad)]), actor: "t")
            }
            let issue = try #require(error?.errors.first)
            #expect(issue.code == "teaching_area_m2_not_negative")
            #expect(issue.row == 3)
            #expect(issue.field == "teaching_area_m2")
            // Nothing of the batch is stored: the good row's change did not land either.
            #expect(try await TestDatabase.count(db, "stage_returns") == 1)
            #expect(try await ReturnRepository(db.sql).rows(school: a.code).first?.data[.books] == 3000)
            #expect(try await SchoolRepository(db.sql).find(b.code) == nil)
        }
    }

    @Test func parserErrorsRejectBeforeTouchingTheDatabase() async throws {
        try await TestDatabase.with { db in
            var bad = Fixtures.batch([(Fixtures.school("4110810001"), Fixtures.goodPrimary("4110810001"))])
            bad.issues.append(ImportIssue(ImportIssue.Severity.error, code: "not_a_number", row: 2, column: "在校生数", zh: "x", en: "x"))
            let batch = bad
            await #expect(throws: ImportRejected.self) { try await Services(database: db).returns.importBatch(batch, actor: "t") }
            let rows = try await TestDatabase.count(db, "stage_returns")
            let batches = try await TestDatabase.count(db, "import_batches")
            #expect(rows == 0 && batches == 0)
        }
    }

    @Test func yearOverYearWarningUsesStoredPreviousYear() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001")
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code, year: 2023))]), actor: "t")
            // 100 → 140 students is a 40% change: a warning, not an error.
            let report = try await Services(database: db).returns.importBatch(
                Fixtures.batch([(a, Fixtures.goodPrimary(a.code, year: 2024, students: 140))]), actor: "t")
            #expect(report.inserted == 1)
            #expect(report.warnings.map(\.code).contains("students_year_over_year"))
        }
    }

    @Test func unknownCountyIsPlacedUnderItsPrefixes() async throws {
        try await TestDatabase.with { db in
            let s = Fixtures.school("4110990001", county: "411099")
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(s, Fixtures.goodPrimary(s.code))]), actor: "t")
            let path = try await RegionRepository(db.sql).path(to: "411099")
            #expect(path.map(\.code) == ["41", "4110", "411099"])
            #expect(path.last?.name == "未知区县411099")
            #expect(try await RegionRepository(db.sql).children(of: "4110").map(\.code) == ["411099"])
        }
    }

    @Test func factsWithoutAColumnKeepTheirStoredValues() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001")
            var full = Fixtures.goodPrimary(a.code)
            full[.classes] = 6
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, full)]), actor: "t")
            // A later file has no "classes" column and a changed sports area.
            var partial = Fixtures.goodPrimary(a.code)
            partial[.sportsAreaM2] = 900
            var batch = Fixtures.batch([(a, partial)])
            batch.suppliedFields = Set(ReturnField.allCases).subtracting([.classes])
            let report = try await Services(database: db).returns.importBatch(batch, actor: "t")
            #expect(report.updated == 1)
            let stored = try #require(try await ReturnRepository(db.sql).rows(school: a.code).first?.data)
            #expect(stored[.classes] == 6 && stored[.sportsAreaM2] == 900)
        }
    }

    @Test func auditLogIsAppendOnly() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("4110810001")
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code))]), actor: "t")
            await #expect(throws: (any Error).self) { try await db.sql.raw("UPDATE audit_log SET actor = 'someone else'").run() }
            await #expect(throws: (any Error).self) { try await db.sql.raw("DELETE FROM audit_log").run() }
            let history = try await AuditLog(db.sql).history(objectType: "stage_return", objectId: a.code)
            #expect(history.map(\.actor) == ["t"])
        }
    }

    @Test func migrationsAreIdempotent() async throws {
        try await TestDatabase.with { db in
            try await Migrations.run(on: db)
            try await Migrations.run(on: db)
            #expect(try await TestDatabase.count(db, "schema_migrations") == Migrations.latestVersion)
        }
    }
}

@Suite("Stored values the code does not know")
struct UnknownStoredValueTests {
    /// Issue 8 §7: an unknown enum value in a row is an error naming table, column and value,
    /// never a silent default.
    @Test func anUnknownSchoolTypeIsAnErrorNotADefault() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("1411081001")
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code))]), actor: "t")
            try await db.sql.update("schools").set("school_type", to: "space_academy").where("code", .equal, a.code).run()
            let error = await #expect(throws: UnknownStoredValue.self) { try await SchoolRepository(db.sql).find(a.code) }
            #expect(error?.description == "schools.school_type holds 'space_academy', which this version does not know")
        }
    }

    /// The fast reader of many returns (by position, from the drivers' rows) is as strict.
    @Test func anUnknownStageIsAnErrorWhenReadingMany() async throws {
        try await TestDatabase.with { db in
            let a = Fixtures.school("1411081001")
            _ = try await Services(database: db).returns.importBatch(Fixtures.batch([(a, Fixtures.goodPrimary(a.code))]), actor: "t")
            #expect(try await ReturnRepository(db.sql).rows(under: "411081", year: 2024).map(\.[.students]) == [100])
            #expect(try await ReturnRepository(db.sql).rows(under: "", year: 2024).count == 1)
            try await db.sql.update("stage_returns").set("stage", to: "university").where("school_code", .equal, a.code).run()
            let error = await #expect(throws: UnknownStoredValue.self) { try await ReturnRepository(db.sql).rows(under: "41", year: 2024) }
            #expect(error?.description == "stage_returns.stage holds 'university', which this version does not know")
        }
    }
}
