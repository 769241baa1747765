import DudaoCore
import Foundation
import Hummingbird

/// Reading client values at the edge: every query parameter, path parameter and form field
/// goes through one of these into a checked type, or the request is refused with a
/// `FieldError` naming it (answered 400 by `ErrorMiddleware`).
extension Request {
    /// A query parameter's text (at most `max` characters), nil when absent or empty.
    func query(_ name: String, max: Int = Checked.maxLine) throws(FieldError) -> String? {
        guard let raw = uri.queryParameters.get(name).map({ String($0) }), !raw.isEmpty else { return nil }
        return try Checked.text(raw, field: name, max: max)
    }

    func queryYear(_ name: String = "year") throws(FieldError) -> Int? {
        try query(name).map { v throws(FieldError) in try Checked.year(v, field: name) }
    }

    func queryDate(_ name: String) throws(FieldError) -> String? {
        try query(name).map { v throws(FieldError) in try Checked.date(v, field: name) }
    }

    func queryMonth(_ name: String) throws(FieldError) -> String? {
        try query(name).map { v throws(FieldError) in try Checked.month(v, field: name) }
    }

    /// A whole number in `range` (a page number, a limit), nil when absent.
    func queryInteger(_ name: String, in range: ClosedRange<Int>) throws(FieldError) -> Int? {
        try query(name).map { v throws(FieldError) in try Checked.integer(v, field: name, in: range) }
    }
}

extension Parameters {
    /// A path parameter the route declares (ids, codes), checked for length and characters.
    func text(_ name: String) throws(FieldError) -> String {
        try Checked.text(get(name) ?? "", field: name)
    }

    func year(_ name: String = "year") throws(FieldError) -> Int {
        try Checked.year(get(name) ?? "", field: name)
    }
}

extension FormData {
    /// A single-line field (empty when absent), at most `max` characters.
    func text(_ name: String, max: Int = Checked.maxLine) throws(FieldError) -> String {
        try Checked.text(fields[name] ?? "", field: name, max: max)
    }

    /// A multi-line field (notes, reasons, descriptions).
    func paragraph(_ name: String) throws(FieldError) -> String {
        try Checked.text(fields[name] ?? "", field: name, max: Checked.maxText, multiline: true)
    }

    /// A whole number in `range`; `default` when the field is absent or empty.
    func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) throws(FieldError) -> Int {
        guard let raw = fields[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return value }
        return try Checked.integer(raw, field: name, in: range)
    }

    func year(_ name: String = "year") throws(FieldError) -> Int {
        try Checked.year((fields[name] ?? "").trimmingCharacters(in: .whitespaces), field: name)
    }

    /// A version a form read (0 for a new record).
    func version(_ name: String = "version") throws(FieldError) -> Int? {
        guard let raw = fields[name], !raw.isEmpty else { return nil }
        return try Checked.integer(raw, field: name, in: Checked.versions)
    }
}

/// Where to go after signing in: only a path of this application (one leading slash, no
/// backslash, no scheme or host, no control characters), else the home page.
enum SafeRedirect {
    static func path(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count <= 2000,
            !next.unicodeScalars.contains(where: { $0 == "\\" || $0.properties.generalCategory == .control || $0 == " " }),
            let components = URLComponents(string: next), components.scheme == nil, components.host == nil,
            components.path.hasPrefix("/"), !components.path.hasPrefix("//")
        else { return "/" }
        return next
    }
}

extension Request {
    /// The body decoded into `T` by the application's request decoder (form or JSON by content
    /// type, at most `limit` bytes); a body that does not decode into `T` is a 400 on `field`
    /// saying what was `expected` (without `expected`: a 400 naming the key path at fault).
    func decode<T: Decodable>(
        _ type: T.Type, context: some RequestContext, limit: Int, field: String = "body", expected: String? = nil
    ) async throws -> T {
        do { return try await AppRequestDecoder(limit: limit).decode(T.self, from: self, context: context) } catch {
            guard let expected, error is DecodingError || (error as? FieldError)?.code == "malformed_form" else { throw error }
            throw AppError.invalid(field, message: "expected \(expected)")
        }
    }
}

/// A value put into a link's query string (`?q=…&page=2`): everything but letters and digits
/// percent-encoded, so text a user typed cannot end the parameter or the link.
func queryEncoded(_ value: String) -> String { value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
