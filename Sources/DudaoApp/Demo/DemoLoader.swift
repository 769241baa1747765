import DudaoCore
import DudaoStore

/// Loads the demo through the same importer (and validation) as any file, and one account
/// per role.
public enum DemoLoader {
    /// - Parameter passwordCost: bcrypt cost of the demo accounts (tests use a low one).
    public static func load(into db: Database, passwordCost: UInt8 = UserRepository.defaultCost, log: (String) -> Void) async throws {
        let services = Services(database: db, passwordCost: passwordCost)
        try await loadReturns(services, log: log)
        let users = UserRepository(db.sql)
        var lines: [String] = []
        for account in DemoAccounts.all {
            if try await users.find(username: account.username) == nil {
                try await services.accounts.create(
                    username: account.username, displayName: account.name, role: account.role,
                    regionCode: account.region, schoolCode: account.school, password: DemoAccounts.password, actor: "demo")
            }
            lines.append(
                "  \(account.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \(account.role.zh) \(account.school ?? account.region)")
        }
        try await loadSupervision(services, log: log)
        log("demo accounts (password \(DemoAccounts.password)):\n" + lines.joined(separator: "\n"))
    }

    /// Inspectors, responsibility schools, three months of visits and rectification cases.
    public static func loadSupervision(_ services: Services, log: (String) -> Void) async throws {
        let db = services.database
        let county = DemoCounty.mainCounty
        let schools = try await SchoolRepository(db.sql).list(under: county)
        let data = DemoSupervision.make(schools: schools, county: county)
        // The demo inspector account is the first responsible inspector.
        try await InspectorRepository(db.sql).upsert(data.inspectors, usernames: [data.inspectors[0].id: "inspector"])
        try await InspectorRepository(db.sql).assign(data.responsibility, since: "2026-09-01")
        let visits = data.visits.map { v in
            VisitRecord(
                id: v.id, schoolCode: v.school, countyCode: county, inspectorId: v.inspector, date: v.date, kind: v.kind,
                checklistId: v.checklist, answers: "{}", peopleMet: v.peopleMet, notes: v.notes, location: nil, status: .signed, version: 1)
        }
        try await VisitRepository(db.sql).insert(visits, at: services.clock.moment.timestamp)
        let rectifications = RectificationRepository(db.sql)
        var opened = 0
        for (visit, c) in data.cases where try await rectifications.find(c.id) == nil {
            try await services.rectifications.open(c, visitId: visit, by: "demo")
            opened += 1
        }
        log(
            "demo supervision: \(data.inspectors.count) inspectors, \(data.visits.count) visits, \(data.cases.count) rectification cases (\(opened) new)"
        )
    }

    public static func loadReturns(_ services: Services, log: (String) -> Void) async throws {
        let records = DemoCounty.records()
        for year in Set(records.map(\.data.year)).sorted() {
            let batch = ReturnBatch(source: "demo-\(year)", records: records.filter { $0.data.year == year }, issues: [], columnNames: [:])
            let report = try await services.returns.importBatch(batch, actor: "demo")
            log(
                "demo \(year): \(report.rows) rows, \(report.schools) schools (\(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged, \(report.warnings.count) warnings)"
            )
        }
        let facts = DemoDuty.countyFacts(records: records)
        let counts = try await services.duty.importFacts(
            facts.enumerated().map { ($0.offset + 2, $0.element) }, source: "demo-county-facts", by: nil, actorName: "demo")
        log("demo county facts: \(facts.count) counties (\(counts.inserted) new, \(counts.updated) updated)")
    }
}
