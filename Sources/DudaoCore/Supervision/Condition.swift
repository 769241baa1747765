import Foundation

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
        guard text.count <= maxLength else {
            throw ExpressionError(text: String(text.prefix(40)) + "…", message: "longer than \(maxLength) characters")
        }
        var depth = 0, deepest = 0
        for c in text.unicodeScalars {
            if c == "(" { depth += 1; deepest = max(deepest, depth) } else if c == ")" { depth -= 1 }
        }
        guard deepest <= maxDepth else {
            throw ExpressionError(text: String(text.prefix(40)) + "…", message: "nested deeper than \(maxDepth) parentheses")
        }
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
                    && scan.operators.isEmpty && firstParenCloses(chars)
                {
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
