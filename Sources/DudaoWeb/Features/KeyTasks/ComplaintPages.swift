import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 建设项目台账 and 投诉受理 pages, and 待办事项 (what is due from the caller).
struct ComplaintPages: FeatureRoutes {
    let state: AppState

    func register(on signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("regions/:code/projects") { request, context in try await projects(request, context) }
        signedIn.post("regions/:code/projects") { request, context in try await registerProject(request, context) }
        signedIn.post("projects/:id/stage") { request, context in try await advance(request, context) }
        signedIn.get("regions/:code/complaints") { request, context in try await complaints(request, context) }
        signedIn.post("regions/:code/complaints") { request, context in try await registerComplaint(request, context) }
        signedIn.get("complaints/:id") { request, context in try await complaint(request, context) }
        signedIn.post("complaints/:id/actions") { request, context in try await act(request, context) }
        signedIn.post("complaints/:id/case") { request, context in try await openCase(request, context) }
        signedIn.post("complaints/:id/task") { request, context in try await openTask(request, context) }
        signedIn.get("agenda") { request, context in try await agenda(request, context) }
    }

    var today: String { state.services.clock.moment.today }

    // MARK: projects

    func projects(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        let (projects, summaries) = try await state.services.projects.register(of: region.code, for: ctx.user)
        var names: [String: String] = [:]
        for code in Set(projects.map(\.regionCode)) { names[code] = try await RegionRepository(db.sql).find(code)?.name ?? code }
        let model = ProjectsPage(
            region: region,
            summaries: summaries.map { s in
                .init(
                    region: names[s.regionCode] ?? s.regionCode, total: s.total, started: s.started, completed: s.completed,
                    lateToStart: s.lateToStart,
                    lateToComplete: s.lateToComplete, places: s.placesAdded, budget: NumberText.plain(s.budget), startLate: s.lateToStart > 0,
                    completeLate: s.lateToComplete > 0)
            },
            projects: projects.map { p in
                let next = ProjectStage.allCases.filter { $0 > p.stage }
                return .init(
                    id: p.id, name: p.name, region: names[p.regionCode] ?? p.regionCode, kind: p.kind.label(lang), school: p.schoolCode ?? "",
                    budget: NumberText.plain(p.budget), places: p.placesAdded, stage: p.stage.label(lang),
                    planned: "\(p.plannedStart) – \(p.plannedCompletion)",
                    actual: [p.startedOn, p.completedOn, p.inUseOn].compactMap { $0 }.joined(separator: " / "),
                    late: p.lateToStart(today: today)
                        ? Strings.shared("pjLateToStart", lang) : p.lateToComplete(today: today) ? Strings.shared("pjLateToComplete", lang) : nil,
                    version: p.version, next: next.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) },
                    canAdvance: !next.isEmpty && ctx.user.canSuperviseKeyTasks(region: p.regionCode))
            },
            canRegister: region.level == .county && ctx.user.canSuperviseKeyTasks(region: region.code),
            kinds: ProjectKind.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) }, today: today)
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("pjRegister", lang))", under: region.code)
        return pages.render(rl, .projects, Page(layout: layout, model: model))
    }

    func registerProject(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let kind = try Checked.choice(try form.text("kind"), field: "kind", as: ProjectKind.self)
        _ = try await state.services.projects.register(
            .init(
                region: region.code, name: try form.text("name", max: 200), kind: kind, schoolCode: try form.text("school"),
                budget: try Checked.number(try form.text("budget"), field: "budget", in: 0...10_000_000, whole: false),
                placesAdded: try form.integer("places", in: 0...100_000, default: 0), plannedStart: try form.text("planned_start"),
                plannedCompletion: try form.text("planned_completion")),
            by: ctx.user)
        return .redirect(to: "/regions/\(region.code)/projects", type: .normal)
    }

    func advance(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        let stage = try Checked.choice(try form.text("stage"), field: "stage", as: ProjectStage.self)
        let day = try form.text("day")
        let p = try await state.services.projects.advance(
            id, to: stage, on: day.isEmpty ? nil : day, expectedVersion: try form.version() ?? 0, by: ctx.user)
        return .redirect(to: "/regions/\(p.regionCode)/projects", type: .normal)
    }

    // MARK: complaints

    func period(_ request: Request) throws -> (String, String) {
        let to = try request.queryDate("to") ?? today
        let from = try request.queryDate("from") ?? String(to.prefix(4)) + "-01-01"
        return (from, to)
    }

    func complaints(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        let canHandle = ctx.user.isOfficeStaff
        let (from, to) = try period(request)
        var rows: [ComplaintsPage.Row] = []
        var rates: [ComplaintsPage.Rate] = []
        if canHandle {
            let (list, byRegion) = try await state.services.complaints.list(region: region.code, from: from, to: to, for: ctx.user)
            var names: [String: String] = [:]
            for code in byRegion.keys { names[code] = try await RegionRepository(db.sql).find(code)?.name ?? code }
            rates = byRegion.sorted { ($0.key.count, $0.key) < ($1.key.count, $1.key) }.map { code, r in
                .init(
                    region: names[code] ?? code, received: r.received, closed: r.closed, calledBack: r.calledBack, overdue: r.overdue,
                    closingRate: r.closingRate.map(NumberText.percent) ?? "—", callbackRate: r.callbackRate.map(NumberText.percent) ?? "—")
            }
            rows = list.map { c in
                .init(
                    id: c.id, number: c.number, source: c.source.label(lang), received: c.receivedOn, content: String(c.content.prefix(40)),
                    unit: c.assignedUnit ?? "", deadline: c.deadline ?? "", state: c.state.label(lang), overdue: c.isOverdue(today: today))
            }
        }
        let model = ComplaintsPage(
            region: region, from: from, to: to, rates: rates, rows: rows, canHandle: canHandle,
            canRegister: region.level == .county && ctx.user.canRegisterComplaints(region: region.code),
            sources: ComplaintSource.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) }, today: today,
            registered: try request.query("registered"))
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("cpComplaints", lang))", under: region.code)
        return pages.render(rl, .complaints, Page(layout: layout, model: model))
    }

    func registerComplaint(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let source = try Checked.choice(try form.text("source"), field: "source", as: ComplaintSource.self)
        let received = try form.text("received_on")
        let c = try await state.services.complaints.register(
            .init(
                region: region.code, source: source, receivedOn: received.isEmpty ? nil : received,
                complainant: try form.text("complainant", max: 100),
                phone: try form.text("phone", max: 40), content: try form.paragraph("content"), schoolCode: try form.text("school")),
            by: ctx.user)
        // Inspectors register but do not handle: back to the list with the number.
        if !ctx.user.isOfficeStaff { return .redirect(to: "/regions/\(region.code)/complaints?registered=\(c.number)", type: .normal) }
        return .redirect(to: "/complaints/\(c.id)", type: .normal)
    }

    func complaint(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let c = try await state.services.complaints.complaint(try ctx.parameters.text("id"), for: ctx.user)
        guard ctx.user.isOfficeStaff else { throw AppError.notFound("complaint") }
        let school = try await c.schoolCode.asyncMap { try await SchoolRepository(db.sql).find($0)?.name ?? $0 }
        let targets = try await state.services.keyTasks.targets(region: c.regionCode, year: Int(today.prefix(4)), for: ctx.user)
            .filter { ctx.user.canSuperviseKeyTasks(region: $0.regionCode) }
        let model = ComplaintPage(
            id: c.id, number: c.number, source: c.source.label(lang), received: c.receivedOn, complainant: c.complainant, phone: c.phone,
            content: c.content, school: school ?? "", schoolCode: c.schoolCode ?? "", unit: c.assignedUnit ?? "", deadline: c.deadline ?? "",
            state: c.state.label(lang), overdue: c.isOverdue(today: today), reply: c.reply,
            satisfied: c.satisfied.map { Strings.shared($0 ? "cpSatisfied" : "cpUnsatisfied", lang) },
            version: c.version,
            events: try await ComplaintRepository(db.sql).events(c.id).map {
                .init(at: Today.display($0.at), actor: $0.actor, action: Strings.shared("cpAction_\($0.action)", lang), note: $0.note)
            },
            canAssign: c.state == .received || c.state == .assigned, canFollowUp: c.state != .calledBack, canAnswer: c.state == .assigned,
            canCallBack: c.state == .answered, rectification: c.rectificationId, keyTask: c.keyTaskId,
            canOpenCase: c.rectificationId == nil && c.schoolCode != nil, canOpenTask: c.keyTaskId == nil && !targets.isEmpty,
            categories: FindingCategory.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) },
            targets: targets.map { SelectOption(id: $0.id, name: $0.title) }, today: today,
            defaultDeadline: DateText.ordinal(today).map { DateText.string(fromOrdinal: $0 + 15) } ?? today)
        let layout = try await pages.layout(request, ctx, lang, title: "\(Strings.shared("cpComplaint", lang)) \(c.number)", under: c.regionCode)
        return pages.render(rl, .complaint, Page(layout: layout, model: model))
    }

    func act(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        let action: ComplaintAction
        switch try form.text("action") {
        case "assign": action = .assign(unit: try form.text("unit", max: 100), deadline: try form.text("deadline"))
        case "follow_up": action = .followUp(try form.paragraph("note"))
        case "answer": action = .answer(try form.paragraph("reply"))
        case "call_back": action = .callBack(satisfied: form["satisfied"] == "1", note: try form.paragraph("note"))
        default: throw AppError.invalid("action", zh: "未知的操作", en: "unknown action")
        }
        try await state.services.complaints.act(
            action, id: id, school: try form.text("school"), expectedVersion: try form.version() ?? 0, by: ctx.user)
        return .redirect(to: "/complaints/\(id)", type: .normal)
    }

    func openCase(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        let category = try Checked.choice(try form.text("category"), field: "category", as: FindingCategory.self)
        _ = try await state.services.complaints.openRectification(
            id, category: category, unit: try form.text("unit", max: 100), responsible: try form.text("responsible", max: 100),
            deadline: try form.text("deadline"),
            expectedVersion: try form.version() ?? 0, by: ctx.user)
        return .redirect(to: "/complaints/\(id)", type: .normal)
    }

    func openTask(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        let task = try await state.services.complaints.openKeyTask(
            id, target: try form.text("target"), unit: try form.text("unit", max: 100), deadline: try form.text("deadline"),
            expectedVersion: try form.version() ?? 0, by: ctx.user)
        return .redirect(to: "/key-tasks/\(task.id)", type: .normal)
    }

    // MARK: agenda

    func agenda(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let items = try await state.services.agenda.items(for: ctx.user)
        let model = AgendaPage(
            items: items.map { i in
                .init(
                    kind: lang == .zh ? i.kind.zh : i.kind.en, title: i.title, href: i.href, due: i.due ?? "",
                    when: i.days.map { d in
                        d > 0
                            ? "\(Strings.shared("ktOverdue", lang)) \(d) \(Strings.shared("days", lang))"
                            : d == 0 ? Strings.shared("agDueToday", lang) : "\(-d) \(Strings.shared("agDaysLeft", lang))"
                    } ?? "",
                    overdue: i.overdue)
            }, overdue: items.contains(where: \.overdue) ? items.filter(\.overdue).count : nil, total: items.count)
        return pages.render(rl, .agenda, Page(layout: pages.layout(request, ctx, lang, title: Strings.shared("agAgenda", lang)), model: model))
    }
}

