import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// 年度目标考核: an office's assessments of the regions below it, the form to open one, and each
/// assessment's ranking with its results bulletin (page, XLSX, DOCX).
struct AssessmentPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("regions/:code/assessments") { request, context in try await list(request, context) }
        router.post("regions/:code/assessments") { request, context in try await open(request, context) }
        router.get("assessments/:id") { request, context in try await show(request, context) }
    }

    func list(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let region = try await regionInScope(ctx)
        let items = try await AssessmentRepository(db.sql).list(concerning: region.code).filter { canSee($0, ctx.user) }
        let layout = try await pages.layout(
            request, ctx, rl.language, title: "\(region.name) · \(Strings.shared("assessments", rl.language))", under: region.code)
        let sheets = ScoreSheet.builtIn.filter { $0.scoredBy == .above }
        let year = Int(state.today.prefix(4)) ?? 2026
        let model = AssessmentsPage(
            region: region, assessments: items.map { .init(id: $0.id, title: $0.title, year: $0.year, period: "\($0.from) – \($0.to)") },
            canOpen: ctx.user.isOfficeStaff && ctx.user.regionCode == region.code && region.level == .city,
            sheets: sheets.map { .init(id: $0.id, name: $0.name(rl.language)) }, year: year, from: "\(year)-01-01", to: "\(year)-12-31")
        return pages.render(rl, .assessments, Page(layout: layout, model: model))
    }

    func open(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        guard ctx.user.regionCode == region.code else {
            throw AppError.forbidden(zh: "只能由本级督导办组织考核", en: "only this region's office opens its assessments")
        }
        let a = try await state.services.assessments.open(
            sheetId: try form.text("sheet"), year: try form.year(), from: try form.text("from"), to: try form.text("to"),
            title: try form.text("title"), by: ctx.user)
        return .redirect(to: "/assessments/\(a.id)", type: .normal)
    }

    /// The assessing office and those above it, and the offices of the regions assessed (the bulletin reaches them).
    func canSee(_ a: Assessment, _ user: Identity) -> Bool {
        user.canRead(region: a.officeRegion) || (user.isOfficeStaff && RegionCode.contains(a.officeRegion, user.regionCode))
    }

    func show(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let id = try ctx.parameters.text("id")
        guard let a = try await AssessmentRepository(db.sql).find(id), canSee(a, ctx.user),
            let office = try await RegionRepository(db.sql).find(a.officeRegion), let sheet = ScoreSheet.sheet(id: a.sheetId)
        else { throw AppError.notFound("assessment \(id)") }
        let ranking = try await state.services.assessments.ranking(a)
        switch try request.query("format") {
        case "xlsx":
            return try Download.xlsx([AssessmentBulletin.table(a, ranking)], filename: "\(a.title).xlsx")
        case "docx":
            return Download.response(
                try AssessmentBulletin.docx(a, ranking, office: office.name, today: state.today), .docx, filename: "\(a.title)通报.docx")
        default:
            break
        }
        let layout = try await pages.layout(request, ctx, rl.language, title: a.title, under: office.code)
        let model = AssessmentPage(
            a, sheet: sheet, ranking: ranking, summary: AssessmentBulletin.summary(ranking),
            canScore: ctx.user.isOfficeStaff && ctx.user.canRead(region: a.officeRegion), lang: rl.language)
        return pages.render(rl, .assessment, Page(layout: layout, model: model))
    }
}

struct AssessmentsPage: Sendable {
    struct Row: Sendable {
        var id: String
        var title: String
        var year: Int
        var period: String
    }

    struct Option: Sendable {
        var id: String
        var name: String
    }

    var region: Region
    var assessments: [Row]
    var canOpen: Bool
    var sheets: [Option]
    var year: Int
    var from: String
    var to: String
}

struct AssessmentPage: Sendable {
    struct Row: Sendable {
        var rank: String
        var code: String
        var name: String
        var total: String
        var grade: String
        var answered: String
        var href: String
        /// `pass`, `fail` or `open`.
        var state: String
    }

    var id: String
    var title: String
    var period: String
    var sheetName: String
    var summary: String
    var rows: [Row]
    var canScore: Bool

    init(_ a: Assessment, sheet: ScoreSheet, ranking: AssessmentRanking, summary: String, canScore: Bool, lang: Language) {
        let t = Strings.shared
        id = a.id
        title = a.title
        period = "\(a.from) – \(a.to)"
        sheetName = sheet.name(lang)
        self.summary = summary
        self.canScore = canScore
        rows = ranking.rows.map { r in
            let graded = r.result.complete || r.result.vetoed
            return Row(
                rank: r.rank.map(String.init) ?? "—", code: r.region.code, name: r.region.name,
                total: graded ? NumberText.fixed(r.result.total, 1) : "—",
                grade: r.result.grade.map { lang == .zh ? $0.zh : $0.en } ?? t("incomplete", lang),
                answered: "\(r.result.answered)/\(r.result.items.count)", href: "/regions/\(r.region.code)/sheets/\(a.sheetId)?year=\(a.year)",
                state: r.result.passed.map { $0 ? "pass" : "fail" } ?? "open")
        }
    }
}
