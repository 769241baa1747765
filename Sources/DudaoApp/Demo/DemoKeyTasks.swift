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

extension DemoLoader {
    /// 禹州市's projects register (one late to complete, one in use, one late to start, one
    /// planned) and complaints of the last weeks in every state, dated back from today.
    public static func loadProjectsAndComplaints(_ services: Services, log: (String) -> Void) async throws {
        let county = DemoCounty.mainCounty
        guard try await ProjectRepository(services.reads).list(under: county).isEmpty else { return }
        let today = services.clock.moment.today
        func day(_ offset: Int) -> String { DateText.string(fromOrdinal: DateText.ordinal(today)! + offset) }
        let now = services.clock.moment.timestamp
        let projects = [
            Project(
                id: UUID().uuidString.lowercased(), regionCode: county, name: "禹州市城区第六小学", kind: .newSchool, budget: 12_000, placesAdded: 2160,
                stage: .started, plannedStart: day(-300), plannedCompletion: day(-30), startedOn: day(-280)),
            Project(
                id: UUID().uuidString.lowercased(), regionCode: county, name: "禹州市第二初级中学扩建", kind: .expansion, schoolCode: "1411081050", budget: 4800,
                placesAdded: 900, stage: .inUse, plannedStart: day(-400), plannedCompletion: day(-120), startedOn: day(-390), completedOn: day(-100),
                inUseOn: day(-60)),
            Project(
                id: UUID().uuidString.lowercased(), regionCode: county, name: "乡镇寄宿制学校学生宿舍", kind: .boarding, budget: 1500, placesAdded: 0,
                plannedStart: day(-20), plannedCompletion: day(200)),
            Project(
                id: UUID().uuidString.lowercased(), regionCode: county, name: "城区学校维修改造", kind: .renovation, budget: 600, placesAdded: 0,
                plannedStart: day(30), plannedCompletion: day(120)),
        ]
        var complaints: [(Complaint, [(String, String)])] = []
        func complaint(_ n: Int, _ source: ComplaintSource, _ received: Int, _ content: String, school: String? = "1411081001") -> Complaint {
            Complaint(
                id: UUID().uuidString.lowercased(), regionCode: county, number: "\(n)", source: source,
                receivedOn: day(received), content: content, schoolCode: school)
        }
        var a = complaint(1, .platePhone, -38, "学校要求家长购买指定教辅资料")
        a.state = .calledBack
        (a.assignedUnit, a.deadline, a.reply, a.answeredOn, a.calledBackOn, a.satisfied) =
            ("禹州市实验第一小学", day(-28), "已责令学校停止推荐教辅，已购的全部退费", day(-30), day(-29), true)
        complaints.append((a, [("register", "挂牌督导公示电话"), ("assign", "禹州市实验第一小学"), ("answer", a.reply!), ("call_back", "满意")]))
        var b = complaint(2, .hotline, -30, "校门口上下学时段交通拥堵，存在安全隐患", school: nil)
        b.state = .calledBack
        (b.assignedUnit, b.deadline, b.reply, b.answeredOn, b.calledBackOn, b.satisfied) =
            ("禹州市公安局交警大队", day(-15), "已增设高峰时段护学岗", day(-18), day(-16), true)
        complaints.append((b, [("register", "12345热线"), ("assign", "禹州市公安局交警大队"), ("answer", b.reply!), ("call_back", "满意")]))
        var c = complaint(3, .letter, -21, "食堂饭菜分量不足，价格偏高")
        c.state = .answered
        (c.assignedUnit, c.deadline, c.reply, c.answeredOn) = ("禹州市实验第一小学", day(-7), "已重新核定餐标并公示", day(-8))
        complaints.append((c, [("register", "来信"), ("assign", "禹州市实验第一小学"), ("answer", c.reply!)]))
        var d = complaint(4, .hotline, -14, "课后服务收费未公示", school: "1411081050")
        d.state = .assigned
        (d.assignedUnit, d.deadline) = ("禹州市第二初级中学", day(-4))
        complaints.append((d, [("register", "12345热线"), ("assign", "禹州市第二初级中学"), ("follow_up", "请尽快办理")]))
        var e = complaint(5, .online, -6, "体育课经常被文化课占用")
        e.state = .assigned
        (e.assignedUnit, e.deadline) = ("禹州市实验第一小学", day(9))
        complaints.append((e, [("register", "网上留言"), ("assign", "禹州市实验第一小学")]))
        let f = complaint(6, .platePhone, 0, "放学后学生在校门口聚集打闹")
        complaints.append((f, [("register", "挂牌督导公示电话")]))

        // 受理编号 in order within each year, as the use case would have given them.
        var perYear: [String: Int] = [:]
        let rows = complaints.map { entry in
            var (complaint, events) = entry
            let year = String(complaint.receivedOn.prefix(4))
            perYear[year, default: 0] += 1
            complaint.number = "\(year)-" + String(repeating: "0", count: max(0, 4 - String(perYear[year]!).count)) + String(perYear[year]!)
            return (complaint, events)
        }
        let series = perYear
        try await services.database.transaction { tx in
            for p in projects { try await ProjectRepository(tx).insert(p, at: now) }
            for (complaint, events) in rows {
                try await ComplaintRepository(tx).insert(complaint)
                for (action, note) in events {
                    try await ComplaintRepository(tx).record(complaint.id, action: action, note: note, by: "demo", at: now)
                }
            }
            // The demo's numbers are taken: the county's series continue after them.
            for (year, taken) in series {
                try await tx.raw(
                    "INSERT INTO complaint_series (region_code, year, last) VALUES (\(bind: county), \(bind: Int(year)!), \(bind: taken))"
                ).run()
            }
        }
        log("demo projects and complaints: \(projects.count) projects, \(rows.count) complaints")
    }
}
