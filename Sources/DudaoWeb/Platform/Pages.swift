import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// A feature's routes (pages or API): the app state, the shared page helpers and the database
/// for reads. Writes go through `state.services` (DudaoApp use cases).
protocol FeatureRoutes: Sendable {
    var state: AppState { get }
}

extension FeatureRoutes {
    var pages: Pages { Pages(state: state) }
    var db: Database { state.database }

    /// The region named by the route's `:code`, when the caller may see it; otherwise "not
    /// found" (a region outside the caller's subtree looks exactly like an unknown one).
    func regionInScope(_ ctx: SignedInContext) async throws -> Region {
        let code = try ctx.parameters.text("code")
        guard ctx.user.canRead(region: code), let region = try await RegionRepository(db.sql).find(code) else {
            throw AppError.notFound(code)
        }
        return region
    }
}

/// What every page shares: the layout values, the language cookie, the not-found page.
struct Pages: Sendable {
    let state: AppState
    var db: Database { state.database }

    /// The layout of every page: strings, language switch, breadcrumbs, the signed-in user.
    func layout(_ request: Request, _ context: some CallerContext, _ lang: Language, title: String, crumbs: [Region] = []) -> Layout {
        let other: Language = lang == .zh ? .en : .zh
        var layout = Layout(
            lang: lang == .zh ? "zh-CN" : "en", title: title,
            switchLink: RequestLanguage.switchLink(request, to: other),
            crumbs: crumbs.map { .init(name: $0.name, href: "/regions/\($0.code)") }, user: nil, csrf: "", canAudit: false)
        if let user = context.caller {
            layout.user = .init(
                name: user.displayName, role: user.role.label(lang),
                scope: user.schoolCode ?? (user.regionCode.isEmpty ? Strings.shared("overview", lang) : user.regionCode))
            layout.csrf = context.session?.csrfToken ?? ""
            layout.canAudit = user.isOfficeStaff
        }
        return layout
    }

    /// The layout of a page about `region` (or one of its schools): the breadcrumbs run down
    /// to it through the levels the caller may open.
    func layout(_ request: Request, _ context: SignedInContext, _ lang: Language, title: String, under region: String) async throws -> Layout {
        layout(request, context, lang, title: title, path: try await RegionRepository(db.sql).path(to: region))
    }

    /// The same, from the region's path already read (root first).
    func layout(_ request: Request, _ context: SignedInContext, _ lang: Language, title: String, path: [Region]) -> Layout {
        layout(request, context, lang, title: title, crumbs: path.filter { context.user.canRead(region: $0.code) })
    }

    /// A typed page in the request's language (remembering a language chosen by `?lang=`).
    func render<Model>(_ language: RequestLanguage, _ template: PageTemplate, _ page: Page<Model>, status: HTTPResponse.Status = .ok) -> Response {
        var response = state.renderer.html(template, page, status: status)
        if let cookie = language.cookie { response.setCookie(cookie) }
        return response
    }

    /// Unknown ids and ids outside the caller's scope look the same: not found.
    func notFound(_ request: Request, _ context: some CallerContext, _ language: RequestLanguage, what: String) -> Response {
        let page = Page(
            layout: layout(request, context, language.language, title: Strings.shared("notFound", language.language)),
            model: MessagePage(message: what))
        return render(language, .error, page, status: .notFound)
    }

}
