import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird

/// The JSON API under /api/v1, documented in docs/openapi.json (a test keeps them in step).
struct APIRoutes: Sendable {
    let state: AppState
    var db: Database { state.database }

    /// Method and path template of every API route, as the OpenAPI file lists them.
    static let documented: [(method: String, path: String)] = [
        ("get", "/programmes"),
        ("get", "/regions"),
        ("get", "/regions/{code}"),
        ("get", "/regions/{code}/evaluation"),
        ("get", "/regions/{code}/schools"),
        ("get", "/schools/{code}"),
        ("put", "/schools/{code}/returns/{year}/{stage}"),
        ("get", "/rounds"),
        ("post", "/rounds"),
        ("get", "/rounds/{id}"),
        ("post", "/rounds/{id}/actions"),
        ("get", "/evaluations"),
        ("post", "/evaluations"),
        ("get", "/evaluations/{id}"),
        ("post", "/evaluations/{id}/actions"),
        ("get", "/regions/{code}/rectifications"),
        ("post", "/rectifications/{id}/actions"),
        ("get", "/regions/{code}/bulletin"),
        ("post", "/schools/{code}/visits"),
    ]

    func register(on api: RouterGroup<SignedInContext>) {
        api.get("programmes") { _, _ in try json(ProgrammeCatalog.builtIn.map(ProgrammeDTO.init)) }
        api.get("regions") { request, context in try await region(request, context, code: context.user.regionCode) }
        api.get("regions/:code") { request, context in try await region(request, context, code: context.parameters.get("code") ?? "") }
        api.get("regions/:code/evaluation") { request, context in
            try await evaluation(request, context, code: context.parameters.get("code") ?? "")
        }
        api.get("regions/:code/schools") { request, context in
            let code = context.parameters.get("code") ?? ""
            guard context.user.canRead(region: code), try await RegionRepository(db.sql).find(code) != nil else {
                throw AppError.notFound("region \(code)")
            }
            return try json(try await SchoolRepository(db.sql).list(under: code).map(SchoolDTO.init))
        }
        api.get("schools/:code") { request, context in
            let code = context.parameters.get("code") ?? ""
            guard let school = try await SchoolRepository(db.sql).find(code), context.user.canRead(school: school) else {
                throw AppError.notFound("school \(code)")
            }
            let rows = try await ReturnRepository(db.sql).rows(school: code)
            return try json(SchoolDetailDTO(school: school, rows: rows))
        }
        api.put("schools/:code/returns/:year/:stage") { request, context in try await editReturn(request, context) }
        registerRounds(on: api)
        registerEvaluations(on: api)
        registerSupervision(on: api)
    }

    func region(_ request: Request, _ context: SignedInContext, code: String) async throws -> Response {
        guard context.user.canRead(region: code), let region = try await RegionRepository(db.sql).find(code) else {
            throw AppError.notFound("region \(code)")
        }
        let counts = try await SchoolRepository(db.sql).countByCounty(under: code)
        let children = try await RegionRepository(db.sql).children(of: code)
        let years = try await ReturnRepository(db.sql).years(under: code)
        return try json(RegionDTO(region: region, children: children, counts: counts, years: years))
    }

    func evaluation(_ request: Request, _ context: SignedInContext, code: String) async throws -> Response {
        guard context.user.canRead(region: code) else { throw AppError.notFound("region \(code)") }
        let lang = Language(code: request.uri.queryParameters.get("lang"))
        let year = try request.queryYear()
        let programme = try request.query("programme") ?? ProgrammeCatalog.defaultId
        do {
            switch try await EvaluationService(db.sql).evaluate(region: code, year: year, programme: programme) {
            case .county(let e): return try json(CountyEvaluationDTO(e, language: lang))
            case .rollup(let r): return try json(RegionRollupDTO(r, language: lang))
            }
        } catch let failure as EvaluationFailure {
            switch failure {
            case .unknownRegion: throw AppError.notFound("region \(code)")
            case .unknownProgramme: throw AppError.invalid("programme", message: failure.description)
            case .noData: throw AppError.notFound("returns for region \(code)")
            }
        }
    }
}

/// JSON responses with stable key order, for people reading them and for diffs.
func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

/// A write that rides on the session cookie must prove it comes from this site's own pages:
/// the session's CSRF token in `X-CSRF-Token` and a JSON body (which a cross-site form cannot
/// send). Token-authenticated calls need neither. (Callers without either are refused when
/// the signed-in context is built: 401.)
struct APICSRF: RouterMiddleware {
    typealias Context = SignedInContext
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if context.session != nil, ![.get, .head, .options].contains(request.method) {
            guard context.acceptsCSRF(request.headers[Self.csrfHeader]) else {
                throw AppError(status: .forbidden, code: "csrf", field: "X-CSRF-Token",
                               zh: "以登录会话调用接口写入数据时须在 X-CSRF-Token 头中提供会话的 CSRF 令牌",
                               en: "writes with a session cookie need the session's CSRF token in the X-CSRF-Token header")
            }
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                throw AppError(status: .unsupportedMediaType, code: "media_type", field: "Content-Type",
                               zh: "接口请求体须为 application/json", en: "API bodies must be application/json")
            }
        }
        return try await next(request, context)
    }
}
