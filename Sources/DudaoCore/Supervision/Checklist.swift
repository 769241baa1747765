import Foundation

// Supervision checklists as data (SPEC §4.3): the routine checklist of a responsible
// inspector (责任督学) and the checklists of special supervision rounds (专项督导), written in
// JSON under Resources/checklists/. Items are conditional in the style of XLSForm: `relevant`
// decides whether an item is asked, `constraint` checks its answer (`.` is the item's own
// value) and `finding_when` decides whether the answer opens a finding (§4.4).

// MARK: - Vocabulary

/// 督导类型: routine visits (挂牌督导例行督导) or a special supervision round (专项督导).
public enum ChecklistKind: String, Labelled {
    case routine, special

    public var zh: String { self == .routine ? "例行督导" : "专项督导" }
    public var en: String { self == .routine ? "Routine supervision" : "Special supervision" }
}

/// 问题类别: what a finding is about; the nine areas of the routine checklist, dropout
/// control and a catch-all.
public enum FindingCategory: String, Labelled {
    case management
    case enrolmentFees = "enrolment_fees"
    case curriculum, workload
    case healthPE = "health_pe"
    case teacherEthics = "teacher_ethics"
    case safety, canteen, ethos, dropout, other

    public var zh: String {
        switch self {
        case .management: "学校管理与制度执行"
        case .enrolmentFees: "招生、收费与择校"
        case .curriculum: "课程开设与课堂教学"
        case .workload: "学生课业负担"
        case .healthPE: "学生体质健康与体育"
        case .teacherEthics: "教师师德与专业发展"
        case .safety: "校园及周边安全"
        case .canteen: "食堂、食品与饮用水"
        case .ethos: "校风、教风与学风"
        case .dropout: "控辍保学"
        case .other: "其他"
        }
    }

    public var en: String {
        switch self {
        case .management: "School management and rules"
        case .enrolmentFees: "Enrolment, fees and school choice"
        case .curriculum: "Courses and teaching"
        case .workload: "Student workload"
        case .healthPE: "Student health and PE"
        case .teacherEthics: "Teacher ethics and development"
        case .safety: "Campus and surroundings safety"
        case .canteen: "Canteen, food and drinking water"
        case .ethos: "School ethos"
        case .dropout: "Dropout control"
        case .other: "Other"
        }
    }
}

// MARK: - Conditions

/// A condition in a checklist file: `LEFT OP RIGHT` with OP one of `== != < <= > >=`, where each
/// side is an arithmetic `Expression` over item ids (yes/no answers count 1/0, numbers as given,
/// photos as their count) or a quoted string (`'choice_id'`) compared with a choice or text
/// item. `.` stands for the item's own answer. Comparisons combine with `and`, `or` and
/// parentheses (`and` binds tighter).
///
/// A comparison that needs an unanswered (or not relevant) item is *unknown*: an unknown
/// `relevant` hides the item, an unknown `finding_when` opens no finding, and an unknown
/// `constraint` is not reported as failed.
public struct Condition: Sendable, Hashable, CustomStringConvertible {
    public indirect enum Node: Sendable, Hashable {
        case compare(Operand, ValidationRule.Operator, Operand)
        case all([Node])
        case any([Node])
    }

    public enum Operand: Sendable, Hashable {
        case expression(Expression)
        case string(String)
    }

    /// The text as written in the file.
    public var text: String
    public var node: Node

    public var description: String { text }

    /// The name under which `.` (the item's own value) is kept inside expressions; item ids
    /// start with a letter, so it cannot clash with one.
    static let selfName = "_self_"

    /// Longest condition text and deepest nesting accepted: the parsers are recursive, so a
    /// bound keeps any text, however hostile, from exhausting the stack.
    public static let maxLength = 4000, maxDepth = 32

