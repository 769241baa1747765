/// A closed set of domain values that the UI shows in Chinese first and English second,
/// and that files may spell either way (the English id, the Chinese name, or an alias).
public protocol Labelled: CaseIterable, RawRepresentable, Sendable, Hashable, Codable where RawValue == String {
    var zh: String { get }
    var en: String { get }
    /// Further spellings seen in real spreadsheets.
    var aliases: [String] { get }
}

extension Labelled {
    public var aliases: [String] { [] }

    /// Parses an English id, a Chinese name or an alias; case and surrounding blanks are ignored.
    public static func parse(_ text: String) -> Self? {
        if let exact = Self(rawValue: text) { return exact }
        // A Chinese file names values by their Chinese names, on every row.
        if let named = allCases.first(where: { $0.zh == text }) { return named }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !key.isEmpty else { return nil }
        return allCases.first { value in
            value.rawValue == key || value.zh == key || value.en.lowercased() == key
                || value.aliases.contains { $0.lowercased() == key }
        }
    }

    public func label(_ language: Language) -> String { language == .zh ? zh : en }

    /// All accepted spellings, for error messages.
    public static var accepted: String {
        allCases.map { "\($0.rawValue)/\($0.zh)" }.joined(separator: ", ")
    }
}

/// UI language: Chinese first, English second.
public enum Language: String, Sendable, CaseIterable {
    case zh, en

    public init(code: String?) {
        self = (code?.lowercased().hasPrefix("en") ?? false) ? .en : .zh
    }
}
