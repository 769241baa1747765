/// One school's standing on one stage of a programme (资源配置达标).
public struct SchoolCompliance: Sendable, Hashable {
    public var school: School
    public var stage: Stage
    public var students: Double
    /// Indicator id → value, in programme order.
    public var values: [(id: String, value: Double)]
    /// Number of thresholds met.
    public var met: Int
    /// nil when the programme has no per-school rule (basic 2012 judges only the CVs).
    public var passed: Bool?
    public var gaps: [Gap]

    public static func == (a: SchoolCompliance, b: SchoolCompliance) -> Bool {
        a.school == b.school && a.stage == b.stage && a.students == b.students && a.met == b.met
            && a.passed == b.passed && a.gaps == b.gaps && a.values.map(\.id) == b.values.map(\.id)
            && a.values.map(\.value) == b.values.map(\.value)
    }

    public func hash(into h: inout Hasher) {
        h.combine(school)
        h.combine(stage)
    }

    public func value(_ id: String) -> Double? { values.first { $0.id == id }?.value }

    /// Applies the programme's school rule: at least `minMet` thresholds met and the rest at
    /// least `othersMinRatio` of their threshold (both inclusive).
    public static func assess(school: School, row: StageReturn, stage: Stage, programme: Programme) -> SchoolCompliance {
        var values: [(String, Double)] = []
        var gaps: [Gap] = []
        var met = 0, judged = 0
        for indicator in programme.indicators {
            let value = indicator.definition.value(of: row) ?? 0
            values.append((indicator.id, value))
            guard let threshold = indicator.thresholds[stage] else { continue }
            judged += 1
            if let gap = Gap.of(indicator: indicator.definition, row: row, threshold: threshold,
                                minRatio: programme.schoolRule?.othersMinRatio) {
                gaps.append(gap)
            } else {
                met += 1
            }
        }
        var passed: Bool?
        if let rule = programme.schoolRule, judged > 0 {
            passed = met >= min(rule.minMet, judged) && gaps.allSatisfy(\.withinTolerance)
        }
        return SchoolCompliance(school: school, stage: stage, students: row.students, values: values,
                                met: met, passed: passed, gaps: gaps)
    }
}
