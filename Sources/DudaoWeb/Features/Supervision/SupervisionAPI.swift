import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

struct RectificationDTO: Encodable {
    var id: String
    var school_code: String
    var county_code: String
    var category: String
    var description: String
    var assigned_unit: String
    var responsible_person: String
    var deadline: String
    var state: String
    var opened_on: String
    var closed_on: String?
    var reopen_count: Int
    var overdue: Bool
    var escalated_to: String?

    init(_ c: RectificationCase, today: String) {
        id = c.id
        school_code = c.schoolCode
        county_code = c.countyCode
        category = c.category
        description = c.description
        assigned_unit = c.assignedUnit
        responsible_person = c.responsiblePerson
        deadline = c.deadline
        state = c.state.rawValue
        opened_on = c.openedOn
        closed_on = c.closedOn
        reopen_count = c.reopenCount
        overdue = c.isOverdue(today: today)
        escalated_to = EscalationPolicy.standard.level(of: c, today: today)?.rawValue
    }
}

struct RatesDTO: Encodable {
    var as_of: String
    var total: Int
    var closed: Int
    var closed_on_time: Int
    var overdue: Int
    /// 办结率 and 按期办结率, as fractions (null with no cases); *_text as published ("62.50%").
    var closing_rate: Double?
    var on_time_rate: Double?
    var closing_rate_text: String?
    var on_time_rate_text: String?

    init(_ r: RectificationRates, asOf: String) {
        as_of = asOf
        total = r.total
        closed = r.closed
        closed_on_time = r.closedOnTime
        overdue = r.overdue
        closing_rate = r.closingRate
        on_time_rate = r.onTimeRate
        closing_rate_text = r.closingRate.map(NumberText.percent)
        on_time_rate_text = r.onTimeRate.map(NumberText.percent)
    }
}

extension APIRoutes {
    func registerSupervision(on api: RouterGroup<SignedInContext>) {
        api.post("schools/:code/visits") { request, context in try await recordVisit(request, context) }
        api.get("regions/:code/rectifications") { request, context in
            let code = try await regionInScope(context).code
            let today = try request.queryDate("as_of") ?? state.today
            let filter = try request.query("state").map { v throws(FieldError) in try Checked.choice(v, field: "state", as: RectificationState.self) }
            let limit = try request.queryInteger("limit", in: 1...1000) ?? 500
            let offset = try request.queryInteger("offset", in: 0...100_000_000) ?? 0
            let repository = RectificationRepository(db.sql)
            // Rates and counts by the database; one page of cases (newest first).
            let rates = try await repository.rates(under: code, asOf: today)
            let counts = try await repository.countByState(under: code)
            let cases = try await repository.list(under: code, state: filter, limit: limit + 1, offset: offset)
            struct Body: Encodable {
                var rates: RatesDTO
                var by_state: [String: Int]
                var cases: [RectificationDTO]
                var next_offset: Int?
            }
            return try json(
                Body(
                    rates: RatesDTO(rates, asOf: today), by_state: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
                    cases: cases.prefix(limit).map { RectificationDTO($0, today: today) }, next_offset: cases.count > limit ? offset + limit : nil))
        }
        api.post("rectifications/:id/actions") { request, context in
            let id = try context.parameters.text("id")
            let user = context.user
            guard let found = try await RectificationRepository(db.sql).find(id),
                user.canRead(region: found.case.countyCode) || user.schoolCode == found.case.schoolCode
            else {
                throw AppError.notFound("rectification \(id)")
            }
            struct Body: Decodable { var action: String; var note: String?; var version: Int }
            let body = try await request.decode(Body.self, context: context, limit: 1 << 16)
            let note = try Checked.text(body.note ?? "", field: "note", max: Checked.maxText, multiline: true)
            _ = try Checked.integer(String(body.version), field: "version", in: Checked.versions)
            guard let action = SupervisionPages.action(body.action, note: note) else {
                throw AppError.invalid(
                    "action",
                    message: "expected {\"action\": \"start|submit_evidence|verify|return_evidence|reopen\", \"note\": \"…\", \"version\": n}")
            }
            let next = try await state.services.rectifications.act(action, id: id, expectedVersion: body.version, by: user)
            return try json(RectificationDTO(next, today: state.today))
        }
    }
}

/// `POST /api/v1/schools/{code}/visits`: record (draft or sign off) a visit as the calling inspector.
struct VisitRequest: Decodable {
    struct Finding: Decodable {
        var category: String
        var description: String
    }

    var id: String?
    var version: Int?
    var checklist: String?
    var date: String
    /// Checklist answers, e.g. {"is_boarding": {"bool": false}, "students_enrolled": {"number": 555}}.
    var answers: ChecklistAnswers
    var people_met: String?
    var notes: String?
    var location: String?
    var sign: Bool?
    var findings: [Finding]?
    var deadline_days: Int?
}

struct VisitResponse: Encodable {
    var id: String
    var status: String
    var version: Int?
    var cases: [String]
}

extension APIRoutes {
    func recordVisit(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let user = context.user
        let code = try context.parameters.text("code")
        guard let school = try await SchoolRepository(db.sql).find(code), user.canRead(school: school) else {
            throw AppError.notFound("school \(code)")
        }
        guard user.canRecordVisits, let inspector = try await InspectorRepository(db.sql).find(username: user.username) else {
            throw AppError.forbidden(zh: "只有责任督学可以记录督导", en: "only inspectors record visits")
        }
        let body = try await request.decode(VisitRequest.self, context: context, limit: 1 << 20)
        guard let checklist = ChecklistCatalog.checklist(id: body.checklist ?? "routine") else {
            throw AppError.invalid("checklist", zh: "未知检查表", en: "unknown checklist")
        }
        // The visit's content rules (date, day count, texts, categories, numbers) are checked by
        // the use case, for every surface alike.
        let input = Visits.Input(
            id: body.id ?? "V-" + UUID().uuidString.lowercased(), version: body.version ?? 0, school: school, inspector: inspector,
            checklist: checklist, answers: body.answers, date: body.date, peopleMet: body.people_met ?? "", notes: body.notes ?? "",
            location: body.location, sign: body.sign ?? false, extraFindings: (body.findings ?? []).map { ($0.category, $0.description) },
            deadlineDays: body.deadline_days ?? 30, photos: [])
        switch try await state.services.visits.record(
            input, by: user.username, lang: Language(code: request.uri.queryParameters.get("lang").map { String($0) }))
        {
        case .conflict:
            throw AppError(
                status: .conflict, code: "version_conflict", field: "version", zh: "该督导记录已在别处修改或已签署",
                en: "the visit changed elsewhere or is already signed")
        case .draft(let version):
            return try json(VisitResponse(id: input.id, status: VisitStatus.draft.rawValue, version: version, cases: []), status: .created)
        case .incomplete(let issues, _):
            struct Body: Encodable { var error: APIErrorBody.Body; var issues: [ChecklistIssue] }
            return try json(
                Body(error: .init(code: "incomplete", field: "answers", message: "the checklist is incomplete; kept as a draft"), issues: issues),
                status: .unprocessableContent)
        case .signed(let cases):
            return try json(VisitResponse(id: input.id, status: VisitStatus.signed.rawValue, version: nil, cases: cases), status: .created)
        }
    }
}
