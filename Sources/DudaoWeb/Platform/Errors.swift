import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// An answer to a request that is not the happy path: a status, a stable code, the field at
/// fault and a message in both languages. Handlers throw it (or a `FieldError`, a
/// `ReviewRefusal`, …); `ErrorMiddleware` turns it into a page or a JSON error body, so no
/// handler builds an error response by hand.
struct AppError: Error, Sendable {
    var status: HTTPResponse.Status
    var code: String
    var field: String?
    var zh: String
    var en: String

    func message(_ language: Language) -> String { language == .zh ? zh : en }

    static func notFound(_ what: String) -> AppError {
        AppError(status: .notFound, code: "not_found", field: nil, zh: "未找到：\(what)", en: "\(what) not found")
    }

    static func forbidden(zh: String, en: String) -> AppError {
        AppError(status: .forbidden, code: "forbidden", field: nil, zh: zh, en: en)
    }

    static func invalid(_ field: String, zh: String, en: String) -> AppError {
        AppError(status: .badRequest, code: "invalid", field: field, zh: zh, en: en)
    }

    /// A refusal whose message is the same in both languages (an example body, a value).
    static func invalid(_ field: String, message: String) -> AppError {
        AppError(status: .badRequest, code: "invalid", field: field, zh: message, en: message)
    }

    static let csrf = AppError(
        status: .forbidden, code: "csrf", field: "csrf", zh: "表单已过期或来源不明，请刷新页面后重试",
        en: "the form expired or did not come from this site; reload the page and try again")

    init(status: HTTPResponse.Status, code: String, field: String?, zh: String, en: String) {
        self.status = status
        self.code = code
        self.field = field
        self.zh = zh
        self.en = en
    }

    init(_ error: FieldError) {
        self.init(
            status: .badRequest, code: error.code, field: error.field, zh: "\(error.field)：\(error.messageZh)",
            en: "\(error.field): \(error.messageEn)")
    }

    /// Everything a handler may throw, as the answer the caller gets; nil for errors that are
    /// the server's own fault (logged, answered 500).
    static func from(_ error: any Error) -> AppError? {
        switch error {
        case let e as AppError: return e
        case let e as FieldError: return AppError(e)
        case let e as ServiceError:
            let status: HTTPResponse.Status =
                switch e.kind {
                case .notFound: .notFound
                case .forbidden: .forbidden
                case .invalid: .badRequest
                case .conflict: .conflict
                case .tooLarge: .contentTooLarge
                case .unsupportedType: .unsupportedMediaType
                }
            return AppError(status: status, code: e.code, field: e.field, zh: e.zh, en: e.en)
        case is NIOTooManyBytesError:
            return AppError(status: .contentTooLarge, code: "too_large", field: "body", zh: "请求内容过大", en: "the request body is too large")
        case let e as DecodingError:
            return AppError(
                status: .badRequest, code: "invalid", field: e.fieldPath, zh: "请求内容无法解析：\(e.summary)", en: "the body could not be read: \(e.summary)")
        case let e as ReviewRefusal:
            let status: HTTPResponse.Status =
                switch e.code {
                case "not_allowed": .forbidden
                case "unknown_unit": .notFound
                default: .conflict
                }
            return AppError(status: status, code: e.code, field: nil, zh: e.zh, en: e.en)
        case let e as EvaluationFailure:
            return switch e {
            case .unknownProgramme: AppError(status: .badRequest, code: "invalid", field: "programme", zh: e.description, en: e.description)
            case .unknownRegion, .noData: AppError(status: .notFound, code: "not_found", field: nil, zh: e.description, en: e.description)
            }
        case let e as ImportRejected:
            // Every problem by row and column, as the file names them (the first 20; the count says how many).
            let errors = e.errors.isEmpty ? e.issues : e.errors
            func text(_ l: Language) -> String {
                let head = l == .zh ? "未导入任何内容，共\(errors.count)处问题：" : "nothing was imported; \(errors.count) problem(s): "
                return head + errors.prefix(20).map { $0.located(l) }.joined(separator: l == .zh ? "；" : "; ")
            }
            return AppError(status: .unprocessableContent, code: "invalid", field: errors.first?.field, zh: text(.zh), en: text(.en))
        case let e as FileError:
            return AppError(status: .unprocessableContent, code: e.code, field: "file", zh: e.message(.zh), en: e.message(.en))
        case let e as HTTPError:
            return AppError(
                status: e.status, code: "http_\(e.status.code)", field: nil, zh: e.body ?? e.status.reasonPhrase, en: e.body ?? e.status.reasonPhrase)
        default:
            guard let refusal = Database.refusal(error) else { return nil }
            return AppError(
                status: refusal.kind == .busy ? .serviceUnavailable : .conflict, code: refusal.kind.rawValue, field: nil, zh: refusal.zh,
                en: refusal.en)
        }
    }
}

