import DudaoCore
import DudaoStore
import Foundation

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
        try await loadSheets(services, log: log)
        try await loadSurveys(services, log: log)
        try await loadDocuments(services, log: log)
        try await loadKeyTasks(services, log: log)
        try await loadProjectsAndComplaints(services, log: log)
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

    /// The demo library: policy summaries (public), plans at each level, evidence, and 禹州市's
    /// self-evaluation report as a Word document.
    public static func loadDocuments(_ services: Services, log: (String) -> Void) async throws {
        let admin = Identity.system("demo")
        var filed = 0
        for item in DemoDocuments.items {
            let result = try await services.documents.file(
                .init(
                    data: Data(item.text.utf8), filename: "\(item.title).txt", title: item.title, kind: item.kind, region: item.region,
                    year: item.year,
                    tags: item.tags, isPublic: item.isPublic), by: admin)
            if !result.duplicate { filed += 1 }
        }
        if let report = try await services.evaluations.report(county: DemoCounty.mainCounty, year: DemoCounty.year, programme: "quality-2017") {
            let result = try await services.documents.file(
                .init(
                    data: try report.docx(), filename: "禹州市\(DemoCounty.year)年自评报告.docx", title: "禹州市\(DemoCounty.year)年县域义务教育优质均衡发展自评报告",
                    kind: .evidence, region: DemoCounty.mainCounty, year: DemoCounty.year, tags: ["自评报告"]), by: admin)
            if !result.duplicate { filed += 1 }
        }
        log("demo library: \(filed) documents filed")
    }

    /// 禹州市's satisfaction surveys for the demo year (parents, teachers, students: answered by
    /// about three in four, then closed, so the county's 社会认可度 is measured), and an open
    /// campaign on the inspectors' work with unused links to print.
    public static func loadSurveys(_ services: Services, log: (String) -> Void) async throws {
        let county = DemoCounty.mainCounty
        guard try await SurveyRepository(services.reads).campaigns(under: county).isEmpty,
            let yuzhou = try await UserRepository(services.reads).find(username: "yuzhou")
        else { return }
        let today = services.clock.moment.today
        let closes = DateText.ordinal(today).map { DateText.string(fromOrdinal: $0 + 14) } ?? today
        // A sample of schools, as satisfaction surveys are run: every 30th of the county.
        let sample = try await SchoolRepository(services.reads).list(under: county).enumerated().filter { $0.offset % 30 == 0 }.map(\.element.code)
        var random = SeededGenerator(seed: 2024)
        var answered = 0
        for (surveyId, group, perSchool) in [
            ("parents-satisfaction", RespondentGroup.parents, 8), ("teachers-satisfaction", .teachers, 4), ("students-satisfaction", .students, 4),
        ] {
            guard let survey = SurveyCatalog.survey(id: surveyId) else { continue }
            let created = try await services.surveys.createLinks(
                .init(
                    surveyId: surveyId, region: county, schools: sample, group: group, perSchool: perSchool, closesOn: closes, year: DemoCounty.year),
                by: yuzhou)
            for link in created.links where Double.random(in: 0..<1, using: &random) < 0.75 {
                try await services.surveys.submit(link.token, DemoSurveys.answers(survey, &random))
                answered += 1
            }
            try await services.surveys.close(created.campaign.id, by: yuzhou)
        }
        let open = try await services.surveys.createLinks(
            .init(surveyId: "inspector-work", region: county, schools: sample, group: .principals, perSchool: 2, closesOn: closes), by: yuzhou)
        log("demo surveys: \(answered) answers to three closed satisfaction campaigns; \(open.links.count) unused links in an open one")
    }

    /// Score sheets in several states: 禹州市's assurance sheet fully judged (two items not met),
    /// its quality sheet half done, both counties' duty sheets complete, and the report's
    /// measures written. Items already scored are left as they are.
    public static func loadSheets(_ services: Services, log: (String) -> Void) async throws {
        let users = UserRepository(services.reads)
        guard let yuzhou = try await users.find(username: "yuzhou"), let changge = try await users.find(username: "changge") else { return }
        let year = DemoCounty.year
        var scored = 0
        func score(_ sheetId: String, _ region: String, _ by: Identity, _ entries: [String: ScoreEntry]) async throws {
            guard let sheet = ScoreSheet.sheet(id: sheetId) else { return }
            let existing = try await ScoreRepository(services.reads).entries(sheet: sheetId, region: region, year: year)
            for (item, entry) in entries.sorted(by: { $0.key < $1.key }) where existing[item] == nil {
                _ = try await services.sheets.score(sheet: sheet, region: region, year: year, itemId: item, entry: entry, expectedVersion: 0, by: by)
                scored += 1
            }
        }
        let evidence = [
            "ga01": "《禹州市中小学校布局专项规划（2021—2035年）》", "ga02": "禹政〔2022〕18号 办学标准", "ga05": "抽查12所学校功能教室",
            "ga09": "教师培训管理平台学时统计", "ga10": "编制核定文件", "ga11": "2024年交流轮岗名单（312人，骨干68人）",
            "ga12": "教师资格证核查表", "ga13": "招生划片公告", "ga14": "指标到校分配方案（52%）", "ga15": "随迁子女入学统计（88%）",
        ]
        var assurance: [String: ScoreEntry] = [:]
        for (item, text) in evidence { assurance[item] = ScoreEntry(met: true, evidence: text) }
        try await score("quality-2017-assurance", DemoCounty.mainCounty, yuzhou, assurance)
        try await score(
            "quality-2017-quality", DemoCounty.mainCounty, yuzhou,
            [
                "eq03": ScoreEntry(met: true, evidence: "学校章程汇编"), "eq04": ScoreEntry(met: true, evidence: "各校预算表"),
                "eq06": ScoreEntry(met: true, evidence: "课程表抽查"), "eq02": ScoreEntry(met: false, comment: "残疾儿童入学率93.6%", evidence: "残联数据比对"),
            ])
        let duty: [String: Double] = ["d01": 9, "d02": 5, "d03": 7, "d12": 4]
        try await score(
            "county-duty-sheet", DemoCounty.mainCounty, yuzhou,
            duty.mapValues { ScoreEntry(score: $0, evidence: "自评材料") }.merging(["d18": ScoreEntry(vetoed: false)]) { a, _ in a })
        try await score(
            "county-duty-sheet", "411082", changge,
            ["d01": 10, "d02": 6, "d03": 8, "d12": 5].mapValues { ScoreEntry(score: $0) }.merging(["d18": ScoreEntry(vetoed: false)]) { a, _ in a })
        if try await ScoreRepository(services.reads).measures(region: DemoCounty.mainCounty, year: year, programme: "quality-2017") == nil {
            _ = try await services.sheets.saveMeasures(
                region: DemoCounty.mainCounty, year: year, programme: "quality-2017",
                text: "一是实施城区学校扩容工程，2025年秋季新建小学2所，消除46人以上班额。\n二是足额拨付生均公用经费，补齐两所初中差额。\n三是完善残疾儿童入学“一人一案”，2025年入学率达到95%以上。",
                expectedVersion: 0, by: yuzhou)
        }
        // 许昌市's annual assessment of its counties over the supervision year shown in the demo.
        if let xuchang = try await users.find(username: "xuchang") {
            // The year of the demo's visits and rectification cases (DemoSupervision).
            let assessmentYear = 2026
            if try await AssessmentRepository(services.reads).find(office: "4110", sheet: "annual-assessment-county", year: assessmentYear) == nil {
                _ = try await services.assessments.open(
                    sheetId: "annual-assessment-county", year: assessmentYear, from: "\(assessmentYear)-01-01", to: "\(assessmentYear)-12-31",
                    title: "\(assessmentYear)年度县级教育督导工作目标考核", by: xuchang)
            }
            let sheet = ScoreSheet.sheet(id: "annual-assessment-county")!
            let marks: [(String, [String: Double])] = [
                (DemoCounty.mainCounty, ["a01": 13, "a02": 8, "a03": 14, "a04": 9, "a05": 11, "a06": 8, "a07": 9]),
                ("411082", ["a01": 15, "a02": 9, "a03": 15, "a04": 10, "a05": 11, "a06": 8, "a07": 10]),
                ("411025", ["a01": 12, "a03": 13]),
            ]
            for (county, points) in marks {
                let existing = try await ScoreRepository(services.reads).entries(sheet: sheet.id, region: county, year: assessmentYear)
                var entries = points.mapValues { ScoreEntry(score: $0, evidence: "考核组查阅资料") }
                if county != "411025" { entries["a09"] = ScoreEntry(vetoed: false) }
                for (item, entry) in entries.sorted(by: { $0.key < $1.key }) where existing[item] == nil {
                    _ = try await services.sheets.score(
                        sheet: sheet, region: county, year: assessmentYear, itemId: item, entry: entry, expectedVersion: 0, by: xuchang)
                    scored += 1
                }
            }
        }
        log("demo score sheets: \(scored) items scored")
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
