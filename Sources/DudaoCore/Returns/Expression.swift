import Foundation

/// A small arithmetic expression over return facts, as validation rules are written in data
/// (DHIS2 style): numbers, field ids (`students`), last year's facts (`prev.students`),
/// `+ - * /`, parentheses, and the functions `abs`, `min`, `max`.
public indirect enum Expression: Sendable, Hashable {
    case number(Double)
    case variable(String)
    case unary(Character, Expression)
    case binary(Character, Expression, Expression)
    case call(String, [Expression])

    public static func parse(_ text: String) throws(ExpressionError) -> Expression {
        // The parser is recursive: bound the nesting so no text can exhaust the stack.
        var depth = 0, deepest = 0
        for c in text.unicodeScalars {
            if c == "(" { depth += 1; deepest = max(deepest, depth) } else if c == ")" { depth -= 1 }
        }
        guard deepest <= 32, text.count <= 4000 else {
            throw ExpressionError(text: String(text.prefix(40)), message: "too long or nested deeper than 32 parentheses")
        }
        var parser = ExpressionParser(text)
        let expression = try parser.parseSum()
        parser.skipBlanks()
        guard parser.atEnd else { throw ExpressionError(text: text, message: "unexpected '\(parser.rest)'") }
        return expression
    }

    /// Every variable the expression refers to.
    public var variables: Set<String> {
        switch self {
        case .number: []
        case .variable(let name): [name]
        case .unary(_, let e): e.variables
        case .binary(_, let l, let r): l.variables.union(r.variables)
        case .call(_, let args): args.reduce(into: Set()) { $0.formUnion($1.variables) }
        }
    }

    /// Evaluates with `lookup` supplying variables; an unknown variable counts as missing and
    /// `missing` decides its value (nil aborts the evaluation).
    public func evaluate(_ lookup: (String) -> Double?, missing: Double? = nil) -> Double? {
        switch self {
        case .number(let v): return v
        case .variable(let name): return lookup(name) ?? missing
        case .unary(_, let e): return e.evaluate(lookup, missing: missing).map { -$0 }
        case .binary(let op, let l, let r):
            guard let a = l.evaluate(lookup, missing: missing), let b = r.evaluate(lookup, missing: missing) else { return nil }
            switch op {
            case "+": return a + b
            case "-": return a - b
            case "*": return a * b
            default: return b == 0 ? nil : a / b
            }
        case .call(let name, let args):
            let values = args.compactMap { $0.evaluate(lookup, missing: missing) }
            guard values.count == args.count, !values.isEmpty else { return nil }
            switch name {
            case "abs": return abs(values[0])
            case "min": return values.min()
            default: return values.max()
            }
        }
    }
}

public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var message: String
    public var description: String { "invalid expression '\(text)': \(message)" }
}

private struct ExpressionParser {
    let text: String
    let chars: [Character]
    var pos = 0

    init(_ text: String) {
        self.text = text
        self.chars = Array(text)
    }

    var atEnd: Bool { pos >= chars.count }
    var rest: String { String(chars[pos...]) }

    mutating func skipBlanks() { while !atEnd && chars[pos].isWhitespace { pos += 1 } }

    mutating func peek() -> Character? {
        skipBlanks()
        return atEnd ? nil : chars[pos]
    }

    func fail(_ message: String) -> ExpressionError { ExpressionError(text: text, message: message) }

    mutating func parseSum() throws(ExpressionError) -> Expression {
        var left = try parseProduct()
        while let c = peek(), c == "+" || c == "-" {
            pos += 1
            left = .binary(c, left, try parseProduct())
        }
        return left
    }

    mutating func parseProduct() throws(ExpressionError) -> Expression {
        var left = try parseFactor()
        while let c = peek(), c == "*" || c == "/" {
            pos += 1
            left = .binary(c, left, try parseFactor())
        }
        return left
    }

    mutating func parseFactor() throws(ExpressionError) -> Expression {
        guard let c = peek() else { throw fail("unexpected end") }
        if c == "-" {
            pos += 1
            return .unary("-", try parseFactor())
        }
        if c == "(" {
            pos += 1
            let inner = try parseSum()
            guard peek() == ")" else { throw fail("missing ')'") }
            pos += 1
            return inner
        }
        if c.isNumber {
            let start = pos
            while !atEnd && (chars[pos].isNumber || chars[pos] == ".") { pos += 1 }
            guard let value = Double(String(chars[start..<pos])) else { throw fail("bad number") }
            return .number(value)
        }
        if c.isLetter || c == "_" {
            let start = pos
            while !atEnd && (chars[pos].isLetter || chars[pos].isNumber || chars[pos] == "_" || chars[pos] == ".") { pos += 1 }
            let name = String(chars[start..<pos])
            if peek() == "(" {
                guard ["abs", "min", "max"].contains(name) else { throw fail("unknown function \(name)") }
                pos += 1
                var args: [Expression] = [try parseSum()]
                while peek() == "," {
                    pos += 1
                    args.append(try parseSum())
                }
                guard peek() == ")" else { throw fail("missing ')'") }
                pos += 1
                return .call(name, args)
            }
            return .variable(name)
        }
        throw fail("unexpected '\(c)'")
    }
}
