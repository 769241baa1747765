import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// 通报: the bulletin of a period for a region, as a page, an Excel workbook and JSON.
struct BulletinPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("regions/:code/bulletin") { request, context in try await show(request, context) }
        router.post("regions/:code/bulletin") { request, context in try await issue(request, context) }
    }

    /// Issues the bulletin of the period: its Word document is filed in the library (kind
    /// bulletin, once per content) without the office downloading and uploading it.
    func issue(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let from = try Checked.date(try form.text("from"), field: "from"), to = try Checked.date(try form.text("to"), field: "to")
        let b = try await bulletin(code: region.code, from: from, to: to, lang: .zh)
        let docx = try DOCXWriter.write(Self.document(b, region: region.name, lang: .zh))
        let filed = try await state.services.documents.file(
            .init(
                data: docx, filename: "\(region.name)教育督导工作通报（\(from)至\(to)）.docx", title: "\(region.name)教育督导工作通报（\(from)至\(to)）",
                kind: .bulletin, region: region.code, year: Int(to.prefix(4)), tags: ["通报"]),
            by: ctx.user)
        return .redirect(to: "/documents/\(filed.document.id)\(filed.duplicate ? "?duplicate=1" : "")", type: .normal)
    }

    /// The bulletin for the request's region and period (default: the last three months).
    func bulletin(_ request: Request, code: String, lang: Language) async throws -> Kept {
        let to = try request.queryDate("to") ?? state.today
        // Checked dates are real days in 1949–2100, so the arithmetic below cannot overflow.
        let from = try request.queryDate("from") ?? DateText.string(fromOrdinal: DateText.ordinal(to)! - 90)
        return try await kept(code: code, from: from, to: to, lang: lang)
    }

    struct Key: Hashable, Sendable {
        var region: String
        var from: String
        var to: String
        var language: String
        /// Counties' names come from the registry, which changes with the data version.
        var dataVersion: Int
    }

    /// A bulletin as kept: the key and supervision version it was counted under.
    struct Kept: Sendable {
        var bulletin: Bulletin
        var key: Key
        var supervision: Int
    }

    /// The bulletin of a region for a period (checked days): counted by the database, kept per
    /// supervision version (any visit, case or roster change below the region draws it anew).
    /// The versions are read before the counting: a change meanwhile misses next time.
    func bulletin(code: String, from: String, to: String, lang: Language) async throws -> Bulletin {
        try await kept(code: code, from: from, to: to, lang: lang).bulletin
    }

    func kept(code: String, from: String, to: String, lang: Language) async throws -> Kept {
        guard from <= to else { throw AppError.invalid("from", zh: "开始日期晚于结束日期", en: "from is after to") }
        let (dataVersion, supervision) = try await DataVersions.both(of: code, on: db.sql)
        let key = Key(region: code, from: from, to: to, language: lang.rawValue, dataVersion: dataVersion)
        if let bulletin = state.bulletins.value(key, dataVersion: supervision, day: state.today) {
            return Kept(bulletin: bulletin, key: key, supervision: supervision)
        }
        let counties = try await RegionRepository(db.sql).counties(under: code).map { (code: $0.code, name: $0.name) }
        let bulletin = Bulletin.make(
            from: from, to: to, counties: counties,
            tallies: try await RectificationRepository(db.sql).bulletinTallies(under: code, from: from, to: to),
            totalName: Strings.shared("total", lang))
        return Kept(bulletin: state.bulletins.store(key, bulletin, dataVersion: supervision, day: state.today), key: key, supervision: supervision)
    }

    func show(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        let code = region.code
        let kept = try await bulletin(request, code: code, lang: lang)
        let b = kept.bulletin
        let format = try request.query("format")
        if format == "docx" {
            return Download.response(
                try DOCXWriter.write(Self.document(b, region: region.name, lang: lang)), .docx, filename: "bulletin-\(code)-\(b.from)-\(b.to).docx")
        }
        if format == "xlsx" {
            return try Download.xlsx(Self.sheets(b, lang: lang), filename: "bulletin-\(code)-\(b.from)-\(b.to).xlsx")
        }
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("bulletin", lang))", under: code)
        return pages.render(
            rl, .bulletin,
            Page(layout: layout, model: model(kept, region: region, lang: lang, canIssue: ctx.user.canFileDocuments(region: code), layout: layout)))
    }

    /// The page's model with its tables drawn once per kept bulletin (the same key and versions).
    func model(_ kept: Kept, region: Region, lang: Language, canIssue: Bool, layout: Layout) -> BulletinPage {
        var model = BulletinPage(kept.bulletin, region: .init(code: region.code, name: region.name), lang: lang, canIssue: canIssue)
        if let html = state.bulletinTables.value(kept.key, dataVersion: kept.supervision, day: state.today) {
            model.tablesHTML = html
        } else {
            let html = state.renderer.block(.bulletinTables, Page(layout: layout, model: model))
            model.tablesHTML = state.bulletinTables.store(kept.key, html, dataVersion: kept.supervision, day: state.today)
        }
        return model
    }

    /// The printable bulletin: title, a summary paragraph in the officials' phrasing, the ranked
    /// table and the findings by category.
    static func document(_ b: Bulletin, region: String, lang: Language) -> [DOCXWriter.Block] {
        let t = b.total
        let summary =
            lang == .zh
            ? "\(b.from)至\(b.to)，全\(region.hasSuffix("省") ? "省" : region.hasSuffix("市") && b.lines.count > 1 ? "市" : "县（市、区）")责任督学共开展到校督导\(t.visits)次，覆盖学校\(t.schoolsVisited)所，发现问题\(t.findings)个，已整改销号\(t.rates.closed)个，其中按期销号\(t.rates.closedOnTime)个；办结率\(t.rates.closingRate.map(NumberText.percent) ?? "—")，按期办结率\(t.rates.onTimeRate.map(NumberText.percent) ?? "—")，逾期未销号\(t.rates.overdue)个。"
            : "From \(b.from) to \(b.to), inspectors made \(t.visits) visits to \(t.schoolsVisited) schools and found \(t.findings) problems; \(t.rates.closed) were closed (\(t.rates.closedOnTime) on time): closing rate \(t.rates.closingRate.map(NumberText.percent) ?? "—"), on-time rate \(t.rates.onTimeRate.map(NumberText.percent) ?? "—"), \(t.rates.overdue) overdue."
        let tables = sheets(b, lang: lang)
        return [
            .title(lang == .zh ? "\(region)教育督导工作通报" : "\(region) supervision bulletin"),
            .paragraph(summary),
            .heading(lang == .zh ? "一、各地督导与整改情况（按办结率排名）" : "1. Visits and rectification by county (ranked by closing rate)"),
            .table(tables[0]),
            .heading(lang == .zh ? "二、发现问题分类" : "2. Findings by category"),
            .table(tables[1]),
        ]
    }

    static func sheets(_ b: Bulletin, lang: Language) -> [Table] {
        let zh = lang == .zh
        let header =
            zh
            ? ["排名", "区县", "督导次数", "督导学校数", "发现问题", "已销号", "按期销号", "逾期", "办结率", "按期办结率"]
            : ["Rank", "County", "Visits", "Schools visited", "Findings", "Closed", "Closed on time", "Overdue", "Closing rate", "On-time rate"]
        func cells(_ l: Bulletin.Line) -> [String] {
            [
                l.rank == 0 ? "" : String(l.rank), l.name, String(l.visits), String(l.schoolsVisited), String(l.findings), String(l.rates.closed),
                String(l.rates.closedOnTime), String(l.rates.overdue), l.rates.closingRate.map(NumberText.percent) ?? "",
                l.rates.onTimeRate.map(NumberText.percent) ?? "",
            ]
        }
        let summary = Table(name: zh ? "通报 \(b.from)至\(b.to)" : "Bulletin", header: header, rows: b.lines.map(cells) + [cells(b.total)])
        let categories = Array(Set(b.lines.flatMap { $0.byCategory.keys })).sorted()
        let byCategory = Table(
            name: zh ? "问题分类" : "Findings by category",
            header: [zh ? "区县" : "County"] + categories.map { Strings.shared("category_" + $0, lang) },
            rows: (b.lines + [b.total]).map { l in [l.name] + categories.map { String(l.byCategory[$0] ?? 0) } })
        return [summary, byCategory]
    }
}
