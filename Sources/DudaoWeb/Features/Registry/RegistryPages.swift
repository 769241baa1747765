import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// The overview → region → school pages (the registry as offices browse it).
struct RegistryPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("/") { request, context in try await home(request, context) }
        router.get("regions/:code") { request, context in
            try await region(request, context, code: try context.parameters.text("code"))
        }
        router.get("schools/:code") { request, context in
            try await school(request, context, code: try context.parameters.text("code"))
        }
    }

    // MARK: overview

    func home(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = context.user
        // Principals start at their school, county staff and inspectors at their county.
        if let school = user.schoolCode { return .redirect(to: "/schools/\(school)", type: .normal) }
        if RegionCode.level(of: user.regionCode) == .county { return .redirect(to: "/regions/\(user.regionCode)", type: .normal) }
        let regions = RegionRepository(db.sql)
        let counts = try await SchoolRepository(db.sql).countByCounty(under: user.regionCode)
        let roots = user.regionCode.isEmpty ? try await regions.children(of: "") : (try await regions.find(user.regionCode)).map { [$0] } ?? []
        var provinces: [HomePage.Province] = []
        for province in roots {
            var cities: [HomePage.City] = []
            for city in try await regions.children(of: province.code) {
                cities.append(.init(name: city.name, href: "/regions/\(city.code)", schools: Self.schools(under: city.code, counts)))
            }
            provinces.append(
                .init(name: province.name, href: "/regions/\(province.code)", schools: Self.schools(under: province.code, counts), cities: cities))
        }
        let model = HomePage(
            provinces: provinces, empty: provinces.isEmpty,
            programmes: ProgrammeCatalog.builtIn.map { .init(id: $0.id, name: $0.name(lang)) })
        return pages.render(rl, .home, Page(layout: pages.layout(request, context, lang, title: Strings.shared("appFull", lang)), model: model))
    }

    /// Schools in the counties under `code` (counts are per county).
    static func schools(under code: String, _ counts: [String: Int]) -> Int {
        counts.filter { $0.key.hasPrefix(code) }.values.reduce(0, +)
    }

    // MARK: region

    /// The programme's scored parts as the county page lists them.
    static func parts(of e: CountyEvaluation, code: String, year: Int, lang: Language, state: AppState) async throws -> [CountyPage.Part] {
        let t = Strings.shared
        return try await state.services.evaluations.parts(of: e).map { p in
            let part = p.part
            if part.kind == "survey" {
                let href = "/regions/\(code)/surveys"
                guard let s = p.survey else {
                    return .init(id: part.id, name: part.name(lang), href: href, status: t("noClosedSurvey", lang), state: "open")
                }
                let status =
                    s.rate.map { "\(t("satisfactionRate", lang)) \(NumberText.percent($0)) · \(s.responses) \(t("responses", lang))" }
                    ?? "\(t("tooFewToReport", lang)) (\(s.responses))"
                return .init(id: part.id, name: part.name(lang), href: href, status: status, state: s.passed.map { $0 ? "pass" : "fail" } ?? "open")
            }
            guard let result = p.sheet else {
                return .init(id: part.id, name: part.name(lang), href: nil, status: t("notBuilt", lang), state: "open")
            }
            let status =
                switch result.passed {
                case true?: t("pass", lang)
                case false?: t("fail", lang)
                case nil: "\(t("answered", lang)) \(result.answered) / \(result.items.count)"
                }
            return .init(
                id: part.id, name: part.name(lang), href: "/regions/\(code)/sheets/\(result.sheet.id)?year=\(year)", status: status,
                state: result.passed.map { $0 ? "pass" : "fail" } ?? "open")
        }
    }

    func region(_ request: Request, _ ctx: SignedInContext, code: String) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        // The region and the crumbs above it in one statement.
        guard user.canRead(region: code), case let path = try await RegionRepository(db.sql).path(to: code), let region = path.last,
            region.code == code
        else {
            return pages.notFound(request, ctx, rl, what: "\(Strings.shared("regions", lang)) \(code)")
        }
        // The years with returns change only with the data: kept per data version.
        let stored = state.services.storedEvaluations
        let version = try await stored.version(of: code), day = stored.day
        var years = state.regionYears.value(code, dataVersion: version, day: day) ?? []
        if years.isEmpty {
            years = state.regionYears.store(code, try await ReturnRepository(db.sql).years(under: code), dataVersion: version, day: day)
        }
        let programmeId = try request.query("programme") ?? ProgrammeCatalog.defaultId
        guard let programme = ProgrammeCatalog.programme(id: programmeId) else {
            return pages.notFound(request, ctx, rl, what: "\(Strings.shared("programme", lang)) \(programmeId)")
        }
        let year = try request.queryYear() ?? years.first
        let layout = pages.layout(request, ctx, lang, title: region.name, path: path)
        var heading = RegionHeading(name: region.name, code: region.code, level: lang == .zh ? region.level.zh : region.level.en)
        if let year, case let former = RegionCatalog.standard.formerNames(of: code, in: year), !former.isEmpty {
            heading.formerName = lang == .zh ? "\(year)年时为\(former.joined(separator: "、"))" : "called \(former.joined(separator: ", ")) in \(year)"
        }
        let yearOptions = years.map { YearOption(year: $0, selected: $0 == year) }
        let programmeOptions = ProgrammeCatalog.builtIn.map { ProgrammeOption(id: $0.id, name: $0.name(lang), selected: $0.id == programme.id) }
        let query = "year=\(year ?? 0)&programme=\(programme.id)"
        guard let year else {
            if region.level == .county {
                let model = CountyPage(
                    region: heading, years: yearOptions, programmes: programmeOptions, query: query, noData: true,
                    evaluation: nil, cases: [], canStart: false)
                return pages.render(rl, .county, Page(layout: layout, model: model))
            }
            let model = RegionPage(
                region: heading, years: yearOptions, programmes: programmeOptions, query: query, noData: true, rollupHTML: "", children: [])
            return pages.render(rl, .region, Page(layout: layout, model: model))
        }
        if region.level == .county {
            // The evaluation and its parts as drawn for this data version (`CountyDrawing`);
            // the cases and what this user may do are read on every visit.
            let key = CountyDrawing.Key(region: code, year: year, programme: programme.id, language: lang.rawValue)
            var drawn = state.countyDrawings.value(key, dataVersion: version, day: day)
            if drawn == nil {
                guard case .county(let e) = try await EvaluationService(db.sql).evaluate(region: code, year: year, programme: programme.id)
                else { throw AppError.notFound("region \(code)") }
                let view = CountyView(e, lang: lang)
                let stages = state.renderer.block(.countyStages, Page(layout: layout, model: view))
                let headline = CountyPage.Headline(view, dataVersion: version, computedAt: Today.display(state.services.clock.moment.timestamp))
                let parts = try await Self.parts(of: e, code: code, year: year, lang: lang, state: state)
                let headlineHTML = state.renderer.block(
                    .countyHeadline,
                    Page(layout: layout, model: CountyPage.HeadlineView(region: heading, query: query, evaluation: headline, parts: parts)))
                drawn = state.countyDrawings.store(
                    key, .init(headline: headline, headlineHTML: headlineHTML, stagesHTML: stages), dataVersion: version, day: day)
            }
            guard let drawn else { throw AppError.notFound("region \(code)") }
            let cases = try await EvaluationCaseRepository(db.sql).list(under: code).map { c in
                CountyPage.Case(
                    id: c.id, year: c.year, programme: ProgrammeCatalog.programme(id: c.programmeId)?.name(lang) ?? c.programmeId,
                    step: c.step.label(lang))
            }
            var model = CountyPage(
                region: heading, years: yearOptions, programmes: programmeOptions, query: query, noData: false,
                evaluation: drawn.headline, cases: cases, canStart: user.canStartEvaluation(county: code))
            model.headlineHTML = drawn.headlineHTML
            model.stagesHTML = drawn.stagesHTML
            return pages.render(rl, .county, Page(layout: layout, model: model))
        }
        // A roll-up evaluates every county below: drawn once per data version (`RegionDrawing`).
        let key = RegionDrawing.Key(region: code, year: year, programme: programme.id, language: lang.rawValue)
        var drawn = state.regionDrawings.value(key, dataVersion: version, day: day)
        if drawn == nil {
            guard case .rollup(let r) = try await EvaluationService(db.sql).evaluate(region: code, year: year, programme: programme.id)
            else { throw AppError.notFound("region \(code)") }
            let counts = try await SchoolRepository(db.sql).countByCounty(under: code)
            let children = try await RegionRepository(db.sql).children(of: code).map { child in
                RegionPage.Child(
                    name: child.name, href: "/regions/\(child.code)?year=\(year)&programme=\(programme.id)",
                    schools: Self.schools(under: child.code, counts))
            }
            let fragment = RegionDrawing.Fragment(
                rollup: RollupView(r, lang: lang), dataVersion: version, computedAt: Today.display(state.services.clock.moment.timestamp))
            drawn = state.regionDrawings.store(
                key, .init(rollupHTML: state.renderer.block(.regionRollup, Page(layout: layout, model: fragment)), children: children),
                dataVersion: version, day: day)
        }
        guard let drawn else { throw AppError.notFound("region \(code)") }
        let model = RegionPage(
            region: heading, years: yearOptions, programmes: programmeOptions, query: query, noData: false, rollupHTML: drawn.rollupHTML,
            children: drawn.children)
        return pages.render(rl, .region, Page(layout: layout, model: model))
    }

    // MARK: school

    func school(_ request: Request, _ ctx: SignedInContext, code: String) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        guard let school = try await SchoolRepository(db.sql).find(code), user.canRead(school: school) else {
            return pages.notFound(request, ctx, rl, what: "\(Strings.shared("school", lang)) \(code)")
        }
        let layout = try await pages.layout(request, ctx, lang, title: school.name, under: school.countyCode)
        // The body is kept per the county's data version (returns, evaluation) and supervision
        // version (visits, cases), and the day (rates as of today); both read before drawing.
        let (dataVersion, supervision) = try await DataVersions.both(of: school.countyCode, on: db.sql)
        let key = SchoolDrawing.Key(school: code, language: lang.rawValue, dataVersion: dataVersion)
        var bodyHTML = state.schoolDrawings.value(key, dataVersion: supervision, day: state.today)
        if bodyHTML == nil {
            let html = state.renderer.block(.schoolBody, Page(layout: layout, model: try await body(of: school, lang: lang)))
            bodyHTML = state.schoolDrawings.store(key, html, dataVersion: supervision, day: state.today)
        }
        let responsible = try await InspectorRepository(db.sql).responsible(for: code).map { SchoolPage.Responsible(name: $0.name, phone: $0.phone) }
        let model = SchoolPage(
            school: SchoolView.facts(school, lang: lang), responsible: responsible, canVisit: user.canRecordVisits, bodyHTML: bodyHTML ?? "")
        return pages.render(rl, .school, Page(layout: layout, model: model))
    }

    /// What the school page shows below its heading, read from the store.
    func body(of school: School, lang: Language) async throws -> SchoolBody {
        let code = school.code
        let rows = try await ReturnRepository(db.sql).rows(school: code)
        let history = try await AuditLog(db.sql).history(objectType: "stage_return", objectId: code, limit: 50).map(AuditRow.init)
        let recent = try await VisitRepository(db.sql).list(school: code, limit: 24)
        let inspectorRepository = InspectorRepository(db.sql)
        let inspectors = try await inspectorRepository.find(ids: recent.map(\.inspectorId))
        let files = try await AttachmentRepository(db.sql).list(objectType: "visit", objectIds: recent.map(\.id))
        let visits: [SchoolPage.Visit] = recent.map { v in
            .init(
                date: v.date, inspector: inspectors[v.inspectorId]?.name ?? v.inspectorId,
                checklist: ChecklistCatalog.checklist(id: v.checklistId).map { lang == .zh ? $0.nameZh : $0.nameEn } ?? v.checklistId,
                status: v.status == .signed ? Strings.shared("signed", lang) : Strings.shared("draft", lang),
                photos: (files[v.id] ?? []).map { .init(id: $0.id, name: $0.filename) })
        }
        let schoolCases = try await RectificationRepository(db.sql).list(under: school.countyCode, school: code)
        let schoolRates = RectificationRates(schoolCases, asOf: state.today)
        let table = SchoolView.returns(rows, lang: lang)
        var body = SchoolBody(
            fieldHeads: table.heads, returns: table.rows, history: history, visits: visits,
            schoolRates: .init(
                closingRate: schoolRates.closingRate.map(NumberText.percent) ?? "—",
                onTimeRate: schoolRates.onTimeRate.map(NumberText.percent) ?? "—", total: schoolRates.total),
            cases: schoolCases.map {
                .init(description: $0.description, state: $0.state.label(lang), stateId: $0.state.rawValue, deadline: $0.deadline)
            })
        // Its place in the county's evaluation, from the stored result (computed once per data version).
        if let s = try await state.services.storedEvaluations.standing(of: code, county: school.countyCode, language: lang) {
            body.standingTitle = "\(s.year) · \(s.programme)"
            body.standing = s.rows.map { r in
                .init(
                    stage: Stage(rawValue: r.stage)?.label(lang) ?? r.stage,
                    verdict: Strings.shared(r.passed == true ? "stPassed" : "stFailed", lang), passed: r.passed == true, met: r.met,
                    gaps: r.gaps.filter { !$0.within_tolerance }.map(\.text))
            }
            body.standingVersion =
                "\(Strings.shared("dataVersion", lang)) \(s.dataVersion) · \(Strings.shared("computedAt", lang)) \(Today.display(s.computedAt))"
        }
        return body
    }

}