    public static func parse(_ text: String) throws(ExpressionError) -> Condition {
        guard text.count <= maxLength else { throw ExpressionError(text: String(text.prefix(40)) + "…", message: "longer than \(maxLength) characters") }
        var depth = 0, deepest = 0
        for c in text.unicodeScalars {
            if c == "(" { depth += 1; deepest = max(deepest, depth) } else if c == ")" { depth -= 1 }
        }
        guard deepest <= maxDepth else { throw ExpressionError(text: String(text.prefix(40)) + "…", message: "nested deeper than \(maxDepth) parentheses") }
        return Condition(text: text, node: try parseNode(substituteSelf(text), original: text))
    }

    /// Every item id the condition refers to; `.` stands for the item's own value.
    public var variables: Set<String> { Self.variables(node) }

    /// Item ids compared with a quoted string, with the strings they are compared with.
    public var stringComparisons: [(variable: String, literal: String)] {
        func walk(_ node: Node) -> [(String, String)] {
            switch node {
            case .all(let nodes), .any(let nodes): return nodes.flatMap(walk)
            case .compare(let l, _, let r):
                switch (l, r) {
                case (.expression(.variable(let v)), .string(let s)), (.string(let s), .expression(.variable(let v))):
                    return [(v == Self.selfName ? "." : v, s)]
                default: return []
                }
            }
        }
        return walk(node).map { (variable: $0.0, literal: $0.1) }
    }

    /// Item ids used in arithmetic (as numbers), as opposed to string comparisons.
    public var numericVariables: Set<String> {
        func walk(_ node: Node) -> Set<String> {
            switch node {
            case .all(let nodes), .any(let nodes): return nodes.reduce(into: Set()) { $0.formUnion(walk($1)) }
            case .compare(.expression(let l), _, .expression(let r)): return l.variables.union(r.variables)
            case .compare: return []
            }
        }
        return Set(walk(node).map { $0 == Self.selfName ? "." : $0 })
    }

    /// Evaluates the condition; nil when it needs a value that is missing. `number` and `string`
    /// look up an item id (`.` for the item's own value).
    public func evaluate(number: (String) -> Double?, string: (String) -> String?) -> Bool? {
        let rename: (String) -> String = { $0 == Self.selfName ? "." : $0 }
        return Self.evaluate(node, number: { number(rename($0)) }, string: { string(rename($0)) })
    }

    private static func evaluate(_ node: Node, number: (String) -> Double?, string: (String) -> String?) -> Bool? {
        switch node {
        case .all(let nodes):
            // Three-valued logic: false wins over unknown.
            var unknown = false
            for n in nodes {
                switch evaluate(n, number: number, string: string) {
                case false?: return false
                case nil: unknown = true
                default: break
                }
            }
            return unknown ? nil : true
        case .any(let nodes):
            var unknown = false
            for n in nodes {
                switch evaluate(n, number: number, string: string) {
                case true?: return true
                case nil: unknown = true
                default: break
                }
            }
            return unknown ? nil : false
        case .compare(.expression(let l), let op, .expression(let r)):
            guard let a = l.evaluate(number), let b = r.evaluate(number) else { return nil }
            return op.holds(a, b)
        case .compare(let l, let op, let r):
            func text(_ operand: Operand) -> String? {
                switch operand {
                case .string(let s): return s
                case .expression(.variable(let v)): return string(v)
                case .expression: return nil
                }
            }
            guard let a = text(l), let b = text(r) else { return nil }
            return op == .eq ? a == b : a != b
        }
    }

    private static func variables(_ node: Node) -> Set<String> {
        switch node {
        case .all(let nodes), .any(let nodes): return nodes.reduce(into: Set()) { $0.formUnion(variables($1)) }
        case .compare(let l, _, let r):
            var result = Set<String>()
            for case .expression(let e) in [l, r] { result.formUnion(e.variables) }
            return Set(result.map { $0 == selfName ? "." : $0 })
        }
    }

    // MARK: Parsing