struct ProjectsPage: Sendable {
    struct Summary: Sendable {
        var region: String
        var total: Int
        var started: Int
        var completed: Int
        var lateToStart: Int
        var lateToComplete: Int
        var places: Int
        var budget: String
        var startLate: Bool
        var completeLate: Bool
    }

    struct Row: Sendable {
        var id: String
        var name: String
        var region: String
        var kind: String
        var school: String
        var budget: String
        var places: Int
        var stage: String
        var planned: String
        var actual: String
        var late: String?
        var version: Int
        var next: [SelectOption]
        var canAdvance: Bool
    }

    var region: Region
    var summaries: [Summary]
    var projects: [Row]
    var canRegister: Bool
    var kinds: [SelectOption]
    var today: String
}

struct ComplaintsPage: Sendable {
    struct Rate: Sendable {
        var region: String
        var received: Int
        var closed: Int
        var calledBack: Int
        var overdue: Int
        var closingRate: String
        var callbackRate: String
    }

    struct Row: Sendable {
        var id: String
        var number: String
        var source: String
        var received: String
        var content: String
        var unit: String
        var deadline: String
        var state: String
        var overdue: Bool
    }

    var region: Region
    var from: String
    var to: String
    var rates: [Rate]
    var rows: [Row]
    var canHandle: Bool
    var canRegister: Bool
    var sources: [SelectOption]
    var today: String
    /// The number just registered (an inspector's confirmation).
    var registered: String?
}

struct ComplaintPage: Sendable {
    struct Event: Sendable {
        var at: String
        var actor: String
        var action: String
        var note: String
    }

    var id: String
    var number: String
    var source: String
    var received: String
    var complainant: String
    var phone: String
    var content: String
    var school: String
    var schoolCode: String
    var unit: String
    var deadline: String
    var state: String
    var overdue: Bool
    var reply: String?
    var satisfied: String?
    var version: Int
    var events: [Event]
    var canAssign: Bool
    var canFollowUp: Bool
    var canAnswer: Bool
    var canCallBack: Bool
    var rectification: String?
    var keyTask: String?
    var canOpenCase: Bool
    var canOpenTask: Bool
    var categories: [SelectOption]
    var targets: [SelectOption]
    var today: String
    var defaultDeadline: String
}

struct AgendaPage: Sendable {
    struct Item: Sendable {
        var kind: String
        var title: String
        var href: String
        var due: String
        var when: String
        var overdue: Bool
    }

    var items: [Item]
    /// nil when nothing is late (a section, not a number, in the template).
    var overdue: Int?
    var total: Int
}