/// `{"error": {"code", "field", "message"}}`, the one JSON error body of the API.
struct APIErrorBody: Encodable {
    struct Body: Encodable {
        var code: String
        var field: String?
        var message: String
    }

    var error: Body
}

extension DecodingError {
    /// The JSON key path at fault ("answers.q1"), or "body".
    var fieldPath: String {
        let path: [any CodingKey] =
            switch self {
            case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): c.codingPath
            case .keyNotFound(let key, let c): c.codingPath + [key]
            @unknown default: []
            }
        let text = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        return text.isEmpty ? "body" : text
    }

    var summary: String {
        switch self {
        case .typeMismatch(let type, _): "\(fieldPath) should be \(type)"
        case .valueNotFound(let type, _): "\(fieldPath) is missing (\(type))"
        case .keyNotFound: "\(fieldPath) is missing"
        case .dataCorrupted(let c): c.debugDescription.count > 120 ? String(c.debugDescription.prefix(120)) : c.debugDescription
        @unknown default: "invalid"
        }
    }
}

/// The one place where errors become responses: a JSON error body under /api/, a page in the
/// caller's language elsewhere. Unexpected errors are logged with the request and answered
/// 500 without details.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let state: AppState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch is SignInRequired {
            if request.uri.path.hasPrefix("/api/") {
                return try respond(
                    AppError(
                        status: .unauthorized, code: "unauthorized", field: nil, zh: "请先登录或提供令牌",
                        en: "sign in or send Authorization: Bearer <token>"), request, context)
            }
            // Not signed in: to the login form, coming back here afterwards.
            let here = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            return .redirect(to: "/login?next=" + queryEncoded(here), type: .normal)
        } catch {
            let answer: AppError
            if let known = AppError.from(error) {
                answer = known
                if answer.status == .serviceUnavailable { context.logger.warning("database busy: \(request.method) \(request.uri.path): \(error)") }
            } else {
                context.logger.error("unexpected error: \(request.method) \(request.uri.path): \(String(reflecting: error))")
                answer = AppError(
                    status: .internalServerError, code: "internal", field: nil, zh: "服务器内部错误，已记录；未保存任何内容",
                    en: "internal error (logged); nothing was saved")
            }
            return try respond(answer, request, context)
        }
    }

    func respond(_ answer: AppError, _ request: Request, _ context: Context) throws -> Response {
        let rl = RequestLanguage(request)
        var response: Response
        if request.uri.path.hasPrefix("/api/") {
            response = try json(
                APIErrorBody(error: .init(code: answer.code, field: answer.field, message: "\(answer.en) / \(answer.zh)")), status: answer.status)
            if answer.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        } else {
            let title = Strings.shared(answer.status == .notFound ? "notFound" : "errorTitle", rl.language)
            let page = Page(
                layout: Pages(state: state).layout(request, context, rl.language, title: title),
                model: MessagePage(message: answer.message(rl.language)))
            response = state.renderer.html(.error, page, status: answer.status)
        }
        if answer.status == .serviceUnavailable { response.headers[.retryAfter] = "5" }
        return response
    }
}

/// Headers on every response: no framing, no sniffing, no referrer to other sites, and a
/// content security policy that allows only this site's own scripts and styles.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = AppRequestContext
    static let pagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.pagePolicy }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "same-origin"
        return response
    }
}
