import Foundation

/// What a school lacks on one indicator, in plain units: "needs 320 m² more sports area,
/// or 41 fewer students".
public struct Gap: Sendable, Hashable, Codable {
    public var indicator: String
    public var value: Double
    public var threshold: Double
    /// How much more of the numerator the school needs (m², yuan, teachers, classrooms …),
    /// rounded up to whole units.
    public var shortfall: Double
    public var unit: MeasureUnit
    /// How many fewer students would meet the threshold with today's resources; nil when
    /// the school has none of the resource.
    public var fewerStudents: Int?
    /// The value reaches the programme's minimum ratio (e.g. 85%) of the threshold.
    public var withinTolerance: Bool

    /// Computes the gap of a school that does not reach `threshold`; nil when it does.
    public static func of(
        indicator: IndicatorDefinition, row: StageReturn, threshold: Double, minRatio: Double?
    ) -> Gap? {
        let students = row.students
        let amount = row[indicator.numerator] ?? 0
        let value = students > 0 ? amount / students * indicator.scale : 0
        if Tolerance.atLeast(value, threshold) { return nil }
        let needed = threshold * students / indicator.scale
        let unit = indicator.numerator.unit
        let shortfall = max(1, (needed - amount - Tolerance.epsilon(needed)).rounded(.up))
        var fewer: Int?
        if amount > 0 {
            let maxStudents = (amount * indicator.scale / threshold + Tolerance.epsilon(students)).rounded(.down)
            fewer = Int(students - maxStudents)
        }
        let within = minRatio.map { Tolerance.atLeast(value, $0 * threshold) } ?? false
        return Gap(
            indicator: indicator.id, value: value, threshold: threshold, shortfall: shortfall,
            unit: unit, fewerStudents: fewer, withinTolerance: within)
    }

    /// The gap in words, as a bulletin writes it.
    public func text(_ language: Language) -> String {
        let definition = IndicatorDefinition.catalogue[indicator]
        let field = definition?.numerator
        let amount = NumberText.plain(shortfall)
        switch language {
        case .zh:
            var s = "需增加 \(amount) \(unit.zh)\(field?.nounZh ?? indicator)"
            if let fewerStudents { s += "，或减少 \(fewerStudents) 名学生" }
            return s
        case .en:
            // "needs 320 m² more sports field and hall area" / "needs 2 more key teachers"
            let thing = field?.en ?? indicator
            var s = unit.isCount ? "needs \(amount) more \(thing)" : "needs \(amount) \(unit.en) more \(thing)"
            if let fewerStudents { s += ", or \(fewerStudents) fewer students" }
            return s
        }
    }
}

/// Inclusive comparisons with a relative epsilon, so that a value exactly at a boundary
/// (computed through floating point) passes.
public enum Tolerance {
    public static func epsilon(_ x: Double) -> Double { 1e-9 * max(1, abs(x)) }
    public static func atLeast(_ value: Double, _ bound: Double) -> Bool { value >= bound - epsilon(bound) }
    public static func atMost(_ value: Double, _ bound: Double) -> Bool { value <= bound + epsilon(bound) }
}
