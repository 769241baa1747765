import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// The change log of the caller's subtree, searchable (county officers and above).
struct AuditPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("audit") { request, context in try await audit(request, context) }
    }

    // MARK: audit

    /// The change log of the caller's subtree, searchable (county officers and above).
    func audit(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let user = ctx.user
        guard user.isOfficeStaff else { return pages.notFound(request, ctx, rl, what: "audit") }
        let q = try request.query("q")
        let model = AuditPage(q: q ?? "", entries: try await AuditLog(db.sql).search(under: user.regionCode, text: q).map(AuditRow.init))
        return pages.render(
            rl, .audit, Page(layout: pages.layout(request, ctx, rl.language, title: Strings.shared("audit", rl.language)), model: model))
    }
}
