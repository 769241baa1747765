import DudaoCore
import Foundation
import SQLKit

/// What an import did.
public struct ImportReport: Sendable, Codable {
    public var batchId: String
    public var source: String
    public var rows: Int
    public var schools: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    public var warnings: [ImportIssue]
}

/// An import refused as a whole; nothing was written.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
    public var issues: [ImportIssue]
    public init(issues: [ImportIssue]) { self.issues = issues }
    public var errors: [ImportIssue] { issues.filter { $0.severity == .error } }
    public var description: String {
        "import rejected, nothing stored: \(errors.count) error(s)\n" + errors.prefix(50).map { "  " + $0.located(.en) }.joined(separator: "\n")
    }
}

/// Validates and stores return rows as they are read, inside the use case's one transaction
/// (`Returns.importFile` / `importBatch` in DudaoApp): a file of any size is checked and written
/// a chunk at a time, and the transaction makes it all or nothing. Re-importing the same rows
/// changes nothing (idempotent); changed rows get a new version and an audit entry.
public struct ReturnImporter: Sendable {
    let db: any SQLDatabase
    let rules: ValidationRuleSet

    public init(_ db: any SQLDatabase, rules: ValidationRuleSet = .standard) {
        self.db = db
        self.rules = rules
    }

    /// An import under way: what it found and what it wrote so far.
    public struct Run: Sendable {
        public let source: String
        let supplied: Set<ReturnField>?
        let columnNames: [String: String]
        let actor: String
        let now: String
        /// Rule violations and locked rows found so far (the file's own problems stay with its reader).
        public internal(set) var issues: [ImportIssue] = []
        var rows = 0, inserted = 0, updated = 0, unchanged = 0
        var counties: Set<String> = []
        var roundsByYear: [Int: Bool] = [:]
        /// Whether a year had stored rows when the import began; the years it has read.
        var storedByYear: [Int: Bool] = [:]
        var years: Set<Int> = []
        /// Whether any school was stored when the import began; the schools it has added.
        var schoolsStoredBefore: Bool?
        var schoolsAdded: Set<String> = []

        public init(source: String, supplied: Set<ReturnField>?, columnNames: [String: String], actor: String, at now: String) {
            self.source = source
            self.supplied = supplied
            self.columnNames = columnNames
            self.actor = actor
            self.now = now
        }

        public var errorCount: Int { issues.count { $0.severity == .error } }

        /// Takes in what writing a chunk found.
        public mutating func absorb(_ written: Written) {
            issues += written.locked
            inserted -= written.lockedInserted
            updated -= written.lockedUpdated
        }
    }

    /// Checks a chunk of parsed rows against every rule and writes the rows that pass:
    /// `lookups`, `plan` and `write` one after the other (the file import runs them as a pipeline).
    /// Value in, value out, so a caller can read the next chunk while this one is stored.
    public func taking(_ records: [ReturnRecord], _ before: Run) async throws -> Run {
        var run = before
        let found = try await lookups(records, &run)
        let planned = plan(records, found, overlay: [:], &run)
        run.absorb(try await write(planned))
        return run
    }

    /// What a chunk's checks need from the database: stored rows of its schools in the years
    /// that may hold them, and (cached in the run) whether each year has rows and review rounds.
    public struct Lookups: Sendable {
        let stored: [ReturnKey: (data: StageReturn, version: Int)]
        /// Which of the chunk's schools are stored.
        var storedSchools: Set<String> = []
    }

    /// A chunk's checks, decided: what it will write and record. `written` is each row as it
    /// will be stored, for the next chunk's checks while this one is being written.
    public struct Planned: Sendable {
        struct Row: Sendable {
            var data: StageReturn
            var version: Int
            var audit: AuditEntry
            var sourceRow: Int
            var inserted: Bool
        }
        /// Schools already stored (upserted) and schools new to the database (inserted).
        var schools: [School] = []
        var newSchools: [School] = []
        var rows: [Row] = []
        var counties: [String] = []
        var newCounties: [String] = []
        var years: Set<Int> = []
        public internal(set) var written: [ReturnKey: StageReturn] = [:]
        var roundsByYear: [Int: Bool] = [:]
        var stamp: (source: String, actor: String, now: String)?
        /// The schools, rows and change-log entries made ready for the database while the
        /// chunk before is written (`BulkInsert.Payload`); nil when a review round may lock
        /// some of the rows (then they are made when written, after the locks are known).
        var payloads: Payloads?

