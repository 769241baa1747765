import Foundation

/// A validation rule over one return row, expressed as data in the style of DHIS2:
/// `left operator right`, with an importance, a strategy for missing values, and an
/// optional condition (`when`) under which the rule applies.
public struct ValidationRule: Sendable, Hashable, Decodable {
    public enum Importance: String, Sendable, Codable {
        /// 硬性规则: blocks saving.
        case blocking
        /// 提示规则: saved, reported, needs a written reason.
        case warning
    }

    public enum Operator: String, Sendable, Codable {
        case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="

        func holds(_ a: Double, _ b: Double) -> Bool {
            let eps = 1e-9 * max(1, abs(a), abs(b))
            switch self {
            case .eq: return abs(a - b) <= eps
            case .ne: return abs(a - b) > eps
            case .lt: return a < b - eps
            case .le: return a <= b + eps
            case .gt: return a > b + eps
            case .ge: return a >= b - eps
            }
        }
    }

    /// What to do when a referenced value is blank (DHIS2 missing value strategy).
    public enum MissingValueStrategy: String, Sendable, Codable {
        case skipIfAnyMissing = "skip_if_any_missing"
        case skipIfAllMissing = "skip_if_all_missing"
        /// Blank counts as zero.
        case neverSkip = "never_skip"
    }

    public var id: String
    public var importance: Importance
    public let left: Expression
    public var `operator`: Operator
    public let right: Expression
    /// When the rule applies, in the checklists' condition grammar (one grammar in the
    /// product: comparisons joined by `and`/`or`, e.g. "teachers > 0 and students > 0").
    public let when: Condition?
    /// The variables of `left` and `right`, resolved to fields once when the rule is loaded
    /// (a rule runs on every row of a national import: no name is parsed per row).
    fileprivate let references: [Reference]
    /// Names `when` uses beyond `references`.
    fileprivate let conditionReferences: [Reference]

    fileprivate struct Reference: Sendable, Hashable {
        var name: String
        /// nil: not a field (always missing).
        var field: ReturnField?
        /// `prev.` names last year's row.
        var previous: Bool

        init(_ name: String) {
            self.name = name
            previous = name.hasPrefix("prev.")
            field = ReturnField(rawValue: previous ? String(name.dropFirst(5)) : name)
        }

        func value(_ row: StageReturn, _ last: StageReturn?) -> Double? {
            guard let field else { return nil }
            return previous ? last?[field] : row[field]
        }
    }
    public var missing: MissingValueStrategy
    /// The field the message is about (the column named in error reports).
    public var field: ReturnField
    public var messageZh: String
    public var messageEn: String

    enum CodingKeys: String, CodingKey {
        case id, importance, left, `operator`, right, when, missing, field
        case messageZh = "message_zh", messageEn = "message_en"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        importance = try c.decode(Importance.self, forKey: .importance)
        left = try Self.expression(c, .left)
        self.operator = try c.decode(Operator.self, forKey: .operator)
        right = try Self.expression(c, .right)
        if let condition = try c.decodeIfPresent(String.self, forKey: .when) {
            do { when = try Condition.parse(condition) } catch {
                throw DecodingError.dataCorruptedError(forKey: .when, in: c, debugDescription: error.description)
            }
        } else {
            when = nil
        }
        let names = left.variables.union(right.variables)
        references = names.sorted().map(Reference.init)
        conditionReferences = (when?.variables.subtracting(names) ?? []).sorted().map(Reference.init)
        missing = try c.decodeIfPresent(MissingValueStrategy.self, forKey: .missing) ?? .skipIfAnyMissing
        field = try c.decode(ReturnField.self, forKey: .field)
        messageZh = try c.decode(String.self, forKey: .messageZh)
        messageEn = try c.decode(String.self, forKey: .messageEn)
    }

    private static func expression(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Expression {
        let text = try c.decode(String.self, forKey: key)
        do { return try Expression.parse(text) } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: error.description)
        }
    }

    /// Checks one row; `previous` is the same school and stage one year earlier, if known.
    /// Returns nil when the rule holds or does not apply.
    public func check(_ row: StageReturn, previous: StageReturn?) -> RuleViolation? {
        CompiledRule(self).check(row, previous: previous)
    }
}

