import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// 问卷调查: the public answering page behind each single-use link (no sign-in), and the
/// office's pages: a region's campaigns and the form that makes links, a campaign's results
/// (page, XLSX, a chart per item), its printable invitation sheets with QR codes and its links as CSV.
struct SurveyPages: FeatureRoutes {
    let state: AppState

    func register(public router: RouterGroup<AppContext>, signedIn: RouterGroup<SignedInContext>) {
        router.get("s/:token") { request, context in try await answer(request, context) }
        router.post("s/:token") { request, context in try await post(request, context) }
        router.get("survey-thanks") { request, context in message(request, context, heading: "surveyThanks", text: "surveyThanksText", status: .ok) }
        signedIn.get("regions/:code/surveys") { request, context in try await list(request, context) }
        signedIn.post("regions/:code/surveys") { request, context in try await create(request, context) }
        signedIn.get("surveys/:id") { request, context in try await show(request, context) }
        signedIn.post("surveys/:id/links") { request, context in try await addLinks(request, context) }
        signedIn.post("surveys/:id/close") { request, context in try await close(request, context) }
        signedIn.get("surveys/:id/invitations") { request, context in try await invitations(request, context) }
        signedIn.get("surveys/:id/links.csv") { request, context in try await linksCSV(request, context) }
        signedIn.get("surveys/:id/charts/:item") { request, context in try await chart(request, context) }
    }

    // MARK: answering

    func token(_ ctx: some RequestContext) throws -> String {
        let token = try ctx.parameters.text("token")
        guard SurveyLink.isWellFormed(token) else { throw AppError.notFound("survey link") }
        return token
    }

    func answer(_ request: Request, _ ctx: AppContext) async throws -> Response {
        let token = try token(ctx)
        switch try await state.services.surveys.open(token) {
        case .answer(let a):
            return render(request, ctx, a, token: token, answers: a.link.draft ?? [:], raw: [:], issues: [], saved: false)
        case .used: return message(request, ctx, heading: "surveyUsed", text: "surveyUsedText", status: .conflict)
        case .closed: return message(request, ctx, heading: "surveyClosed", text: "surveyClosedText", status: .gone)
        }
    }

    func post(_ request: Request, _ ctx: AppContext) async throws -> Response {
        let token = try token(ctx)
        let form = try await FormData.parse(request, ctx)
        let opening = try await state.services.surveys.open(token)
        guard case .answer(let a) = opening else {
            if case .used = opening { return message(request, ctx, heading: "surveyUsed", text: "surveyUsedText", status: .conflict) }
            return message(request, ctx, heading: "surveyClosed", text: "surveyClosedText", status: .gone)
        }
        let (answers, raw, unreadable) = Self.answers(form, a.survey)
        let saving = form["action"] == "save"
        do {
            guard unreadable.isEmpty else { throw SurveyAnswersRefused(issues: unreadable) }
            if saving {
                try await state.services.surveys.saveDraft(token, answers)
                return render(request, ctx, a, token: token, answers: answers, raw: raw, issues: [], saved: true)
            }
            try await state.services.surveys.submit(token, answers)
            return .redirect(to: "/survey-thanks", type: .normal)
        } catch let refused as SurveyAnswersRefused {
            return render(
                request, ctx, a, token: token, answers: answers, raw: raw, issues: refused.issues, saved: false, status: .unprocessableContent)
        } catch let e as ServiceError where e.code == "link_used" {
            return message(request, ctx, heading: "surveyUsed", text: "surveyUsedText", status: .conflict)
        }
    }

    /// The answers of the form's `a_<item>` fields; a number that is not one is named as an issue.
    static func answers(_ form: FormData, _ survey: Survey) -> (ChecklistAnswers, [String: String], [ChecklistIssue]) {
        var answers = ChecklistAnswers()
        var raw: [String: String] = [:]
        var issues: [ChecklistIssue] = []
        for item in survey.items {
            guard let value = form["a_\(item.id)"]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { continue }
            raw["a_\(item.id)"] = value
            switch item.type {
            case .choice, .likert: answers[item.id] = .choice(String(value.prefix(64)))
            case .yesNo:
                if value == "1" || value == "0" { answers[item.id] = .bool(value == "1") }
            case .number:
                if value.count <= 20, let v = Double(value), v.isFinite {
                    answers[item.id] = .number(v)
                } else {
                    issues.append(
                        ChecklistIssue(
                            itemId: item.id, code: .wrongType, messageZh: "请填写数字：\(item.textZh)", messageEn: "Enter a number: \(item.textEn)"))
                }
            case .text:
                if let text = try? Checked.text(value, field: item.id, max: 2000, multiline: true) { answers[item.id] = .text(text) }
            case .photo: break
            }
        }
        return (answers, raw, issues)
    }