    /// Replaces a lone `.` (not part of a number or a dotted name) by `selfName`.
    private static func substituteSelf(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var quote: Character?
        for (i, c) in chars.enumerated() {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
                continue
            }
            if c == "'" || c == "\"" { quote = c }
            let isName: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
            if c == ".", i == 0 || !isName(chars[i - 1]), i + 1 == chars.count || !isName(chars[i + 1]) {
                out += selfName
            } else {
                out.append(c)
            }
        }
        return out
    }

    private static func parseNode(_ text: String, original: String) throws(ExpressionError) -> Node {
        let fail = { (message: String) in ExpressionError(text: original, message: message) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw fail("empty condition") }
        let scan = try scanTopLevel(trimmed, original: original)
        if scan.or.count > 0 {
            return .any(try split(trimmed, at: scan.or, width: 2).map { s throws(ExpressionError) in try parseNode(s, original: original) })
        }
        if scan.and.count > 0 {
            return .all(try split(trimmed, at: scan.and, width: 3).map { s throws(ExpressionError) in try parseNode(s, original: original) })
        }
        if scan.operators.isEmpty {
            let chars = Array(trimmed)
            if chars.first == "(", chars.last == ")", scan.outerParens {
                return try parseNode(String(chars[1..<(chars.count - 1)]), original: original)
            }
            throw fail("a condition needs a comparison (== != < <= > >=)")
        }
        guard scan.operators.count == 1 else { throw fail("one comparison per condition; combine with 'and'/'or'") }
        let (at, op) = scan.operators[0]
        let chars = Array(trimmed)
        let left = try operand(String(chars[..<at]), original: original)
        let right = try operand(String(chars[(at + op.rawValue.count)...]), original: original)
        switch (left, right) {
        case (.expression, .expression): break
        case (.string, .string): throw fail("compare an item with a string, not two strings")
        case (.expression(let e), .string), (.string, .expression(let e)):
            guard case .variable = e else { throw fail("a string is compared with an item id, not with arithmetic") }
            guard op == .eq || op == .ne else { throw fail("strings compare with == or != only") }
        }
        return .compare(left, op, right)
    }

    private static func operand(_ text: String, original: String) throws(ExpressionError) -> Operand {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let q = t.first, q == "'" || q == "\"" {
            guard t.count >= 2, t.last == q, !t.dropFirst().dropLast().contains(q) else {
                throw ExpressionError(text: original, message: "unterminated string \(t)")
            }
            return .string(String(t.dropFirst().dropLast()))
        }
        do { return .expression(try Expression.parse(t)) } catch {
            throw ExpressionError(text: original, message: error.message)
        }
    }

    private struct Scan {
        var or: [Int] = []
        var and: [Int] = []
        var operators: [(Int, ValidationRule.Operator)] = []
        /// The first `(` closes at the very end.
        var outerParens = false
    }

    /// Finds the `or`/`and` keywords and comparison operators outside parentheses and quotes.
    private static func scanTopLevel(_ text: String, original: String) throws(ExpressionError) -> Scan {
        let chars = Array(text)
        var scan = Scan()
        var depth = 0
        var quote: Character?
        var i = 0
        func keyword(_ word: String, at i: Int) -> Bool {
            let w = Array(word)
            guard i + w.count <= chars.count, Array(chars[i..<(i + w.count)]) == w else { return false }
            let before = i == 0 ? " " : chars[i - 1]
            let after = i + w.count == chars.count ? " " : chars[i + w.count]
            return (before.isWhitespace || before == ")") && (after.isWhitespace || after == "(")
        }
        while i < chars.count {
            let c = chars[i]
            if let q = quote {
                if c == q { quote = nil }
                i += 1
                continue
            }
            switch c {
            case "'", "\"": quote = c
            case "(":
                depth += 1
            case ")":
                depth -= 1
                guard depth >= 0 else { throw ExpressionError(text: original, message: "unbalanced ')'") }
                if depth == 0 && i == chars.count - 1 && chars[0] == "(" && scan.or.isEmpty && scan.and.isEmpty
                    && scan.operators.isEmpty && firstParenCloses(chars) {
                    scan.outerParens = true
                }
            default:
                guard depth == 0 else { break }
                if keyword("or", at: i) { scan.or.append(i); i += 2; continue }
                if keyword("and", at: i) { scan.and.append(i); i += 3; continue }
                let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
                if let op = ValidationRule.Operator(rawValue: two), two.count == 2 {
                    scan.operators.append((i, op)); i += 2; continue
                }
                if c == "<" { scan.operators.append((i, .lt)) }
                if c == ">" { scan.operators.append((i, .gt)) }
                if c == "=" || c == "!" {
                    throw ExpressionError(text: original, message: "unknown operator '\(c)' (use == or !=)")
                }
            }
            i += 1
        }
        guard quote == nil else { throw ExpressionError(text: original, message: "unterminated string") }
        guard depth == 0 else { throw ExpressionError(text: original, message: "missing ')'") }
        return scan
    }

    /// Whether the `(` at index 0 is closed by the last character.
    private static func firstParenCloses(_ chars: [Character]) -> Bool {
        var depth = 0
        var quote: Character?
        for (i, c) in chars.enumerated() {
            if let q = quote { if c == q { quote = nil }; continue }
            if c == "'" || c == "\"" { quote = c }
            if c == "(" { depth += 1 }
            if c == ")" {
                depth -= 1
                if depth == 0 { return i == chars.count - 1 }
            }
        }
        return false
    }

    private static func split(_ text: String, at positions: [Int], width: Int) -> [String] {
        let chars = Array(text)
        var parts: [String] = []
        var start = 0
        for p in positions {
            parts.append(String(chars[start..<p]))
            start = p + width
        }
        parts.append(String(chars[start...]))
        return parts
    }
}

