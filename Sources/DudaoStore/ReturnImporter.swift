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

/// A batch that passed every rule, ready to store.
public struct CheckedBatch: Sendable {
    let records: [ReturnRecord]
    let supplied: Set<ReturnField>?
    let source: String
    let warnings: [ImportIssue]
    let codes: [String]
    let years: Set<Int>
}

/// Validates and stores a batch of return rows. Re-importing the same rows changes nothing
/// (idempotent); changed rows get a new version and an audit entry. `check` reads; `store`
/// writes on the database it is given, which the use case (`Returns.importBatch` in DudaoApp)
/// makes one transaction.
public struct ReturnImporter: Sendable {
    let db: any SQLDatabase
    let rules: ValidationRuleSet

    public init(_ db: any SQLDatabase, rules: ValidationRuleSet = .standard) {
        self.db = db
        self.rules = rules
    }

    /// Runs every rule on every row that parsed, so one report lists every problem of the file.
    public func check(_ input: ReturnBatch) async throws -> CheckedBatch {
        var batch = input
        let codes = Array(Set(batch.records.map(\.school.code)))
        let years = Set(batch.records.map(\.data.year))
        let previousYears = Set(years.map { $0 - 1 })
        let returns = ReturnRepository(db)
        // Last year's rows as the file or the database has them (the file wins).
        var previous = try await returns.existing(schools: codes, years: previousYears).mapValues(\.data)
        for record in batch.records where previousYears.contains(record.data.year) { previous[record.data.key] = record.data }
        let lastYear = previous
        // Rules run on every row that parsed, so one report lists every problem of the file.
        batch.validate(rules: rules) { lastYear[$0] }
        if !batch.errors.isEmpty { throw ImportRejected(issues: batch.issues.sorted { ($0.row ?? 0) < ($1.row ?? 0) }) }

        return CheckedBatch(
            records: batch.records, supplied: batch.suppliedFields, source: batch.source, warnings: batch.warnings,
            codes: codes, years: years)
    }

    /// Stores a checked batch: schools, rows, round states, audit entries, the batch record.
    public func store(_ checked: CheckedBatch, actor: String, at now: String) async throws -> ImportReport {
        let records = checked.records, source = checked.source, years = checked.years
        let returns = ReturnRepository(db)
        let current = try await returns.existing(schools: checked.codes, years: years)
        let regions = RegionRepository(db)
        for county in Set(records.map(\.school.countyCode)).sorted() {
            try await regions.ensureLineage(of: county)
        }
        var schools: [String: School] = [:]
        for record in records { schools[record.school.code] = record.school }
        try await SchoolRepository(db).upsert(Array(schools.values), at: now)

        var writes: [(data: StageReturn, version: Int)] = []
        var audit: [AuditEntry] = []
        var inserted = 0, updated = 0, unchanged = 0
        for var record in records {
            let old = current[record.data.key]
            // A fact the file has no column for keeps its stored value.
            if let old, let supplied = checked.supplied {
                for field in ReturnField.allCases where !supplied.contains(field) { record.data[field] = old.data[field] }
            }
            if let old, old.data == record.data {
                unchanged += 1
                continue
            }
            old == nil ? (inserted += 1) : (updated += 1)
            writes.append((record.data, (old?.version ?? 0) + 1))
            let diff = AuditLog.diff(old?.data, record.data)
            audit.append(
                AuditEntry(
                    at: now, actor: actor, action: old == nil ? "create" : "update", objectType: "stage_return",
                    objectId: "\(record.data.schoolCode)/\(record.data.year)/\(ReturnColumnsSQL.stageText(record.data.stage))",
                    oldValue: diff.old, newValue: diff.new, regionCode: record.school.countyCode))
        }
        // Rows of schools that have submitted (or been approved) in a round may not change.
        var locked: [ImportIssue] = []
        var lockOf: [String: String?] = [:]
        let roundsExist = try await db.select().column("id").from("rounds").where("year", .in, Array(years)).first() != nil
        for (data, _) in writes where roundsExist {
            if lockOf[data.schoolCode] == nil {
                lockOf[data.schoolCode] = .some(try await RoundRepository.lockReason(year: data.year, school: data.schoolCode, on: db))
            }
            if let why = lockOf[data.schoolCode] ?? nil, let record = records.first(where: { $0.data.key == data.key }) {
                locked.append(
                    ImportIssue(
                        .error, code: "locked", file: source, row: record.sourceRow, column: "school_code",
                        field: "school_code", zh: "学校\(data.schoolCode)：\(why)", en: "school \(data.schoolCode): \(why)"))
            }
        }
        if !locked.isEmpty { throw ImportRejected(issues: locked) }
        try await returns.write(writes, actor: actor, at: now)
        for code in Set(writes.map(\.data.schoolCode)) where roundsExist {
            for year in years { try await RoundRepository.markDraft(year: year, school: code, by: actor, at: now, on: db) }
        }
        try await AuditLog(db).record(audit)
        let batchId = UUID().uuidString
        try await db.insert(into: "import_batches")
            .columns("id", "source", "rows", "inserted", "updated", "unchanged", "warnings", "imported_at", "imported_by")
            .values(batchId, source, records.count, inserted, updated, unchanged, checked.warnings.count, now, actor)
            .run()
        return ImportReport(
            batchId: batchId, source: source, rows: records.count, schools: schools.count,
            inserted: inserted, updated: updated, unchanged: unchanged, warnings: checked.warnings)
    }
}
