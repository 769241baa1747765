import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// 评估流程 pages: start a self-evaluation, act on a case, and the public notices (公示).
struct EvaluationPages: FeatureRoutes {
    let state: AppState

    func register(public router: RouterGroup<AppContext>, signedIn: RouterGroup<SignedInContext>) {
        signedIn.post("regions/:code/evaluations") { request, context in try await start(request, context) }
        signedIn.get("regions/:code/evaluation.xlsx") { request, context in
            try await evaluationWorkbook(request, context, code: try context.parameters.text("code"))
        }
        signedIn.get("evaluations/:id") { request, context in try await show(request, context, id: try context.parameters.text("id")) }
        signedIn.post("evaluations/:id/actions") { request, context in try await act(request, context) }
        signedIn.post("evaluations/:id/evidence") { request, context in try await evidence(request, context) }
        // Public: no sign-in needed.
        router.get("public/notices") { request, context in try await notices(request, context) }
        router.get("public/notices/:id") { request, context in try await notice(request, context, id: try context.parameters.text("id")) }
    }

    var cases: Evaluations { state.services.evaluations }

    /// 佐证材料 of an evaluation: the file goes into the library (once per content) and is linked
    /// to the case, in one use case.
    func evidence(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        guard let c = try await EvaluationCaseRepository(db.sql).find(id), ctx.user.canRead(region: c.regionCode) else {
            throw AppError.notFound("evaluation \(id)")
        }
        guard let form = try await MultipartForm.parse(request, limit: Documents.maxBytes + (1 << 20)) else {
            throw AppError(
                status: .unsupportedMediaType, code: "media_type", field: nil, zh: "表单应为 multipart/form-data", en: "expected multipart/form-data")
        }
        let fields = FormData(fields: form.fields)
        guard ctx.acceptsCSRF(fields["csrf"]) else { throw AppError.csrf }
        guard let file = form.files.first(where: { $0.name == "file" }) else { throw AppError.invalid("file", zh: "请选择文件", en: "choose a file") }
        let title = try fields.text("title", max: 200)
        _ = try await state.services.documents.file(
            .init(
                data: file.data, filename: file.filename ?? "", title: title.isEmpty ? (file.filename ?? "佐证材料") : title, kind: .evidence,
                region: c.regionCode, year: c.year, tags: ["评估佐证"], linkTo: (type: "evaluation_case", id: c.id)),
            by: ctx.user)
        return .redirect(to: "/evaluations/\(c.id)#evidence", type: .normal)
    }

    func start(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let user = ctx.user
        let county = try ctx.parameters.text("code")
        let form = try await FormData.submitted(request, ctx)
        guard user.canRead(region: county) else { throw AppError.notFound(county) }
        let year = try form.year()
        let programme = try form.text("programme")
        // Refusals (403 not allowed, 409 already started) are answered by the error middleware.
        guard
            let c = try await cases.start(county: county, year: year, programme: programme.isEmpty ? ProgrammeCatalog.defaultId : programme, by: user)
        else {
            throw AppError.notFound(county)
        }
        return .redirect(to: "/evaluations/\(c.id)", type: .normal)
    }

    func show(
        _ request: Request, _ ctx: SignedInContext, id: String, message: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        guard let c = try await EvaluationCaseRepository(db.sql).find(id), user.canRead(region: c.regionCode) else {
            return pages.notFound(request, ctx, rl, what: "evaluation \(id)")
        }
        let steps = try await EvaluationCaseRepository(db.sql).steps(id)
        let region = try await RegionRepository(db.sql).find(c.regionCode)
        let layout = try await pages.layout(request, ctx, lang, title: "\(region?.name ?? c.regionCode) · \(c.year)", under: c.regionCode)
        let diff = try await cases.changes(c, steps: steps)
        let today = state.today
        func can(_ action: EvaluationAction) -> Bool {
            (try? EvaluationChain.apply(action, at: c.step, county: c.regionCode, noticeEndsOn: c.noticeEndsOn, by: user, today: today)) != nil
        }
        var reports: [Int: String] = [:]
        for s in steps {
            reports[s.seq] = try await AttachmentRepository(db.sql).list(objectType: "evaluation_step", objectId: "\(c.id)/\(s.seq)").first?.id
        }
        let model = EvaluationPage(
            case: .init(
                id: c.id, county: region?.name ?? c.regionCode, code: c.regionCode, year: c.year,
                programme: ProgrammeCatalog.programme(id: c.programmeId)?.name(lang) ?? c.programmeId,
                step: c.step.label(lang), stepId: c.step.rawValue, version: c.version, noticeEndsOn: c.noticeEndsOn ?? "",
                hasNotice: c.noticeEndsOn != nil),
            steps: steps.map { s in
                .init(
                    step: s.step.label(lang), action: Strings.shared("evalAction_" + s.action, lang), actor: s.actor, at: Today.display(s.at),
                    comment: s.comment ?? "", verdict: Strings.shared(s.passed ? "pass" : "fail", lang), passed: s.passed, report: reports[s.seq])
            },
            chain: EvaluationStep.allCases.map { .init(name: $0.label(lang), current: $0 == c.step) },
            diff: diff.map { $0.changes.map { .init(what: $0.what, was: $0.was, now: $0.now) } },
            unchanged: diff?.changes.isEmpty == true,
            canForward: can(.forward(comment: "", noticeEndsOn: c.step == .provinceEvaluation ? "9999-12-31" : nil)),
            canSendBack: can(.sendBack(comment: "x")),
            needsEndDate: c.step == .provinceEvaluation,
            forwardLabel: c.step.next.map { "\(Strings.shared("forwardTo", lang)) \($0.label(lang))" } ?? "",
            message: message,
            evidence: try await DocumentRepository(db.sql).documents(linkedTo: "evaluation_case", c.id).filter { user.canRead(document: $0) }
                .map { .init(id: $0.id, title: $0.title, filename: $0.filename) },
            canAddEvidence: user.isOfficeStaff)
        return pages.render(rl, .evaluation, Page(layout: layout, model: model), status: status)
    }