    func render(
        _ request: Request, _ ctx: AppContext, _ a: Surveys.Answering, token: String, answers: ChecklistAnswers, raw: [String: String],
        issues: [ChecklistIssue], saved: Bool, status: HTTPResponse.Status = .ok
    ) -> Response {
        let rl = RequestLanguage(request)
        // Relevance is judged on submission: answers to questions that do not apply are dropped, not refused.
        let shown = issues.filter { $0.code != .notRelevantAnswered }
        let model = SurveyAnswerPage(a, token: token, answers: answers, raw: raw, issues: shown, saved: saved, lang: rl.language)
        var response = pages.render(
            rl, .surveyAnswer, Page(layout: pages.layout(request, ctx, rl.language, title: model.title), model: model), status: status)
        // A link is a key: keep it out of caches and referrers.
        response.headers[.cacheControl] = "no-store"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        return response
    }

    func message(_ request: Request, _ ctx: AppContext, heading: String, text: String, status: HTTPResponse.Status) -> Response {
        let rl = RequestLanguage(request)
        let page = Page(
            layout: pages.layout(request, ctx, rl.language, title: Strings.shared(heading, rl.language)),
            model: MessagePage(message: Strings.shared(text, rl.language)))
        var response = pages.render(rl, .error, page, status: status)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    // MARK: office

    func list(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let region = try await regionInScope(ctx)
        guard ctx.user.canRunSurveys(region: region.code) else {
            throw AppError.forbidden(zh: "只有督导办可以组织问卷调查", en: "surveys are run by supervision offices")
        }
        let today = state.services.clock.moment.today
        var rows: [SurveysPage.Row] = []
        var names: [String: String] = [:]
        for c in try await SurveyRepository(db.sql).campaigns(under: region.code) {
            guard let survey = SurveyCatalog.survey(id: c.surveyId) else { continue }
            if names[c.regionCode] == nil { names[c.regionCode] = try await RegionRepository(db.sql).find(c.regionCode)?.name }
            let r = try await state.services.surveys.results(c, survey)
            rows.append(
                .init(
                    id: c.id, title: c.title, region: names[c.regionCode] ?? c.regionCode, closes: c.closesOn,
                    state: Strings.shared(c.isOpen(today: today) ? "surveyOpen" : "surveyEnded", lang), invited: r.total.invited,
                    responses: r.total.responses, rate: Self.rate(r.total, lang)))
        }
        // 社会认可度 per county and year with closed satisfaction surveys (a city or province: each of its counties).
        var satisfaction: [String] = []
        let pairs = Set(try await SurveyRepository(db.sql).campaigns(under: region.code).map { "\($0.year) \($0.regionCode)" }).sorted(by: >)
        for pair in pairs {
            let parts = pair.split(separator: " ").map(String.init)
            guard let year = Int(parts[0]), parts.count == 2,
                let s = try await state.services.surveys.satisfaction(county: parts[1], year: year, threshold: 0.85)
            else { continue }
            let rate = s.rate.map { NumberText.percent($0) } ?? Strings.shared("tooFewToReport", lang)
            let name = region.level == .county ? "" : (names[parts[1]] ?? parts[1]) + " "
            satisfaction.append("\(name)\(year) · \(rate) · \(s.responses) \(Strings.shared("responses", lang))")
        }
        let layout = try await pages.layout(request, ctx, lang, title: "\(region.name) · \(Strings.shared("surveys", lang))", under: region.code)
        let model = SurveysPage(
            region: region, campaigns: rows, canCreate: region.level == .county,
            surveys: SurveyCatalog.builtIn.map { .init(id: $0.id, name: $0.name(lang)) },
            groups: RespondentGroup.allCases.map { .init(id: $0.rawValue, name: lang == .zh ? $0.zh : $0.en) },
            closes: DateText.ordinal(today).map { DateText.string(fromOrdinal: $0 + 30) } ?? today, satisfaction: satisfaction,
            hasSatisfaction: !satisfaction.isEmpty)
        return pages.render(rl, .surveys, Page(layout: layout, model: model))
    }

    static func rate(_ t: SurveyTally, _ lang: Language) -> String {
        if t.responses == 0 { return "—" }
        return t.satisfactionRate.map { NumberText.percent($0) } ?? (t.suppressed ? Strings.shared("tooFewToReport", lang) : "—")
    }

    func linkRequest(_ form: FormData, survey: String, region: String, closes: String) throws -> Surveys.LinkRequest {
        let group = try Checked.choice(try form.text("group"), field: "group", as: RespondentGroup.self)
        let school = try form.text("school")
        return Surveys.LinkRequest(
            surveyId: survey, region: region, schools: school.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init), group: group,
            perSchool: try form.integer("links", in: 1...5000, default: 30), closesOn: closes, title: try form.text("title"))
    }