// MARK: - Checklist

/// One choice of a choice item.
public struct ChecklistChoice: Sendable, Hashable, Codable {
    public var id: String
    public var zh: String
    public var en: String

    public init(id: String, zh: String, en: String) {
        self.id = id
        self.zh = zh
        self.en = en
    }
}

/// One question of a checklist.
public struct ChecklistItem: Sendable, Hashable, Decodable, Identifiable {
    public enum ItemType: String, Labelled {
        case yesNo = "yes_no"
        case number, text, choice, photo

        public var zh: String {
            switch self {
            case .yesNo: "是/否"
            case .number: "数值"
            case .text: "文字"
            case .choice: "单选"
            case .photo: "照片"
            }
        }

        public var en: String {
            switch self {
            case .yesNo: "Yes/no"
            case .number: "Number"
            case .text: "Text"
            case .choice: "Choice"
            case .photo: "Photo"
            }
        }
    }

    public var id: String
    public var textZh: String
    public var textEn: String
    /// How to check (查阅资料、实地查看、访谈…), optional.
    public var hintZh: String?
    public var hintEn: String?
    public var type: ItemType
    public var choices: [ChecklistChoice]
    /// Whether a relevant item must be answered (a photo item: at least one photo). Default true.
    public var required: Bool
    /// When the item is asked, over earlier answers; nil: always (if its section is asked).
    public var relevant: Condition?
    /// A check on the answer; `.` is the answer itself.
    public var constraint: Condition?
    public var constraintMessageZh: String?
    public var constraintMessageEn: String?
    /// When the answer opens a finding (问题), e.g. `fees_irregular == 1` or `. == 0`.
    public var findingWhen: Condition?
    /// The category of a finding; the section's when not given, else `other`.
    public var category: FindingCategory

