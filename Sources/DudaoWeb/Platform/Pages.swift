import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// What every page shares: the layout values, the language cookie, the not-found page.
struct Pages: Sendable {
    let state: AppState
    var db: Database { state.database }

    /// Shared context of every page: strings, language switch, breadcrumbs, the signed-in user.
    func base(_ request: Request, _ context: some CallerContext, _ lang: Language, title: String, crumbs: [Region] = []) -> [String: Any] {
        let other: Language = lang == .zh ? .en : .zh
        var page: [String: Any] = [
            "t": Strings.shared.all(lang), "lang": lang == .zh ? "zh-CN" : "en", "title": title,
            "switchLink": RequestLanguage.switchLink(request, to: other),
            "crumbs": crumbs.map { ["name": $0.name, "href": "/regions/\($0.code)"] },
        ]
        if let user = context.caller {
            page["user"] = ["name": user.displayName, "role": user.role.label(lang),
                            "scope": user.schoolCode ?? (user.regionCode.isEmpty ? Strings.shared("overview", lang) : user.regionCode)]
            page["csrf"] = context.session?.csrfToken ?? ""
            page["canAudit"] = user.isOfficeStaff
        }
        return page
    }

    func respond(_ language: RequestLanguage, _ template: String, _ context: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        var response = state.renderer.html(template, context, status: status)
        if let cookie = language.cookie { response.setCookie(cookie) }
        return response
    }

    /// Unknown ids and ids outside the caller's scope look the same: not found.
    func notFound(_ request: Request, _ context: some CallerContext, _ language: RequestLanguage, what: String) -> Response {
        var page = base(request, context, language.language, title: Strings.shared("notFound", language.language))
        page["message"] = what
        return respond(language, "error", page, status: .notFound)
    }

}
