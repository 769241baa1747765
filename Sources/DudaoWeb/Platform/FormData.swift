import DudaoCore
import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as HTML forms send it (no JavaScript needed).
struct FormData: Sendable {
    var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    /// The body of a form post (at most 1 MB, else 413), decoded by Hummingbird's
    /// URL-encoded form decoder; a body that does not decode answers 400.
    static func parse(_ request: Request) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return try decode(String(buffer: buffer))
    }

    static func decode(_ body: String) throws -> FormData {
        guard !body.isEmpty else { return FormData(fields: [:]) }
        do { return FormData(fields: try URLEncodedFormDecoder().decode([String: String].self, from: body)) } catch {
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
