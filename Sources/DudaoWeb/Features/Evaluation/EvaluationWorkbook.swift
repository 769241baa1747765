import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// The county evaluation as an Excel workbook.
extension EvaluationPages {
    func evaluationWorkbook(_ request: Request, _ ctx: SignedInContext, code: String) async throws -> Response {
        let lang = RequestLanguage(request).language
        let user = ctx.user
        guard user.canRead(region: code) else { return pages.notFound(request, ctx, RequestLanguage(request), what: code) }
        let year = try request.queryYear()
        let programme = try request.query("programme") ?? ProgrammeCatalog.defaultId
        guard case .county(let e) = try await EvaluationService(db.sql).evaluate(region: code, year: year, programme: programme) else {
            throw AppError.invalid("code", zh: "只有区县有评估工作簿", en: "workbooks are made for counties")
        }
        let data = try XLSXWriter.write(EvaluationWorkbook.sheets(e, language: lang))
        let filename = "evaluation-\(e.region.code)-\(e.year)-\(e.programme.id).xlsx"
        return Download.response(data, .xlsx, filename: filename)
    }

}
