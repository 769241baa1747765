/// A value from a client (URL, form, JSON body, file cell) that is not acceptable, naming the
/// field it came from. Every client value is parsed into a checked type at the edge with one of
/// the `Checked` parsers below, so no arithmetic ever runs on an unchecked number.
public struct FieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field as the client named it: a query parameter, a form field, a JSON key path.
    public var field: String
    /// A stable machine code: `not_a_date`, `out_of_range`, `not_whole`, `too_long`, …
    public var code: String
    public var messageZh: String
    public var messageEn: String

    public init(field: String, code: String, zh: String, en: String) {
        self.field = field
        self.code = code
        self.messageZh = zh
        self.messageEn = en
    }

    public var description: String { "\(field): \(messageEn) / \(messageZh)" }

    public func message(_ language: Language) -> String { language == .zh ? messageZh : messageEn }
}

/// The ranges the product accepts, and strict parsers for them. Every parser refuses text it
/// does not fully understand (no prefixes, no hex, no exponents, no infinities) with a
/// `FieldError` that names the field and the accepted form.
public enum Checked {
    /// School years and calendar years: from the founding of the PRC to the end of the century.
    public static let years = 1949...2100
    /// Day counts from clients (deadlines, periods): zero to ten years.
    public static let dayCounts = 0...3650
    /// Record versions a client may send back (optimistic concurrency).
    public static let versions = 0...Int(Int32.max)
    /// Answers to number items of a checklist.
    public static let answerNumbers = -1e12...1e12
    /// Longest text a client may send in one field (names, notes, descriptions), in characters.
    public static let maxText = 4000
    /// Longest single-line value (names, titles, ids), in characters.
    public static let maxLine = 200

    /// Quoted for messages, shortened so a huge value never makes a huge message.
    static func shown(_ raw: String) -> String { raw.count > 40 ? String(raw.prefix(40)) + "…" : raw }

    /// A year in 1949–2100, written as 4 digits.
    public static func year(_ raw: String, field: String) throws(FieldError) -> Int {
        guard raw.utf8.count == 4, raw.utf8.allSatisfy({ (48...57).contains($0) }), let y = Int(raw), years.contains(y) else {
            throw FieldError(
                field: field, code: "not_a_year", zh: "「\(shown(raw))」不是1949至2100之间的年份",
                en: "'\(shown(raw))' is not a year between 1949 and 2100")
        }
        return y
    }

    /// A year already decoded (from JSON).
    public static func year(_ value: Int, field: String) throws(FieldError) -> Int {
        try year(String(value), field: field)
    }

    /// A whole number already decoded (from JSON) in `range`.
    public static func integer(_ value: Int, field: String, in range: ClosedRange<Int>) throws(FieldError) -> Int {
        try integer(String(value), field: field, in: range)
    }

    /// A real calendar date `yyyy-MM-dd` with a year in 1949–2100.
    public static func date(_ raw: String, field: String) throws(FieldError) -> String {
        guard let ordinal = DateText.ordinal(raw), let y = Int(raw.prefix(4)), years.contains(y) else {
            throw FieldError(
                field: field, code: "not_a_date", zh: "「\(shown(raw))」不是有效日期（yyyy-MM-dd，1949至2100年）",
                en: "'\(shown(raw))' is not a date (yyyy-MM-dd, years 1949–2100)")
        }
        return DateText.string(fromOrdinal: ordinal)
    }

    /// A month `yyyy-MM` with a year in 1949–2100.
    public static func month(_ raw: String, field: String) throws(FieldError) -> String {
        guard raw.utf8.count == 7, (try? date(raw + "-01", field: field)) != nil else {
            throw FieldError(
                field: field, code: "not_a_month", zh: "「\(shown(raw))」不是有效月份（yyyy-MM）",
                en: "'\(shown(raw))' is not a month (yyyy-MM)")
        }
        return raw
    }

