import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// The server-rendered pages: overview → region → county evaluation → school.
struct Pages: Sendable {
    let state: AppState
    var db: Database { state.database }

    func register(on router: Router<AppContext>) {
        router.get("/") { request, _ in try await home(request) }
        router.get("regions/:code") { request, context in
            try await region(request, code: context.parameters.get("code") ?? "")
        }
        router.get("regions/:code/evaluation.xlsx") { request, context in
            try await evaluationWorkbook(request, code: context.parameters.get("code") ?? "")
        }
        router.get("schools/:code") { request, context in
            try await school(request, code: context.parameters.get("code") ?? "")
        }
    }

    /// Shared context of every page: strings, language switch, breadcrumbs.
    func base(_ request: Request, _ lang: Language, title: String, crumbs: [Region] = []) -> [String: Any] {
        let other: Language = lang == .zh ? .en : .zh
        return [
            "t": Strings.shared.all(lang), "lang": lang == .zh ? "zh-CN" : "en", "title": title,
            "switchLink": RequestLanguage.switchLink(request, to: other),
            "crumbs": crumbs.map { ["name": $0.name, "href": "/regions/\($0.code)"] },
        ]
    }

    func respond(_ language: RequestLanguage, _ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var response = state.renderer.html(template, context, status: status)
        if let cookie = language.cookie { response.setCookie(cookie) }
        return response
    }

    func notFound(_ request: Request, _ language: RequestLanguage, what: String) -> Response {
        var context = base(request, language.language, title: Strings.shared("notFound", language.language))
        context["message"] = what
        return respond(language, "error", context, status: .notFound)
    }

    // MARK: overview

    func home(_ request: Request) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let regions = RegionRepository(db.sql)
        let counts = try await SchoolRepository(db.sql).countByCounty(under: "")
        var provinces: [[String: Any]] = []
        for province in try await regions.children(of: "") {
            var cities: [[String: Any]] = []
            for city in try await regions.children(of: province.code) {
                let n = counts.filter { $0.key.hasPrefix(city.code) }.values.reduce(0, +)
                cities.append(["name": city.name, "href": "/regions/\(city.code)", "schools": n])
            }
            let n = counts.filter { $0.key.hasPrefix(province.code) }.values.reduce(0, +)
            provinces.append(["name": province.name, "href": "/regions/\(province.code)", "schools": n, "cities": cities])
        }
        var context = base(request, lang, title: Strings.shared("appFull", lang))
        context["provinces"] = provinces
        context["empty"] = provinces.isEmpty
        context["programmes"] = ProgrammeCatalog.builtIn.map { ["id": $0.id, "name": $0.name(lang)] }
        return respond(rl, "home", context)
    }

    // MARK: region

    func region(_ request: Request, code: String) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        guard let region = try await RegionRepository(db.sql).find(code) else {
            return notFound(request, rl, what: "\(Strings.shared("regions", lang)) \(code)")
        }
        let years = try await ReturnRepository(db.sql).years(under: code)
        let programmeId = request.uri.queryParameters.get("programme") ?? ProgrammeCatalog.defaultId
        guard let programme = ProgrammeCatalog.programme(id: programmeId) else {
            return notFound(request, rl, what: "\(Strings.shared("programme", lang)) \(programmeId)")
        }
        let year = request.uri.queryParameters.get("year").flatMap { Int($0) } ?? years.first
        let crumbs = try await RegionRepository(db.sql).path(to: code)
        var context = base(request, lang, title: region.name, crumbs: crumbs)
        context["region"] = ["name": region.name, "code": region.code, "level": lang == .zh ? region.level.zh : region.level.en]
        context["years"] = years.map { ["year": $0, "selected": $0 == year] }
        context["programmes"] = ProgrammeCatalog.builtIn.map { ["id": $0.id, "name": $0.name(lang), "selected": $0.id == programme.id] }
        context["query"] = "year=\(year ?? 0)&programme=\(programme.id)"
        guard let year else {
            context["noData"] = true
            return respond(rl, region.level == .county ? "county" : "region", context)
        }
        let evaluation = try await EvaluationService(db.sql).evaluate(region: code, year: year, programme: programme.id)
        switch evaluation {
        case .county(let e):
            context.merge(CountyView.context(e, lang: lang)) { $1 }
            return respond(rl, "county", context)
        case .rollup(let r):
            let counts = try await SchoolRepository(db.sql).countByCounty(under: code)
            let children = try await RegionRepository(db.sql).children(of: code)
            context["children"] = children.map { child in
                ["name": child.name, "href": "/regions/\(child.code)?year=\(year)&programme=\(programme.id)",
                 "schools": counts.filter { $0.key.hasPrefix(child.code) }.values.reduce(0, +)] as [String: Any]
            }
            context.merge(RollupView.context(r, lang: lang)) { $1 }
            return respond(rl, "region", context)
        }
    }

    func evaluationWorkbook(_ request: Request, code: String) async throws -> Response {
        let lang = RequestLanguage(request).language
        let year = request.uri.queryParameters.get("year").flatMap { Int($0) }
        let programme = request.uri.queryParameters.get("programme") ?? ProgrammeCatalog.defaultId
        guard case .county(let e) = try await EvaluationService(db.sql).evaluate(region: code, year: year, programme: programme) else {
            throw HTTPError(.badRequest, message: "workbooks are made for counties")
        }
        let data = try XLSXWriter.write(EvaluationWorkbook.sheets(e, language: lang))
        let filename = "evaluation-\(e.region.code)-\(e.year)-\(e.programme.id).xlsx"
        return Response(status: .ok, headers: [
            .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            .contentDisposition: "attachment; filename=\"\(filename)\"",
        ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: school

    func school(_ request: Request, code: String) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        guard let school = try await SchoolRepository(db.sql).find(code) else {
            return notFound(request, rl, what: "\(Strings.shared("school", lang)) \(code)")
        }
        let rows = try await ReturnRepository(db.sql).rows(school: code)
        let crumbs = try await RegionRepository(db.sql).path(to: school.countyCode)
        var context = base(request, lang, title: school.name, crumbs: crumbs)
        context.merge(SchoolView.context(school, rows: rows, lang: lang)) { $1 }
        return respond(rl, "school", context)
    }
}