        /// New schools and rows are inserted as they are (`BulkInsert.inserting`), stored ones upserted.
        struct Payloads: Sendable {
            var newSchools: BulkInsert.Payload
            var schools: BulkInsert.Payload
            var newRows: BulkInsert.Payload
            var rows: BulkInsert.Payload
            var audit: BulkInsert.Payload
        }
    }

    /// What writing found: rows of schools whose returns a review round has locked (left out).
    public struct Written: Sendable {
        var locked: [ImportIssue] = []
        var lockedInserted = 0, lockedUpdated = 0
    }

    /// The database reads of a chunk's checks. Stored rows can only be there for a year that
    /// had rows before this import (a key is never read twice from one file), or, as last year's
    /// rows, one this import has written (those of the chunk still being written come from the
    /// caller's overlay).
    public func lookups(_ records: [ReturnRecord], _ run: inout Run) async throws -> Lookups {
        guard !records.isEmpty else { return Lookups(stored: [:]) }
        let codes = Array(Set(records.map(\.school.code)))
        let years = Set(records.map(\.data.year))
        var lookup: Set<Int> = []
        for year in years {
            if try await storedBefore(year, &run) { lookup.insert(year) }
            if try await storedBefore(year - 1, &run) || run.years.contains(year - 1) { lookup.insert(year - 1) }
            _ = try await roundsExist(year, &run)
        }
        run.years.formUnion(years)
        let stored = lookup.isEmpty ? [:] : try await ReturnRepository(db).existing(schools: codes, years: lookup)
        // Which schools are stored: those with a stored row are; the others are asked, unless
        // the registry was empty when the import began (a first load asks nothing).
        var storedSchools = Set(stored.keys.map(\.schoolCode))
        if run.schoolsStoredBefore == nil {
            run.schoolsStoredBefore = try await db.select().column("code").from("schools").limit(1).first() != nil
        }
        if run.schoolsStoredBefore == true {
            let unknown = codes.filter { !storedSchools.contains($0) && !run.schoolsAdded.contains($0) }
            if !unknown.isEmpty { storedSchools.formUnion(try await SchoolRepository(db).stored(unknown)) }
        }
        return Lookups(stored: stored, storedSchools: storedSchools)
    }