    /// A whole number in `range`, written in decimal digits with an optional sign.
    public static func integer(_ raw: String, field: String, in range: ClosedRange<Int>) throws(FieldError) -> Int {
        let digits = raw.hasPrefix("-") || raw.hasPrefix("+") ? raw.dropFirst() : Substring(raw)
        guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int(raw),
            range.contains(n)
        else {
            throw FieldError(
                field: field, code: "out_of_range", zh: "「\(shown(raw))」应为\(range.lowerBound)至\(range.upperBound)之间的整数",
                en: "'\(shown(raw))' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A day count in 0–3650.
    public static func dayCount(_ raw: String, field: String) throws(FieldError) -> Int {
        try integer(raw, field: field, in: dayCounts)
    }

    /// A finite decimal number in `range` (thousands separators allowed: "1,200"); whole when
    /// `whole`. No exponents, hex, `inf` or `nan`.
    /// `field` and `label` are only made when the value is refused (a national file asks this of
    /// two million plain-digit cells).
    public static func number(
        _ raw: String, field fieldName: @autoclosure () -> String, label labels: @autoclosure () -> (zh: String, en: String)? = nil,
        in range: ClosedRange<Double>, whole: Bool
    ) throws(FieldError) -> Double {
        // Most cells of a national file are plain digits: read them without copying the text.
        if let value = plainDigits(raw), range.contains(value) { return value }
        let field = fieldName()
        let name = labels() ?? (field, field)
        let cleaned = raw.filter { $0 != "," && $0 != "，" }
        guard let value = decimal(cleaned) else {
            throw FieldError(field: field, code: "not_a_number", zh: "「\(shown(raw))」不是数字", en: "'\(shown(raw))' is not a number")
        }
        if whole && value != value.rounded() {
            throw FieldError(
                field: field, code: "not_whole", zh: "\(name.zh)应为整数：「\(shown(raw))」",
                en: "\(name.en) must be a whole number: '\(shown(raw))'")
        }
        guard range.contains(value) else {
            throw FieldError(
                field: field, code: "out_of_range",
                zh: "\(name.zh)应在\(NumberText.plain(range.lowerBound))至\(NumberText.plain(range.upperBound))之间：「\(shown(raw))」",
                en: "\(name.en) must be from \(NumberText.plain(range.lowerBound)) to \(NumberText.plain(range.upperBound)): '\(shown(raw))'")
        }
        return value
    }

    /// A number already decoded (from JSON): finite, in range, whole when asked.
    public static func number(_ value: Double, field: String, in range: ClosedRange<Double>, whole: Bool) throws(FieldError) -> Double {
        guard value.isFinite else {
            throw FieldError(field: field, code: "not_a_number", zh: "不是有限数字", en: "not a finite number")
        }
        let shown = NumberText.plain(value)
        if whole && value != value.rounded() {
            throw FieldError(field: field, code: "not_whole", zh: "应为整数：\(shown)", en: "must be a whole number: \(shown)")
        }
        guard range.contains(value) else {
            throw FieldError(
                field: field, code: "out_of_range",
                zh: "应在\(NumberText.plain(range.lowerBound))至\(NumberText.plain(range.upperBound))之间：\(shown)",
                en: "must be from \(NumberText.plain(range.lowerBound)) to \(NumberText.plain(range.upperBound)): \(shown)")
        }
        return value
    }

    /// 1 to 15 ASCII digits (exact as a `Double`), else nil.
    static func plainDigits(_ s: String) -> Double? {
        let bytes = s.utf8
        guard (1...15).contains(bytes.count) else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int64(byte - 48)
        }
        return Double(value)
    }

    /// `[+-]digits[.digits]` only.
    static func decimal(_ s: String) -> Double? {
        var body = Substring(s)
        if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard body.utf8.count <= 30, let whole = parts.first, !whole.isEmpty, whole.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        if parts.count == 2 { guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ (48...57).contains($0) }) else { return nil } }
        guard let value = Double(s), value.isFinite else { return nil }
        return value
    }

    /// Text of at most `max` characters without control characters (newlines and tabs allowed
    /// when `multiline`).
    public static func text(_ raw: String, field: String, max: Int = maxLine, multiline: Bool = false) throws(FieldError) -> String {
        guard raw.count <= max else {
            throw FieldError(
                field: field, code: "too_long", zh: "内容过长（最多\(max)字，收到\(raw.count)字）",
                en: "too long (at most \(max) characters, got \(raw.count))")
        }
        let allowed: Set<Unicode.Scalar> = multiline ? ["\n", "\r", "\t"] : []
        if let bad = raw.unicodeScalars.first(where: { ($0.properties.generalCategory == .control && !allowed.contains($0)) || $0 == "\u{FFFD}" }) {
            throw FieldError(
                field: field, code: "control_character", zh: "含有不允许的字符 U+\(String(bad.value, radix: 16, uppercase: true))",
                en: "contains a character that is not allowed: U+\(String(bad.value, radix: 16, uppercase: true))")
        }
        return raw
    }

    /// An identifier chosen by a client (visit ids from an offline form): letters, digits, `-`
    /// and `_`, 1–80 characters.
    public static func identifier(_ raw: String, field: String) throws(FieldError) -> String {
        guard (1...80).contains(raw.utf8.count),
            raw.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 || $0 == 95 })
        else {
            throw FieldError(
                field: field, code: "bad_identifier", zh: "标识只能包含字母、数字、- 和 _（1至80个字符）",
                en: "an identifier holds letters, digits, - and _ only (1–80 characters)")
        }
        return raw
    }

    /// One value of a closed set, by the id forms and the API send (`new_school`, `talk`, …).
    /// Nothing sent reads "choose one"; anything else names what was sent and the ids allowed.
    public static func choice<T: Labelled>(_ raw: String, field: String, as _: T.Type = T.self) throws(FieldError) -> T {
        if let value = T(rawValue: raw) { return value }
        let ids = T.allCases.map(\.rawValue).joined(separator: ", ")
        if raw.isEmpty {
            throw FieldError(field: field, code: "missing", zh: "请选择一项（\(T.accepted)）", en: "choose one of \(ids)")
        }
        throw FieldError(
            field: field, code: "not_one_of", zh: "「\(shown(raw))」不是可选的值，应为 \(T.accepted)",
            en: "'\(shown(raw))' is not one of \(ids)")
    }
}
