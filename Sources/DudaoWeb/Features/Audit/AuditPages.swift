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

    /// The change log of the caller's subtree: filters, 50 entries a page, newest first.
    func audit(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let user = ctx.user
        guard user.isOfficeStaff else { return pages.notFound(request, ctx, rl, what: "audit") }
        let query = try AuditSearch.query(request, limit: 50)
        let found = try await AuditLog(db.sql).search(under: user.regionCode, query)
        let model = AuditPage(
            q: query.text ?? "", actor: query.actor ?? "", type: query.objectType ?? "", from: query.from ?? "", to: query.to ?? "",
            types: AuditSearch.objectTypes.map { SelectOption(id: $0, name: $0) }, rowsHTML: rows(found.entries),
            next: found.next.map { "?" + AuditSearch.link(query, before: $0) },
            first: query.before == nil ? nil : "?" + AuditSearch.link(query, before: nil))
        return pages.render(
            rl, .audit, Page(layout: pages.layout(request, ctx, rl.language, title: Strings.shared("audit", rl.language)), model: model))
    }

    /// The table rows of `entries` (`audit-row`). An entry never changes (the log is append-only),
    /// so its row is drawn once and kept, keyed by the entry itself.
    func rows(_ entries: [AuditEntry]) -> String {
        var html = ""
        for entry in entries {
            if let kept = state.auditRows.value(entry, dataVersion: 0, day: "") {
                html += kept
            } else {
                html += state.auditRows.store(entry, state.renderer.row(.auditRow, AuditRow(entry)), dataVersion: 0, day: "")
            }
        }
        return html
    }
}

extension APIRoutes {
    func registerAudit(on api: RouterGroup<SignedInContext>) {
        api.get("audit") { request, context in
            guard context.user.isOfficeStaff else { throw AppError.forbidden(zh: "修改记录仅供督导部门查询", en: "the change log is for supervision offices") }
            let query = try AuditSearch.query(request, limit: try request.queryInteger("limit", in: 1...500) ?? 100)
            let found = try await AuditLog(db.sql).search(under: context.user.regionCode, query)
            struct Entry: Encodable {
                var at, actor, action, object_type, object_id: String
                var old_value, new_value, region_code: String?
            }
            struct Body: Encodable {
                var entries: [Entry]
                var next: String?
            }
            return try json(
                Body(
                    entries: found.entries.map {
                        Entry(
                            at: $0.at, actor: $0.actor, action: $0.action, object_type: $0.objectType, object_id: $0.objectId, old_value: $0.oldValue,
                            new_value: $0.newValue, region_code: $0.regionCode)
                    }, next: found.next?.text))
        }
    }
}

/// The change log's filters as the page and the API read them (every value checked here).
enum AuditSearch {
    /// What the log records changes to (the type filter's choices).
    static let objectTypes = [
        "stage_return", "visit", "rectification", "round", "evaluation", "evaluation_step", "county_facts", "score_item", "report_measures",
        "assessment", "survey_campaign", "document", "key_target", "key_task", "letter", "complaint", "project", "draw", "inspectors", "region",
        "user",
    ]

    static func query(_ request: Request, limit: Int) throws -> AuditQuery {
        let before = try request.query("before", max: 120).map { text throws(FieldError) in
            guard let cursor = AuditCursor(text: text) else {
                throw FieldError(
                    field: "before", code: "bad_cursor", zh: "翻页位置无效，请从第一页重新查询", en: "not a page position; search again from the first page")
            }
            return cursor
        }
        let from = try request.queryDate("from"), to = try request.queryDate("to")
        if let from, let to, from > to { throw AppError.invalid("from", zh: "开始日期晚于结束日期", en: "from is after to") }
        return AuditQuery(
            actor: try request.query("actor", max: 64), objectType: try request.query("type", max: 40), from: from, to: to,
            text: try request.query("q", max: 100), before: before, limit: limit)
    }

    /// The query string of the same search from another page.
    static func link(_ q: AuditQuery, before: AuditCursor?) -> String {
        let pairs: [(String, String?)] = [
            ("q", q.text), ("actor", q.actor), ("type", q.objectType), ("from", q.from), ("to", q.to), ("before", before?.text),
        ]
        return pairs.compactMap { name, value in
            value.map { "\(name)=\(queryEncoded($0))" }
        }.joined(separator: "&")
    }
}
