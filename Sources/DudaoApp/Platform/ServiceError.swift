/// A use case's refusal that is not a domain rule's (those are `ReviewRefusal`, `FieldError`,
/// `EditRefused`, …): what kind of answer it is, a stable code, the field, and both languages.
/// The web maps `kind` to a status in one place (DudaoWeb/Platform/Errors.swift).
public struct ServiceError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        case notFound, forbidden, invalid, conflict, tooLarge, unsupportedType
    }

    public var kind: Kind
    public var code: String
    public var field: String?
    public var zh: String
    public var en: String

    public init(_ kind: Kind, code: String, field: String? = nil, zh: String, en: String) {
        self.kind = kind
        self.code = code
        self.field = field
        self.zh = zh
        self.en = en
    }

    public static func notFound(_ what: String) -> ServiceError {
        ServiceError(.notFound, code: "not_found", zh: "未找到：\(what)", en: "\(what) not found")
    }

    public var description: String { "\(en) / \(zh)" }
}
