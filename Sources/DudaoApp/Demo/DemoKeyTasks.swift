import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

extension DemoLoader {
    /// 许昌市's key target of this year (school places and large classes, broken down to 禹州市
    /// and 长葛市, with reports accepted, pending and unchanged, one value computed from the
    /// returns), 禹州市's own target imported from an outline as offices write it, a supervision
    /// letter with its reply, a reminder to the bottom of the ranking, and a formal talk. Dates
    /// are counted back from today so the pages always show something late, due and stalled.
    public static func loadKeyTasks(_ services: Services, log: (String) -> Void) async throws {
        let users = UserRepository(services.database.sql)
        guard let city = try await users.find(username: "xuchang"), let county = try await users.find(username: "yuzhou") else { return }
        let today = services.clock.moment.today
        let year = Int(today.prefix(4))!
        func day(_ offset: Int) -> String { DateText.string(fromOrdinal: DateText.ordinal(today)! + offset) }
        let cityTitle = "\(year)年学位建设与消除大班额"
        guard try await KeyTaskRepository(services.reads).targets(visibleFrom: "4110", year: year).contains(where: { $0.title == cityTitle }) == false
        else { return }
        let k = services.keyTasks

        let target = try await k.createTarget(
            region: "4110", year: year, title: cityTitle, description: "市政府年度重点工作：新增公办学位，逐步消除56人以上大班额。", by: city)
        let large = try await KeyMetrics(services.reads).value(.classes56Plus, region: "411081", year: year, today: today) ?? 0
        let tasks = try await k.addTasks(
            [
                .init(number: "1", title: "新增公办学位", unit: "许昌市教育局", firstResponsible: "陈志强", directResponsible: "刘红", deadline: day(40), weight: 2),
                .init(
                    number: "1.1", title: "禹州市新建城区学校", unit: "禹州市教育局", region: "411081", firstResponsible: "王建国", directResponsible: "李明",
                    deadline: day(-30), measure: .number(target: 2, baseline: 0, unit: "所")),
                .init(
                    number: "1.2", title: "长葛市改扩建学校", unit: "长葛市教育局", region: "411082", firstResponsible: "赵卫东", directResponsible: "孙丽",
                    deadline: day(45), measure: .number(target: 3, baseline: 0, unit: "所")),
                .init(
                    number: "1.3", title: "禹州市新增学位", unit: "禹州市教育局", region: "411081", firstResponsible: "王建国", directResponsible: "李明",
                    deadline: day(25), measure: .number(target: 2000, baseline: 0, unit: "个")),
                .init(number: "2", title: "消除大班额", unit: "许昌市教育局", firstResponsible: "陈志强", directResponsible: "刘红", deadline: day(40), weight: 1),
                .init(
                    number: "2.1", title: "禹州市56人以上大班额清零", unit: "禹州市教育局", region: "411081", firstResponsible: "王建国", directResponsible: "李明",
                    deadline: day(-90), measure: .computed(metric: .classes56Plus, target: 0, baseline: large + 12)),
                .init(
                    number: "2.2", title: "长葛市56人以上大班额清零", unit: "长葛市教育局", region: "411082", firstResponsible: "赵卫东", directResponsible: "孙丽",
                    deadline: day(20), measure: .number(target: 0, baseline: 12, unit: "个")),
            ], to: target.id, by: city)
        let id = Dictionary(uniqueKeysWithValues: tasks.map { ($0.number, $0.id) })
        // The city office's own entries count at once; 禹州's last report waits for review.
        try await k.report(.init(taskId: id["1.1"]!, day: day(-60), value: 1, narrative: "第一所学校主体完工，第二所因征地滞后"), by: city)
        try await k.report(.init(taskId: id["1.2"]!, day: day(-40), value: 2, narrative: "两所学校完成改扩建"), by: city)
        try await k.report(.init(taskId: id["1.2"]!, day: day(-5), value: 3, narrative: "第三所学校通过验收"), by: city)
        try await k.report(.init(taskId: id["1.3"]!, day: day(-50), value: 800, narrative: "秋季学期新增学位800个"), by: city)
        let pending = try await k.report(.init(taskId: id["1.3"]!, day: day(-3), value: 1200, narrative: "新校区投用，累计新增1200个"), by: county)
        try await k.report(.init(taskId: id["2.2"]!, day: day(-35), value: 6, narrative: "分流后剩余6个大班额"), by: city)
        try await k.report(.init(taskId: id["2.2"]!, day: day(-10), value: 6, narrative: "无变化"), by: city)
        try await k.refreshComputed(target.id, by: city)
        _ = pending

        // 禹州市's own target, imported from an outline with Chinese numbering.
        let own = try await k.createTarget(region: "411081", year: year, title: "\(year)年控辍保学", description: "义务教育阶段适龄儿童少年应入尽入、劝返复学。", by: county)
        let outline = Table(
            name: "禹州市控辍保学任务分解.xlsx", header: ["序号", "工作任务", "责任单位", "第一责任人", "直接责任人", "完成时限", "权重", "目标值", "计量单位", "报送频次"],
            rows: [
                ["一、", "摸排建档", "禹州市教育局", "王建国", "李明", day(-60), "1", "", "", "每月"],
                ["二、", "劝返复学", "禹州市教育局", "王建国", "李明", day(20), "2", "15", "人", "每周"],
                ["（一）", "乡镇劝返", "禹州市教育局", "王建国", "李明", day(20), "", "12", "人", "每周"],
                ["（二）", "城区劝返", "禹州市教育局", "王建国", "李明", day(20), "", "3", "人", "每周"],
                ["三、", "建立联控联保机制", "禹州市人民政府办公室", "张华", "周强", day(-10), "1", "", "", "每月"],
            ])
        let ownTasks = try await k.importOutline(outline, to: own.id, by: county)
        let ownId = Dictionary(uniqueKeysWithValues: ownTasks.map { ($0.number, $0.id) })
        try await k.report(.init(taskId: ownId["1"]!, day: day(-70), done: true, narrative: "完成全市适龄人口比对"), by: county)
        try await k.report(.init(taskId: ownId["2.1"]!, day: day(-20), value: 7, narrative: "劝返7人"), by: county)
        try await k.report(.init(taskId: ownId["2.1"]!, day: day(-2), value: 10, narrative: "累计劝返10人"), by: county)
        try await k.report(.init(taskId: ownId["2.2"]!, day: day(-2), value: 3, narrative: "城区3人全部返校"), by: county)

        // Escalation: a supervision letter about the late schools (answered), a reminder to the
        // bottom of the ranking (awaiting its reply), and the formal talk that followed.
        let e = services.escalations
        let letter = try await e.issue(.init(kind: .supervision, trigger: .keyTask, objectId: id["1.1"]!, replyDue: day(7)), by: city)
        try await e.reply(letter.id, text: "第二所学校征地已完成，计划下月开工，年底前主体封顶。", by: county)
        let (_, view) = try await k.dispatch(region: "4110", year: year, for: city)
        if let bottom = view.ranking.last.first {
            _ = try await e.issue(.init(kind: .reminder, trigger: .ranking, objectId: "4110/\(year)", unit: bottom.unit, replyDue: day(10)), by: city)
        }
        _ = try await e.record(
            .init(
                kind: .talk, person: "李明", position: "禹州市教育局副局长", unit: "", unitRegion: "", day: today, form: "提醒约谈",
                facts: "新建城区学校任务逾期未完成，经督办仍进度滞后。", letterId: letter.id), by: city)
        log("demo key tasks: 2 targets, \(tasks.count + ownTasks.count) tasks, letters and a formal talk")
    }
}
