import DudaoCore
import DudaoStore

/// Government-duty evaluation (督政, SPEC §3.5): importing county facts (`ImportCountyFacts`,
/// all or nothing, audited) and evaluating a region on a duty programme.
public struct Duty: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// Stores every row of a county-facts file, or nothing. A fact the file leaves blank keeps
    /// its stored value. `actor` nil: the CLI without `--as` (full access).
    public func importFacts(
        _ rows: [(row: Int, facts: CountyFacts)], source: String, by actor: Identity?, actorName: String
    ) async throws
        -> (inserted: Int, updated: Int, unchanged: Int)
    {
        try await services.transaction { tx, now in
            let regions = RegionRepository(tx)
            let repository = CountyFactRepository(tx)
            var issues: [ImportIssue] = []
            var writes: [(CountyFacts, Int, AuditEntry?)] = []
            var inserted = 0, updated = 0, unchanged = 0
            for (row, incoming) in rows {
                let code = incoming.countyCode
                guard let region = try await regions.find(code), region.level == .county else {
                    issues.append(
                        ImportIssue(
                            .error, code: "unknown_region", file: source, row: row, column: "county_code", field: "county_code",
                            zh: "未知区县\(code)", en: "unknown county \(code)"))
                    continue
                }
                if let why = try await RoundRepository.countyLockReason(year: incoming.year, county: code, on: tx) {
                    issues.append(
                        ImportIssue(.error, code: "locked", file: source, row: row, column: "county_code", field: "county_code", zh: why, en: why))
                    continue
                }
                if let actor, !actor.isOfficeStaff || !actor.canRead(region: code) {
                    issues.append(
                        ImportIssue(
                            .error, code: "out_of_scope", file: source, row: row, column: "county_code", field: "county_code",
                            zh: "区县\(code)超出本人管辖范围", en: "county \(code) is outside your scope"))
                    continue
                }
                let old = try await repository.find(county: code, year: incoming.year)
                var merged = old?.facts ?? CountyFacts(countyCode: code, year: incoming.year)
                for (fact, value) in incoming.values { merged[fact] = value }
                if let old, old.facts == merged {
                    unchanged += 1
                    continue
                }
                old == nil ? (inserted += 1) : (updated += 1)
                let changed = CountyFact.allCases.filter { old?.facts[$0] != merged[$0] }
                func render(_ f: CountyFacts?) -> String {
                    changed.map { "\($0.rawValue)=\(f?[$0].map(NumberText.plain) ?? "")" }.joined(separator: "; ")
                }
                writes.append(
                    (
                        merged, (old?.version ?? 0) + 1,
                        AuditEntry(
                            at: now.timestamp, actor: actorName, action: old == nil ? "create" : "update", objectType: "county_facts",
                            objectId: "\(code)/\(incoming.year)", oldValue: old.map { render($0.facts) }, newValue: render(merged),
                            regionCode: code)
                    ))
            }
            if !issues.isEmpty { throw ImportRejected(issues: issues) }
            for (facts, version, _) in writes {
                try await repository.write(facts, version: version, by: actorName, at: now.timestamp)
            }
            try await AuditLog(tx).record(writes.compactMap(\.2))
            return (inserted, updated, unchanged)
        }
    }

    /// A county office enters its facts for a year in a form (`EditCountyFacts`): the values given
    /// replace the stored ones (nil clears one), if the row still has `expectedVersion` (0: new)
    /// and no approval in a reporting round of that year has locked the county's data.
    public func editFacts(county: String, year: Int, values: [CountyFact: Double?], expectedVersion: Int, by actor: Identity) async throws -> Int {
        guard actor.isOfficeStaff, actor.canRead(region: county) else {
            throw ServiceError(.forbidden, code: "not_allowed", zh: "只有督导办可以填报区县数据", en: "only supervision offices enter county facts")
        }
        _ = try Checked.year(year, field: "year")
        for case (let fact, let value?) in values {
            do { _ = try fact.check(value) } catch {
                throw ServiceError(
                    .invalid, code: error.code, field: fact.rawValue, zh: "\(fact.zh)：\(error.messageZh)", en: "\(fact.en): \(error.messageEn)")
            }
        }
        return try await services.transaction { tx, now in
            guard let region = try await RegionRepository(tx).find(county), region.level == .county else {
                throw ServiceError.notFound("county \(county)")
            }
            if let why = try await RoundRepository.countyLockReason(year: year, county: county, on: tx) {
                throw ServiceError(.conflict, code: "locked", zh: why, en: why)
            }
            let repository = CountyFactRepository(tx)
            let old = try await repository.find(county: county, year: year)
            guard (old?.version ?? 0) == expectedVersion else {
                throw ServiceError(.conflict, code: "version_conflict", zh: "数据已被他人修改，请刷新", en: "someone else changed these facts; reload")
            }
            var facts = old?.facts ?? CountyFacts(countyCode: county, year: year)
            for (fact, value) in values { facts[fact] = value }
            let changed = CountyFact.allCases.filter { old?.facts[$0] != facts[$0] }
            guard !changed.isEmpty else { return expectedVersion }
            func render(_ f: CountyFacts?) -> String {
                changed.map { "\($0.rawValue)=\(f?[$0].map(NumberText.plain) ?? "")" }.joined(separator: "; ")
            }
            try await repository.write(facts, version: expectedVersion + 1, by: actor.username, at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: old == nil ? "create" : "update", objectType: "county_facts",
                    objectId: "\(county)/\(year)", oldValue: old.map { render($0.facts) }, newValue: render(facts), regionCode: county)
            ])
            return expectedVersion + 1
        }
    }

    public func evaluate(region: String, year: Int?, programme: DutyProgramme) async throws -> DutyEvaluationService.Result {
        try await DutyEvaluationService(services.reads).evaluate(region: region, year: year, programme: programme)
    }
}
