import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import Logging
import NIOCore
import SQLKit
import Testing

/// Issue 8: every multi-write use case is one transaction. A failure injected into the last
/// write of each (its audit entry, written after everything else) must leave the database
/// exactly as it was, on SQLite and on PostgreSQL.
@Suite("Use cases are all or nothing")
struct AtomicUseCaseTests {
    struct Injected: Error {}

    /// Passes statements through until one that inserts into `table` (the audit log unless
    /// told otherwise), which fails.
    struct FailingInsert: SQLDatabase {
        let base: any SQLDatabase
        var table = "audit_log"
        var logger: Logger { base.logger }
        var eventLoop: any EventLoop { base.eventLoop }
        var version: (any SQLDatabaseReportedVersion)? { base.version }
        var dialect: any SQLDialect { base.dialect }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
            let text = base.serialize(query).sql
            if text.contains(table) && text.uppercased().hasPrefix("INSERT") { return eventLoop.makeFailedFuture(Injected()) }
            return base.execute(sql: query, onRow)
        }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
            let text = base.serialize(query).sql
            if text.contains(table) && text.uppercased().hasPrefix("INSERT") { throw Injected() }
            try await base.execute(sql: query, onRow)
        }
    }

    /// Row counts of every table a use case writes.
    static let tables = [
        "schools", "stage_returns", "import_batches", "rounds", "round_schools", "round_approvals", "evaluation_cases",
        "evaluation_steps", "rectifications", "visits", "attachments", "draws", "users", "sessions", "api_tokens",
        "inspectors", "responsibilities", "county_facts", "score_entries", "report_texts", "survey_campaigns", "survey_links",
        "survey_responses", "documents", "document_blobs", "evidence_links", "data_versions", "key_targets", "key_tasks",
        "key_task_reports", "escalation_letters", "letter_series", "accountability_records", "projects", "complaints", "complaint_series",
        "complaint_events", "user_emails", "audit_log",
    ]

    static func counts(_ db: Database) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for table in tables {
            out[table] = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()!
                .decode(column: "n", as: Int.self)
        }
        return out
    }

    /// Runs `body` with a failing and a working `Services`: the failing run must throw the
    /// injected error and change nothing.
    func expectAtomic(_ name: String, seed: ((Services) async throws -> Void)? = nil, _ body: @escaping (Services) async throws -> Void) async throws
    {
        try await TestDatabase.with { db in
            let services = Services(database: db, clock: FixedClock(day: "2026-11-24"), passwordCost: 4)
            try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
            try await seed?(services)
            let failing = Services(
                database: db, clock: FixedClock(day: "2026-11-24"), passwordCost: 4, interceptTransactions: { FailingInsert(base: $0) })
            let before = try await Self.counts(db)
            await #expect(throws: Injected.self, "\(name)") { try await body(failing) }
            let after = try await Self.counts(db)
            #expect(after == before, "\(name): \(after.filter { before[$0.key] != $0.value })")
            // The same call without the failure goes through (the injection is what failed).
            try await body(services)
            #expect(try await Self.counts(db)["audit_log"]! > before["audit_log"]!, "\(name)")
        }
    }

    static func identity(_ db: Database, _ username: String) async throws -> Identity {
        try #require(try await UserRepository(db.sql).find(username: username))
    }

    @Test func visitSignOffWithFindingsAndPhotos() async throws {
        try await expectAtomic("visit") { services in
            let db = services.database
            let school = try #require(try await SchoolRepository(db.sql).find("1411081001"))
            let inspector = try #require(try await InspectorRepository(db.sql).find(username: "inspector"))
            let checklist = try #require(ChecklistCatalog.checklist(id: "dropout-control"))
            var answers = ChecklistAnswers()
            for item in checklist.items where item.required && item.relevant == nil {
                switch item.type {
                case .yesNo: answers.values[item.id] = .bool(false)
                case .number: answers.values[item.id] = .number(item.id == "students_enrolled" ? 100 : 0)
                case .choice, .likert: answers.values[item.id] = .choice(item.choices.first!.id)
                case .text: answers.values[item.id] = .text("x")
                case .photo: answers.values[item.id] = .photo(1)
                }
            }
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0])
            let input = Visits.Input(
                id: "V-atomic-\(UUID().uuidString.prefix(8))", version: 0, school: school, inspector: inspector, checklist: checklist,
                answers: answers, date: "2026-11-24", peopleMet: "", notes: "", location: nil, sign: true,
                extraFindings: [("safety", "消防通道堆放杂物"), ("other", "台账不全")], deadlineDays: 30,
                photos: [("a.png", "image/png", png)])
            let outcome = try await services.visits.record(input, by: "inspector", lang: .zh)
            guard case .signed(let cases) = outcome else { Issue.record("not signed: \(outcome)"); return }
            #expect(cases.count >= 2)
        }
    }

    @Test func rectificationTransition() async throws {
        try await expectAtomic("rectification") { services in
            let db = services.database
            let open = try #require(try await RectificationRepository(db.sql).list(under: "411081").first { $0.state == .assigned })
            let version = try #require(try await RectificationRepository(db.sql).find(open.id)).version
            let principal = Identity(userId: "x", username: "county", displayName: "", role: .county, regionCode: open.countyCode, schoolCode: nil)
            try await services.rectifications.act(.start, id: open.id, expectedVersion: version, by: principal)
        }
    }

    @Test func roundOpeningAndApproval() async throws {
        try await expectAtomic("round open") { services in
            _ = try await services.rounds.open(year: 2024, title: "t", by: try await Self.identity(services.database, "yuzhou"))
        }
        try await expectAtomic(
            "round approval",
            seed: { services in
                let county = try await Self.identity(services.database, "yuzhou")
                let round = try await services.rounds.open(year: 2024, title: "approve me", by: county, only: ["1411081001"])
                try await services.rounds.act(.submit(school: "1411081001"), round: round, by: county)
            }
        ) { services in
            let county = try await Self.identity(services.database, "yuzhou")
            let round = try #require(try await RoundRepository(services.reads).list(for: county).first { $0.title == "approve me" })
            try await services.rounds.act(.approve(region: "411081"), round: round, by: county)
        }
    }

    @Test func evaluationStartAndStep() async throws {
        try await expectAtomic("evaluation start") { services in
            _ = try await services.evaluations.start(
                county: "411081", year: 2024, programme: "quality-2017", by: try await Self.identity(services.database, "yuzhou"))
        }
        try await expectAtomic(
            "evaluation step",
            seed: { services in
                _ = try await services.evaluations.start(
                    county: "411081", year: 2024, programme: "quality-2017", by: try await Self.identity(services.database, "yuzhou"))
            }
        ) { services in
            let c = try #require(try await EvaluationCaseRepository(services.reads).list(under: "411081").first)
            _ = try await services.evaluations.act(
                .forward(comment: "ok", noticeEndsOn: nil), on: c, expectedVersion: c.version,
                by: try await Self.identity(services.database, "yuzhou"))
        }
    }

    @Test func drawSavingAndPublication() async throws {
        let draw = try RandomDraw.draw(
            seed: 7, schoolPool: ["1411081001", "1411081002"], inspectorPool: ["411081-I01", "411081-I02"],
            schools: 1, inspectors: 1, teamSize: 1)
        try await expectAtomic("draw save") { services in
            _ = try await services.draws.save(region: "411081", title: "t", draw: draw, by: "yuzhou")
        }
        try await expectAtomic(
            "draw publication",
            seed: { services in
                _ = try await services.draws.save(region: "411081", title: "publish me", draw: draw, by: "yuzhou")
            }
        ) { services in
            let stored = try #require(try await InspectorRepository(services.reads).draws(under: "411081").first { $0.title == "publish me" })
            try await services.draws.publish(stored.id, region: "411081", by: "yuzhou")
        }
    }

    @Test func userCreationWithInspectorLinkAndPasswordChange() async throws {
        try await expectAtomic("user creation") { services in
            try await services.accounts.create(
                username: "insp-\(UUID().uuidString.prefix(6))", displayName: "督学", role: .inspector, regionCode: "411081",
                schoolCode: nil, password: "password-123", inspectorId: "411081-I03", actor: "test")
        }
        try await expectAtomic("password change") { services in
            let me = try await Self.identity(services.database, "changge")
            #expect(
                try await services.accounts.changePassword(
                    userId: me.userId, current: DemoAccounts.password, new: "new-password-\(UUID().uuidString.prefix(4))"))
            // Put it back for the second run.
            try await services.accounts.resetPassword(username: "changge", to: DemoAccounts.password, actor: "test")
        }
    }

    @Test func returnsImportAndEdit() async throws {
        try await expectAtomic("returns import") { services in
            var records = DemoCounty.records().filter { $0.data.year == 2024 }.prefix(20).map { $0 }
            for i in records.indices { records[i].data[.students] = (records[i].data[.students] ?? 0) + Double.random(in: 1...9).rounded() }
            _ = try await services.returns.importBatch(
                ReturnBatch(source: "atomic.csv", records: records, issues: [], columnNames: [:]), actor: "test")
        }
        try await expectAtomic("return edit") { services in
            let row = try #require(try await ReturnRepository(services.reads).rows(school: "1411081001").first { $0.data.year == 2024 })
            var data = row.data
            data[.books] = (data[.books] ?? 0) + 1
            let school = try #require(try await SchoolRepository(services.reads).find("1411081001"))
            let current = try #require(try await ReturnRepository(services.reads).rows(school: "1411081001").first { $0.data.key == data.key })
            _ = try await services.returns.edit(school: school, data: data, expectedVersion: current.version, reasons: [:], actor: "test")
        }
    }

    @Test func countyFactsImport() async throws {
        try await expectAtomic("county facts") { services in
            let rows = ["411081", "411082"].enumerated().map { i, county in
                (
                    row: i + 2,
                    facts: CountyFacts(countyCode: county, year: 2023, values: [.preschoolAgePopulation: 10_000, .teacherAveragePay: 80_000])
                )
            }
            _ = try await services.duty.importFacts(rows, source: "facts.csv", by: nil, actorName: "t")
        }
    }

    @Test func sheetScoringWithEvidenceAndReportText() async throws {
        try await expectAtomic("score item") { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            let sheet = try #require(ScoreSheet.sheet(id: "quality-2017-assurance"))
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 100) + [0xFF, 0xD9])
            let current = try await ScoreRepository(services.reads).entries(sheet: sheet.id, region: "411081", year: 2024)["ga01"]?.version ?? 0
            _ = try await services.sheets.score(
                sheet: sheet, region: "411081", year: 2024, itemId: "ga01", entry: ScoreEntry(met: true, evidence: "规划文件"),
                files: [("规划.jpg", "image/jpeg", jpeg)], expectedVersion: current, by: yuzhou)
        }
        try await expectAtomic("report measures") { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            let current = try await ScoreRepository(services.reads).measures(region: "411081", year: 2024, programme: "quality-2017")?.version ?? 0
            _ = try await services.sheets.saveMeasures(
                region: "411081", year: 2024, programme: "quality-2017", text: "明年新建两所学校", expectedVersion: current, by: yuzhou)
        }
    }

    @Test func surveyLinksAndClosing() async throws {
        try await expectAtomic("survey links") { services in
            let changge = try await Self.identity(services.database, "changge")
            _ = try await services.surveys.createLinks(
                .init(surveyId: "parents-satisfaction", region: "411082", group: .parents, perSchool: 3, closesOn: "2026-12-31"), by: changge)
        }
        try await expectAtomic("survey close") { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            let open = try #require(try await SurveyRepository(services.reads).campaigns(under: "411081").first { $0.closedAt == nil })
            try await services.surveys.close(open.id, by: yuzhou)
        }
    }

    @Test func documentFiledAndLinked() async throws {
        try await expectAtomic("document with link") { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            _ = try await services.documents.file(
                .init(
                    data: Data("验收单：新建运动场 12400 平方米".utf8), filename: "a.txt", title: "验收单", kind: .evidence, region: "411081", year: 2024,
                    linkTo: (type: "evaluation_case", id: "case-1")), by: yuzhou)
        }
    }

    @Test func inspectorRosterImport() async throws {
        try await expectAtomic("inspectors import") { services in
            let roster = try await InspectorRepository(services.reads).list(under: "411081")
            try await services.inspectors.importRoster(roster, assignment: [:], usernames: [:], source: "roster.csv", actor: "test")
        }
    }

    /// A county target with one task, late on 2026-11-24 (deadline 2026-10-31).
    static func keyTarget(_ services: Services) async throws -> (KeyTarget, KeyTask) {
        let yuzhou = try await identity(services.database, "yuzhou")
        let target = try await services.keyTasks.createTarget(region: "411081", year: 2026, title: "控辍保学", by: yuzhou)
        let task = try await services.keyTasks.addTasks(
            [.init(number: "1", title: "劝返", unit: "禹州市教育局", deadline: "2026-10-31", measure: .number(target: 10, baseline: 0, unit: "人"))],
            to: target.id,
            by: yuzhou)[0]
        return (target, task)
    }

    /// The task of the target `keyTarget` made (the demo has targets of its own).
    static func seededTask(_ services: Services) async throws -> KeyTask {
        let target = try #require(try await KeyTaskRepository(services.reads).targets(visibleFrom: "411081", year: 2026).first { $0.title == "控辍保学" })
        return try #require(try await KeyTaskRepository(services.reads).tasks(target: target.id).first)
    }

    @Test func keyTaskBreakdownReportAndLetter() async throws {
        try await expectAtomic("key target and breakdown") { services in
            _ = try await Self.keyTarget(services)
        }
        try await expectAtomic(
            "progress report with evidence",
            seed: { services in _ = try await Self.keyTarget(services) }
        ) { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            let task = try await Self.seededTask(services)
            _ = try await services.keyTasks.report(
                .init(taskId: task.id, value: 4, narrative: "已劝返4人", files: [("名单.txt", Data("劝返名单：张三 李四".utf8))]), by: yuzhou)
        }
        // The letter's number is taken inside the transaction: a failed letter gives its number back.
        try await expectAtomic(
            "letter",
            seed: { services in
                let (_, task) = try await Self.keyTarget(services)
                let yuzhou = try await Self.identity(services.database, "yuzhou")
                _ = try await services.escalations.issue(
                    .init(kind: .reminder, trigger: .keyTask, objectId: task.id, replyDue: "2026-12-01"), by: yuzhou)
            }
        ) { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            let task = try await Self.seededTask(services)
            let letter = try await services.escalations.issue(
                .init(kind: .supervision, trigger: .keyTask, objectId: task.id, replyDue: "2026-12-01"), by: yuzhou)
            #expect(letter.seq == 2 && letter.number == "禹督办〔2026〕2号")
        }
    }

    @Test func projectsAndComplaints() async throws {
        try await expectAtomic("project") { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            _ = try await services.projects.register(
                .init(
                    region: "411081", name: "城区新校", kind: .newSchool, budget: 100, placesAdded: 900, plannedStart: "2026-01-01",
                    plannedCompletion: "2026-12-31"),
                by: yuzhou)
        }
        // A complaint's number is taken inside the transaction and given back with it.
        try await expectAtomic("complaint") { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            let c = try await services.complaints.register(
                .init(region: "411081", source: .hotline, content: "校车超载", schoolCode: "1411081001"), by: yuzhou)
            let all = try await ComplaintRepository(services.reads).list(under: "411081").filter { $0.receivedOn.hasPrefix("2026-") }
            #expect(c.number == String(format: "2026-%04d", all.count))
        }
        try await expectAtomic(
            "complaint opens a case",
            seed: { services in
                let yuzhou = try await Self.identity(services.database, "yuzhou")
                _ = try await services.complaints.register(
                    .init(region: "411081", source: .visit, content: "体育课被占用", schoolCode: "1411081001"), by: yuzhou)
            }
        ) { services in
            let yuzhou = try await Self.identity(services.database, "yuzhou")
            let c = try #require(try await ComplaintRepository(services.reads).list(under: "411081").first { $0.content == "体育课被占用" })
            _ = try await services.complaints.openRectification(
                c.id, category: .curriculum, unit: "", responsible: "", deadline: "2026-12-31", expectedVersion: c.version, by: yuzhou)
        }
    }

    @Test func digestAddress() async throws {
        try await expectAtomic("e-mail address") { services in
            try await services.accounts.setEmail(username: "yuzhou", to: "yuzhou@example.cn", actor: "test")
        }
    }
}
