import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 自评报告: the county's self-evaluation report as a printable page and a Word document in the
/// official layout, with the office's own 整改措施和下一步打算 edited on the page.
struct ReportPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("regions/:code/report") { request, context in try await show(request, context) }
        router.post("regions/:code/report") { request, context in try await save(request, context) }
    }

    func show(_ request: Request, _ ctx: SignedInContext, message: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let rl = RequestLanguage(request)
        let region = try await regionInScope(ctx)
        guard region.level == .county else { throw AppError.notFound(region.code) }
        let programme = try request.query("programme") ?? ProgrammeCatalog.defaultId
        guard ProgrammeCatalog.programme(id: programme) != nil else { throw AppError.invalid("programme", message: "unknown programme \(programme)") }
        let years = try await ReturnRepository(db.sql).years(under: region.code)
        guard let year = try request.queryYear() ?? years.first,
            let report = try await state.services.evaluations.report(county: region.code, year: year, programme: programme)
        else { throw AppError.notFound("\(region.name) report") }
        if try request.query("format") == "docx" {
            return Download.response(try report.docx(), .docx, filename: "\(report.title).docx")
        }
        let layout = try await pages.layout(request, ctx, rl.language, title: report.title, under: region.code)
        let model = ReportPage(
            report, region: region, year: year, programme: programme, canEdit: ctx.user.canScoreSheets(region: region.code), message: message)
        return pages.render(rl, .report, Page(layout: layout, model: model), status: status)
    }

    func save(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let year = try form.year()
        let programme = try form.text("programme")
        guard ProgrammeCatalog.programme(id: programme) != nil else { throw AppError.invalid("programme", message: "unknown programme \(programme)") }
        _ = try await state.services.sheets.saveMeasures(
            region: region.code, year: year, programme: programme, text: try form.paragraph("measures"), expectedVersion: try form.version() ?? 0,
            by: ctx.user)
        return .redirect(to: "/regions/\(region.code)/report?year=\(year)&programme=\(programme)#measures", type: .normal)
    }
}

/// The report page: the four parts as generated, and the form for the last one.
struct ReportPage: Sendable {
    struct Table: Sendable {
        struct Row: Sendable {
            var cells: [Cell]
        }

        struct Cell: Sendable {
            var text: String
        }

        var name: String
        var header: [Cell]
        var rows: [Row]
    }

    struct Section: Sendable {
        var title: String
        var paragraphs: [Table.Cell]
        var tables: [Table]
    }

    var region: Region
    var title: String
    var documentNumber: String
    var issuer: String
    var date: String
    var sections: [Section]
    var year: Int
    var programme: String
    var measures: String
    var version: Int
    var canEdit: Bool
    var message: String?

    init(_ r: SelfEvaluationReport, region: Region, year: Int, programme: String, canEdit: Bool, message: String?) {
        self.region = region
        title = r.title
        documentNumber = r.documentNumber
        issuer = r.issuer
        date = r.date
        sections = r.sections.map { s in
            Section(
                title: s.title, paragraphs: s.paragraphs.map { .init(text: $0) },
                tables: s.tables.map { t in
                    Table(name: t.name, header: t.header.map { .init(text: $0) }, rows: t.rows.map { .init(cells: $0.map { .init(text: $0) }) })
                })
        }
        self.year = year
        self.programme = programme
        measures = r.measures
        version = r.measuresVersion
        self.canEdit = canEdit
        self.message = message
    }
}
