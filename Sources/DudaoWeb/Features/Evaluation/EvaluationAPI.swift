import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird

struct EvaluationCaseDTO: Encodable {
    struct StepDTO: Encodable {
        var seq: Int
        var step: String
        var action: String
        var actor: String
        var at: String
        var comment: String?
        var passed: Bool
    }

    var id: String
    var region_code: String
    var year: Int
    var programme: String
    var step: String
    var notice_ends_on: String?
    var version: Int
    var steps: [StepDTO]?
    /// Differences between the latest frozen result and a recomputation now.
    var changes_since_frozen: [SnapshotDiff.Change]?

    init(_ c: EvaluationCase, steps: [EvaluationStepRecord]? = nil, diff: SnapshotDiff? = nil) {
        id = c.id
        region_code = c.regionCode
        year = c.year
        programme = c.programmeId
        step = c.step.rawValue
        notice_ends_on = c.noticeEndsOn
        version = c.version
        self.steps = steps?.map {
            StepDTO(seq: $0.seq, step: $0.step.rawValue, action: $0.action, actor: $0.actor, at: $0.at, comment: $0.comment, passed: $0.passed)
        }
        changes_since_frozen = diff?.changes
    }
}

extension APIRoutes {
    func registerEvaluations(on api: RouterGroup<SignedInContext>) {
        api.get("regions/:code/evaluation") { request, context in
            try await evaluation(request, context, code: try context.parameters.text("code"))
        }
        let cases = state.services.evaluations
        api.get("evaluations") { _, context in
            // Evaluation cases are the offices' work: principals see none (their school's
            // results are public once noticed).
            let user = context.user
            guard user.canListEvaluationCases else { return try json([EvaluationCaseDTO]()) }
            return try json(try await EvaluationCaseRepository(db.sql).list(under: user.regionCode).map { EvaluationCaseDTO($0) })
        }
        api.post("evaluations") { request, context in
            struct Body: Decodable { var region: String; var year: Int; var programme: String? }
            let body = try await request.decode(
                Body.self, context: context, limit: 1 << 16,
                expected: "{\"region\": \"411081\", \"year\": 2024, \"programme\": \"quality-2017\"}")
            guard context.user.canRead(region: body.region) else { throw AppError.notFound("county \(body.region)") }
            _ = try Checked.year(body.year, field: "year")
            guard
                let c = try await cases.start(
                    county: body.region, year: body.year, programme: body.programme ?? ProgrammeCatalog.defaultId,
                    by: context.user)
            else { throw AppError.notFound("county \(body.region)") }
            return try json(EvaluationCaseDTO(c), status: .created)
        }
        api.get("evaluations/:id") { _, context in
            let id = try context.parameters.text("id")
            guard let c = try await EvaluationCaseRepository(db.sql).find(id), context.user.canRead(region: c.regionCode) else {
                throw AppError.notFound("evaluation \(id)")
            }
            let steps = try await EvaluationCaseRepository(db.sql).steps(id)
            return try json(EvaluationCaseDTO(c, steps: steps, diff: try await cases.changes(c, steps: steps)))
        }
        api.post("evaluations/:id/actions") { request, context in
            let id = try context.parameters.text("id")
            guard let c = try await EvaluationCaseRepository(db.sql).find(id), context.user.canRead(region: c.regionCode) else {
                throw AppError.notFound("evaluation \(id)")
            }
            struct Body: Decodable { var action: String; var comment: String?; var notice_ends_on: String?; var version: Int }
            let expected = "{\"action\": \"forward|back\", \"version\": n, \"comment\": \"…\", \"notice_ends_on\": \"yyyy-MM-dd\"}"
            let body = try await request.decode(Body.self, context: context, limit: 1 << 16, field: "action", expected: expected)
            guard ["forward", "back"].contains(body.action) else { throw AppError.invalid("action", message: "expected \(expected)") }
            _ = try Checked.integer(body.version, field: "version", in: Checked.versions)
            let comment = try Checked.text(body.comment ?? "", field: "comment", max: Checked.maxText, multiline: true)
            let noticeEnds = try body.notice_ends_on.map { v throws(FieldError) in try Checked.date(v, field: "notice_ends_on") }
            let action: EvaluationAction =
                body.action == "back"
                ? .sendBack(comment: comment)
                : .forward(comment: comment, noticeEndsOn: noticeEnds)
            guard let updated = try await cases.act(action, on: c, expectedVersion: body.version, by: context.user) else {
                throw AppError.notFound("returns of \(c.regionCode)")
            }
            return try json(EvaluationCaseDTO(updated))
        }
    }

    func evaluation(_ request: Request, _ context: SignedInContext, code: String) async throws -> Response {
        guard context.user.canRead(region: code) else { throw AppError.notFound("region \(code)") }
        let lang = Language(code: request.uri.queryParameters.get("lang"))
        let year = try request.queryYear()
        let programme = try request.query("programme") ?? ProgrammeCatalog.defaultId
        // Unknown regions, programmes and years without returns are answered by ErrorMiddleware.
        // Served from the stored result while the region's data version holds (with its scored
        // parts and the whole verdict for a county); the headers say which version and when.
        let stored = state.services.storedEvaluations
        let key = EvaluationResponse.Key(region: code, year: year, programme: programme, language: lang.rawValue)
        let version = try await stored.version(of: code), day = stored.day
        var entry: EvaluationResponse.Prepared, shown = version
        if let ready = state.evaluationResponses.value(key, dataVersion: version, day: day) {
            entry = ready
        } else {
            let result = try await stored.read(region: code, year: year, programme: programme, language: lang)
            shown = result.dataVersion
            entry = state.evaluationResponses.store(
                key, .init(body: result.body, computedAt: result.computedAt), dataVersion: result.dataVersion, day: day)
        }
        var headers: HTTPFields = [
            .contentType: "application/json; charset=utf-8", .dataVersion: String(shown), .computedAt: entry.computedAt,
            .eTag: entry.eTag,
        ]
        if let gzip = entry.gzip, ConditionalGet<AppContext>.acceptsGzip(request), request.headers[.ifNoneMatch] == nil {
            headers[.contentEncoding] = "gzip"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: gzip))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: entry.body))
    }
}

extension HTTPField.Name {
    /// The data version a stored evaluation was computed from (`DataVersions`).
    static let dataVersion = HTTPField.Name("Dudao-Data-Version")!
    /// When the stored evaluation was computed (UTC).
    static let computedAt = HTTPField.Name("Dudao-Computed-At")!
}
