import ArgumentParser
import DudaoCore
import DudaoStore
import DudaoWeb
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server.")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Address to listen on") var host = "127.0.0.1"
    @Option(help: "Port to listen on") var port = 8080
    @Flag(help: "Load the demo county first (idempotent)") var demo = false

    func run() async throws {
        var logger = Logger(label: "dudao")
        logger.logLevel = .info
        try await database.with { db in
            if demo { try await DemoLoader.load(into: db, log: { logger.info("\($0)") }) }
            let app = try await buildApplication(database: db, host: host, port: port, logger: logger)
            print("Dudao listening on http://\(host):\(port)/  (demo county: http://\(host):\(port)/regions/\(DemoCounty.mainCounty))")
            try await app.runService()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let backend = try await database.with { $0.backend }
        print("schema at version \(Migrations.latestVersion) (\(backend.rawValue))")
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo county (禹州市) and two neighbours.")
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        try await database.with { db in try await DemoLoader.load(into: db, log: { print($0) }) }
    }
}

/// Loads the demo through the same importer (and validation) as any file, and one account
/// per role.
enum DemoLoader {
    static func load(into db: Database, log: (String) -> Void) async throws {
        try await loadReturns(into: db, log: log)
        let users = UserRepository(db.sql)
        var lines: [String] = []
        for account in DemoAccounts.all {
            if try await users.find(username: account.username) == nil {
                try await users.create(username: account.username, displayName: account.name, role: account.role,
                                       regionCode: account.region, schoolCode: account.school, password: DemoAccounts.password, actor: "demo")
            }
            lines.append("  \(account.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \(account.role.zh) \(account.school ?? account.region)")
        }
        try await loadSupervision(into: db, log: log)
        log("demo accounts (password \(DemoAccounts.password)):\n" + lines.joined(separator: "\n"))
    }

    /// Inspectors, responsibility schools, three months of visits and rectification cases.
    static func loadSupervision(into db: Database, log: (String) -> Void) async throws {
        let county = DemoCounty.mainCounty
        let schools = try await SchoolRepository(db.sql).list(under: county)
        let data = DemoSupervision.make(schools: schools, county: county)
        // The demo inspector account is the first responsible inspector.
        try await InspectorRepository(db.sql).upsert(data.inspectors, usernames: [data.inspectors[0].id: "inspector"])
        try await InspectorRepository(db.sql).assign(data.responsibility, since: "2026-09-01")
        try await VisitRepository(db.sql).insert(data.visits.map { v in
            VisitRecord(id: v.id, schoolCode: v.school, countyCode: county, inspectorId: v.inspector, date: v.date, kind: v.kind,
                        checklistId: v.checklist, answers: "{}", peopleMet: v.peopleMet, notes: v.notes, location: nil, status: "signed", version: 1)
        })
        let rectifications = RectificationRepository(db)
        var opened = 0
        for (visit, c) in data.cases where try await rectifications.find(c.id) == nil {
            try await rectifications.open(c, visitId: visit, by: "demo")
            opened += 1
        }
        log("demo supervision: \(data.inspectors.count) inspectors, \(data.visits.count) visits, \(data.cases.count) rectification cases (\(opened) new)")
    }

    static func loadReturns(into db: Database, log: (String) -> Void) async throws {
        let records = DemoCounty.records()
        for year in Set(records.map(\.data.year)).sorted() {
            let batch = ReturnBatch(source: "demo-\(year)", records: records.filter { $0.data.year == year }, issues: [], columnNames: [:])
            let report = try await ReturnImporter(database: db).run(batch, actor: "demo")
            log("demo \(year): \(report.rows) rows, \(report.schools) schools (\(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged, \(report.warnings.count) warnings)")
        }
    }
}