    /// Checks a chunk against every rule (last year's row as this file, the overlay or the
    /// database has it; the file wins) and decides what to write, without touching the
    /// database. Once the import has an error anywhere it is going to be refused, but rows are
    /// still checked and written so that one report lists every problem and later rows see
    /// earlier ones as their last year.
    public func plan(_ records: [ReturnRecord], _ found: Lookups, overlay: [ReturnKey: StageReturn], _ run: inout Run) -> Planned {
        var planned = Planned()
        guard !records.isEmpty else { return planned }
        run.rows += records.count
        let stored = found.stored
        var inChunk: [ReturnKey: StageReturn] = [:]
        for record in records { inChunk[record.data.key] = record.data }
        var batch = ReturnBatch(source: run.source, records: records, issues: [], columnNames: run.columnNames)
        batch.validate(rules: rules) { inChunk[$0] ?? overlay[$0] ?? stored[$0]?.data }
        let refused = Set(batch.errors.compactMap(\.row))
        run.issues += batch.issues
        let passed = records.filter { !refused.contains($0.sourceRow) }

        let counties = Set(passed.map(\.school.countyCode))
        planned.newCounties = counties.subtracting(run.counties).sorted()
        run.counties.formUnion(counties)
        // Schools are upserted even where no row changed: every county of the chunk is marked.
        planned.counties = passed.map(\.school.countyCode)
        var schools: [String: School] = [:]
        for record in passed { schools[record.school.code] = record.school }
        for school in schools.values {
            if found.storedSchools.contains(school.code) || run.schoolsAdded.contains(school.code) {
                planned.schools.append(school)
            } else {
                planned.newSchools.append(school)
                run.schoolsAdded.insert(school.code)
            }
        }
        for var record in passed {
            let old = stored[record.data.key]
            // A fact the file has no column for keeps its stored value.
            if let old, let supplied = run.supplied {
                for field in ReturnField.allCases where !supplied.contains(field) { record.data[field] = old.data[field] }
            }
            if let old, old.data == record.data {
                run.unchanged += 1
                continue
            }
            old == nil ? (run.inserted += 1) : (run.updated += 1)
            // An update records what changed; a new row records where it came from (its values
            // are the row's version 1, and every later update keeps the values it replaced).
            let diff = old.map { AuditLog.diff($0.data, record.data) } ?? (old: nil, new: "source=\(run.source)")
            let audit = AuditEntry(
                at: run.now, actor: run.actor, action: old == nil ? "create" : "update", objectType: "stage_return",
                objectId: "\(record.data.schoolCode)/\(record.data.year)/\(ReturnColumnsSQL.stageText(record.data.stage))",
                oldValue: diff.old, newValue: diff.new, regionCode: record.school.countyCode)
            planned.rows.append(
                Planned.Row(data: record.data, version: (old?.version ?? 0) + 1, audit: audit, sourceRow: record.sourceRow, inserted: old == nil))
            planned.years.insert(record.data.year)
            planned.written[record.data.key] = record.data
        }
        planned.roundsByYear = run.roundsByYear
        planned.stamp = (run.source, run.actor, run.now)
        if !planned.years.contains(where: { run.roundsByYear[$0] == true }) {
            planned.payloads = payloads(planned, planned.rows, actor: run.actor, at: run.now)
        }
        return planned
    }

    /// Writes what `plan` decided: regions, schools, rows, round states, audit entries, data
    /// versions. Rows of schools that have submitted (or been approved) in a round may not
    /// change: they are left out and said in `planned.locked`.
    public func write(_ planned: Planned) async throws -> Written {
        var written = Written()
        guard let (source, actor, now) = planned.stamp else { return written }
        let regions = RegionRepository(db)
        if !planned.newCounties.isEmpty {
            let known = try await regions.existing(planned.newCounties)
            try await regions.ensureLineage(of: Set(planned.newCounties).subtracting(known).sorted())
        }
        var rows = planned.rows
        // Rows a review round may lock are found now and left out; the payloads are made here.
        let lockable = planned.payloads == nil  // `plan` leaves them unmade when a round may lock rows
        if lockable {
            var kept: [Planned.Row] = []
            for row in rows {
                guard planned.roundsByYear[row.data.year] == true,
                    let why = try await RoundRepository.lockReason(year: row.data.year, school: row.data.schoolCode, on: db)
                else {
                    kept.append(row)
                    continue
                }
                row.inserted ? (written.lockedInserted += 1) : (written.lockedUpdated += 1)
                written.locked.append(
                    ImportIssue(
                        .error, code: "locked", file: source, row: row.sourceRow, column: "school_code",
                        field: "school_code", zh: "学校\(row.data.schoolCode)：\(why)", en: "school \(row.data.schoolCode): \(why)"))
            }
            rows = kept
        }
        let payloads = planned.payloads ?? payloads(planned, rows, actor: actor, at: now)
        try await SchoolRepository.bulk.inserting.run(payloads.newSchools, on: db)
        try await SchoolRepository.bulk.run(payloads.schools, on: db)
        try await ReturnColumnsSQL.bulk.inserting.run(payloads.newRows, on: db)
        try await ReturnColumnsSQL.bulk.run(payloads.rows, on: db)
        if lockable {
            for row in rows where planned.roundsByYear[row.data.year] == true {
                try await RoundRepository.markDraft(year: row.data.year, school: row.data.schoolCode, by: actor, at: now, on: db)
            }
        }
        try await AuditLog.bulk.run(payloads.audit, on: db)
        try await DataVersions(db).bump(planned.counties, at: now)
        return written
    }

