import DudaoCore
import Foundation
import SQLKit

/// Someone else saved the row first: both values are reported, nothing is overwritten.
public struct VersionConflict: Error, Sendable {
    public var key: ReturnKey
    public var yourVersion: Int
    public var currentVersion: Int
    public var current: StageReturn
    public var yours: StageReturn
}

/// Why an edit was refused.
public enum EditRefused: Error, Sendable, Equatable {
    /// The row is submitted or approved (locked by the review chain).
    case locked(String)
    case invalid([ImportIssue])
    case missingReason([ImportIssue])
}

/// Edits one return row with optimistic concurrency: the caller sends the version it read;
/// the update lands only if the row still has that version (one conditional UPDATE, so two
/// people editing at once never silently overwrite each other).
///
/// `check` runs the rules (reads); `store` writes on the database it is given, which the use
/// case (`Returns.edit` in DudaoApp) makes one transaction.
public struct ReturnEditor: Sendable {
    let db: any SQLDatabase
    let rules: ValidationRuleSet

    public init(_ db: any SQLDatabase, rules: ValidationRuleSet = .standard) {
        self.db = db
        self.rules = rules
    }

    /// - Parameters:
    ///   - expectedVersion: the version the editor read (0 for a new row).
    ///   - reasons: written reasons for warnings, by rule id (warnings without one refuse the save).
    /// - Returns: the new version.
    /// The audit note of the warnings explained; throws `EditRefused` when a blocking rule is
    /// broken or a warning has no written reason.
    public func check(_ data: StageReturn, reasons: [String: String]) async throws -> [String] {
        let previousKey = ReturnKey(schoolCode: data.schoolCode, year: data.year - 1, stage: data.stage)
        let previous = try await ReturnRepository(db).existing(schools: [data.schoolCode], years: [data.year - 1])[previousKey]?.data
        let violations = rules.check(data, previous: previous)
        let issues = violations.map { ImportIssue($0) }
        if issues.contains(where: { $0.severity == .error }) { throw EditRefused.invalid(issues) }
        let unexplained = issues.filter { $0.severity == .warning && (reasons[$0.code] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        if !unexplained.isEmpty { throw EditRefused.missingReason(unexplained) }
        return issues.map { "\($0.code): \(reasons[$0.code] ?? "")" }
    }

    /// Stores the row if it still has `expectedVersion` (0 for a new row); returns the new version.
    public func store(school: School, data: StageReturn, expectedVersion: Int, explained: [String], actor: String, at now: String) async throws -> Int
    {
        // Submitted or approved in a reporting round: locked for entry.
        if let why = try await RoundRepository.lockReason(year: data.year, school: school.code, on: db) { throw EditRefused.locked(why) }
        let current = try await ReturnRepository(db).existing(schools: [data.schoolCode], years: [data.year])[data.key]
        let stage = ReturnColumnsSQL.stageText(data.stage)
        let newVersion: Int
        if expectedVersion == 0 {
            // A new row: a plain insert; a concurrent insert of the same key makes this a conflict.
            let rows = try await db.insert(into: "stage_returns").columns(ReturnColumnsSQL.columns)
                .values(ReturnColumnsSQL.values(data, version: 1, at: now, by: actor))
                .ignoringConflicts(with: ReturnColumnsSQL.key).returning("version").all()
            guard rows.count == 1 else {
                throw VersionConflict(
                    key: data.key, yourVersion: 0, currentVersion: current?.version ?? 1,
                    current: current?.data ?? data, yours: data)
            }
            newVersion = 1
        } else {
            var update = db.update("stage_returns")
            for field in ReturnField.allCases { update = update.set(SQLIdentifier(field.rawValue), to: SQLBind(data[field])) }
            let rows =
                try await update
                .set("version", to: SQLBind(expectedVersion + 1)).set("updated_at", to: now).set("updated_by", to: actor)
                .where("school_code", .equal, data.schoolCode).where("year", .equal, data.year).where("stage", .equal, stage)
                .where("version", .equal, expectedVersion)
                .returning("version").all()
            guard rows.count == 1 else {
                throw VersionConflict(
                    key: data.key, yourVersion: expectedVersion, currentVersion: current?.version ?? 0,
                    current: current?.data ?? StageReturn(schoolCode: data.schoolCode, year: data.year, stage: data.stage),
                    yours: data)
            }
            newVersion = expectedVersion + 1
        }
        let diff = AuditLog.diff(current?.data, data)
        try await RoundRepository.markDraft(year: data.year, school: school.code, by: actor, at: now, on: db)
        try await DataVersions(db).bump([school.countyCode], at: now)
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: current == nil ? "create" : "update", objectType: "stage_return",
                objectId: "\(data.schoolCode)/\(data.year)/\(stage)", oldValue: diff.old,
                newValue: diff.new + (explained.isEmpty ? "" : " | reasons: " + explained.joined(separator: "; ")),
                regionCode: school.countyCode)
        ])
        return newVersion
    }
}
