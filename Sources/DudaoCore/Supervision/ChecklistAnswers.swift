import Foundation

/// One answer to a checklist item.
public enum ChecklistAnswer: Sendable, Hashable, Codable {
    case bool(Bool)
    case number(Double)
    case text(String)
    /// The id of the chosen choice.
    case choice(String)
    /// The number of photos attached (the photos themselves are stored as documents).
    case photo(Int)

    /// No answer in substance: blank text or no photo.
    public var isBlank: Bool {
        switch self {
        case .text(let s): s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        case .photo(let n): n <= 0
        default: false
        }
    }

    /// The value in arithmetic: yes/no as 1/0, a number, a photo count; nil for text and choices.
    public var numericValue: Double? {
        switch self {
        case .bool(let b): b ? 1 : 0
        case .number(let v): v
        case .photo(let n): Double(n)
        case .text, .choice: nil
        }
    }

    /// The value in string comparisons: a choice id or the text.
    public var stringValue: String? {
        switch self {
        case .text(let s): s
        case .choice(let id): id
        default: nil
        }
    }

    // Stored as a one-key object: {"bool": true}, {"number": 3}, {"choice": "good"}, …
    private enum CodingKeys: String, CodingKey { case bool, number, text, choice, photo }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard c.allKeys.count == 1, let key = c.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: c.codingPath, debugDescription: "an answer has exactly one of bool, number, text, choice, photo"))
        }
        switch key {
        case .bool: self = .bool(try c.decode(Bool.self, forKey: key))
        case .number: self = .number(try c.decode(Double.self, forKey: key))
        case .text: self = .text(try c.decode(String.self, forKey: key))
        case .choice: self = .choice(try c.decode(String.self, forKey: key))
        case .photo: self = .photo(try c.decode(Int.self, forKey: key))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .bool(let b): try c.encode(b, forKey: .bool)
        case .number(let v): try c.encode(v, forKey: .number)
        case .text(let s): try c.encode(s, forKey: .text)
        case .choice(let id): try c.encode(id, forKey: .choice)
        case .photo(let n): try c.encode(n, forKey: .photo)
        }
    }
}

/// The answers of one visit, by item id.
public struct ChecklistAnswers: Sendable, Hashable, Codable, ExpressibleByDictionaryLiteral {
    public var values: [String: ChecklistAnswer]

    public init(_ values: [String: ChecklistAnswer] = [:]) { self.values = values }

    public init(dictionaryLiteral elements: (String, ChecklistAnswer)...) {
        self.values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public subscript(itemId: String) -> ChecklistAnswer? {
        get { values[itemId] }
        set { values[itemId] = newValue }
    }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: ChecklistAnswer].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }
}

/// Something wrong with a set of answers.
public struct ChecklistIssue: Sendable, Hashable, Codable {
    public enum Code: String, Sendable, Codable {
        case requiredMissing = "required_missing"
        case constraintFailed = "constraint_failed"
        case wrongType = "wrong_type"
        case unknownItem = "unknown_item"
        case notRelevantAnswered = "not_relevant_answered"
    }

    public var itemId: String
    public var code: Code
    public var messageZh: String
    public var messageEn: String

    public init(itemId: String, code: Code, messageZh: String, messageEn: String) {
        self.itemId = itemId
        self.code = code
        self.messageZh = messageZh
        self.messageEn = messageEn
    }
}

/// An answer that opens a finding (§4.4).
public struct ChecklistFinding: Sendable, Hashable, Codable {
    public var itemId: String
    public var category: FindingCategory
    public var textZh: String
    public var textEn: String
}