/// A rule ready to run on many rows, its parts constants of a class. A rule read out of an
/// array is copied whole before its method runs (a retain of each expression, condition, list
/// and text; some 4 million copies in a national import, a tenth of its time); a compiled rule
/// is one reference.
final class CompiledRule: Sendable {
    let id: String
    let importance: ValidationRule.Importance
    let field: ReturnField
    let messageZh: String
    let messageEn: String
    fileprivate let references: [ValidationRule.Reference]
    fileprivate let conditionReferences: [ValidationRule.Reference]
    let missing: ValidationRule.MissingValueStrategy
    let when: Condition?
    let left: Expression
    let right: Expression
    let op: ValidationRule.Operator

    init(_ rule: ValidationRule) {
        (id, importance, field, messageZh, messageEn) = (rule.id, rule.importance, rule.field, rule.messageZh, rule.messageEn)
        (references, conditionReferences, missing) = (rule.references, rule.conditionReferences, rule.missing)
        (when, left, right, op) = (rule.when, rule.left, rule.right, rule.operator)
    }

    /// `ValidationRule.check`.
    func check(_ row: StageReturn, previous: StageReturn?) -> RuleViolation? {
        // Only what the closure needs is taken into it.
        let references = self.references, conditionReferences = self.conditionReferences
        let missing = self.missing, when = self.when, left = self.left, right = self.right, op = self.op
        let broken: (Double, Double)? = withUnsafeTemporaryAllocation(of: Double?.self, capacity: references.count) { values in
            var known = 0
            for (i, reference) in references.enumerated() {
                let value = reference.value(row, previous)
                values.initializeElement(at: i, to: value)
                if value != nil { known += 1 }
            }
            switch missing {
            case .skipIfAnyMissing where known < references.count: return nil
            case .skipIfAllMissing where known == 0: return nil
            default: break
            }
            let lookup: (String) -> Double? = { name in
                for i in references.indices where references[i].name == name { return values[i] }
                return nil
            }
            // Past the skip check, blanks count as zero (for skip-if-any there are none left).
            let fill: Double? = missing == .skipIfAnyMissing ? nil : 0
            // In the condition, blanks count as zero (a school without teachers has teachers = 0).
            if let when {
                let extra = conditionReferences
                let holds = when.evaluate(
                    number: { name in
                        if let value = lookup(name) { return value }
                        return extra.first { $0.name == name }?.value(row, previous) ?? 0
                    }, string: { _ in nil })
                if holds != true { return nil }
            }
            guard let a = left.evaluate(lookup, missing: fill), let b = right.evaluate(lookup, missing: fill) else {
                return nil
            }
            return op.holds(a, b) ? nil : (a, b)
        }
        guard let (a, b) = broken else { return nil }
        return RuleViolation(
            ruleId: id, importance: importance, field: field, left: a, right: b, messageZh: messageZh, messageEn: messageEn)
    }
}

/// One broken rule on one row.
public struct RuleViolation: Sendable, Hashable, Codable {
    public var ruleId: String
    public var importance: ValidationRule.Importance
    public var field: ReturnField
    public var left: Double
    public var right: Double
    public var messageZh: String
    public var messageEn: String
}

/// The shipped rule set (SPEC §4.1), loaded from `Resources/rules/returns.json`.
public struct ValidationRuleSet: Sendable {
    public var rules: [ValidationRule] { didSet { compiled = rules.map(CompiledRule.init) } }
    private var compiled: [CompiledRule]

    public init(rules: [ValidationRule]) {
        self.rules = rules
        compiled = rules.map(CompiledRule.init)
    }

    public static func load(_ data: Data) throws -> ValidationRuleSet {
        struct File: Decodable { var rules: [ValidationRule] }
        return ValidationRuleSet(rules: try JSONDecoder().decode(File.self, from: data).rules)
    }

    public static let standard: ValidationRuleSet = {
        do { return try load(CoreResources.data("rules/returns.json")) } catch {
            fatalError("shipped rules/returns.json is invalid: \(error)")
        }
    }()

    public func check(_ row: StageReturn, previous: StageReturn?) -> [RuleViolation] {
        var found: [RuleViolation] = []
        for rule in compiled {
            if let violation = rule.check(row, previous: previous) { found.append(violation) }
        }
        return found
    }
}