    enum CodingKeys: String, CodingKey {
        case id, type, choices, required, relevant, constraint, category
        case textZh = "text_zh", textEn = "text_en", hintZh = "hint_zh", hintEn = "hint_en"
        case constraintMessageZh = "constraint_message_zh", constraintMessageEn = "constraint_message_en"
        case findingWhen = "finding_when"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        textZh = try c.decode(String.self, forKey: .textZh)
        textEn = try c.decode(String.self, forKey: .textEn)
        hintZh = try c.decodeIfPresent(String.self, forKey: .hintZh)
        hintEn = try c.decodeIfPresent(String.self, forKey: .hintEn)
        type = try c.decode(ItemType.self, forKey: .type)
        choices = try c.decodeIfPresent([ChecklistChoice].self, forKey: .choices) ?? []
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? true
        relevant = try Self.condition(c, .relevant)
        constraint = try Self.condition(c, .constraint)
        constraintMessageZh = try c.decodeIfPresent(String.self, forKey: .constraintMessageZh)
        constraintMessageEn = try c.decodeIfPresent(String.self, forKey: .constraintMessageEn)
        findingWhen = try Self.condition(c, .findingWhen)
        category = try c.decodeIfPresent(FindingCategory.self, forKey: .category) ?? .other
        if type == .choice && choices.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .choices, in: c, debugDescription: "choice item \(id) has no choices")
        }
        if type != .choice && !choices.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .choices, in: c, debugDescription: "only choice items have choices (\(id))")
        }
    }

    private static func condition(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Condition? {
        guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        do { return try Condition.parse(text) } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: error.description)
        }
    }

    /// Whether `answer` has the item's type (and, for a choice, names one of its choices).
    public func accepts(_ answer: ChecklistAnswer) -> Bool {
        switch (type, answer) {
        case (.yesNo, .bool), (.text, .text): return true
        case (.number, .number(let v)): return v.isFinite
        case (.choice, .choice(let id)): return choices.contains { $0.id == id }
        case (.photo, .photo(let n)): return n >= 0
        default: return false
        }
    }
}

/// A group of items under one heading; a section may be asked only under a condition.
public struct ChecklistSection: Sendable, Hashable, Decodable, Identifiable {
    public var id: String
    public var titleZh: String
    public var titleEn: String
    /// The default category of the section's items.
    public var category: FindingCategory?
    /// When the whole section is asked, over answers before it.
    public var relevant: Condition?
    public var items: [ChecklistItem]

    enum CodingKeys: String, CodingKey {
        case id, category, relevant, items
        case titleZh = "title_zh", titleEn = "title_en"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        titleZh = try c.decode(String.self, forKey: .titleZh)
        titleEn = try c.decode(String.self, forKey: .titleEn)
        category = try c.decodeIfPresent(FindingCategory.self, forKey: .category)
        if let text = try c.decodeIfPresent(String.self, forKey: .relevant) {
            do { relevant = try Condition.parse(text) } catch {
                throw DecodingError.dataCorruptedError(forKey: .relevant, in: c, debugDescription: error.description)
            }
        }
        // Items take the section's category unless they name their own.
        struct RawCategory: Decodable { var category: FindingCategory? }
        let own = try c.decode([RawCategory].self, forKey: .items)
        items = try c.decode([ChecklistItem].self, forKey: .items)
        for i in items.indices where own[i].category == nil {
            items[i].category = category ?? .other
        }
    }
}

/// A supervision checklist (督导检查表), routine or for a special round.
public struct Checklist: Sendable, Hashable, Decodable, Identifiable {
    public var id: String
    public var kind: ChecklistKind
    public var nameZh: String
    public var nameEn: String
    public var descriptionZh: String?
    public var descriptionEn: String?
    public var sections: [ChecklistSection]

