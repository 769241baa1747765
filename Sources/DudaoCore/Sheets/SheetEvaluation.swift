/// What a scorer recorded for one item.
public struct ScoreEntry: Sendable, Hashable, Codable {
    /// Points awarded (points sheets), 0…max.
    public var score: Double?
    /// Standard met (pass/fail sheets).
    public var met: Bool?
    /// A veto item's event happened (e.g. a serious safety incident): the sheet fails.
    public var vetoed: Bool
    public var comment: String
    /// Evidence in words (documents seen, people heard, places visited); files attach separately.
    public var evidence: String

    public init(score: Double? = nil, met: Bool? = nil, vetoed: Bool = false, comment: String = "", evidence: String = "") {
        self.score = score
        self.met = met
        self.vetoed = vetoed
        self.comment = comment
        self.evidence = evidence
    }
}

/// The facts computed items read.
public struct SheetFacts: Sendable {
    public var duty: DutyEvaluation?
    public var schools: [School]
    /// Return rows of the year.
    public var returns: [StageReturn]
    /// Records counted for automatic deductions.
    public var counts: [ScoreItem.Deduction.Source: Int]
    /// The county's closed satisfaction surveys of the year (nil: none closed).
    public var satisfaction: SatisfactionResult?

    public init(duty: DutyEvaluation? = nil, schools: [School] = [], returns: [StageReturn] = [], counts: [ScoreItem.Deduction.Source: Int] = [:]) {
        self.duty = duty
        self.schools = schools
        self.returns = returns
        self.counts = counts
    }
}

/// A computed item's answer: pass, fail or unknown, with the figures behind it.
public struct ComputedOutcome: Sendable, Hashable {
    public var passed: Bool?
    /// "禹州市第一初级中学 2310" per school over the limit, the indicator as published, or what is missing.
    public var details: [String]
}

public struct ItemResult: Sendable, Hashable {
    public var id: String
    public var entry: ScoreEntry?
    public var computed: ComputedOutcome?
    /// Points counted (points sheets): the entry's, the computed item's (max or 0), or max minus deductions.
    public var points: Double?
    /// Met (pass/fail sheets), from the computed answer when known, else the entry.
    public var met: Bool?
    public var deducted: Double?
    /// Has an answer (scored by hand, computed, or deducted).
    public var answered: Bool
    public var vetoed: Bool
}

public struct SheetResult: Sendable {
    public var sheet: ScoreSheet
    public var items: [ItemResult]
    /// Points sheets: Σ points / max × weight over answered items (out of 100). Pass/fail: items met.
    public var total: Double
    public var answered: Int
    public var complete: Bool { answered == items.count }
    public var vetoed: Bool
    /// false when vetoed; nil while items are unanswered; else by the sheet's rule.
    public var passed: Bool?
    public var grade: ScoreSheet.Grade?

    public func item(_ id: String) -> ItemResult? { items.first { $0.id == id } }
}

public enum SheetEvaluator {
    public static func evaluate(_ sheet: ScoreSheet, entries: [String: ScoreEntry], facts: SheetFacts) -> SheetResult {
        var results: [ItemResult] = []
        for item in sheet.items {
            let entry = entries[item.id]
            var r = ItemResult(
                id: item.id, entry: entry, computed: nil, points: nil, met: nil, deducted: nil, answered: false,
                vetoed: item.veto && entry?.vetoed == true)
            if let check = item.computed { r.computed = computed(check, facts: facts) }
            switch sheet.scoring {
            case _ where item.veto && item.max == nil:
                // Answered once someone has said whether the event happened.
                r.met = entry.map { !$0.vetoed }
            case .passFail:
                r.met = r.computed?.passed ?? entry?.met
            case .points:
                let max = item.max ?? 0
                if let deduction = item.deduction {
                    let n = Double(facts.counts[deduction.source] ?? 0)
                    r.deducted = Swift.min(max, n * deduction.per)
                    r.points = max - r.deducted!
                } else if let passed = r.computed?.passed {
                    r.points = passed ? max : 0
                } else {
                    // Not computed, or the data to compute it is missing: the scorer's judgement.
                    r.points = entry?.score
                }
                r.met = r.points.map { $0 >= max }
            }
            r.answered = r.vetoed || (sheet.scoring == .passFail || (item.veto && item.max == nil) ? r.met != nil : r.points != nil)
            results.append(r)
        }
        let vetoed = results.contains { $0.vetoed }
        let answered = results.filter(\.answered).count
        let total: Double
        switch sheet.scoring {
        case .passFail:
            total = Double(results.filter { $0.met == true }.count)
        case .points:
            total = zip(sheet.items, results).reduce(0) { sum, pair in
                guard let points = pair.1.points, let max = pair.0.max else { return sum }
                return sum + points / max * pair.0.weight
            }
        }
        var result = SheetResult(sheet: sheet, items: results, total: total, answered: answered, vetoed: vetoed, passed: nil, grade: nil)
        if vetoed {
            result.passed = false
            result.grade = sheet.grades.last
        } else if result.complete {
            switch sheet.scoring {
            case .passFail: result.passed = results.allSatisfy { $0.met == true }
            case .points: result.passed = Tolerance.atLeast(total, sheet.passTotal ?? 0)
            }
            result.grade = sheet.grades.first { Tolerance.atLeast(total, $0.min) }
        }
        return result
    }

