import DudaoCore
import DudaoStore

/// School returns: importing a file's batch (`ImportReturns`) and editing one row
/// (`EditReturn`). Rules run first, on reads; the writes, audit rows and round states are one
/// transaction, all or nothing.
public struct Returns: Sendable {
    let services: Services
    let rules: ValidationRuleSet

    public init(_ services: Services, rules: ValidationRuleSet = .standard) {
        self.services = services
        self.rules = rules
    }

    public func rules(_ rules: ValidationRuleSet) -> Returns { Returns(services, rules: rules) }

    public func importBatch(_ batch: ReturnBatch, actor: String) async throws -> ImportReport {
        let checked = try await ReturnImporter(services.reads, rules: rules).check(batch)
        let rules = self.rules
        return try await services.transaction { tx, now in
            try await ReturnImporter(tx, rules: rules).store(checked, actor: actor, at: now.timestamp)
        }
    }

    /// Saves one row if it still has `expectedVersion` (0 for a new row); returns the new version.
    public func edit(school: School, data: StageReturn, expectedVersion: Int, reasons: [String: String], actor: String) async throws -> Int {
        let explained = try await ReturnEditor(services.reads, rules: rules).check(data, reasons: reasons)
        let rules = self.rules
        return try await services.transaction { tx, now in
            try await ReturnEditor(tx, rules: rules).store(
                school: school, data: data, expectedVersion: expectedVersion, explained: explained,
                actor: actor, at: now.timestamp)
        }
    }
}
