import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 评分表: a county's score sheet for a year — every item with how it is checked, Dudao's
/// computed answer or the scorer's form (score or met, comment, evidence notes and files).
struct SheetPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("regions/:code/sheets/:sheet") { request, context in try await show(request, context) }
        router.post("regions/:code/sheets/:sheet/items/:item") { request, context in try await score(request, context) }
    }

    /// The county in scope, the sheet and the year (default: the newest year with returns).
    func target(_ request: Request, _ ctx: SignedInContext, year given: Int? = nil) async throws -> (Region, ScoreSheet, Int) {
        let region = try await regionInScope(ctx)
        guard region.level == .county else { throw AppError.notFound(region.code) }
        let id = try ctx.parameters.text("sheet")
        guard let sheet = ScoreSheet.sheet(id: id) else { throw AppError.notFound("sheet \(id)") }
        if let year = try given ?? request.queryYear() { return (region, sheet, year) }
        let newest = try await ReturnRepository(db.sql).years(under: region.code).first
        return (region, sheet, newest ?? Int(state.today.prefix(4)) ?? 2024)
    }

    func show(
        _ request: Request, _ ctx: SignedInContext, year given: Int? = nil, message: String? = nil, status: HTTPResponse.Status = .ok
    )
        async throws -> Response
    {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let (region, sheet, year) = try await target(request, ctx, year: given)
        let result = try await state.services.sheets.result(sheet: sheet, region: region.code, year: year)
        let versions = try await ScoreRepository(db.sql).entries(sheet: sheet.id, region: region.code, year: year).mapValues(\.version)
        var files: [String: [SheetPage.File]] = [:]
        for item in sheet.items {
            let object = ScoreRepository.evidenceObject(sheet: sheet.id, region: region.code, year: year, item: item.id)
            files[item.id] = try await DocumentRepository(db.sql).documents(linkedTo: "score_item", object).map {
                SheetPage.File(id: $0.id, name: $0.filename)
            }
        }
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(sheet.name(lang))", under: region.code)
        let model = SheetPage(
            result, region: region, year: year, versions: versions, files: files, canScore: ctx.user.canScoreSheets(region: region.code),
            message: message, lang: lang)
        return pages.render(rl, .sheet, Page(layout: layout, model: model), status: status)
    }

    func score(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let (region, sheet, _) = try await target(request, ctx)
        let itemId = try ctx.parameters.text("item")
        guard let item = sheet.item(itemId) else { throw AppError.notFound("item \(itemId)") }
        guard let form = try await MultipartForm.parse(request, limit: Sheets.bytesPerItem + (1 << 20)) else {
            throw AppError(
                status: .unsupportedMediaType, code: "media_type", field: nil, zh: "表单应为 multipart/form-data", en: "expected multipart/form-data")
        }
        let fields = FormData(fields: form.fields)
        guard ctx.acceptsCSRF(fields["csrf"]) else { throw AppError.csrf }
        let year = try fields.year()
        let entry = try SheetForm.entry(fields, item: item, sheet: sheet)
        do {
            _ = try await state.services.sheets.score(
                sheet: sheet, region: region.code, year: year, itemId: itemId, entry: entry,
                files: form.files.filter { $0.name == "files" }.map { ($0.filename ?? "", $0.contentType ?? "", $0.data) },
                expectedVersion: try fields.version() ?? 0, by: ctx.user)
        } catch let e as ServiceError where e.kind == .conflict || e.kind == .invalid {
            // Shown on the sheet, with what the scorer can do about it.
            return try await show(
                request, ctx, year: year, message: RequestLanguage(request).language == .zh ? e.zh : e.en,
                status: e.kind == .conflict ? .conflict : .badRequest)
        }
        return .redirect(to: "/regions/\(region.code)/sheets/\(sheet.id)?year=\(year)#item-\(itemId)", type: .normal)
    }
}

/// Reading a scorer's form (or JSON) into a `ScoreEntry` with checked values.
enum SheetForm {
    static func entry(_ fields: FormData, item: ScoreItem, sheet: ScoreSheet) throws -> ScoreEntry {
        let comment = try fields.paragraph("comment")
        let evidence = try fields.paragraph("evidence")
        if item.veto && item.max == nil {
            let v = try fields.text("vetoed")
            guard ["yes", "no"].contains(v) else { throw AppError.invalid("vetoed", zh: "请选择是否发生", en: "choose whether it happened") }
            return ScoreEntry(vetoed: v == "yes", comment: comment, evidence: evidence)
        }
        switch sheet.scoring {
        case .passFail:
            let m = try fields.text("met")
            guard ["yes", "no"].contains(m) else { throw AppError.invalid("met", zh: "请选择达标或未达标", en: "choose met or not met") }
            return ScoreEntry(met: m == "yes", comment: comment, evidence: evidence)
        case .points:
            let raw = try fields.text("score").trimmingCharacters(in: .whitespaces)
            let score = try Checked.number(raw, field: "score", label: ("得分", "score"), in: 0...(item.max ?? 0), whole: false)
            return ScoreEntry(score: score, comment: comment, evidence: evidence)
        }
    }
}