    static func computed(_ check: ComputedCheck, facts: SheetFacts) -> ComputedOutcome {
        switch check {
        case .satisfaction(let least):
            guard let s = facts.satisfaction else { return ComputedOutcome(passed: nil, details: ["尚无已结束的满意度调查"]) }
            guard let rate = s.rate else { return ComputedOutcome(passed: nil, details: ["有效答卷\(s.responses)份，不足\(s.minimumRespondents)份"]) }
            return ComputedOutcome(
                passed: Tolerance.atLeast(rate, least),
                details: ["满意度 \(NumberText.percent(rate))（≥ \(NumberText.percent(least))），\(s.responses)份答卷"])
        case .indicator(let id):
            guard let duty = facts.duty, let r = duty.result(id), let d = duty.programme.indicator(id) else {
                return ComputedOutcome(passed: nil, details: ["\(id): no duty evaluation"])
            }
            if let v = r.value {
                return ComputedOutcome(
                    passed: r.passed,
                    details: ["\(d.nameZh) \(d.published(v))（\(d.direction == .atLeast ? "≥" : "≤") \(d.published(d.target))）"])
            }
            return ComputedOutcome(passed: nil, details: r.missing.map { $0.text(.zh) } + (r.error.map { [$0] } ?? []))
        case .everyRow(let condition, let filter):
            let schools = Dictionary(facts.schools.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            var failing: [String] = []
            var unknown: [String] = []
            for data in facts.returns.sorted(by: { ($0.schoolCode, $0.stage?.rawValue ?? "") < ($1.schoolCode, $1.stage?.rawValue ?? "") }) {
                guard let stage = data.stage, let school = schools[data.schoolCode] else { continue }
                let row = DutyRow(data: data, school: school)
                if let filter, filter.evaluate(number: row.number, string: row.string) != true { continue }
                switch condition.evaluate(number: row.number, string: row.string) {
                case true?: continue
                case false?:
                    let figures = condition.numericVariables.sorted().compactMap { name in
                        row.number(name).map { "\(ReturnField(rawValue: name)?.zh ?? name)\(NumberText.plain($0))" }
                    }
                    failing.append("\(school.name) \(stage.label(.zh)) \(figures.joined(separator: " "))")
                case nil: unknown.append(school.name)
                }
            }
            if !failing.isEmpty { return ComputedOutcome(passed: false, details: failing) }
            if !unknown.isEmpty { return ComputedOutcome(passed: nil, details: unknown.map { "\($0): missing data" }) }
            return ComputedOutcome(passed: true, details: [])
        case .everySchool(let condition, let filter):
            // A school's totals over its stage rows (students of a nine-year school are both stages').
            let bySchool = Dictionary(grouping: facts.returns.filter { $0.stage != nil }, by: \.schoolCode)
            var failing: [String] = []
            var unknown: [String] = []
            for school in facts.schools.sorted(by: { $0.code < $1.code }) {
                guard let rows = bySchool[school.code], !rows.isEmpty else { continue }
                var total = StageReturn(schoolCode: school.code, year: rows[0].year, stage: nil)
                for field in ReturnField.allCases {
                    let values = rows.compactMap { $0[field] }
                    total[field] = values.isEmpty ? nil : values.reduce(0, +)
                }
                let row = DutyRow(data: total, school: school)
                let string: (String) -> String? = { $0 == "stage" ? nil : row.string($0) }
                if let filter, filter.evaluate(number: row.number, string: string) != true { continue }
                switch condition.evaluate(number: row.number, string: string) {
                case true?: continue
                case false?: failing.append("\(school.name) \(NumberText.plain(total.students))")
                case nil: unknown.append(school.name)
                }
            }
            if !failing.isEmpty { return ComputedOutcome(passed: false, details: failing) }
            if !unknown.isEmpty { return ComputedOutcome(passed: nil, details: unknown.map { "\($0): missing data" }) }
            return ComputedOutcome(passed: true, details: [])
        }
    }
}
