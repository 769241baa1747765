import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird

/// The JSON API under /api/v1, documented in docs/openapi.json (a test keeps them in step).
struct APIRoutes: FeatureRoutes {
    let state: AppState

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
        ("get", "/regions/{code}/duty"),
        ("get", "/regions/{code}/sheets/{sheet}"),
        ("put", "/regions/{code}/sheets/{sheet}/items/{item}"),
        ("post", "/schools/{code}/visits"),
        ("get", "/surveys"),
        ("post", "/regions/{code}/survey-campaigns"),
        ("get", "/survey-campaigns/{id}/results"),
        ("post", "/survey-campaigns/{id}/close"),
        ("get", "/documents/search"),
        ("get", "/regions/{code}/key-targets"),
        ("post", "/regions/{code}/key-targets"),
        ("get", "/key-targets/{id}"),
        ("post", "/key-targets/{id}/tasks"),
        ("post", "/key-targets/{id}/refresh"),
        ("post", "/key-tasks/{id}/reports"),
        ("post", "/key-task-reports/{id}/review"),
        ("get", "/regions/{code}/dispatch"),
        ("post", "/letters"),
        ("get", "/letters/{id}"),
        ("get", "/regions/{code}/letters"),
        ("post", "/letters/{id}/reply"),
        ("post", "/regions/{code}/accountability"),
        ("get", "/regions/{code}/projects"),
        ("post", "/regions/{code}/projects"),
        ("post", "/projects/{id}/stage"),
        ("get", "/regions/{code}/complaints"),
        ("post", "/regions/{code}/complaints"),
        ("post", "/complaints/{id}/actions"),
        ("get", "/agenda"),
        ("get", "/audit"),
    ]

    /// Each feature registers its own endpoints (its folder under Features/).
    func register(on api: RouterGroup<SignedInContext>) {
        registerRegistry(on: api)
        registerReturns(on: api)
        registerRounds(on: api)
        registerEvaluations(on: api)
        registerSupervision(on: api)
        registerBulletins(on: api)
        registerDuty(on: api)
        registerSheets(on: api)
        registerSurveys(on: api)
        registerKeyTasks(on: api)
        registerComplaints(on: api)
        registerDocuments(on: api)
        registerAudit(on: api)
    }
}

/// JSON responses with stable key order, for people reading them and for diffs.
func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
    json(encoded: try jsonBytes(value), status: status)
}

/// A value as `json` sends it, for a body made once and sent many times.
func jsonBytes<T: Encodable>(_ value: T) throws -> ByteBuffer {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return ByteBuffer(bytes: try encoder.encode(value))
}

/// A JSON body already encoded (`jsonBytes`).
func json(encoded body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
    Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
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
                throw AppError(
                    status: .forbidden, code: "csrf", field: "X-CSRF-Token",
                    zh: "以登录会话调用接口写入数据时须在 X-CSRF-Token 头中提供会话的 CSRF 令牌",
                    en: "writes with a session cookie need the session's CSRF token in the X-CSRF-Token header")
            }
            guard request.headers[.contentType]?.lowercased().hasPrefix("application/json") == true else {
                throw AppError(
                    status: .unsupportedMediaType, code: "media_type", field: "Content-Type",
                    zh: "接口请求体须为 application/json", en: "API bodies must be application/json")
            }
        }
        return try await next(request, context)
    }
}
