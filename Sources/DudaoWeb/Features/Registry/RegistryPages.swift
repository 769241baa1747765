import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// The overview → region → school pages (the registry as offices browse it).
struct RegistryPages: Sendable {
    let state: AppState
    var pages: Pages { Pages(state: state) }
    var db: Database { state.database }

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("/") { request, context in try await home(request, context) }
        router.get("regions/:code") { request, context in
            try await region(request, context, code: context.parameters.get("code") ?? "")
        }
        router.get("schools/:code") { request, context in
            try await school(request, context, code: context.parameters.get("code") ?? "")
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
        var provinces: [[String: Any]] = []
        for province in roots {
            var cities: [[String: Any]] = []
            for city in try await regions.children(of: province.code) {
                let n = counts.filter { $0.key.hasPrefix(city.code) }.values.reduce(0, +)
                cities.append(["name": city.name, "href": "/regions/\(city.code)", "schools": n])
            }
            let n = counts.filter { $0.key.hasPrefix(province.code) }.values.reduce(0, +)
            provinces.append(["name": province.name, "href": "/regions/\(province.code)", "schools": n, "cities": cities])
        }
        var page = pages.base(request, context, lang, title: Strings.shared("appFull", lang))
        page["provinces"] = provinces
        page["empty"] = provinces.isEmpty
        page["programmes"] = ProgrammeCatalog.builtIn.map { ["id": $0.id, "name": $0.name(lang)] }
        return pages.respond(rl, .home, page)
    }

    // MARK: region

    func region(_ request: Request, _ ctx: SignedInContext, code: String) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        guard user.canRead(region: code), let region = try await RegionRepository(db.sql).find(code) else {
            return pages.notFound(request, ctx, rl, what: "\(Strings.shared("regions", lang)) \(code)")
        }
        let years = try await ReturnRepository(db.sql).years(under: code)
        let programmeId = try request.query("programme") ?? ProgrammeCatalog.defaultId
        guard let programme = ProgrammeCatalog.programme(id: programmeId) else {
            return pages.notFound(request, ctx, rl, what: "\(Strings.shared("programme", lang)) \(programmeId)")
        }
        let year = try request.queryYear() ?? years.first
        let crumbs = try await RegionRepository(db.sql).path(to: code).filter { user.canRead(region: $0.code) }
        var context = pages.base(request, ctx, lang, title: region.name, crumbs: crumbs)
        context["region"] = ["name": region.name, "code": region.code, "level": lang == .zh ? region.level.zh : region.level.en]
        context["years"] = years.map { ["year": $0, "selected": $0 == year] }
        context["programmes"] = ProgrammeCatalog.builtIn.map { ["id": $0.id, "name": $0.name(lang), "selected": $0.id == programme.id] }
        context["query"] = "year=\(year ?? 0)&programme=\(programme.id)"
        guard let year else {
            context["noData"] = true
            return pages.respond(rl, region.level == .county ? .county : .region, context)
        }
        let evaluation = try await EvaluationService(db.sql).evaluate(region: code, year: year, programme: programme.id)
        switch evaluation {
        case .county(let e):
            context.merge(CountyView.context(e, lang: lang)) { $1 }
            context["cases"] = try await EvaluationCaseRepository(db.sql).list(under: code).map { c in
                ["id": c.id, "year": c.year, "programme": ProgrammeCatalog.programme(id: c.programmeId)?.name(lang) ?? c.programmeId,
                 "step": c.step.label(lang)]
            }
            context["canStart"] = user.role == .county && user.regionCode == code
            return pages.respond(rl, .county, context)
        case .rollup(let r):
            let counts = try await SchoolRepository(db.sql).countByCounty(under: code)
            let children = try await RegionRepository(db.sql).children(of: code)
            context["children"] = children.map { child in
                ["name": child.name, "href": "/regions/\(child.code)?year=\(year)&programme=\(programme.id)",
                 "schools": counts.filter { $0.key.hasPrefix(child.code) }.values.reduce(0, +)] as [String: Any]
            }
            context.merge(RollupView.context(r, lang: lang)) { $1 }
            return pages.respond(rl, .region, context)
        }
    }

    // MARK: school

    func school(_ request: Request, _ ctx: SignedInContext, code: String) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        guard let school = try await SchoolRepository(db.sql).find(code), user.canRead(school: school) else {
            return pages.notFound(request, ctx, rl, what: "\(Strings.shared("school", lang)) \(code)")
        }
        let rows = try await ReturnRepository(db.sql).rows(school: code)
        let crumbs = try await RegionRepository(db.sql).path(to: school.countyCode).filter { user.canRead(region: $0.code) }
        var context = pages.base(request, ctx, lang, title: school.name, crumbs: crumbs)
        context.merge(SchoolView.context(school, rows: rows, lang: lang)) { $1 }
        context["history"] = try await AuditLog(db.sql).history(objectType: "stage_return", objectId: code).prefix(50).map(AuditRow.init)
        let inspectors = Dictionary(uniqueKeysWithValues: try await InspectorRepository(db.sql).list(under: school.countyCode).map { ($0.id, $0) })
        var visits: [[String: Any]] = []
        for v in try await VisitRepository(db.sql).list(school: code).prefix(24) {
            let files = try await AttachmentRepository(db.sql).list(objectType: "visit", objectId: v.id)
            visits.append(["date": v.date, "inspector": inspectors[v.inspectorId]?.name ?? v.inspectorId,
                           "checklist": ChecklistCatalog.checklist(id: v.checklistId).map { lang == .zh ? $0.nameZh : $0.nameEn } ?? v.checklistId,
                           "status": v.status == .signed ? Strings.shared("signed", lang) : Strings.shared("draft", lang),
                           "photos": files.map { ["id": $0.id, "name": $0.filename] }])
        }
        context["visits"] = visits
        let schoolCases = try await RectificationRepository(db.sql).list(under: school.countyCode, school: code)
        let schoolRates = RectificationRates(schoolCases, asOf: state.today)
        context["schoolRates"] = ["closingRate": schoolRates.closingRate.map(NumberText.percent) ?? "—",
                                  "onTimeRate": schoolRates.onTimeRate.map(NumberText.percent) ?? "—", "total": schoolRates.total]
        context["cases"] = schoolCases.map {
            ["description": $0.description, "state": $0.state.label(lang), "stateId": $0.state.rawValue, "deadline": $0.deadline]
        }
        if let responsible = try await InspectorRepository(db.sql).responsibilities(under: school.countyCode)[code], let inspector = inspectors[responsible] {
            context["responsible"] = ["name": inspector.name, "phone": inspector.phone]
        }
        context["canVisit"] = user.role == .inspector
        return pages.respond(rl, .school, context)
    }

}
