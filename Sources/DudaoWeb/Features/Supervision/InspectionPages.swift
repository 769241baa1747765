import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 挂牌督导 plates and 双随机一公开 draws.
struct InspectionPages: FeatureRoutes {
    let state: AppState

    func register(public router: RouterGroup<AppContext>, signedIn: RouterGroup<SignedInContext>) {
        signedIn.get("regions/:code/plates") { request, context in try await plates(request, context) }
        signedIn.get("regions/:code/draws") { request, context in try await draws(request, context, message: nil) }
        signedIn.post("regions/:code/draws") { request, context in try await makeDraw(request, context) }
        signedIn.post("draws/:id/publish") { request, context in try await publish(request, context) }
        router.get("public/draws/:id") { request, context in try await publicDraw(request, context) }
    }

    /// The plate on each school gate: school, responsible inspector, phone, what is supervised.
    func plates(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let region = try await regionInScope(ctx)
        let code = region.code
        let inspectors = Dictionary(uniqueKeysWithValues: try await InspectorRepository(db.sql).list(under: code).map { ($0.id, $0) })
        let responsible = try await InspectorRepository(db.sql).responsibilities(under: code)
        let areas = ChecklistCatalog.checklist(id: "routine")?.sections.map { rl.language == .zh ? $0.titleZh : $0.titleEn } ?? []
        let plates = try await SchoolRepository(db.sql).list(under: code).map { school in
            let inspector = responsible[school.code].flatMap { inspectors[$0] }
            return PlatesPage.Plate(
                school: school.name, code: school.code, inspector: inspector?.name ?? "—", phone: inspector?.phone ?? "—",
                zone: inspector?.zone ?? "", office: region.name, areas: areas.map { NameRow(name: $0) })
        }
        let layout = pages.layout(request, ctx, rl.language, title: "\(region.name) · \(Strings.shared("plates", rl.language))")
        return pages.render(rl, .plates, Page(layout: layout, model: PlatesPage(plates: plates)))
    }

    func draws(_ request: Request, _ ctx: SignedInContext, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let rl = RequestLanguage(request)
        let user = ctx.user
        let region = try await regionInScope(ctx)
        let code = region.code
        let schools = Dictionary(uniqueKeysWithValues: try await SchoolRepository(db.sql).list(under: code).map { ($0.code, $0.name) })
        let inspectors = Dictionary(uniqueKeysWithValues: try await InspectorRepository(db.sql).list(under: code).map { ($0.id, $0.name) })
        let draws = try await InspectorRepository(db.sql).draws(under: code).map { d in
            DrawsPage.Draw(
                id: d.id, title: d.title, seed: String(d.draw.seed), published: d.published, at: String(d.createdAt.prefix(10)), by: d.createdBy,
                teams: d.draw.schools.map { s in
                    .init(school: schools[s] ?? s, code: s, inspectors: (d.draw.teams[s] ?? []).map { inspectors[$0] ?? $0 }.joined(separator: "、"))
                })
        }
        let model = DrawsPage(region: .init(code: code, name: region.name), canDraw: user.isOfficeStaff, message: message, draws: draws)
        let layout = pages.layout(request, ctx, rl.language, title: "\(region.name) · \(Strings.shared("draws", rl.language))")
        return pages.render(rl, .draws, Page(layout: layout, model: model), status: status)
    }

