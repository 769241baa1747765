import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// Entering a school's annual return in a web form (principals, county staff), one form per
/// stage, each carrying the version it was read at.
struct ReturnForm: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("schools/:code/returns/:year/edit") { request, context in try await edit(request, context) }
        router.post("schools/:code/returns/:year/:stage") { request, context in try await save(request, context) }
    }

    /// The school, if the caller may enter its returns.
    func school(_ ctx: SignedInContext) async throws -> School? {
        let user = ctx.user
        guard let code = ctx.parameters.get("code"),
            let school = try await SchoolRepository(db.sql).find(code), user.canRead(school: school), user.canEnterReturns(for: school)
        else { return nil }
        return school
    }

    func edit(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        guard let school = try await school(ctx) else { throw AppError.notFound(try ctx.parameters.text("code")) }
        let year = try ctx.parameters.year()
        return try await render(request, ctx, school: school, year: year, posted: nil, message: nil)
    }

    struct Posted {
        var stage: String
        var data: StageReturn
        var warnings: [ImportIssue]
        var conflict: VersionConflict?
    }

    func render(
        _ request: Request, _ ctx: SignedInContext, school: School, year: Int, posted: Posted?, message: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let stored = try await ReturnRepository(db.sql).rows(school: school.code).filter { $0.data.year == year }
        var stages = school.type.stages.map(\.rawValue)
        for row in stored where !stages.contains(ReturnForm.stageId(row.data.stage)) { stages.append(ReturnForm.stageId(row.data.stage)) }
        let locked = try await RoundRepository.lockReason(year: year, school: school.code, on: db.sql)
        let forms = stages.map { stageId -> ReturnFormPage.Form in
            let row = stored.first { ReturnForm.stageId($0.data.stage) == stageId }
            let mine = posted?.stage == stageId ? posted : nil
            let values = mine?.data ?? row?.data
            return .init(
                stage: stageId, stageName: Stage(rawValue: stageId)?.label(lang) ?? Strings.shared("wholeSchool", lang),
                version: mine?.conflict?.currentVersion ?? row?.version ?? 0,
                // The facts asked of this stage, and any other the row already holds (so a save
                // never drops a value a file brought in).
                fields: ReturnField.allCases.filter { f in f.applies(to: Stage(rawValue: stageId)) || values?[f] != nil }.map { f in
                    .init(
                        id: f.rawValue, label: lang == .zh ? f.zh : f.en, unit: lang == .zh ? f.unit.zh : f.unit.en,
                        value: values?[f].map(NumberText.plain) ?? "", step: f.unit.isCount ? "1" : "any",
                        current: mine?.conflict.map { $0.current[f].map(NumberText.plain) ?? "" } ?? "")
                },
                conflict: mine?.conflict != nil,
                warnings: (mine?.warnings ?? []).map { .init(code: $0.code, message: $0.message(lang)) })
        }
        let model = ReturnFormPage(
            school: .init(code: school.code, name: school.name), year: year, message: message ?? locked,
            locked: locked != nil, forms: forms)
        let layout = pages.layout(request, ctx, lang, title: "\(school.name) · \(Strings.shared("editReturn", lang))")
        return pages.render(rl, .returnForm, Page(layout: layout, model: model), status: status)
    }

    func save(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let lang = RequestLanguage(request).language
        let user = ctx.user
        guard let school = try await school(ctx) else { throw AppError.notFound(try ctx.parameters.text("code")) }
        let year = try ctx.parameters.year()
        let stageText = try ctx.parameters.text("stage")
        guard stageText == "all" || Stage(rawValue: stageText) != nil else {
            throw AppError.invalid("stage", zh: "未知学段 \(stageText)", en: "unknown stage \(stageText)")
        }
        let form = try await FormData.parse(request, ctx)
        guard form.hasValidCSRF(ctx) else {
            return try await render(
                request, ctx, school: school, year: year, posted: nil, message: Strings.shared("csrfFailed", lang), status: .forbidden)
        }
        let stage: Stage? = stageText == "all" ? nil : Stage(rawValue: stageText)
        var data = StageReturn(schoolCode: school.code, year: year, stage: stage)
        for field in ReturnField.allCases {
            let raw = (form[field.rawValue] ?? "").trimmingCharacters(in: .whitespaces)
            guard !raw.isEmpty else { continue }
            do { data[field] = try field.parse(raw) } catch {
                return try await render(
                    request, ctx, school: school, year: year, posted: Posted(stage: stageText, data: data, warnings: []),
                    message: "\(lang == .zh ? field.zh : field.en): \(error.message(lang))", status: .unprocessableContent)
            }
        }
        var reasons: [String: String] = [:]
        for key in form.fields.keys where key.hasPrefix("reason.") { reasons[String(key.dropFirst(7))] = try form.paragraph(key) }
        let version = try form.version() ?? 0
        do {
            _ = try await state.services.returns.edit(
                school: school, data: data, expectedVersion: version,
                reasons: reasons, actor: user.username)
            return .redirect(to: "/schools/\(school.code)", type: .normal)
        } catch let conflict as VersionConflict {
            return try await render(
                request, ctx, school: school, year: year, posted: Posted(stage: stageText, data: data, warnings: [], conflict: conflict),
                message: Strings.shared("conflict", lang), status: .conflict)
        } catch let refused as EditRefused {
            switch refused {
            case .locked(let why):
                return try await render(
                    request, ctx, school: school, year: year, posted: nil, message: why, status: .init(code: 423, reasonPhrase: "Locked"))
            case .invalid(let issues):
                return try await render(
                    request, ctx, school: school, year: year, posted: Posted(stage: stageText, data: data, warnings: []),
                    message: issues.filter { $0.severity == .error }.map { $0.message(lang) }.joined(separator: "；"), status: .unprocessableContent)
            case .missingReason(let issues):
                return try await render(
                    request, ctx, school: school, year: year, posted: Posted(stage: stageText, data: data, warnings: issues),
                    message: Strings.shared("reasonFor", lang), status: .unprocessableContent)
            }
        }
    }

    static func stageId(_ stage: Stage?) -> String { stage?.rawValue ?? "all" }
}