    enum CodingKeys: String, CodingKey {
        case id, kind, sections
        case nameZh = "name_zh", nameEn = "name_en"
        case descriptionZh = "description_zh", descriptionEn = "description_en"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(ChecklistKind.self, forKey: .kind)
        nameZh = try c.decode(String.self, forKey: .nameZh)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        descriptionZh = try c.decodeIfPresent(String.self, forKey: .descriptionZh)
        descriptionEn = try c.decodeIfPresent(String.self, forKey: .descriptionEn)
        sections = try c.decode([ChecklistSection].self, forKey: .sections)
        let problems = structuralProblems()
        if !problems.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .sections, in: c,
                                                   debugDescription: "checklist \(id): " + problems.joined(separator: "; "))
        }
    }

    public static func decode(_ data: Data) throws -> Checklist {
        try JSONDecoder().decode(Checklist.self, from: data)
    }

    /// All items in the order they are asked.
    public var items: [ChecklistItem] { sections.flatMap(\.items) }

    public func item(id: String) -> ChecklistItem? { items.first { $0.id == id } }

    /// What is wrong with the checklist's shape: ids not of the form `[a-z][a-z0-9_]*` or not
    /// unique, conditions that refer to unknown or later items (relevant: earlier items only;
    /// constraint: `.` and earlier items; finding_when: also the item itself), numbers asked of
    /// choice or text items, strings compared with yes/no, number or photo items, and unknown
    /// choice ids. Empty when the checklist is sound.
    public func structuralProblems() -> [String] {
        var problems: [String] = []
        func goodId(_ id: String) -> Bool {
            guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
            return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        }
        var seen: [String: ChecklistItem] = [:]
        var sectionIds = Set<String>()
        if sections.isEmpty { problems.append("no sections") }

        func check(_ condition: Condition?, _ what: String, owner: String, allowed: [String: ChecklistItem], this: ChecklistItem?) {
            guard let condition else { return }
            for name in condition.variables.sorted() {
                if name == "." ? this == nil : allowed[name] == nil {
                    problems.append("\(owner).\(what) '\(condition.text)' refers to \(name), not an earlier item")
                }
            }
            let lookup: (String) -> ChecklistItem? = { $0 == "." ? this : allowed[$0] }
            for name in condition.numericVariables {
                if let item = lookup(name), item.type == .choice || item.type == .text {
                    problems.append("\(owner).\(what) '\(condition.text)' uses \(item.type.rawValue) item \(name) as a number")
                }
            }
            for (name, literal) in condition.stringComparisons {
                guard let item = lookup(name) else { continue }
                switch item.type {
                case .choice where !item.choices.contains(where: { $0.id == literal }):
                    problems.append("\(owner).\(what) '\(condition.text)': \(name) has no choice '\(literal)'")
                case .yesNo, .number, .photo:
                    problems.append("\(owner).\(what) '\(condition.text)' compares \(item.type.rawValue) item \(name) with a string")
                default: break
                }
            }
        }

        for section in sections {
            if !sectionIds.insert(section.id).inserted { problems.append("duplicate section id \(section.id)") }
            if section.items.isEmpty { problems.append("section \(section.id) has no items") }
            check(section.relevant, "relevant", owner: section.id, allowed: seen, this: nil)
            for item in section.items {
                if !goodId(item.id) { problems.append("bad item id '\(item.id)'") }
                if seen[item.id] != nil { problems.append("duplicate item id \(item.id)") }
                check(item.relevant, "relevant", owner: item.id, allowed: seen, this: nil)
                check(item.constraint, "constraint", owner: item.id, allowed: seen, this: item)
                var withSelf = seen
                withSelf[item.id] = item
                check(item.findingWhen, "finding_when", owner: item.id, allowed: withSelf, this: item)
                let choiceIds = item.choices.map(\.id)
                if Set(choiceIds).count != choiceIds.count { problems.append("duplicate choice id in \(item.id)") }
                seen[item.id] = item
            }
        }
        return problems
    }
}

// MARK: - Answers

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
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "an answer has exactly one of bool, number, text, choice, photo"))
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

extension Checklist {
    /// The outcome of walking the items in order.
    public struct Walk: Sendable {
        /// Ids of the items that are asked, given the answers.
        public var relevant: Set<String>
        /// The answers that count: relevant, non-blank and of the right type.
        public var effective: [String: ChecklistAnswer]
        public var issues: [ChecklistIssue]
    }

