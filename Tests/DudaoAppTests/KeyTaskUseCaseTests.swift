import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import SQLKit
import Testing

/// Key tasks end to end on the store (both backends): breakdown, reports and review, values
/// computed from Dudao's data, letters and their numbers, talks and accountability, scope.
@Suite("Key tasks and escalation")
struct KeyTaskUseCaseTests {
    static let today = "2026-11-25"

    static func setUp(_ db: Database) async throws -> Services { try await DemoFixture.services(db, day: today) }

    static func user(_ db: Database, _ name: String) async throws -> Identity { try await DemoFixture.user(db, name) }

    static func count(_ db: Database, _ table: String) async throws -> Int {
        try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table).first()!.decode(column: "n", as: Int.self)
    }

    /// A city target of 2025 (the demo has targets of the current year): 1 (no measure) =
    /// {1.1 禹州 3 schools by 2026-08-31, 1.2 长葛 done or not by 2026-12-31}.
    static func cityTarget(_ services: Services, _ xuchang: Identity) async throws -> (KeyTarget, [KeyTask]) {
        let target = try await services.keyTasks.createTarget(region: "4110", year: 2025, title: "2025年学位建设", by: xuchang)
        let tasks = try await services.keyTasks.addTasks(
            [
                .init(number: "1", title: "新增学位", unit: "许昌市教育局", deadline: "2026-12-31"),
                .init(
                    number: "1.1", title: "新建学校", unit: "禹州市教育局", region: "411081", firstResponsible: "王局长", directResponsible: "赵副局长",
                    deadline: "2026-08-31", measure: .number(target: 3, baseline: 0, unit: "所")),
                .init(number: "1.2", title: "改扩建校舍", unit: "长葛市教育局", region: "411082", deadline: "2026-12-31"),
            ], to: target.id, by: xuchang)
        return (target, tasks)
    }

    @Test func aTargetIsBrokenDownReportedAndReviewed() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let xuchang = try await Self.user(db, "xuchang"), yuzhou = try await Self.user(db, "yuzhou"), changge = try await Self.user(db, "changge")
            let (target, tasks) = try await Self.cityTarget(services, xuchang)
            #expect(tasks.map(\.number) == ["1", "1.1", "1.2"])
            #expect(tasks[1].parentId == tasks[0].id && tasks[1].regionCode == "411081")

            // The owner's office reports; it waits for review and does not count yet.
            let report = try await services.keyTasks.report(.init(taskId: tasks[1].id, day: "2026-11-20", value: 2, narrative: "两所已竣工"), by: yuzhou)
            #expect(report.status == .submitted)
            var p = try await services.keyTasks.progress(target.id, for: xuchang)
            #expect(p.standing(tasks[1].id)?.completion == 0 && p.standing(tasks[1].id)?.pending == 1)
            // Another county's office may read the city's target but not report for 禹州.
            await #expect(throws: ServiceError.self) {
                try await services.keyTasks.report(.init(taskId: tasks[1].id, value: 3), by: changge)
            }
            // The owner cannot accept its own report; returning needs a reason.
            await #expect(throws: ServiceError.self) { try await services.keyTasks.review(report.id, accept: true, note: "", by: yuzhou) }
            await #expect(throws: ServiceError.self) { try await services.keyTasks.review(report.id, accept: false, note: "", by: xuchang) }
            try await services.keyTasks.review(report.id, accept: true, note: "", by: xuchang)
            await #expect(throws: ServiceError.self) { try await services.keyTasks.review(report.id, accept: false, note: "again", by: xuchang) }
            p = try await services.keyTasks.progress(target.id, for: xuchang)
            // 1.1 = 2 ÷ 3; 1 = (2/3 + 0) ÷ 2 = 1/3; 1.1 is late (08-31) by 86 days.
            #expect(abs(p.standing(tasks[1].id)!.completion - 2.0 / 3.0) < 1e-9)
            #expect(abs(p.completion - 1.0 / 3.0) < 1e-9)
            #expect(p.standing(tasks[1].id)?.daysLate == 86)

            // The supervising office's own report counts at once.
            let own = try await services.keyTasks.report(.init(taskId: tasks[2].id, done: true), by: xuchang)
            #expect(own.status == .accepted)
            p = try await services.keyTasks.progress(target.id, for: xuchang)
            #expect(abs(p.completion - (2.0 / 3.0 + 1) / 2) < 1e-9)

            // A parent is measured by its steps; a checkbox needs done; no reports in the future.
            await #expect(throws: ServiceError.self) { try await services.keyTasks.report(.init(taskId: tasks[0].id, done: true), by: xuchang) }
            await #expect(throws: ServiceError.self) { try await services.keyTasks.report(.init(taskId: tasks[2].id, value: 1), by: xuchang) }
            await #expect(throws: ServiceError.self) {
                try await services.keyTasks.report(.init(taskId: tasks[2].id, day: "2026-11-26", done: true), by: xuchang)
            }
            // A principal and an inspector see nothing of it.
            let principal = try await Self.user(db, "principal"), inspector = try await Self.user(db, "inspector")
            await #expect(throws: ServiceError.self) { try await services.keyTasks.target(target.id, for: principal) }
            await #expect(throws: ServiceError.self) { try await services.keyTasks.target(target.id, for: inspector) }
            // Audited: the target, the breakdown, two reports and the review.
            let audit = try await AuditLog(db.sql).search(under: "4110", text: nil, limit: 5000)
            let ids = Set(tasks.map(\.id))
            #expect(audit.filter { $0.objectType == "key_target" && $0.objectId == target.id }.map(\.action).sorted() == ["add_tasks", "create"])
            #expect(
                audit.filter { $0.objectType == "key_task" && ids.contains($0.objectId) }.map(\.action).sorted() == [
                    "accept_report", "report", "report",
                ])
        }
    }

    @Test func anOutlineWithAProblemStoresNothing() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let yuzhou = try await Self.user(db, "yuzhou")
            let target = try await services.keyTasks.createTarget(region: "411081", year: 2026, title: "控辍保学", by: yuzhou)
            let before = try await Self.count(db, "key_tasks")
            let header = ["序号", "工作任务", "责任单位", "区划代码", "完成时限"]
            let bad = Table(
                name: "tasks.xlsx", header: header,
                rows: [
                    ["1", "摸排", "禹州市教育局", "", "2026-03-31"], ["2", "劝返", "禹州市教育局", "", "2026-06-30"],
                    ["3", "长葛的事", "长葛市教育局", "411082", "2026-06-30"],
                ])
            await #expect {
                try await services.keyTasks.importOutline(bad, to: target.id, by: yuzhou)
            } throws: { error in
                let issues = (error as? ImportRejected)?.issues ?? []
                return issues.count == 1 && issues[0].row == 4 && issues[0].column == "区划代码"
            }
            #expect(try await Self.count(db, "key_tasks") == before)
            let orphan = Table(
                name: "t.csv", header: header, rows: [["1", "摸排", "禹州市教育局", "", "2026-03-31"], ["2.1", "劝返", "禹州市教育局", "", "2026-06-30"]])
            await #expect { try await services.keyTasks.importOutline(orphan, to: target.id, by: yuzhou) } throws: { error in
                (error as? ImportRejected)?.issues.first?.row == 3
            }
            let good = Table(
                name: "t.csv", header: header, rows: [["1", "摸排", "禹州市教育局", "", "2026-03-31"], ["2", "劝返", "禹州市教育局", "", "2026-06-30"]])
            #expect(try await services.keyTasks.importOutline(good, to: target.id, by: yuzhou).count == 2)
            // Numbers already used are refused on a second import.
            await #expect(throws: ImportRejected.self) { try await services.keyTasks.importOutline(good, to: target.id, by: yuzhou) }
            #expect(try await Self.count(db, "key_tasks") == before + 2)
        }
    }

    @Test func valuesComputedFromDudaosOwnData() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let yuzhou = try await Self.user(db, "yuzhou")
            let target = try await services.keyTasks.createTarget(region: "411081", year: 2026, title: "消除大班额", by: yuzhou)
            let tasks = try await services.keyTasks.addTasks(
                [
                    .init(
                        number: "1", title: "大班额清零", unit: "禹州市教育局", deadline: "2026-12-31",
                        measure: .computed(metric: .classes56Plus, target: 0, baseline: 40)),
                    .init(
                        number: "2", title: "整改办结", unit: "禹州市教育局", deadline: "2026-12-31",
                        measure: .computed(metric: .rectificationClosingRate, target: 100, baseline: 0)),
                ], to: target.id, by: yuzhou)
            #expect(try await services.keyTasks.refreshComputed(target.id, by: yuzhou) == 2)
            #expect(try await services.keyTasks.refreshComputed(target.id, by: yuzhou) == 0)
            // Independently: the sum over the county's latest year of returns, in SQL.
            let latest = try #require(
                try await db.sql.raw(
                    "SELECT MAX(r.year) AS y FROM stage_returns r JOIN schools s ON s.code = r.school_code WHERE s.county_code = '411081' AND r.year <= 2026"
                ).first()?.decode(column: "y", as: Int.self))
            let large = try #require(
                try await db.sql.raw(
                    "SELECT SUM(r.classes_56_plus) AS n FROM stage_returns r JOIN schools s ON s.code = r.school_code WHERE s.county_code = '411081' AND r.year = \(bind: latest)"
                ).first()?.decode(column: "n", as: Double?.self))
            let closed = try await db.sql.raw(
                "SELECT COUNT(*) AS n FROM rectifications WHERE county_code = '411081' AND opened_on LIKE '2026-%' AND state = 'closed' AND closed_on <= '2026-11-25'"
            ).first()!.decode(column: "n", as: Int.self)
            let all = try await db.sql.raw("SELECT COUNT(*) AS n FROM rectifications WHERE county_code = '411081' AND opened_on LIKE '2026-%'")
                .first()!
                .decode(column: "n", as: Int.self)
            let p = try await services.keyTasks.progress(target.id, for: yuzhou)
            #expect(p.standing(tasks[0].id)?.value == large)
            #expect(abs((p.standing(tasks[0].id)?.completion ?? -1) - max(0, min(1, (large - 40) / -40))) < 1e-9)
            #expect(all > 0)
            #expect(p.standing(tasks[1].id)?.value == (Double(closed) / Double(all) * 10_000).rounded() / 100)
            // Nobody types a computed value.
            await #expect(throws: ServiceError.self) { try await services.keyTasks.report(.init(taskId: tasks[0].id, value: 0), by: yuzhou) }
        }
    }

    @Test func lettersAreNumberedPerOfficeAndYearAndFilledWithTheFacts() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let xuchang = try await Self.user(db, "xuchang"), yuzhou = try await Self.user(db, "yuzhou"), changge = try await Self.user(db, "changge")
            let (_, tasks) = try await Self.cityTarget(services, xuchang)
            let late = tasks[1]
            // The demo's letters of the year come first in each series.
            func issued(_ office: String) async throws -> Int {
                try await EscalationRepository(db.sql).letters(touching: office, year: 2026).filter { $0.regionCode == office }.count
            }
            let city = try await issued("4110"), yz = try await issued("411081")
            let toYuzhou = try await services.escalations.letters(region: "411081", for: yuzhou).count
            let first = try await services.escalations.issue(
                .init(kind: .reminder, trigger: .keyTask, objectId: late.id, replyDue: "2026-12-05"), by: xuchang)
            #expect(first.number == "许督提〔2026〕\(city + 1)号")
            #expect(first.title == "关于加快推进重点工作任务的提醒函")
            #expect(first.body[0] == "禹州市教育局：")
            #expect(first.body[1].contains("第1.1项任务「新建学校」应于2026年8月31日前完成") && first.body[1].contains("完成进度为0.00%，已逾期86天"))
            #expect(first.body.last == "特此提醒。")
            let second = try await services.escalations.issue(
                .init(kind: .supervision, trigger: .keyTask, objectId: late.id, replyDue: "2026-12-05"), by: xuchang)
            #expect(second.number == "许督办〔2026〕\(city + 2)号")
            #expect(second.body.joined().contains("主要负责同志王局长、分管负责同志赵副局长"))
            // Another office has its own series; letters issued at once never share a number.
            let overdue = try #require(
                try await RectificationRepository(db.sql).list(under: "411081").first { $0.state != .closed && $0.deadline < Self.today })
            let county = try await services.escalations.issue(
                .init(kind: .warning, trigger: .rectification, objectId: overdue.id, replyDue: "2026-12-10"), by: yuzhou)
            #expect(county.number == "禹督警〔2026〕\(yz + 1)号" && county.body[1].contains(overdue.description))
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        try await services.escalations.issue(
                            .init(kind: .reminder, trigger: .keyTask, objectId: late.id, replyDue: "2026-12-05"), by: xuchang
                        ).seq
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(numbers.sorted() == Array((city + 3)...(city + 8)))
            // Out of scope: 长葛 cannot write to 禹州 about its rectification case; nobody writes about a finished task.
            await #expect(throws: ServiceError.self) {
                try await services.escalations.issue(
                    .init(kind: .warning, trigger: .rectification, objectId: overdue.id, replyDue: "2026-12-10"), by: changge)
            }
            _ = try await services.keyTasks.report(.init(taskId: tasks[2].id, done: true), by: xuchang)
            await #expect(throws: ServiceError.self) {
                try await services.escalations.issue(
                    .init(kind: .reminder, trigger: .keyTask, objectId: tasks[2].id, replyDue: "2026-12-05"), by: xuchang)
            }
            // The bottom of the ranking: 禹州 (1.1 at 0%, late) below 长葛 (1.2 done).
            let (_, view) = try await services.keyTasks.dispatch(region: "4110", year: 2025, for: xuchang)
            #expect(view.ranking.units.map(\.unit) == ["长葛市教育局", "禹州市教育局"])
            let ranking = try await services.escalations.issue(
                .init(kind: .warning, trigger: .ranking, objectId: "4110/2025", unit: "禹州市教育局", replyDue: "2026-12-10"), by: xuchang)
            #expect(ranking.body[1].contains("在2个责任单位中排名第2位") && ranking.unitRegion == "411081")

            // The recipient's office records the reply, once; 长葛 sees none of 禹州's letters.
            try await services.escalations.reply(first.id, text: "已加快推进，第三所学校12月底竣工", by: yuzhou)
            await #expect(throws: ServiceError.self) { try await services.escalations.reply(first.id, text: "again", by: yuzhou) }
            #expect(try await services.escalations.letter(first.id, for: xuchang).reply == "已加快推进，第三所学校12月底竣工")
            await #expect(throws: ServiceError.self) { try await services.escalations.letter(first.id, for: changge) }
            #expect(try await services.escalations.letters(region: "411082", for: changge).isEmpty)
            #expect(try await services.escalations.letters(region: "411081", for: yuzhou).count == toYuzhou + 10)

            // The Word letter carries its number, title and body in the official layout.
            let docx = try await services.escalations.document(first)
            let text = DocumentText.extract(docx, kind: UploadKind.recognise(docx)).0
            #expect(text.contains(first.number) && text.contains("关于加快推进重点工作任务的提醒函") && text.contains("许昌市人民政府教育督导室"))
        }
    }

    @Test func talksAndAccountabilityAreRecordedAgainstPersonAndUnit() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let xuchang = try await Self.user(db, "xuchang"), changge = try await Self.user(db, "changge")
            let (_, tasks) = try await Self.cityTarget(services, xuchang)
            let letter = try await services.escalations.issue(
                .init(kind: .warning, trigger: .keyTask, objectId: tasks[1].id, replyDue: "2026-12-05"), by: xuchang)
            let talk = try await services.escalations.record(
                .init(
                    kind: .talk, person: "王局长", position: "局长", unit: "", unitRegion: "", day: "2026-11-25", form: "警示约谈", facts: "新建学校任务逾期86天",
                    letterId: letter.id), by: xuchang)
            #expect(talk.unit == "禹州市教育局" && talk.unitRegion == "411081" && talk.objectType == "key_task" && talk.objectId == tasks[1].id)
            await #expect(throws: ServiceError.self) {
                try await services.escalations.record(
                    .init(
                        kind: .accountability, person: "x", position: "", unit: "禹州市教育局", unitRegion: "411081", day: "2026-11-25", form: "通报批评",
                        facts: "y"),
                    by: changge)
            }
            await #expect(throws: ServiceError.self) {
                try await services.escalations.record(
                    .init(
                        kind: .accountability, person: "x", position: "", unit: "禹州市教育局", unitRegion: "411081", day: "2026-11-25", form: "",
                        facts: "y"),
                    by: xuchang)
            }
            #expect(try await services.escalations.records(region: "4110", for: xuchang).map(\.id).contains(talk.id))
            #expect(try await services.escalations.records(region: "411082", for: changge).isEmpty)
        }
    }
}