    func create(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let region = try await regionInScope(ctx)
        let form = try await FormData.submitted(request, ctx)
        let created = try await state.services.surveys.createLinks(
            try linkRequest(form, survey: try form.text("survey"), region: region.code, closes: try form.text("closes")), by: ctx.user)
        return .redirect(to: "/surveys/\(created.campaign.id)", type: .normal)
    }

    func addLinks(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let (c, _) = try await state.services.surveys.campaign(try ctx.parameters.text("id"), for: ctx.user)
        let form = try await FormData.submitted(request, ctx)
        guard c.closedAt == nil else {
            throw AppError(status: .conflict, code: "campaign_closed", field: nil, zh: "调查已结束，不能再发放链接", en: "the campaign is closed")
        }
        _ = try await state.services.surveys.createLinks(
            try linkRequest(form, survey: c.surveyId, region: c.regionCode, closes: c.closesOn), by: ctx.user)
        return .redirect(to: "/surveys/\(c.id)", type: .normal)
    }

    func close(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        _ = try await FormData.submitted(request, ctx)  // the form token
        try await state.services.surveys.close(id, by: ctx.user)
        return .redirect(to: "/surveys/\(id)", type: .normal)
    }

    func show(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let (c, survey) = try await state.services.surveys.campaign(try ctx.parameters.text("id"), for: ctx.user)
        let results = try await state.services.surveys.results(c, survey)
        let today = state.services.clock.moment.today
        if try request.query("format") == "xlsx" {
            return try Download.xlsx(SurveyResultsDTO(results, today: today, language: lang).tables(lang), filename: "\(c.title).xlsx")
        }
        let region = try await RegionRepository(db.sql).find(c.regionCode)
        func part(_ tally: SurveyTally, name: String, group: RespondentGroup) -> CampaignPage.Part {
            .init(
                name: name, group: lang == .zh ? group.zh : group.en, invited: tally.invited, responses: tally.responses,
                responseRate: tally.responseRate.map { NumberText.percent($0) } ?? "—", satisfaction: Self.rate(tally, lang),
                suppressed: tally.suppressed)
        }
        let model = CampaignPage(
            id: c.id, title: c.title, surveyName: survey.name(lang), regionName: region?.name ?? c.regionCode, regionCode: c.regionCode,
            closes: c.closesOn, open: c.isOpen(today: today), invited: results.total.invited, responses: results.total.responses,
            responseRate: results.total.responseRate.map { NumberText.percent($0) } ?? "—", satisfaction: Self.rate(results.total, lang),
            suppressed: results.total.suppressed, minimum: survey.minimumRespondents,
            groups: results.byGroup.map { part($0.tally, name: "", group: $0.group) },
            schools: results.bySchool.map { part($0.tally, name: $0.name, group: $0.group) },
            items: results.total.items.filter { $0.type != .text }.map { i in
                .init(
                    id: i.itemId, text: lang == .zh ? i.textZh : i.textEn, answered: i.answered,
                    bars: i.choices.map {
                        .init(label: lang == .zh ? $0.zh : $0.en, count: $0.count, share: NumberText.percent($0.share, decimals: 1))
                    },
                    itemMean: i.mean.map { NumberText.fixed($0, 1) },
                    itemSatisfaction: i.type == .likert ? i.satisfactionRate.map { NumberText.percent($0) } : nil,
                    chart: i.choices.isEmpty ? "" : SurveyChart.svg(i, lang), chartHref: "/surveys/\(c.id)/charts/\(i.itemId)")
            },
            groupOptions: survey.groups.map { .init(id: $0.rawValue, name: lang == .zh ? $0.zh : $0.en) })
        let layout = try await pages.layout(request, ctx, lang, title: c.title, under: c.regionCode)
        return pages.render(rl, .surveyCampaign, Page(layout: layout, model: model))
    }