    /// A chunk's schools, rows (of `rows`: those a round locks are left out) and change-log
    /// entries made ready for this database.
    private func payloads(_ planned: Planned, _ rows: [Planned.Row], actor: String, at now: String) -> Planned.Payloads {
        func returns(_ rows: [Planned.Row]) -> BulkInsert.Payload {
            ReturnColumnsSQL.bulk.prepare(ReturnRepository.cells(rows.map { ($0.data, $0.version) }, actor: actor, at: now), for: db)
        }
        return Planned.Payloads(
            newSchools: SchoolRepository.bulk.prepare(SchoolRepository.cells(planned.newSchools, at: now), for: db),
            schools: SchoolRepository.bulk.prepare(SchoolRepository.cells(planned.schools, at: now), for: db),
            newRows: returns(rows.filter(\.inserted)),
            rows: returns(rows.filter { !$0.inserted }),
            audit: AuditLog.bulk.prepare(AuditLog.cells(rows.map(\.audit)), for: db))
    }

    private func storedBefore(_ year: Int, _ run: inout Run) async throws -> Bool {
        if let known = run.storedByYear[year] { return known }
        let exists = try await db.select().column("year").from("stage_returns").where("year", .equal, year).limit(1).first() != nil
        run.storedByYear[year] = exists
        return exists
    }

    private func roundsExist(_ year: Int, _ run: inout Run) async throws -> Bool {
        if let known = run.roundsByYear[year] { return known }
        let exists = try await db.select().column("id").from("rounds").where("year", .equal, year).first() != nil
        run.roundsByYear[year] = exists
        return exists
    }

    /// Ends the import: rows whose last year came later in the file are checked again (now
    /// that it is stored), then either the whole import is refused with every problem, by row,
    /// or the batch is recorded.
    /// - Parameters:
    ///   - fileRows: the row of every key the file held.
    ///   - fileIssues: the file's own problems (header, cells, repeated rows, scope).
    public func finish(
        _ run: Run, fileRows: [ReturnKey: Int], schools: Int, fileIssues: [ImportIssue]
    ) async throws -> ImportReport {
        var run = run
        var late: [ReturnKey: Int] = [:]
        for (key, row) in fileRows {
            let lastYear = ReturnKey(schoolCode: key.schoolCode, year: key.year - 1, stage: key.stage)
            if let earlierRow = fileRows[lastYear], earlierRow > row { late[key] = row }
        }
        if !late.isEmpty {
            let codes = Array(Set(late.keys.map(\.schoolCode)))
            let years = Set(late.keys.map(\.year))
            let stored = try await ReturnRepository(db).existing(schools: codes, years: years.union(years.map { $0 - 1 }))
            let ruleIds = Set(rules.rules.map(\.id))
            // A refused row was not written: its first check stands.
            let refused = Set(run.issues.filter { $0.severity == .error }.compactMap(\.row))
            for (key, row) in late.sorted(by: { $0.value < $1.value }) where !refused.contains(row) {
                guard let data = stored[key]?.data else { continue }
                let lastYear = ReturnKey(schoolCode: key.schoolCode, year: key.year - 1, stage: key.stage)
                // The first check used the database's last year; the file's replaces it.
                run.issues.removeAll { $0.row == row && ruleIds.contains($0.code) }
                for violation in rules.check(data, previous: stored[lastYear]?.data) {
                    run.issues.append(
                        ImportIssue(
                            violation, file: run.source, row: row, column: run.columnNames[violation.field.rawValue] ?? violation.field.rawValue))
                }
            }
        }
        let issues = fileIssues + run.issues
        if issues.contains(where: { $0.severity == .error }) {
            throw ImportRejected(issues: issues.sorted { ($0.row ?? 0) < ($1.row ?? 0) })
        }
        let warnings = issues.filter { $0.severity == .warning }
        let batchId = UUID().uuidString
        try await db.insert(into: "import_batches")
            .columns("id", "source", "rows", "inserted", "updated", "unchanged", "warnings", "imported_at", "imported_by")
            .values(batchId, run.source, run.rows, run.inserted, run.updated, run.unchanged, warnings.count, run.now, run.actor)
            .run()
        return ImportReport(
            batchId: batchId, source: run.source, rows: run.rows, schools: schools,
            inserted: run.inserted, updated: run.updated, unchanged: run.unchanged, warnings: warnings)
    }
}
