import DudaoCore
import DudaoStore
import Foundation

/// The division list's history in the store (issue 13): use cases `ApplyDivisionChanges`
/// (schools, visits and cases filed under an old county code move to its successor, the new
/// region's lineage is stored, both counties' data versions rise) and `NameRegion` (an
/// administrator names a placeholder region an import created for an unknown code).
public struct Regions: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public struct Applied: Sendable {
        public var change: RegionChange
        public var schools: Int
    }

    /// Moves everything stored under an old code with a successor; nothing when nothing is.
    public func applyChanges(by actor: Identity) async throws -> [Applied] {
        guard actor.isAdmin else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有系统管理员可以调整行政区划", en: "only administrators apply division changes")
        }
        let catalog = RegionCatalog.standard
        let inUse = try await RegionRepository(services.reads).countyCodesInUse()
        let changes = inUse.compactMap { code in catalog.successor(of: code) }
        guard !changes.isEmpty else { return [] }
        return try await services.transaction { tx, now in
            var applied: [Applied] = []
            let regions = RegionRepository(tx)
            for change in changes {
                try await regions.ensureLineage(of: change.newCode)
                let moved = try await regions.refile(county: change.oldCode, to: change.newCode)
                applied.append(Applied(change: change, schools: moved))
                try await AuditLog(tx).record([
                    AuditEntry(
                        at: now.timestamp, actor: actor.username, action: "refile", objectType: "region", objectId: change.oldCode,
                        oldValue: change.oldCode,
                        newValue: "\(change.description): \(moved) schools", regionCode: change.newCode)
                ])
            }
            try await DataVersions(tx).bump(changes.flatMap { [$0.oldCode, $0.newCode] }, at: now.timestamp)
            try await DataVersions(tx, .supervision).bump(changes.flatMap { [$0.oldCode, $0.newCode] }, at: now.timestamp)
            return applied
        }
    }

    /// Names a stored region (typically a placeholder "未知区县…").
    public func name(_ code: String, as name: String, by actor: Identity) async throws {
        guard actor.isAdmin else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有系统管理员可以为区划命名", en: "only administrators name regions")
        }
        let name = try Checked.text(name, field: "name", max: 60)
        guard !name.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "name", zh: "请填写名称", en: "the name is empty") }
        guard let current = try await RegionRepository(services.reads).find(code) else { throw ServiceError.notFound("region \(code)") }
        try await services.transaction { tx, now in
            _ = try await RegionRepository(tx).rename(code, to: name)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "rename", objectType: "region", objectId: code, oldValue: current.name,
                    newValue: name,
                    regionCode: code)
            ])
            if RegionCode.level(of: code) == .county { try await DataVersions(tx).bump([code], at: now.timestamp) }
        }
    }
}
