import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 督学 work of a region: rectification cases with their two rates, overdue escalation,
/// actions each user may take, and the month's visit coverage.
struct SupervisionPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("regions/:code/supervision") { request, context in try await show(request, context) }
        router.post("rectifications/:id/actions") { request, context in try await act(request, context) }
    }

    func show(_ request: Request, _ ctx: SignedInContext, message: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        let region = try await regionInScope(ctx)
        let code = region.code
        let today = state.today
        let month = try request.queryMonth("month") ?? String(today.prefix(7))
        let filter = try request.query("state").flatMap { RectificationState(rawValue: $0) }
        let page = try request.queryInteger("page", in: 1...100_000) ?? 1
        let versions = try await DataVersions.both(of: code, on: db.sql)
        let list = try await casePage(code: code, state: filter, page: page, versions: versions)
        let policy = EscalationPolicy.standard
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("supervision", lang))", under: code)
        let tallies = try await tallies(code: code, month: month, lang: lang, layout: layout, versions: versions)
        // What this user may do with each case is asked per request; the row's drawing is kept.
        let caseRows = list.cases.map { c -> SupervisionPage.Case in
            func can(_ a: RectificationAction) -> Bool { (try? RectificationRules.apply(a, to: c, by: user, today: today)) != nil }
            let escalated = policy.level(of: c, today: today)
            return .init(
                id: c.id, school: list.names[c.schoolCode] ?? c.schoolCode, schoolCode: c.schoolCode,
                category: Strings.shared("category_" + c.category, lang), description: c.description, deadline: c.deadline,
                state: c.state.rawValue, stateName: c.state.label(lang), overdue: escalated != nil,
                escalated: escalated.map { lang == .zh ? $0.zh : $0.en } ?? "", reopened: c.reopenCount > 0,
                canStart: can(.start), canSubmit: can(.submitEvidence(note: "x")), canVerify: can(.verify(note: "")),
                canReturn: can(.returnEvidence(reason: "x")), canReopen: can(.reopen(reason: "x")),
                canEscalate: escalated != nil && user.canSuperviseKeyTasks(region: c.countyCode))
        }
        // An inspector's own plan: their schools, last visit, and whether this month's is done.
        var plan: [SupervisionPage.PlanRow]?
        if user.role == .inspector, let me = try await InspectorRepository(db.sql).find(username: user.username) {
            let mine = try await InspectorRepository(db.sql).schools(of: me.id)
            let schools = try await SchoolRepository(db.sql).find(codes: mine)
            let last = try await VisitRepository(db.sql).lastSigned(schools: mine)
            plan = mine.compactMap { code in
                schools[code].map { school in
                    .init(name: school.name, code: code, last: last[code] ?? "—", done: last[code].map { $0.hasPrefix(month) } ?? false)
                }
            }
        }
        // Only known refusal codes are shown: the query cannot put text of its own on the page.
        let known = try request.query("error").flatMap { Self.refusalCodes.contains($0) ? Strings.shared("refusal_" + $0, lang) : nil }
        var model = SupervisionPage(
            region: .init(code: code, name: region.name), rates: tallies.rates,
            states: RectificationState.allCases.map { s in
                .init(id: s.rawValue, name: s.label(lang), n: tallies.counts[s] ?? 0, selected: s == filter)
            },
            casesHTML: rows(caseRows, layout: layout, lang: lang), plan: plan, regionHTML: tallies.regionHTML, message: message ?? known)
        model.pager = Pager(page: page, hasNext: list.hasNext, query: filter.map { "state=\($0.rawValue)&" } ?? "")
        return pages.render(rl, .supervision, Page(layout: layout, model: model), status: status)
    }

    /// What the list shows of the whole region, the same for every visitor: the rates and
    /// counts by state, the rates per responsible inspector, the month's unvisited schools and
    /// the roster's checks. Counted by the database; kept per supervision version, data version
    /// (schools), month, language and day (rates and escalation are as of today).
    struct Tallies: Sendable {
        struct Key: Hashable, Sendable {
            var region: String
            var month: String
            var language: String
            var dataVersion: Int
        }

        var rates: SupervisionPage.Rates
        var counts: [RectificationState: Int]
        /// The `supervision-region` fragment, drawn once with these figures.
        var regionHTML: String
    }

    func tallies(code: String, month: String, lang: Language, layout: Layout, versions: (data: Int, supervision: Int)) async throws -> Tallies {
        let today = state.today
        let (dataVersion, supervision) = versions
        let key = Tallies.Key(region: code, month: month, language: lang.rawValue, dataVersion: dataVersion)
        if let kept = state.supervisionTallies.value(key, dataVersion: supervision, day: today) { return kept }
        let repository = RectificationRepository(db.sql)
        let rates = try await repository.rates(under: code, asOf: today)
        // Coverage: schools without a signed visit this month, by responsible inspector.
        let inspectorRepository = InspectorRepository(db.sql)
        let inspectors = Dictionary(uniqueKeysWithValues: try await inspectorRepository.list(under: code).map { ($0.id, $0) })
        let unvisited = try await inspectorRepository.unvisited(under: code, month: month)
        let coverage = Dictionary(grouping: unvisited.schools, by: { $0.inspector ?? "" }).sorted { $0.key < $1.key }.map { inspector, rows in
            SupervisionPage.Unvisited(
                inspector: inspectors[inspector].map { "\($0.name) \($0.phone)" } ?? Strings.shared("noInspector", lang),
                schools: rows.map { SchoolLink(name: $0.school.name, code: $0.school.code) })
        }
        // 挂牌督导 checks: schools without a responsible inspector, inspectors above the usual load.
        let responsible = try await inspectorRepository.responsibilities(under: code)
        let regionSchools = try await SchoolRepository(db.sql).list(under: code)
        let check = ResponsibilityCheck.check(schools: regionSchools.map(\.code), inspectors: Array(inspectors.keys), assignment: responsible)
        // The two rates per responsible inspector (cases of their schools).
        let byInspector = try await repository.ratesByInspector(under: code, asOf: today).sorted { $0.key < $1.key }.map { id, r in
            SupervisionPage.InspectorRates(
                inspector: inspectors[id]?.name ?? Strings.shared("noInspector", lang), total: r.total, closed: r.closed,
                closingRate: r.closingRate.map(NumberText.percent) ?? "—", onTimeRate: r.onTimeRate.map(NumberText.percent) ?? "—")
        }
        let part = SupervisionPage.RegionPart(
            month: month, unvisited: coverage, unvisitedCount: unvisited.count, withoutInspector: check.schoolsWithoutInspector.count,
            overloaded: check.overloaded.sorted { $0.key < $1.key }.map { .init(name: inspectors[$0.key]?.name ?? $0.key, n: $0.value) },
            byInspector: byInspector)
        let html = state.renderer.block(.supervisionRegion, Page(layout: layout, model: part))
        let tallies = Tallies(
            rates: .init(
                total: rates.total, closed: rates.closed, onTime: rates.closedOnTime, overdue: rates.overdue,
                closingRate: rates.closingRate.map(NumberText.percent) ?? "—", onTimeRate: rates.onTimeRate.map(NumberText.percent) ?? "—"),
            counts: try await repository.countByState(under: code), regionHTML: html)
        return state.supervisionTallies.store(key, tallies, dataVersion: supervision, day: today)
    }

    /// One page of a region's cases, newest first, with their schools' names: kept per
    /// supervision version (every case change raises it), data version (names) and day.
    struct CasePage: Sendable {
        struct Key: Hashable, Sendable {
            var region: String
            var state: RectificationState?
            var page: Int
            var dataVersion: Int
        }

        var cases: [RectificationCase]
        /// School code → name.
        var names: [String: String]
        var hasNext: Bool
    }

    func casePage(code: String, state filter: RectificationState?, page: Int, versions: (data: Int, supervision: Int)) async throws -> CasePage {
        let today = state.today
        let key = CasePage.Key(region: code, state: filter, page: page, dataVersion: versions.data)
        if let kept = state.supervisionCases.value(key, dataVersion: versions.supervision, day: today) { return kept }
        let cases = try await RectificationRepository(db.sql).list(
            under: code, state: filter, limit: Self.pageSize + 1, offset: (page - 1) * Self.pageSize)
        let shown = Array(cases.prefix(Self.pageSize))
        let schools = try await SchoolRepository(db.sql).find(codes: Array(Set(shown.map(\.schoolCode))))
        let found = CasePage(cases: shown, names: schools.mapValues(\.name), hasNext: cases.count > Self.pageSize)
        return state.supervisionCases.store(key, found, dataVersion: versions.supervision, day: today)
    }

    /// The table rows of `cases` (`supervision-case`), each drawn once per what it shows (the
    /// case, this user's actions on it, the language and day) and kept with a mark where the
    /// form token goes, which is put in per request: a row is the same for every visitor who
    /// may do the same with it, as a cached fragment keyed by its record's content.
    func rows(_ cases: [SupervisionPage.Case], layout: Layout, lang: Language) -> String {
        let today = state.today
        var html = ""
        var rowLayout: Layout?
        let token = HTMLText.escaped(layout.csrf)  // 64 hex digits: normally unchanged
        for c in cases {
            let key = SupervisionPage.CaseRow.Key(row: c, language: lang.rawValue)
            var parts = state.supervisionRows.value(key, dataVersion: 0, day: today)
            if parts == nil {
                if rowLayout == nil {
                    rowLayout = layout
                    rowLayout?.csrf = Self.tokenMark
                }
                let model = SupervisionPage.CaseRow(
                    row: c,
                    letterKinds: c.canEscalate ? LetterKind.allCases.map { SelectOption(id: $0.rawValue, name: $0.label(lang)) } : [],
                    replyDue: c.canEscalate ? DateText.ordinal(today).map { DateText.string(fromOrdinal: $0 + 7) } ?? today : "")
                let drawn = state.renderer.fragment(.supervisionCase, Page(layout: rowLayout!, model: model))
                parts = state.supervisionRows.store(key, drawn.components(separatedBy: Self.tokenMark), dataVersion: 0, day: today)
            }
            html += parts!.joined(separator: token)
        }
        return html
    }

    /// Stands for the form token in a kept row.
    static let tokenMark = "DUDAO-FORM-TOKEN-MARK"

    func act(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let user = ctx.user
        let id = try ctx.parameters.text("id")
        let form = try await FormData.parse(request, ctx)
        guard let found = try await RectificationRepository(db.sql).find(id),
            user.canRead(region: found.case.countyCode) || user.schoolCode == found.case.schoolCode
        else {
            return pages.notFound(request, ctx, RequestLanguage(request), what: id)
        }
        let back = "/regions/\(found.case.countyCode)/supervision"
        guard form.hasValidCSRF(ctx) else { throw AppError.csrf }
        guard let action = Self.action(form["action"], note: try form.paragraph("note")) else {
            throw AppError.invalid("action", zh: "未知操作", en: "unknown action")
        }
        do {
            try await state.services.rectifications.act(action, id: id, expectedVersion: try form.version() ?? found.version, by: user)
        } catch let refusal as ReviewRefusal {
            // Back to the list, which shows why (a redirect keeps the page reloadable).
            return .redirect(to: back + "?error=" + (Self.refusalCodes.contains(refusal.code) ? refusal.code : "refused"), type: .normal)
        }
        return .redirect(to: back, type: .normal)
    }

    /// Cases a page.
    static let pageSize = 50

    static let refusalCodes: Set<String> = [
        "illegal_transition", "not_allowed", "evidence_required", "reason_required", "version_conflict", "refused",
    ]

    /// `action` and `note` fields (forms and JSON) → a rectification action.
    static func action(_ name: String?, note: String) -> RectificationAction? {
        switch name {
        case "start": return .start
        case "submit_evidence": return .submitEvidence(note: note)
        case "verify": return .verify(note: note)
        case "return_evidence": return .returnEvidence(reason: note)
        case "reopen": return .reopen(reason: note)
        default: return nil
        }
    }
}
