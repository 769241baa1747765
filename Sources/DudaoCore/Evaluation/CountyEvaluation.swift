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
        // Merge-join schools and rows, both sorted by code: no hashing, no extra copies.
        // Callers usually pass both already in code order (the store sorts); copy only if not.
        let registry = schools.isSorted { $0.code < $1.code } ? schools : schools.sorted { $0.code < $1.code }
        var rows = returns.allSatisfy { $0.year == year } ? returns : returns.filter { $0.year == year }
        if !rows.isSorted(by: { $0.schoolCode <= $1.schoolCode }) { rows.sort { $0.schoolCode < $1.schoolCode } }
        let rules = ParticipationRules(programme.participation)
        var participants: [[(school: Int, row: StageReturn)]] = programme.stages.map { _ in [] }
        var excluded: [Exclusion] = []
        var s = 0, start = 0
        while start < rows.count {
            let code = rows[start].schoolCode
            var end = start + 1
            while end < rows.count && rows[end].schoolCode == code { end += 1 }
            defer { start = end }
            while s < registry.count && registry[s].code < code { s += 1 }
            guard s < registry.count, registry[s].code == code else { continue }
            let type = registry[s].type
            let allocated =
                end - start == 1 && rows[start].stage != nil
                ? [rows[start]] : ResourceAllocation.allocate(Array(rows[start..<end]), weights: programme.stageSplitWeights)
            for row in allocated {
                guard let stage = row.stage, let slot = programme.stages.firstIndex(of: stage) else { continue }
                if let reason = rules.exclusion(of: type, students: row.students) {
                    excluded.append(Exclusion(school: registry[s], stage: stage, students: row.students, reason: reason))
                } else {
                    participants[slot].append((s, row))
                }
            }
        }
        let stages = programme.stages.enumerated().map { slot, stage in
            evaluateStage(stage, programme: programme, registry: registry, participants: participants[slot])
        }
        return CountyEvaluation(region: region, year: year, programme: programme, stages: stages, excluded: excluded)
    }

    /// The programme's participation rules resolved per school type once.
    struct ParticipationRules {
        var excludedType: [Bool]
        var minimum: [Double?]

        init(_ p: Programme.Participation) {
            excludedType = SchoolType.allCases.map { p.excludedSchoolTypes.contains($0) }
            minimum = SchoolType.allCases.map { p.minStudents[$0] }
        }

        func exclusion(of type: SchoolType, students: Double) -> Exclusion.Reason? {
            let i = SchoolType.allCases.firstIndex(of: type)!
            if excludedType[i] { return .schoolType }
            if students <= 0 { return .noStudents }
            if let minimum = minimum[i], students < minimum { return .tooFewStudents }
            return nil
        }
    }

    static func evaluateStage(
        _ stage: Stage, programme: Programme, registry: [School], participants: [(school: Int, row: StageReturn)]
    ) -> StageEvaluation {
        let limit = programme.cvLimits[stage] ?? 0
        let plan = SchoolCompliance.StagePlan(programme: programme, stage: stage)
        let schools = participants.map { SchoolCompliance.assess(school: registry[$0.school], row: $0.row, plan: plan) }
        let weights = schools.map(\.students)
        let indicators = programme.indicators.enumerated().map { index, indicator -> IndicatorResult in
            let values = schools.map { $0.indicatorValues[index] }
            do throws(EvaluationError) {
                let d = try CoefficientOfVariation.compute(values: values, weights: weights, weighting: programme.cvWeighting)
                return IndicatorResult(
                    definition: indicator.definition, threshold: indicator.thresholds[stage],
                    dispersion: d, error: nil, cvLimit: limit, passed: Tolerance.atMost(d.cv, limit))
            } catch {
                return IndicatorResult(
                    definition: indicator.definition, threshold: indicator.thresholds[stage],
                    dispersion: nil, error: error, cvLimit: limit, passed: false)
            }
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
        return StageEvaluation(
            stage: stage, indicators: indicators, schools: schools, cvLimit: limit,
            cvMode: programme.cvMode, cvMean: cvMean, passed: passed)
    }
}

extension Array {
    /// True when every element is in order with its successor.
    func isSorted(by inOrder: (Element, Element) -> Bool) -> Bool {
        indices.dropLast().allSatisfy { inOrder(self[$0], self[$0 + 1]) }
    }
}
