import DudaoCore
import DudaoStore

/// Responsible inspectors (use case `ImportInspectors`): the roster, their schools (挂牌督导)
/// and account links, with an audit entry, in one transaction.
public struct Inspectors: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public func importRoster(
        _ inspectors: [Inspector], assignment: [String: String], usernames: [String: String], source: String, actor: String
    ) async throws {
        try await services.transaction { tx, now in
            let repository = InspectorRepository(tx)
            try await repository.upsert(inspectors, usernames: usernames)
            try await repository.assign(assignment, since: now.timestamp)
            // Pages drawn from supervision work show inspectors' names and their schools.
            try await DataVersions(tx, .supervision).bump(inspectors.map(\.regionCode), at: now.timestamp)
            for region in Set(inspectors.map(\.regionCode)).sorted() {
                let here = inspectors.filter { $0.regionCode == region }
                let ids = Set(here.map(\.id))
                try await AuditLog(tx).record([
                    AuditEntry(
                        at: now.timestamp, actor: actor, action: "import", objectType: "inspectors", objectId: source,
                        oldValue: nil, newValue: "inspectors=\(here.count); schools=\(assignment.values.filter { ids.contains($0) }.count)",
                        regionCode: region)
                ])
            }
        }
    }
}
