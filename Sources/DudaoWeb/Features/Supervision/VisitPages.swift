import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// Recording a visit on a phone: the checklist as a form (from its data file), people met,
/// notes, photos, an optional finding; saved as a draft or signed off. Signing opens a
/// rectification case for every finding.
struct VisitPages: FeatureRoutes {
    let state: AppState

    func register(on router: RouterGroup<SignedInContext>) {
        router.get("schools/:code/visits/new") { request, context in try await renderForm(request, context, visit: nil, issues: [], message: nil) }
        router.post("schools/:code/visits") { request, context in try await save(request, context) }
        router.get("attachments/:id") { request, context in try await attachment(request, context) }
    }

    /// The school and the caller's inspector record, if they may record a visit there.
    func context(_ ctx: SignedInContext) async throws -> (School, Inspector)? {
        let user = ctx.user
        guard let code = ctx.parameters.get("code"),
            let school = try await SchoolRepository(db.sql).find(code), user.canRead(school: school), user.canRecordVisits,
            let inspector = try await InspectorRepository(db.sql).find(username: user.username)
        else { return nil }
        return (school, inspector)
    }

    func renderForm(
        _ request: Request, _ ctx: SignedInContext, visit: VisitRecord?, issues: [ChecklistIssue], message: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        guard let (school, _) = try await context(ctx) else { return pages.notFound(request, ctx, rl, what: try ctx.parameters.text("code")) }
        let checklistId = try visit?.checklistId ?? request.query("checklist") ?? "routine"
        guard let checklist = ChecklistCatalog.checklist(id: checklistId) else { return pages.notFound(request, ctx, rl, what: checklistId) }
        let answers = visit.flatMap { try? JSONDecoder().decode(ChecklistAnswers.self, from: Data($0.answers.utf8)) } ?? ChecklistAnswers()
        let problems = Dictionary(grouping: issues, by: \.itemId)
        let sections = checklist.sections.map { section in
            VisitPage.Section(
                title: lang == .zh ? section.titleZh : section.titleEn,
                items: section.items.map { item in
                    let answer = answers.values[item.id]
                    return VisitPage.Item(
                        id: item.id, text: lang == .zh ? item.textZh : item.textEn,
                        hint: (lang == .zh ? item.hintZh : item.hintEn).flatMap { $0.isEmpty ? nil : $0 },
                        required: item.required && item.relevant == nil, relevant: item.relevant?.text,
                        isYesNo: item.type == .yesNo, isNumber: item.type == .number, isText: item.type == .text,
                        isChoice: item.type == .choice, isPhoto: item.type == .photo,
                        yes: answer == .bool(true), no: answer == .bool(false),
                        value: answer.flatMap { a -> String? in
                            switch a {
                            case .number(let v): NumberText.plain(v)
                            case .text(let t): t
                            default: nil
                            }
                        } ?? "",
                        choices: item.choices.map { .init(id: $0.id, name: lang == .zh ? $0.zh : $0.en, selected: answer == .choice($0.id)) },
                        issues: (problems[item.id] ?? []).map { .init(text: lang == .zh ? $0.messageZh : $0.messageEn) })
                })
        }
        let model = VisitPage(
            school: .init(name: school.name, code: school.code),
            visit: .init(
                id: visit?.id ?? "V-" + UUID().uuidString.lowercased(), version: visit?.version ?? 0,
                date: visit?.date ?? state.today, peopleMet: visit?.peopleMet ?? "", notes: visit?.notes ?? "",
                location: visit?.location ?? ""),
            checklists: ChecklistCatalog.builtIn.map { .init(id: $0.id, name: lang == .zh ? $0.nameZh : $0.nameEn, selected: $0.id == checklist.id) },
            checklistId: checklist.id, sections: sections,
            categories: FindingCategory.allCases.map { .init(id: $0.rawValue, name: $0.label(lang)) },
            message: message)
        let layout = pages.layout(request, ctx, lang, title: "\(school.name) · \(Strings.shared("recordVisit", lang))")
        return pages.render(rl, .visit, Page(layout: layout, model: model), status: status)
    }