    func act(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let lang = RequestLanguage(request).language
        let user = ctx.user
        let id = try ctx.parameters.text("id")
        let form = try await FormData.parse(request, ctx)
        guard form.hasValidCSRF(ctx) else {
            return try await show(request, ctx, id: id, message: Strings.shared("csrfFailed", lang), status: .forbidden)
        }
        guard let c = try await EvaluationCaseRepository(db.sql).find(id), user.canRead(region: c.regionCode) else {
            return pages.notFound(request, ctx, RequestLanguage(request), what: "evaluation \(id)")
        }
        let comment = try form.paragraph("comment")
        let endText = try form.text("notice_ends_on")
        let noticeEnds = endText.isEmpty ? nil : try Checked.date(endText, field: "notice_ends_on")
        let action: EvaluationAction =
            form["action"] == "back"
            ? .sendBack(comment: comment)
            : .forward(comment: comment, noticeEndsOn: noticeEnds)
        let version = try form.version() ?? c.version
        do {
            guard try await cases.act(action, on: c, expectedVersion: version, by: user) != nil else {
                return pages.notFound(request, ctx, RequestLanguage(request), what: c.regionCode)
            }
        } catch let refusal as ReviewRefusal {
            return try await show(
                request, ctx, id: id, message: refusal.message(lang),
                status: refusal.code == "not_allowed" ? .forbidden : .conflict)
        }
        return .redirect(to: "/evaluations/\(id)", type: .normal)
    }

    // MARK: public

    func notices(_ request: Request, _ ctx: AppContext) async throws -> Response {
        let rl = RequestLanguage(request)
        var rows: [NoticesPage.Row] = []
        for c in try await EvaluationCaseRepository(db.sql).publicCases() {
            rows.append(
                .init(
                    id: c.id, county: try await RegionRepository(db.sql).find(c.regionCode)?.name ?? c.regionCode, year: c.year,
                    programme: ProgrammeCatalog.programme(id: c.programmeId)?.name(rl.language) ?? c.programmeId,
                    step: c.step.label(rl.language), until: c.noticeEndsOn ?? ""))
        }
        let layout = pages.layout(request, ctx, rl.language, title: Strings.shared("publicNotices", rl.language))
        return pages.render(rl, .notices, Page(layout: layout, model: NoticesPage(notices: rows)))
    }

    /// The published result is the frozen one of the step that published it, not a recomputation.
    func notice(_ request: Request, _ ctx: AppContext, id: String) async throws -> Response {
        let rl = RequestLanguage(request)
        guard let c = try await EvaluationCaseRepository(db.sql).find(id), c.step.isPublic,
            let published = try await EvaluationCaseRepository(db.sql).steps(id).last(where: {
                $0.step == .provinceEvaluation && $0.action == "forward"
            })
        else {
            return pages.notFound(request, ctx, rl, what: "notice \(id)")
        }
        let dto = try EvaluationSnapshot.decode(published.snapshot)
        let lang = rl.language
        let model = NoticePage(
            notice: .init(
                county: dto.region.name, year: dto.year, programme: dto.programme.name, step: c.step.label(lang),
                until: c.noticeEndsOn ?? "", hasUntil: c.noticeEndsOn != nil, passed: dto.passed,
                verdict: Strings.shared(dto.passed ? "pass" : "fail", lang)),
            stages: dto.stages.map { s in
                .init(
                    stage: Stage(rawValue: s.stage)?.label(lang) ?? s.stage, id: s.stage,
                    indicators: s.indicators.map {
                        .init(
                            name: $0.name, mean: $0.mean.map { NumberText.fixed($0, 2) } ?? "—", cv: $0.cv.map { NumberText.fixed($0, 3) } ?? "—",
                            limit: NumberText.fixed($0.cv_limit, 2), verdict: Strings.shared($0.passed ? "pass" : "fail", lang), passed: $0.passed)
                    })
            })
        let layout = pages.layout(request, ctx, lang, title: "\(dto.region.name) · \(Strings.shared("publicNotices", lang))")
        return pages.render(rl, .notice, Page(layout: layout, model: model))
    }
}
