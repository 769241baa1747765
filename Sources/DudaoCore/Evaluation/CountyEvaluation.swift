/// The result of one indicator's spread over one stage of a county.
public struct IndicatorResult: Sendable, Hashable {
    public var definition: IndicatorDefinition
    /// The per-school threshold of this stage, if the programme sets one.
    public var threshold: Double?
    public var dispersion: Dispersion?
    public var error: EvaluationError?
    public var cvLimit: Double
    /// The CV is within the limit (inclusive); false when it cannot be computed.
    public var passed: Bool

    public var id: String { definition.id }
}

/// One stage (primary or junior) of a county evaluation.
public struct StageEvaluation: Sendable, Hashable {
    public var stage: Stage
    public var indicators: [IndicatorResult]
    public var schools: [SchoolCompliance]
    public var cvLimit: Double
    public var cvMode: Programme.CVMode
    /// Mean of the indicators' CVs (what basic 2012 judges); nil when one is undefined.
    public var cvMean: Double?
    /// nil when no school of the stage takes part.
    public var passed: Bool?

    public var schoolsPassed: Int { schools.filter { $0.passed == true }.count }
    public var failingSchools: [SchoolCompliance] { schools.filter { $0.passed == false } }

    /// The indicator with the largest CV (for roll-ups).
    public var worst: IndicatorResult? {
        indicators.filter { $0.dispersion != nil }.max { $0.dispersion!.cv < $1.dispersion!.cv }
    }
}

/// A school row left out of the evaluation, with the programme rule that left it out.
public struct Exclusion: Sendable, Hashable {
    public enum Reason: String, Sendable, Codable {
        case schoolType = "school_type"
        case tooFewStudents = "too_few_students"
        case noStudents = "no_students"
    }

    public var school: School
    public var stage: Stage
    public var students: Double
    public var reason: Reason

    public func reasonText(_ language: Language) -> String {
        switch (reason, language) {
        case (.schoolType, .zh): "\(school.type.zh)不参评"
        case (.schoolType, .en): "\(school.type.en.lowercased()) schools do not take part"
        case (.tooFewStudents, .zh): "\(school.type.zh)在校生不足规定人数"
        case (.tooFewStudents, .en): "\(school.type.en.lowercased()) below the minimum number of students"
        case (.noStudents, .zh): "该学段无在校生"
        case (.noStudents, .en): "no students in this stage"
        }
    }
}

/// 评估: one programme applied to one county for one year, from its returns.
public struct CountyEvaluation: Sendable, Hashable {
    public var region: Region
    public var year: Int
    public var programme: Programme
    public var stages: [StageEvaluation]
    public var excluded: [Exclusion]

    /// The verdict of everything computable from returns: every evaluated stage passes.
    /// False when no stage could be evaluated.
    public var passed: Bool {
        let judged = stages.compactMap(\.passed)
        return !judged.isEmpty && judged.allSatisfy { $0 }
    }

    public var pending: [Programme.PendingPart] { programme.pending }

    public func stage(_ stage: Stage) -> StageEvaluation? { stages.first { $0.stage == stage } }
}

public enum CountyEvaluator {
    /// Evaluates a county. `returns` are this year's rows of the county's schools (stage rows
    /// and whole-school rows); rows of schools not in `schools` are ignored.
    public static func evaluate(
        programme: Programme, region: Region, year: Int, schools: [School], returns: [StageReturn]
    ) -> CountyEvaluation {
        let schoolByCode = Dictionary(schools.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var rowsBySchool: [String: [StageReturn]] = [:]
        for row in returns where row.year == year && schoolByCode[row.schoolCode] != nil {
            rowsBySchool[row.schoolCode, default: []].append(row)
        }
        var participants: [Stage: [(School, StageReturn)]] = [:]
        var excluded: [Exclusion] = []
        for code in rowsBySchool.keys.sorted() {
            let school = schoolByCode[code]!
            let rows = ResourceAllocation.allocate(rowsBySchool[code]!, weights: programme.stageSplitWeights)
            for row in rows {
                guard let stage = row.stage, programme.stages.contains(stage) else { continue }
                if programme.participation.excludedSchoolTypes.contains(school.type) {
                    excluded.append(Exclusion(school: school, stage: stage, students: row.students, reason: .schoolType))
                } else if row.students <= 0 {
                    excluded.append(Exclusion(school: school, stage: stage, students: row.students, reason: .noStudents))
                } else if let minimum = programme.participation.minStudents[school.type], row.students < minimum {
                    excluded.append(Exclusion(school: school, stage: stage, students: row.students, reason: .tooFewStudents))
                } else {
                    participants[stage, default: []].append((school, row))
                }
            }
        }
        let stages = programme.stages.map { stage in
            evaluateStage(stage, programme: programme, participants: participants[stage] ?? [])
        }
        return CountyEvaluation(region: region, year: year, programme: programme, stages: stages, excluded: excluded)
    }

    static func evaluateStage(
        _ stage: Stage, programme: Programme, participants: [(School, StageReturn)]
    ) -> StageEvaluation {
        let limit = programme.cvLimits[stage] ?? 0
        let weights = participants.map { $0.1.students }
        let indicators = programme.indicators.map { indicator -> IndicatorResult in
            let values = participants.map { indicator.definition.value(of: $0.1) ?? 0 }
            do throws(EvaluationError) {
                let d = try CoefficientOfVariation.compute(values: values, weights: weights, weighting: programme.cvWeighting)
                return IndicatorResult(definition: indicator.definition, threshold: indicator.thresholds[stage],
                                       dispersion: d, error: nil, cvLimit: limit, passed: Tolerance.atMost(d.cv, limit))
            } catch {
                return IndicatorResult(definition: indicator.definition, threshold: indicator.thresholds[stage],
                                       dispersion: nil, error: error, cvLimit: limit, passed: false)
            }
        }
        let schools = participants.map {
            SchoolCompliance.assess(school: $0.0, row: $0.1, stage: stage, programme: programme)
        }
        let cvs = indicators.compactMap { $0.dispersion?.cv }
        let cvMean = cvs.count == indicators.count && !cvs.isEmpty ? cvs.reduce(0, +) / Double(cvs.count) : nil
        var passed: Bool?
        if !participants.isEmpty {
            let schoolsPass = schools.allSatisfy { $0.passed != false }
            switch programme.cvMode {
            case .each: passed = schoolsPass && indicators.allSatisfy(\.passed)
            case .mean: passed = schoolsPass && (cvMean.map { Tolerance.atMost($0, limit) } ?? false)
            }
        }
        return StageEvaluation(stage: stage, indicators: indicators, schools: schools, cvLimit: limit,
                               cvMode: programme.cvMode, cvMean: cvMean, passed: passed)
    }
}