    func makeDraw(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let user = ctx.user
        let code = try ctx.parameters.text("code")
        let form = try await FormData.submitted(request, ctx)
        guard user.canRead(region: code), user.isOfficeStaff else { return pages.notFound(request, ctx, RequestLanguage(request), what: code) }
        let counts = (
            schools: try form.integer("schools", in: 1...100_000, default: 5),
            inspectors: try form.integer("inspectors", in: 1...100_000, default: 3),
            team: try form.integer("team", in: 1...100, default: 2)
        )
        let title = try form.text("title")
        let conflicts = try form.paragraph("conflicts")
        let seedText = try form.text("seed")
        guard seedText.isEmpty || (seedText.count <= 19 && UInt64(seedText) != nil) else {
            throw AppError.invalid("seed", zh: "随机种子应为非负整数", en: "the seed must be a non-negative whole number")
        }
        let schools = try await SchoolRepository(db.sql).list(under: code).filter { $0.type != .kindergarten || form["kindergartens"] == "on" }.map(
            \.code)
        let inspectors = try await InspectorRepository(db.sql).list(under: code).map(\.id)
        // Own responsibility schools are excluded, and any declared conflicts ("inspector school" per line).
        var excluded: [String: Set<String>] = [:]
        for (school, inspector) in try await InspectorRepository(db.sql).responsibilities(under: code) {
            excluded[inspector, default: []].insert(school)
        }
        for line in conflicts.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ").map(String.init)
            if parts.count == 2 { excluded[parts[0], default: []].insert(parts[1]) }
        }
        let seed = UInt64(seedText) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        do {
            let draw = try RandomDraw.draw(
                seed: seed, schoolPool: schools, inspectorPool: inspectors, schools: counts.schools,
                inspectors: counts.inspectors, teamSize: counts.team, excluded: excluded)
            _ = try await state.services.draws.save(region: code, title: title.isEmpty ? "双随机抽查" : title, draw: draw, by: user.username)
            return .redirect(to: "/regions/\(code)/draws", type: .normal)
        } catch let failure as RandomDraw.Failure {
            return try await draws(
                request, ctx, message: RequestLanguage(request).language == .zh ? failure.zh : failure.en, status: .unprocessableContent)
        }
    }

    func publish(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let user = ctx.user
        let form = try await FormData.submitted(request, ctx)
        guard let stored = try await InspectorRepository(db.sql).draw(try ctx.parameters.text("id")), user.canRead(region: stored.regionCode),
            user.isOfficeStaff
        else { return pages.notFound(request, ctx, RequestLanguage(request), what: "draw") }
        try await state.services.draws.publish(stored.id, region: stored.regionCode, by: user.username)
        return .redirect(to: "/public/draws/\(stored.id)", type: .normal)
    }

    /// 一公开 of the results: per drawn school, signed visits since the draw and the findings they opened.
    func results(_ stored: InspectorRepository.StoredDraw) async throws -> [String: (visits: Int, last: String, findings: Int)] {
        let since = String(stored.createdAt.prefix(10))
        var out: [String: (Int, String, Int)] = [:]
        for school in stored.draw.schools {
            let visits = try await VisitRepository(db.sql).list(school: school).filter { $0.status == .signed && $0.date >= since }
            let ids = Set(visits.map(\.id))
            let cases = try await RectificationRepository(db.sql).list(under: String(school.dropFirst().prefix(6)), school: school)
                .filter { c in ids.contains { c.id.hasPrefix("R-\($0)-") } }
            out[school] = (visits.count, visits.first?.date ?? "—", cases.count)
        }
        return out
    }

    /// 一公开: a published draw, without sign-in.
    func publicDraw(_ request: Request, _ ctx: AppContext) async throws -> Response {
        let rl = RequestLanguage(request)
        guard let stored = try await InspectorRepository(db.sql).draw(try ctx.parameters.text("id")), stored.published else {
            return pages.notFound(request, ctx, rl, what: "draw")
        }
        let schools = Dictionary(uniqueKeysWithValues: try await SchoolRepository(db.sql).list(under: stored.regionCode).map { ($0.code, $0.name) })
        let inspectors = Dictionary(
            uniqueKeysWithValues: try await InspectorRepository(db.sql).list(under: stored.regionCode).map { ($0.id, $0.name) })
        let heading = PublicDrawPage.Heading(
            title: stored.title, seed: String(stored.draw.seed), at: String(stored.createdAt.prefix(10)),
            region: try await RegionRepository(db.sql).find(stored.regionCode)?.name ?? stored.regionCode)
        let found = try await results(stored)
        let teams = stored.draw.schools.map { s in
            PublicDrawPage.Team(
                school: schools[s] ?? s, inspectors: (stored.draw.teams[s] ?? []).map { inspectors[$0] ?? $0 }.joined(separator: "、"),
                visits: found[s]?.visits ?? 0, last: found[s]?.last ?? "—", findings: found[s]?.findings ?? 0)
        }
        let layout = pages.layout(request, ctx, rl.language, title: stored.title)
        return pages.render(rl, .publicDraw, Page(layout: layout, model: PublicDrawPage(draw: heading, teams: teams)))
    }
}
