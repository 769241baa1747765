import DudaoCore
import Foundation
import Hummingbird

/// The one request-body decoder of the application (`RequestContext.requestDecoder`): it picks
/// an HTML form (`application/x-www-form-urlencoded`) or JSON (`application/json`, or no
/// content type, as scripts send) by the request's content type, reads at most `limit` bytes
/// (413 above) and refuses any other type with 415. Handlers call `request.decode(as:context:)`
/// or, with a route's own limit and expected shape, `request.decode(_:context:limit:expected:)`.
public struct AppRequestDecoder: RequestDecoder {
    var limit = 1 << 20

    public init() {}

    init(limit: Int) { self.limit = limit }

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let mediaType = request.headers[.contentType].flatMap { MediaType(from: $0) }
        if mediaType == nil || mediaType?.isType(.applicationJson) == true {
            return try JSONDecoder().decode(T.self, from: Data(buffer: try await request.body.collect(upTo: limit)))
        }
        if mediaType?.isType(.applicationUrlEncoded) == true {
            return try FormData.decodeForm(T.self, String(buffer: try await request.body.collect(upTo: limit)))
        }
        throw AppError(
            status: .unsupportedMediaType, code: "media_type", field: nil,
            zh: "请求内容应为表单或 JSON", en: "expected a form (application/x-www-form-urlencoded) or JSON body")
    }
}

/// The fields of a form post (no JavaScript needed); each read through a checked accessor
/// (`Input.swift`).
struct FormData: Sendable, Decodable {
    var fields: [String: String]

    init(fields: [String: String]) { self.fields = fields }

    init(from decoder: any Decoder) throws {
        fields = try decoder.singleValueContainer().decode([String: String].self)
    }

    subscript(name: String) -> String? { fields[name] }

    /// The body of a form post, decoded by the context's request decoder (at most 1 MB).
    static func parse(_ request: Request, _ context: some RequestContext) async throws -> FormData {
        try await request.decode(as: FormData.self, context: context)
    }

    /// A form a signed-in page posted: parsed, and refused (`AppError.csrf`, 403) unless it
    /// carries the session's form token.
    static func submitted(_ request: Request, _ context: some CallerContext) async throws -> FormData {
        let form = try await parse(request, context)
        guard form.hasValidCSRF(context) else { throw AppError.csrf }
        return form
    }

    static func decode(_ body: String) throws -> FormData { try decodeForm(FormData.self, body) }

    /// An empty form body has no fields (a form of only unchecked boxes sends nothing).
    static let empty = FormData(fields: [:])

    /// Hummingbird's URL-encoded form decoder; a body that does not decode answers 400.
    static func decodeForm<T: Decodable>(_ type: T.Type, _ body: String) throws -> T {
        if body.isEmpty, let empty = FormData.empty as? T { return empty }
        do { return try URLEncodedFormDecoder().decode(T.self, from: body) } catch {
            throw FieldError(field: "body", code: "malformed_form", zh: "表单内容无法解析", en: "the form body could not be read")
        }
    }

    /// The form's CSRF token must equal the session's (forms only; API tokens need none).
    func hasValidCSRF(_ context: some CallerContext) -> Bool { context.acceptsCSRF(fields["csrf"]) }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