    /// Walks the items in order. An item is asked when its section's and its own `relevant`
    /// hold over the answers that count so far (so relevance chains: an item hidden because an
    /// earlier one is hidden is itself hidden). Answers to hidden items do not count.
    public func walk(_ answers: ChecklistAnswers) -> Walk {
        var result = Walk(relevant: [], effective: [:], issues: [])
        func holds(_ condition: Condition?, own: ChecklistAnswer?) -> Bool? {
            guard let condition else { return true }
            let effective = result.effective
            return condition.evaluate(
                number: { $0 == "." ? own?.numericValue : effective[$0]?.numericValue },
                string: { $0 == "." ? own?.stringValue : effective[$0]?.stringValue })
        }
        func issue(_ item: ChecklistItem, _ code: ChecklistIssue.Code, _ zh: String, _ en: String) {
            result.issues.append(ChecklistIssue(itemId: item.id, code: code, messageZh: zh, messageEn: en))
        }
        for section in sections {
            let sectionAsked = holds(section.relevant, own: nil) == true
            for item in section.items {
                let asked = sectionAsked && holds(item.relevant, own: nil) == true
                let answer = answers[item.id].flatMap { $0.isBlank ? nil : $0 }
                guard asked else {
                    if answer != nil {
                        issue(item, .notRelevantAnswered,
                              "本项不适用，不应填写：\(item.textZh)",
                              "Item does not apply and should not be answered: \(item.textEn)")
                    }
                    continue
                }
                result.relevant.insert(item.id)
                guard let answer else {
                    if item.required {
                        issue(item, .requiredMissing,
                              item.type == .photo ? "须上传照片：\(item.textZh)" : "必填项未填写：\(item.textZh)",
                              item.type == .photo ? "A photo is required: \(item.textEn)" : "Required item not answered: \(item.textEn)")
                    }
                    continue
                }
                guard item.accepts(answer) else {
                    if item.type == .choice, case .choice(let id) = answer {
                        issue(item, .wrongType, "选项“\(id)”不属于本项：\(item.textZh)",
                              "'\(id)' is not a choice of: \(item.textEn)")
                    } else {
                        issue(item, .wrongType, "答案类型应为“\(item.type.zh)”：\(item.textZh)",
                              "The answer should be \(item.type.en.lowercased()): \(item.textEn)")
                    }
                    continue
                }
                if holds(item.constraint, own: answer) == false {
                    issue(item, .constraintFailed,
                          item.constraintMessageZh ?? "答案不符合要求（\(item.constraint!.text)）：\(item.textZh)",
                          item.constraintMessageEn ?? "Answer fails the check (\(item.constraint!.text)): \(item.textEn)")
                }
                result.effective[item.id] = answer
            }
        }
        let known = Set(items.map(\.id))
        for id in answers.values.keys.sorted() where !known.contains(id) {
            result.issues.append(ChecklistIssue(itemId: id, code: .unknownItem,
                                                messageZh: "检查表“\(nameZh)”中没有此项：\(id)",
                                                messageEn: "No such item in checklist '\(nameEn)': \(id)"))
        }
        return result
    }

    /// Everything wrong with `answers`, in checklist order (unknown items last). Empty when the
    /// answers can be signed off.
    public func validate(_ answers: ChecklistAnswers) -> [ChecklistIssue] { walk(answers).issues }

    /// Whether an item is asked, given the answers.
    public func isRelevant(_ itemId: String, _ answers: ChecklistAnswers) -> Bool {
        walk(answers).relevant.contains(itemId)
    }

    /// The answers that open a finding: asked items with a valid answer whose `finding_when`
    /// holds (the item's own value is `.` or its id), in checklist order.
    public func findings(_ answers: ChecklistAnswers) -> [ChecklistFinding] {
        let walk = walk(answers)
        return items.compactMap { item in
            guard let condition = item.findingWhen, let own = walk.effective[item.id] else { return nil }
            let holds = condition.evaluate(
                number: { $0 == "." ? own.numericValue : walk.effective[$0]?.numericValue },
                string: { $0 == "." ? own.stringValue : walk.effective[$0]?.stringValue })
            guard holds == true else { return nil }
            return ChecklistFinding(itemId: item.id, category: item.category, textZh: item.textZh, textEn: item.textEn)
        }
    }
}

// MARK: - Catalogue

/// The checklists shipped with the product (Resources/checklists/*.json).
public enum ChecklistCatalog {
    public static let builtIn: [Checklist] = {
        let dir = CoreResources.url("checklists")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().map { file in
            do { return try Checklist.decode(Data(contentsOf: dir.appendingPathComponent(file))) } catch {
                fatalError("shipped checklist \(file) is invalid: \(error)")
            }
        }
    }()

    public static func checklist(id: String) -> Checklist? { builtIn.first { $0.id == id } }

    /// The default checklist of routine visits (SPEC §4.3).
    public static let routineId = "routine"

    public static var routine: Checklist? { checklist(id: routineId) }

    public static var special: [Checklist] { builtIn.filter { $0.kind == .special } }
}
