/// One school's standing on one stage of a programme (资源配置达标).
public struct SchoolCompliance: Sendable, Hashable {
    public var school: School
    public var stage: Stage
    public var students: Double
    /// Indicator ids in programme order (one array shared by every school of a stage).
    public var indicatorIds: [String]
    /// The school's value per indicator, aligned with `indicatorIds`.
    public var indicatorValues: [Double]
    /// Number of thresholds met.
    public var met: Int
    /// nil when the programme has no per-school rule (basic 2012 judges only the CVs).
    public var passed: Bool?
    public var gaps: [Gap]

    /// Indicator id → value, in programme order.
    public var values: [(id: String, value: Double)] { Array(zip(indicatorIds, indicatorValues)) }

    public func value(_ id: String) -> Double? { indicatorIds.firstIndex(of: id).map { indicatorValues[$0] } }

    /// The programme's indicators resolved for one stage once, so that assessing a school
    /// touches no dictionaries and copies no definitions.
    public struct StagePlan: Sendable {
        public var stage: Stage
        public var ids: [String]
        var definitions: [IndicatorDefinition]
        var fields: [ReturnField]
        var scales: [Double]
        var thresholds: [Double?]
        var minMet: Int?
        var othersMinRatio: Double?

        public init(programme: Programme, stage: Stage) {
            self.stage = stage
            ids = programme.indicators.map(\.id)
            definitions = programme.indicators.map(\.definition)
            fields = definitions.map(\.numerator)
            scales = definitions.map(\.scale)
            thresholds = programme.indicators.map { $0.thresholds[stage] }
            minMet = programme.schoolRule?.minMet
            othersMinRatio = programme.schoolRule?.othersMinRatio
        }
    }

    /// Applies the programme's school rule: at least `minMet` thresholds met and the rest at
    /// least `othersMinRatio` of their threshold (both inclusive).
    public static func assess(school: School, row: StageReturn, plan: StagePlan) -> SchoolCompliance {
        let students = row.students
        var values = [Double](repeating: 0, count: plan.fields.count)
        var gaps: [Gap] = []
        var met = 0, judged = 0
        for i in plan.fields.indices {
            values[i] = students > 0 ? (row[plan.fields[i]] ?? 0) / students * plan.scales[i] : 0
            guard let threshold = plan.thresholds[i] else { continue }
            judged += 1
            if Tolerance.atLeast(values[i], threshold) {
                met += 1
            } else if let gap = Gap.of(indicator: plan.definitions[i], row: row, threshold: threshold, minRatio: plan.othersMinRatio) {
                gaps.append(gap)
            }
        }
        var passed: Bool?
        if let minMet = plan.minMet, judged > 0 {
            passed = met >= min(minMet, judged) && gaps.allSatisfy(\.withinTolerance)
        }
        return SchoolCompliance(
            school: school, stage: plan.stage, students: students, indicatorIds: plan.ids,
            indicatorValues: values, met: met, passed: passed, gaps: gaps)
    }

    public static func assess(school: School, row: StageReturn, stage: Stage, programme: Programme) -> SchoolCompliance {
        assess(school: school, row: row, plan: StagePlan(programme: programme, stage: stage))
    }
}
