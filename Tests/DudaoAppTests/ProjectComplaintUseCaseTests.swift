import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import SQLKit
import Testing

/// The projects register and complaints on the store (both backends): stages, the key-task
/// measures that count projects, the complaint workflow with its history, what a complaint
/// opens, and scope.
@Suite("Projects and complaints")
struct ProjectComplaintUseCaseTests {
    static let today = "2026-11-25"

    static func setUp(_ db: Database) async throws -> Services { try await DemoFixture.services(db, day: today) }

    static func user(_ db: Database, _ name: String) async throws -> Identity { try await DemoFixture.user(db, name) }

    @Test func projectsAndTheMeasuresThatCountThem() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let yuzhou = try await Self.user(db, "yuzhou"), changge = try await Self.user(db, "changge")
            // 长葛 has no demo projects: its register starts empty here.
            let a = try await services.projects.register(
                .init(
                    region: "411082", name: "长葛市第三实验小学", kind: .newSchool, budget: 8600, placesAdded: 1620, plannedStart: "2026-03-01",
                    plannedCompletion: "2026-08-31"), by: changge)
            let b = try await services.projects.register(
                .init(
                    region: "411082", name: "长葛市二中扩建", kind: .expansion, budget: 2400, placesAdded: 450, plannedStart: "2026-04-01",
                    plannedCompletion: "2026-12-31"), by: changge)
            _ = try await services.projects.register(
                .init(
                    region: "411082", name: "乡镇寄宿制学校宿舍", kind: .boarding, budget: 900, placesAdded: 0, plannedStart: "2026-10-01",
                    plannedCompletion: "2027-06-30"), by: changge)
            try await services.projects.advance(a.id, to: .completed, on: "2026-09-10", expectedVersion: 1, by: changge)
            await #expect(throws: ServiceError.self) {
                try await services.projects.advance(a.id, to: .inUse, on: nil, expectedVersion: 1, by: changge)
            }
            try await services.projects.advance(b.id, to: .started, on: "2026-04-15", expectedVersion: 1, by: changge)
            // 禹州 reaches none of 长葛's projects.
            await #expect(throws: ServiceError.self) {
                try await services.projects.advance(b.id, to: .completed, on: nil, expectedVersion: 2, by: yuzhou)
            }
            await #expect(throws: ServiceError.self) {
                try await services.projects.register(
                    .init(
                        region: "411082", name: "x", kind: .other, budget: 1, placesAdded: 1, plannedStart: "2026-01-01",
                        plannedCompletion: "2026-02-01"),
                    by: yuzhou)
            }
            let (projects, summaries) = try await services.projects.register(of: "411082", for: changge)
            #expect(projects.count == 3)
            let s = try #require(summaries.first)
            // On 11-25: the dormitory is late to start (10-01), nothing is late to complete (二中 due 12-31).
            #expect(s.total == 3 && s.completed == 1 && s.lateToStart == 1 && s.lateToComplete == 0 && s.placesAdded == 1620)

            // A key task that counts them: 2 projects to complete this year, places to 2,000.
            let target = try await services.keyTasks.createTarget(region: "411082", year: 2026, title: "学位建设", by: changge)
            let tasks = try await services.keyTasks.addTasks(
                [
                    .init(
                        number: "1", title: "竣工项目", unit: "长葛市教育局", deadline: "2026-12-31",
                        measure: .computed(metric: .projectsCompleted, target: 2, baseline: 0)),
                    .init(
                        number: "2", title: "新增学位", unit: "长葛市教育局", deadline: "2026-12-31",
                        measure: .computed(metric: .placesAdded, target: 2000, baseline: 0)),
                ], to: target.id, by: changge)
            #expect(try await services.keyTasks.refreshComputed(target.id, by: changge) == 2)
            let p = try await services.keyTasks.progress(target.id, for: changge)
            #expect(p.standing(tasks[0].id)?.value == 1 && p.standing(tasks[0].id)?.completion == 0.5)
            #expect(p.standing(tasks[1].id)?.value == 1620 && abs((p.standing(tasks[1].id)?.completion ?? 0) - 0.81) < 1e-12)
        }
    }

    @Test func aComplaintFromThePlatePhoneToTheCallback() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let yuzhou = try await Self.user(db, "yuzhou"), changge = try await Self.user(db, "changge")
            let inspector = try await Self.user(db, "inspector"), principal = try await Self.user(db, "principal")
            // The inspector takes the call on the plate phone and registers it.
            let first = try await services.complaints.register(
                .init(
                    region: "411081", source: .platePhone, complainant: "王女士", phone: "139 0000 0000", content: "学校要求购买指定教辅", schoolCode: "1411081001"
                ),
                by: inspector)
            let second = try await services.complaints.register(.init(region: "411081", source: .hotline, content: "校门口交通拥堵"), by: yuzhou)
            #expect(first.number.hasPrefix("2026-") && second.number.hasPrefix("2026-") && first.number < second.number)
            await #expect(throws: ServiceError.self) {
                try await services.complaints.register(.init(region: "411081", source: .letter, content: "x"), by: changge)
            }
            await #expect(throws: ServiceError.self) {
                try await services.complaints.register(.init(region: "411081", source: .letter, content: "x"), by: principal)
            }
            // The inspector cannot assign; the office does, follows up, answers; the callback is satisfied.
            await #expect(throws: ServiceError.self) {
                try await services.complaints.act(.assign(unit: "实验一小", deadline: "2026-12-05"), id: first.id, expectedVersion: 1, by: inspector)
            }
            try await services.complaints.act(.assign(unit: "禹州市实验第一小学", deadline: "2026-12-05"), id: first.id, expectedVersion: 1, by: yuzhou)
            await #expect(throws: ServiceError.self) {
                try await services.complaints.act(.followUp("again"), id: first.id, expectedVersion: 1, by: yuzhou)
            }
            try await services.complaints.act(.followUp("请于3日内答复"), id: first.id, expectedVersion: 2, by: yuzhou)
            try await services.complaints.act(.answer("已责令学校停止推销教辅并退费"), id: first.id, expectedVersion: 3, by: yuzhou)
            try await services.complaints.act(.callBack(satisfied: true, note: "家长满意"), id: first.id, expectedVersion: 4, by: yuzhou)
            let events = try await ComplaintRepository(db.sql).events(first.id).map(\.action)
            #expect(events == ["register", "assign", "follow_up", "answer", "call_back"])
            // The period's rates: 2 received, 1 closed, 1 called back.
            let (list, rates) = try await services.complaints.list(region: "411081", from: "2026-11-01", to: "2026-11-30", for: yuzhou)
            #expect(list.count >= 2)
            let mine = ComplaintRates(list.filter { [first.id, second.id].contains($0.id) }, from: "2026-11-01", to: "2026-11-30")
            #expect(mine.received == 2 && mine.closed == 1 && mine.calledBack == 1)
            #expect(rates["411081"] != nil)
            // The complainant's name and phone are not in the audit trail.
            let audit = try await AuditLog(db.sql).search(under: "411081", text: nil, limit: 5000).filter { $0.objectType == "complaint" }
            #expect(!audit.isEmpty && !audit.contains { ($0.newValue ?? "").contains("王女士") || ($0.newValue ?? "").contains("139") })
            await #expect(throws: ServiceError.self) { try await services.complaints.complaint(first.id, for: changge) }
        }
    }

    @Test func aComplaintOpensACaseOrAKeyTask() async throws {
        try await TestDatabase.with { db in
            let services = try await Self.setUp(db)
            let yuzhou = try await Self.user(db, "yuzhou")
            let c = try await services.complaints.register(
                .init(region: "411081", source: .hotline, content: "食堂卫生差", schoolCode: "1411081001"), by: yuzhou)
            let rc = try await services.complaints.openRectification(
                c.id, category: .canteen, unit: "禹州市实验第一小学", responsible: "张校长", deadline: "2026-12-20", expectedVersion: 1, by: yuzhou)
            #expect(try await RectificationRepository(db.sql).find(rc.id)?.case.description == "食堂卫生差")
            await #expect(throws: ServiceError.self) {
                try await services.complaints.openRectification(
                    c.id, category: .canteen, unit: "", responsible: "", deadline: "2026-12-20", expectedVersion: 2, by: yuzhou)
            }
            let target = try await services.keyTasks.createTarget(region: "411081", year: 2026, title: "食堂专项整治", by: yuzhou)
            let task = try await services.complaints.openKeyTask(
                c.id, target: target.id, unit: "禹州市教育局", deadline: "2026-12-31", expectedVersion: 2, by: yuzhou)
            #expect(task.number == "1" && task.title == "食堂卫生差")
            let stored = try await services.complaints.complaint(c.id, for: yuzhou)
            #expect(stored.rectificationId == rc.id && stored.keyTaskId == task.id && stored.version == 3)
        }
    }
}
