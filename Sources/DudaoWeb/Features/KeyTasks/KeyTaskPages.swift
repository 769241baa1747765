import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// 重点工作督办: a region's targets, a target's tree, a task with its reports, the dispatch
/// meeting's ranking (page, XLSX, DOCX), and the letters, talks and accountability records.
struct KeyTaskPages: FeatureRoutes {
    let state: AppState

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("regions/:code/key-tasks") { request, context in try await list(request, context) }
        signedIn.post("regions/:code/key-tasks") { request, context in try await createTarget(request, context) }
        signedIn.get("key-targets/:id") { request, context in try await target(request, context) }
        signedIn.post("key-targets/:id/tasks") { request, context in try await addTask(request, context) }
        signedIn.post("key-targets/:id/import") { request, context in try await importOutline(request, context) }
        signedIn.post("key-targets/:id/refresh") { request, context in try await refresh(request, context) }
        signedIn.get("key-tasks/:id") { request, context in try await task(request, context) }
        signedIn.post("key-tasks/:id/reports") { request, context in try await report(request, context) }
        signedIn.post("key-task-reports/:id/review") { request, context in try await review(request, context) }
        signedIn.get("regions/:code/dispatch") { request, context in try await dispatch(request, context) }
        signedIn.get("regions/:code/letters") { request, context in try await letters(request, context) }
        signedIn.post("regions/:code/accountability") { request, context in try await record(request, context) }
        signedIn.post("letters") { request, context in try await issue(request, context) }
        signedIn.get("letters/:id") { request, context in try await letter(request, context) }
        signedIn.get("letters/:id/docx") { request, context in try await letterDocument(request, context) }
        signedIn.post("letters/:id/reply") { request, context in try await reply(request, context) }
    }

    var today: String { state.services.clock.moment.today }

    /// A day `n` days from today (default reply deadlines).
    func inDays(_ n: Int) -> String { DateText.ordinal(today).map { DateText.string(fromOrdinal: $0 + n) } ?? today }

    func regionName(_ code: String) async throws -> String {
        code.isEmpty ? "全国" : (try await RegionRepository(db.sql).find(code)?.name ?? code)
    }

    static func kinds(_ lang: Language) -> [SelectOption] { LetterKind.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) } }

    // MARK: region list

    func list(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        let year = try request.queryYear() ?? Int(today.prefix(4))!
        let services = state.services
        let targets = try await services.keyTasks.targets(region: region.code, year: year, for: ctx.user)
        var rows: [KeyTargetsPage.Row] = []
        var dueSoon: [KeyTargetsPage.Due] = []
        let horizon = inDays(30)
        for t in targets {
            let p = try await services.keyTasks.progress(t.id, asOf: today, for: ctx.user)
            rows.append(
                .init(
                    id: t.id, title: t.title, region: try await regionName(t.regionCode), year: t.year, tasks: p.rows.count,
                    completion: NumberText.percent(p.completion), overdue: p.leaves.filter(\.overdue).count,
                    stalled: p.leaves.filter { $0.stall != nil }.count, pending: p.rows.reduce(0) { $0 + $1.pending }))
            for leaf in p.leaves
            where leaf.completion < 1 && leaf.task.deadline <= horizon && RegionCode.contains(region.code, leaf.task.regionCode) {
                dueSoon.append(
                    .init(
                        id: leaf.task.id, number: leaf.task.number, title: leaf.task.title, target: t.title, unit: leaf.task.unit,
                        deadline: leaf.task.deadline,
                        state: leaf.overdue
                            ? "\(Strings.shared("ktOverdue", lang)) \(leaf.daysLate ?? 0) \(Strings.shared("days", lang))"
                            : NumberText.percent(leaf.completion),
                        late: leaf.overdue))
            }
        }
        dueSoon.sort { ($0.deadline, $0.number) < ($1.deadline, $1.number) }
        var toReview: [KeyTargetsPage.Due] = []
        if ctx.user.canSuperviseKeyTasks(region: region.code) {
            for (r, task, target) in try await services.keyTasks.awaitingReview(under: region.code, for: ctx.user) {
                toReview.append(
                    .init(
                        id: task.id, number: task.number, title: task.title, target: target.title, unit: task.unit, deadline: r.day,
                        state: r.value.map(NumberText.plain) ?? (r.done == true ? "✔" : "✘"), late: false))
            }
        }
        let thisYear = Int(today.prefix(4))!
        var model = KeyTargetsPage(
            region: region, year: year,
            years: ((thisYear - 3)...(thisYear + 1)).reversed().map { SelectOption(id: "\($0)", name: "\($0)", selected: $0 == year) },
            targets: rows, toReview: toReview, dueSoon: dueSoon, canCreate: ctx.user.canSuperviseKeyTasks(region: region.code))
        model.hasToReview = !toReview.isEmpty
        model.hasDueSoon = !dueSoon.isEmpty
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("keyTasks", lang))", under: region.code)
        return pages.render(rl, .keyTasks, Page(layout: layout, model: model))
    }

    func createTarget(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let target = try await state.services.keyTasks.createTarget(
            region: region.code, year: try form.year(), title: try form.text("title", max: 200), description: try form.paragraph("description"),
            by: ctx.user)
        return .redirect(to: "/key-targets/\(target.id)", type: .normal)
    }

    // MARK: a target

    func target(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let id = try ctx.parameters.text("id")
        let asOf = try request.queryDate("date") ?? today
        let p = try await state.services.keyTasks.progress(id, asOf: asOf, for: ctx.user)
        if try request.query("format") == "xlsx" {
            let dto = KeyTargetDTO(p)
            let table = Table(
                name: "任务分解",
                header: ["序号", "工作任务", "责任单位", "第一责任人", "直接责任人", "完成时限", "权重", "占比", "目标值", "当前值", "完成进度", "逾期天数"],
                rows: dto.tasks.map { t in
                    [
                        t.number, String(repeating: "\u{3000}", count: t.depth - 1) + t.title, t.unit, t.first_responsible, t.direct_responsible,
                        t.deadline,
                        t.weight.map(NumberText.plain) ?? "", NumberText.percent(t.share), t.target_value.map(NumberText.plain) ?? "",
                        t.value.map(NumberText.plain) ?? (t.done.map { $0 ? "已完成" : "未完成" } ?? ""), t.completion_text,
                        t.days_late.map(String.init) ?? "",
                    ]
                })
            return try Download.xlsx([table], filename: "\(p.target.title)-\(asOf).xlsx")
        }
        let rows = p.rows.map { s in
            KeyTargetPage.Row(
                id: s.task.id, number: s.task.number, depthClass: "depth-\(min(s.depth, 6))", isLeaf: s.isLeaf, title: s.task.title,
                unit: s.task.unit,
                responsible: [s.task.firstResponsible, s.task.directResponsible].filter { !$0.isEmpty }.joined(separator: " / "),
                deadline: s.task.deadline, weight: s.task.weight.map(NumberText.plain) ?? "", share: NumberText.percent(s.share),
                measure: s.isLeaf ? Self.measure(s.task.measure ?? .checkbox, lang) : Strings.shared("ktBySteps", lang),
                progress: Self.progress(s, lang), completion: NumberText.percent(s.completion), percent: Int((s.completion * 100).rounded()),
                overdue: s.overdue ? "\(Strings.shared("ktOverdue", lang)) \(s.daysLate ?? 0) \(Strings.shared("days", lang))" : nil,
                stalled: Self.stall(s.stall, lang), pending: s.pending > 0 ? s.pending : nil)
        }
        let hasComputed = p.rows.contains { s in
            if case .computed = s.task.measure { return s.isLeaf }
            return false
        }
        let model = KeyTargetPage(
            id: p.target.id, title: p.target.title, description: p.target.description, region: try await regionName(p.target.regionCode),
            regionCode: p.target.regionCode, year: p.target.year, asOf: asOf, completion: NumberText.percent(p.completion), rows: rows,
            canManage: ctx.user.canSuperviseKeyTasks(region: p.target.regionCode), hasComputed: hasComputed,
            metrics: [SelectOption(id: "", name: "—")] + KeyMetric.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) },
            cadences: ReportCadence.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang), selected: $0 == .monthly) })
        let layout = try await pages.layout(request, ctx, lang, title: p.target.title, under: p.target.regionCode)
        return pages.render(rl, .keyTarget, Page(layout: layout, model: model))
    }

    static func measure(_ m: KeyTaskMeasure, _ lang: Language) -> String {
        switch m {
        case .checkbox: Strings.shared("ktCheckbox", lang)
        case .number(let t, let b, let u): (b == 0 ? "" : "\(NumberText.plain(b)) → ") + "\(NumberText.plain(t))\(u)"
        case .computed(let metric, let t, let b): "\(metric.label(lang))：\(NumberText.plain(b)) → \(NumberText.plain(t))"
        }
    }

    static func progress(_ s: KeyTargetProgress.Standing, _ lang: Language) -> String {
        guard s.isLeaf else { return "" }
        if let v = s.value { return NumberText.plain(v) + (s.task.measure?.unit ?? "") }
        if let d = s.done { return Strings.shared(d ? "ktDone" : "ktNotDone", lang) }
        return "—"
    }

    static func stall(_ s: KeyTargetProgress.Stall?, _ lang: Language) -> String? {
        switch s {
        case .noReport(let since): "\(Strings.shared("ktStalledNoReport", lang)) \(since)"
        case .unchanged(let since): "\(Strings.shared("ktStalledUnchanged", lang)) \(since)"
        case nil: nil
        }
    }

    func addTask(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        func number(_ name: String) throws -> Double? {
            let text = try form.text(name)
            return text.isEmpty ? nil : try Checked.number(text, field: name, in: -1e12...1e12, whole: false)
        }
        let target = try number("target_value"), baseline = try number("baseline") ?? 0
        let metricText = try form.text("metric")
        var measure = KeyTaskMeasure.checkbox
        if !metricText.isEmpty {
            guard let metric = KeyMetric(rawValue: metricText), let target else {
                throw AppError.invalid("target_value", zh: "自动计算的任务须填写目标值", en: "a computed task needs a target value")
            }
            measure = .computed(metric: metric, target: target, baseline: baseline)
        } else if let target {
            measure = .number(target: target, baseline: baseline, unit: try form.text("measure_unit", max: 20))
        }
        let region = try form.text("region")
        let draft = KeyTaskDraft(
            number: try form.text("number", max: 40), title: try form.text("title", max: 300), unit: try form.text("unit", max: 100),
            region: region.isEmpty ? nil : region, firstResponsible: try form.text("first_responsible", max: 100),
            directResponsible: try form.text("direct_responsible", max: 100), deadline: try form.text("deadline"), weight: try number("weight"),
            measure: measure, cadence: ReportCadence(rawValue: try form.text("cadence")) ?? .monthly)
        try await state.services.keyTasks.addTasks([draft], to: id, by: ctx.user)
        return .redirect(to: "/key-targets/\(id)", type: .normal)
    }

    func importOutline(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        guard let form = try await MultipartForm.parse(request, limit: 10 << 20) else {
            throw AppError(
                status: .unsupportedMediaType, code: "media_type", field: nil, zh: "表单应为 multipart/form-data", en: "expected multipart/form-data")
        }
        guard ctx.acceptsCSRF(form.fields["csrf"]) else { throw AppError.csrf }
        guard let file = form.files.first(where: { $0.name == "file" }) else { throw AppError.invalid("file", zh: "请选择文件", en: "choose a file") }
        try await state.services.keyTasks.importOutline(file: file.data, filename: file.filename ?? "", to: id, by: ctx.user)
        return .redirect(to: "/key-targets/\(id)", type: .normal)
    }

    func refresh(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        try await state.services.keyTasks.refreshComputed(id, by: ctx.user)
        return .redirect(to: "/key-targets/\(id)", type: .normal)
    }

    // MARK: a task

    func task(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let (task, target) = try await state.services.keyTasks.task(try ctx.parameters.text("id"), for: ctx.user)
        let p = try await state.services.keyTasks.progress(target.id, asOf: today, for: ctx.user)
        guard let s = p.standing(task.id) else { throw AppError.notFound("key task") }
        let supervises = ctx.user.canSuperviseKeyTasks(region: target.regionCode)
        let reports = try await KeyTaskRepository(db.sql).reports(task: task.id).map { r in
            KeyTaskPage.Report(
                id: r.id, day: r.day,
                value: r.value.map { NumberText.plain($0) + (task.measure?.unit ?? "") }
                    ?? Strings.shared(r.done == true ? "ktDone" : "ktNotDone", lang),
                narrative: r.narrative, status: r.status.label(lang), statusId: r.status.rawValue, by: r.reportedBy,
                note: r.reviewNote ?? "", canReview: supervises && r.status == .submitted)
        }
        let letters = try await EscalationRepository(db.sql).letters(trigger: .keyTask, object: task.id).filter(ctx.user.canRead(letter:)).map { l in
            KeyTaskPage.Letter(
                id: l.id, number: l.number, kind: l.kind.label(lang), issued: l.issuedOn,
                replied: l.reply == nil
                    ? (l.replyOverdue(today: today) ? Strings.shared("ktReplyOverdue", lang) : Strings.shared("ktAwaitingReply", lang))
                    : Strings.shared("ktReplied", lang))
        }
        let evidence = try await DocumentRepository(db.sql).documents(linkedTo: "key_task", task.id).filter { ctx.user.canRead(document: $0) }
        var computedNote: String?
        if case .computed(let metric, _, _) = task.measure { computedNote = "\(Strings.shared("ktComputedNote", lang))\(metric.label(lang))" }
        let measure = task.measure ?? .checkbox
        var model = KeyTaskPage(
            id: task.id, number: task.number, title: task.title, targetId: target.id, targetTitle: target.title, unit: task.unit,
            region: try await regionName(task.regionCode), firstResponsible: task.firstResponsible, directResponsible: task.directResponsible,
            deadline: task.deadline, cadence: task.cadence.label(lang),
            measure: s.isLeaf ? Self.measure(measure, lang) : Strings.shared("ktBySteps", lang),
            completion: NumberText.percent(s.completion),
            overdue: s.overdue ? "\(Strings.shared("ktOverdue", lang)) \(s.daysLate ?? 0) \(Strings.shared("days", lang))" : nil,
            stalled: Self.stall(s.stall, lang), isLeaf: s.isLeaf, reports: reports, evidence: evidence.map { .init(id: $0.id, title: $0.title) },
            letters: letters, canReport: s.isLeaf && computedNote == nil && ctx.user.canReportProgress(on: task),
            isCheckbox: measure == .checkbox, isNumber: { if case .number = measure { return true } else { return false } }(),
            computedNote: s.isLeaf ? computedNote : nil, canEscalate: supervises && s.completion < 1, kinds: Self.kinds(lang), today: today,
            replyDue: inDays(7))
        model.hasEvidence = !evidence.isEmpty
        model.hasLetters = !letters.isEmpty
        let layout = try await pages.layout(request, ctx, lang, title: "\(task.number) \(task.title)", under: target.regionCode)
        return pages.render(rl, .keyTask, Page(layout: layout, model: model))
    }

    func report(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        guard let form = try await MultipartForm.parse(request, limit: Documents.maxBytes + (1 << 20)) else {
            throw AppError(
                status: .unsupportedMediaType, code: "media_type", field: nil, zh: "表单应为 multipart/form-data", en: "expected multipart/form-data")
        }
        let fields = FormData(fields: form.fields)
        guard ctx.acceptsCSRF(fields["csrf"]) else { throw AppError.csrf }
        let valueText = try fields.text("value")
        let doneText = try fields.text("done")
        let day = try fields.text("day")
        try await state.services.keyTasks.report(
            .init(
                taskId: id, day: day.isEmpty ? nil : day,
                value: valueText.isEmpty ? nil : try Checked.number(valueText, field: "value", in: -1e12...1e12, whole: false),
                done: doneText.isEmpty ? nil : doneText == "1", narrative: try fields.paragraph("narrative"),
                files: form.files.filter { $0.name == "file" }.map { ($0.filename ?? "evidence", $0.data) }),
            by: ctx.user)
        return .redirect(to: "/key-tasks/\(id)", type: .normal)
    }

    func review(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        guard let report = try await KeyTaskRepository(db.sql).report(id) else { throw AppError.notFound("report") }
        try await state.services.keyTasks.review(id, accept: form["accept"] == "1", note: try form.paragraph("note"), by: ctx.user)
        return .redirect(to: "/key-tasks/\(report.taskId)", type: .normal)
    }

    // MARK: dispatch

    func dispatch(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        let year = try request.queryYear() ?? Int(today.prefix(4))!
        let day = try request.queryDate("date") ?? today
        let target = try request.query("target")
        let (targets, view) = try await state.services.keyTasks.dispatch(
            region: region.code, year: year, target: target, day: day, since: try request.queryDate("since"), for: ctx.user)
        let dto = DispatchDTO(region: region.code, year: year, targets: targets, view: view)
        switch try request.query("format") {
        case "xlsx": return try Download.xlsx(dto.tables(), filename: "\(region.name)-重点工作进度-\(day).xlsx")
        case "docx":
            return Download.response(
                try dto.document(office: EscalationLetter.officeName(region: region.name)), .docx, filename: "\(region.name)-重点工作进度晾晒-\(day).docx")
        default: break
        }
        func item(_ i: DispatchDTO.Item) -> DispatchPage.Item {
            DispatchPage.Item(
                taskId: i.task_id, target: i.target, number: i.number, title: i.title, unit: i.unit, deadline: i.deadline,
                completion: i.completion_text,
                outcome: i.days_late.map { "\(Strings.shared("ktOverdue", lang)) \($0) \(Strings.shared("days", lang))" }
                    ?? (i.completed_on.map { "\(Strings.shared(i.on_time ? "ktOnTime" : "ktLate", lang)) \($0)" } ?? ""))
        }
        let last = Set(dto.last)
        var model = DispatchPage(
            region: region, year: year, day: view.day, since: view.since, targets: dto.targets.joined(separator: "、"),
            units: dto.ranking.map { u in
                DispatchPage.Unit(
                    rank: u.rank, unit: u.unit, tasks: u.tasks, completion: u.completion_text, percent: Int((u.completion * 100).rounded()),
                    due: u.due,
                    onTime: u.on_time, onTimeRate: u.on_time_rate_text, overdue: u.overdue, stalled: u.stalled,
                    change: u.rank_change.map(DispatchDTO.signed) ?? Strings.shared("ktNew", lang),
                    changeClass: (u.rank_change ?? 0) > 0 ? "up" : (u.rank_change ?? 0) < 0 ? "down" : "",
                    points: u.completion_change.map { String(format: "%+.2f", $0) } ?? "", isLast: last.contains(u.unit))
            }, last: dto.last, due: dto.due.map(item), late: dto.late.map(item), stalled: dto.stalled.map(item),
            method: lang == .zh ? dto.method : Self.methodEn, canEscalate: ctx.user.canSuperviseKeyTasks(region: region.code),
            kinds: Self.kinds(lang),
            replyDue: inDays(7), object: "\(region.code)/\(year)",
            download: "?year=\(year)&date=\(view.day)&since=\(view.since)" + (target.map { "&target=\($0)" } ?? ""))
        model.hasLast = !dto.last.isEmpty
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("ktDispatch", lang))", under: region.code)
        return pages.render(rl, .dispatch, Page(layout: layout, model: model))
    }

    static let methodEn = [
        "Units ranked are the owners of the tasks, counted over the leaf tasks they own in every target.",
        "A task's share of its target = its weight ÷ the sum of its siblings' weights × its parent's share; no weight counts as 1; siblings all weighing 0 share equally.",
        "A unit's completion = Σ(share × task completion) ÷ Σ share; a checkbox task is 0 or 1, a number task (value − baseline) ÷ (target − baseline) held to 0…1; only accepted reports count.",
        "On-time rate = tasks due by the day that were completed by their deadline ÷ tasks due by the day.",
        "Order: completion, then on-time rate (units with nothing due last); units equal on both (to 0.01 percentage point) share a rank.",
    ]

    // MARK: letters, talks, accountability

    func issue(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let form = try await FormData.submitted(request, ctx)
        let kind = try Checked.choice(try form.text("kind"), field: "kind", as: LetterKind.self)
        let trigger = try Checked.choice(try form.text("trigger"), field: "trigger", as: LetterTrigger.self)
        let unit = try form.text("unit", max: 100)
        let letter = try await state.services.escalations.issue(
            .init(
                kind: kind, trigger: trigger, objectId: try form.text("object", max: 200), unit: unit.isEmpty ? nil : unit,
                replyDue: try form.text("reply_due")),
            by: ctx.user)
        return .redirect(to: "/letters/\(letter.id)", type: .normal)
    }

    func letters(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        let letters = try await state.services.escalations.letters(region: region.code, for: ctx.user)
        let records = try await state.services.escalations.records(region: region.code, for: ctx.user)
        let numbers = Dictionary(letters.map { ($0.id, $0.number) }, uniquingKeysWith: { a, _ in a })
        let model = LettersPage(
            region: region,
            letters: letters.map { l in
                .init(
                    id: l.id, number: l.number, kind: l.kind.label(lang), unit: l.unit, title: l.title, issued: l.issuedOn, replyDue: l.replyDue,
                    state: l.reply == nil
                        ? Strings.shared(l.replyOverdue(today: today) ? "ktReplyOverdue" : "ktAwaitingReply", lang)
                        : Strings.shared("ktReplied", lang),
                    overdue: l.replyOverdue(today: today))
            },
            records: records.map { r in
                .init(
                    kind: r.kind.label(lang), person: r.person, position: r.position, unit: r.unit, day: r.day, form: r.form, facts: r.facts,
                    letter: r.letterId.flatMap { numbers[$0] }, letterId: r.letterId)
            }, canRecord: ctx.user.canSuperviseKeyTasks(region: region.code),
            recordKinds: AccountabilityKind.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) }, today: today)
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("ktLetters", lang))", under: region.code)
        return pages.render(rl, .letters, Page(layout: layout, model: model))
    }

    func letter(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let l = try await state.services.escalations.letter(try ctx.parameters.text("id"), for: ctx.user)
        let about: (String, String?) =
            switch l.trigger {
            case .keyTask: (l.trigger.label(lang), "/key-tasks/\(l.objectId)")
            case .rectification: (l.trigger.label(lang), "/regions/\(l.unitRegion)/supervision")
            case .ranking: (l.trigger.label(lang), "/regions/\(l.objectId.split(separator: "/").first ?? "")/dispatch")
            }
        let model = LetterPage(
            id: l.id, number: l.number, title: l.title, kind: l.kind.label(lang), body: l.body,
            office: EscalationLetter.officeName(region: try await regionName(l.regionCode)), issued: DateText.chinese(l.issuedOn),
            replyDue: l.replyDue,
            reply: l.reply, replied: l.repliedOn.map { "\($0) · \(l.repliedBy ?? "")" }, replyOverdue: l.replyOverdue(today: today),
            canReply: l.reply == nil && ctx.user.canReply(to: l), canRecord: ctx.user.canSuperviseKeyTasks(region: l.unitRegion),
            unitRegion: l.unitRegion,
            about: about.0, aboutHref: about.1, recordKinds: AccountabilityKind.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) },
            today: today)
        let layout = try await pages.layout(request, ctx, lang, title: l.number, under: l.unitRegion)
        return pages.render(rl, .letter, Page(layout: layout, model: model))
    }

    func letterDocument(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let l = try await state.services.escalations.letter(try ctx.parameters.text("id"), for: ctx.user)
        return Download.response(try await state.services.escalations.document(l), .docx, filename: "\(l.number)\(l.kind.zh).docx")
    }

    func reply(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        try await state.services.escalations.reply(id, text: try form.paragraph("reply"), by: ctx.user)
        return .redirect(to: "/letters/\(id)", type: .normal)
    }

    func record(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let kind = try Checked.choice(try form.text("kind"), field: "kind", as: AccountabilityKind.self)
        let letterId = try form.text("letter")
        let unitRegion = try form.text("unit_region")
        _ = try await state.services.escalations.record(
            .init(
                kind: kind, person: try form.text("person", max: 100), position: try form.text("position", max: 100),
                unit: try form.text("unit", max: 100),
                unitRegion: unitRegion.isEmpty && letterId.isEmpty ? region.code : unitRegion, day: try form.text("day"),
                form: try form.text("form", max: 100),
                facts: try form.paragraph("facts"), letterId: letterId.isEmpty ? nil : letterId),
            by: ctx.user)
        return .redirect(to: "/regions/\(region.code)/letters#records", type: .normal)
    }
}
