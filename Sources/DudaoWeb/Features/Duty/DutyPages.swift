import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// 督政: a county's government-duty indicators (value, target, verdict, what is missing,
/// public-funds shortfalls in words), or a city's or province's counties ranked per indicator.
struct DutyPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("regions/:code/duty") { request, context in try await show(request, context) }
    }

    static let programme = DutyProgramme.countyDuty

    /// The evaluation of the request's region and year (default: the newest year with returns).
    func evaluate(_ request: Request, _ ctx: SignedInContext) async throws -> (Region, DutyEvaluationService.Result) {
        let region = try await regionInScope(ctx)
        let result = try await state.services.duty.evaluate(region: region.code, year: try request.queryYear(), programme: Self.programme)
        return (region, result)
    }

    func show(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let (region, result) = try await evaluate(request, ctx)
        if try request.query("format") == "xlsx" {
            let sheet: Table =
                switch result {
                case .county(let e): DutyText.table(e, lang)
                case .rollup(let r): DutyText.rankings(r, lang)
                }
            return try Download.xlsx([sheet], filename: "duty-\(region.code).xlsx")
        }
        let years = try await ReturnRepository(db.sql).years(under: region.code)
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("duty", lang))", under: region.code)
        return pages.render(rl, .duty, Page(layout: layout, model: DutyPage(result, region: region, years: years, lang: lang)))
    }
}

extension APIRoutes {
    func registerDuty(on api: RouterGroup<SignedInContext>) {
        api.get("regions/:code/duty") { request, context in
            let lang = Language(code: try request.query("lang"))
            switch try await DutyPages(state: state).evaluate(request, context).1 {
            case .county(let e): return try json(DutyEvaluationDTO(e, language: lang))
            case .rollup(let r): return try json(DutyRollupDTO(r, language: lang))
            }
        }
    }
}
