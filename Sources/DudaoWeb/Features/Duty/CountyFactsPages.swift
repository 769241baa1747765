import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 区县数据: the county office's own facts for a year (preschool-age population, spending,
/// pay), entered in a form with a version; locked like school returns once approved in a round.
struct CountyFactsPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("regions/:code/facts") { request, context in try await show(request, context) }
        router.post("regions/:code/facts") { request, context in try await save(request, context) }
    }

    func show(
        _ request: Request, _ ctx: SignedInContext, year given: Int? = nil, message: String? = nil, status: HTTPResponse.Status = .ok
    )
        async throws -> Response
    {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        guard region.level == .county else { throw AppError.notFound(region.code) }
        let newest = try await ReturnRepository(db.sql).years(under: region.code).first
        let year = try given ?? request.queryYear() ?? newest ?? Int(state.today.prefix(4)) ?? 2024
        let stored = try await CountyFactRepository(db.sql).find(county: region.code, year: year)
        let lock = try await RoundRepository.countyLockReason(year: year, county: region.code, on: db.sql)
        let model = CountyFactsPage(
            region: region, year: year, version: stored?.version ?? 0,
            fields: CountyFact.allCases.map { f in
                .init(
                    id: f.rawValue, label: lang == .zh ? f.zh : f.en, value: stored?.facts[f].map(NumberText.plain) ?? "",
                    step: f.isCount ? "1" : "any")
            },
            locked: lock, canEdit: lock == nil && ctx.user.isOfficeStaff && ctx.user.canRead(region: region.code), message: message)
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("countyFacts", lang))", under: region.code)
        return pages.render(rl, .countyFacts, Page(layout: layout, model: model), status: status)
    }

    func save(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let year = try form.year()
        var values: [CountyFact: Double?] = [:]
        for fact in CountyFact.allCases {
            let raw = try form.text(fact.rawValue).trimmingCharacters(in: .whitespaces)
            values[fact] = raw.isEmpty ? Double?.none : try fact.parse(raw)
        }
        do {
            _ = try await state.services.duty.editFacts(
                county: region.code, year: year, values: values, expectedVersion: try form.version() ?? 0, by: ctx.user)
        } catch let e as ServiceError where e.kind == .conflict {
            return try await show(request, ctx, year: year, message: RequestLanguage(request).language == .zh ? e.zh : e.en, status: .conflict)
        }
        return .redirect(to: "/regions/\(region.code)/duty?year=\(year)", type: .normal)
    }
}

struct CountyFactsPage: Sendable {
    struct Field: Sendable {
        var id: String
        var label: String
        var value: String
        var step: String
    }

    var region: Region
    var year: Int
    var version: Int
    var fields: [Field]
    /// Why the facts cannot be changed now (approved in a round), or nil.
    var locked: String?
    var canEdit: Bool
    var message: String?
}