    /// The scheme and host the caller reached us by, for absolute answering links.
    static func base(_ request: Request) -> String {
        let scheme = request.headers[.init("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        return "\(scheme)://\(request.head.authority ?? "localhost:8080")"
    }

    func invitations(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let (c, survey) = try await state.services.surveys.campaign(try ctx.parameters.text("id"), for: ctx.user)
        let school = try request.query("school")
        let links = try await SurveyRepository(db.sql).links(campaign: c.id, school: school).filter { !$0.used }
        let names = try await SchoolRepository(db.sql).find(codes: Array(Set(links.map(\.schoolCode))))
        let base = Self.base(request)
        if try request.query("format") == "docx" {
            // Two cards a page, each with its QR code as a picture; at most 1,000 cards a file.
            var blocks: [DOCXWriter.Block] = []
            for (i, link) in links.prefix(1000).enumerated() {
                let url = "\(base)/s/\(link.token)"
                if i > 0 && i % 2 == 0 { blocks.append(.pageBreak) }
                blocks += [
                    .heading(survey.nameZh), .paragraph("\(names[link.schoolCode]?.name ?? link.schoolCode) · \(link.group.zh)"),
                    .image(png: try QRCode(url, correction: .medium).png(module: 6), widthMM: 45, heightMM: 45), .paragraph(url),
                    .paragraph("请用手机扫码匿名填写问卷，每码限填一次，截止\(c.closesOn)。"),
                ]
            }
            var response = Download.response(try DOCXWriter.write(blocks), .docx, filename: "\(c.title)-邀请函.docx")
            response.headers[.cacheControl] = "no-store"
            return response
        }
        // A printed sheet is for handing out: at most 2,000 cards a page (filter by school for more).
        let cards = try links.prefix(2000).map { link in
            let url = "\(base)/s/\(link.token)"
            return InvitationsPage.Card(
                school: names[link.schoolCode]?.name ?? link.schoolCode, group: lang == .zh ? link.group.zh : link.group.en, url: url,
                qr: try QRCode(url, correction: .medium).svg(module: 3, quietZone: 4))
        }
        let layout = try await pages.layout(request, ctx, lang, title: c.title, under: c.regionCode)
        let model = InvitationsPage(title: c.title, surveyName: survey.name(lang), closes: c.closesOn, cards: Array(cards), total: links.count)
        var response = pages.render(rl, .surveyInvitations, Page(layout: layout, model: model))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func linksCSV(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let (c, _) = try await state.services.surveys.campaign(try ctx.parameters.text("id"), for: ctx.user)
        let links = try await SurveyRepository(db.sql).links(campaign: c.id)
        let names = try await SchoolRepository(db.sql).find(codes: Array(Set(links.map(\.schoolCode))))
        let base = Self.base(request)
        let table = Table(
            name: "links", header: ["school_code", "school", "group", "url", "used"],
            rows: links.map { [$0.schoolCode, names[$0.schoolCode]?.name ?? "", $0.group.rawValue, "\(base)/s/\($0.token)", $0.used ? "1" : "0"] },
            textColumns: [0])
        var response = Download.response(CSVTable.write(table), .csv, filename: "\(c.title)-links.csv")
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func chart(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let (c, survey) = try await state.services.surveys.campaign(try ctx.parameters.text("id"), for: ctx.user)
        let id = try ctx.parameters.text("item")
        let results = try await state.services.surveys.results(c, survey)
        guard let item = results.total.items.first(where: { $0.itemId == id }), !item.choices.isEmpty else { throw AppError.notFound("item \(id)") }
        return Response(
            status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8", .contentDisposition: "attachment; filename=\"\(id).svg\""],
            body: .init(
                byteBuffer: ByteBuffer(
                    string: #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + SurveyChart.svg(item, RequestLanguage(request).language))))
    }
}