    func save(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let user = ctx.user
        guard let (school, inspector) = try await context(ctx) else {
            return pages.notFound(request, ctx, rl, what: try ctx.parameters.text("code"))
        }
        guard let form = try await MultipartForm.parse(request) else {
            throw AppError(
                status: .unsupportedMediaType, code: "media_type", field: nil, zh: "表单应为 multipart/form-data", en: "expected multipart/form-data")
        }
        let fields = FormData(fields: form.fields)
        guard ctx.acceptsCSRF(fields["csrf"]) else { throw AppError.csrf }
        guard let checklist = ChecklistCatalog.checklist(id: try fields.text("checklist").isEmpty ? "routine" : try fields.text("checklist")) else {
            throw AppError.invalid("checklist", zh: "未知检查表", en: "unknown checklist")
        }
        let photosByItem = Dictionary(grouping: form.files.filter { $0.name.hasPrefix("p.") }, by: { String($0.name.dropFirst(2)) })
        var answers = ChecklistAnswers()
        for item in checklist.items {
            let raw = try fields.paragraph("a." + item.id).trimmingCharacters(in: .whitespacesAndNewlines)
            switch item.type {
            case .yesNo where raw == "yes" || raw == "no": answers.values[item.id] = .bool(raw == "yes")
            // Not a finite number: kept as text, which the checklist reports as not a number.
            case .number where !raw.isEmpty:
                if let v = try? Checked.number(raw, field: "a." + item.id, in: Checked.answerNumbers, whole: false) {
                    answers.values[item.id] = .number(v)
                } else {
                    answers.values[item.id] = .text(raw)
                }
            case .text where !raw.isEmpty: answers.values[item.id] = .text(raw)
            case .choice where !raw.isEmpty: answers.values[item.id] = .choice(raw)
            case .photo: if let n = photosByItem[item.id]?.count, n > 0 { answers.values[item.id] = .photo(n) }
            default: break
            }
        }
        let manualFinding = try fields.paragraph("finding_description").trimmingCharacters(in: .whitespacesAndNewlines)
        let category = try fields.text("finding_category")
        let idText = try fields.text("visit_id")
        let dateText = try fields.text("visit_date")
        let location = try fields.text("location")
        let input = Visits.Input(
            id: idText.isEmpty ? "V-" + UUID().uuidString.lowercased() : try Checked.identifier(idText, field: "visit_id"),
            version: try fields.version() ?? 0, school: school,
            inspector: inspector, checklist: checklist, answers: answers,
            date: dateText.isEmpty ? state.today : try Checked.date(dateText, field: "visit_date"),
            peopleMet: try fields.paragraph("people_met"), notes: try fields.paragraph("notes"), location: location.isEmpty ? nil : location,
            sign: fields["submit"] == "sign",
            extraFindings: manualFinding.isEmpty ? [] : [(category.isEmpty ? FindingCategory.other.rawValue : category, manualFinding)],
            deadlineDays: try fields.integer("deadline_days", in: Checked.dayCounts, default: 30),
            photos: form.files.map { ($0.filename ?? "photo", $0.contentType ?? "application/octet-stream", $0.data) })
        func draft(_ version: Int) -> VisitRecord { input.record(status: .draft, version: version) }
        switch try await state.services.visits.record(input, by: user.username, lang: lang) {
        case .conflict:
            return try await renderForm(
                request, ctx, visit: draft(input.version), issues: [], message: Strings.shared("visitChanged", lang), status: .conflict)
        case .draft(let version):
            return try await renderForm(request, ctx, visit: draft(version), issues: [], message: Strings.shared("draftSaved", lang))
        case .incomplete(let issues, let version):
            return try await renderForm(
                request, ctx, visit: draft(version), issues: issues, message: Strings.shared("visitIncomplete", lang), status: .unprocessableContent)
        case .signed:
            return .redirect(to: "/schools/\(school.code)", type: .normal)
        }
    }

    func attachment(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let user = ctx.user
        guard let file = try await AttachmentRepository(db.sql).load(try ctx.parameters.text("id")) else {
            return pages.notFound(request, ctx, RequestLanguage(request), what: "file")
        }
        // A visit's files: whoever may read its school; a score item's evidence: whoever may
        // read its county (the object id is sheet/region/year/item).
        var allowed = false
        switch file.objectType {
        case "visit":
            if let visit = try await VisitRepository(db.sql).find(file.objectId),
                let school = try await SchoolRepository(db.sql).find(visit.schoolCode)
            {
                allowed = user.canRead(school: school)
            }
        case "evaluation_step":
            if let caseId = file.objectId.split(separator: "/").first, let c = try await EvaluationCaseRepository(db.sql).find(String(caseId)) {
                allowed = user.canListEvaluationCases && user.canRead(region: c.regionCode)
            }
        case "score_item":
            let parts = file.objectId.split(separator: "/")
            allowed = parts.count == 4 && user.isOfficeStaff && user.canRead(region: String(parts[1]))
        default:
            allowed = false
        }
        guard allowed else { return pages.notFound(request, ctx, RequestLanguage(request), what: "file") }
        // Served as the kind its bytes are (files stored before uploads were checked may be
        // anything: those are only ever downloaded), never sniffed, never run on this origin.
        let kind = UploadKind.recognise(file.data)
        let inline = kind?.isImage == true
        return Response(
            status: .ok,
            headers: [
                .contentType: kind?.contentType ?? "application/octet-stream",
                .contentDisposition: AttachmentHeaders.disposition(inline: inline, filename: file.filename),
                .contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
                .cacheControl: "private, max-age=300",
            ], body: .init(byteBuffer: ByteBuffer(bytes: file.data)))
    }
}

enum AttachmentHeaders {
    /// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266), or inline.
    static func disposition(inline: Bool, filename: String) -> String {
        let ascii = String(
            filename.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" && $0 != ";" }.map(Character.init))
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return "\(inline ? "inline" : "attachment"); filename=\"\(ascii.isEmpty ? "file" : ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
