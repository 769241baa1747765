import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as HTML forms send it (no JavaScript needed).
struct FormData: Sendable {
    var fields: [String: String]

    subscript(name: String) -> String? { fields[name] }

    static func parse(_ request: Request) async throws -> FormData {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return FormData(fields: decode(String(buffer: buffer)))
    }

    static func decode(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func clean(_ s: Substring) -> String { s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(s) }
            guard let key = parts.first else { continue }
            fields[clean(key)] = parts.count > 1 ? clean(parts[1]) : ""
        }
        return fields
    }

    /// The form's CSRF token must equal the session's (forms only; API tokens need none).
    func hasValidCSRF(_ context: some CallerContext) -> Bool { context.acceptsCSRF(fields["csrf"]) }
}

func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
