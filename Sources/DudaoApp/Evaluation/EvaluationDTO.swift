import DudaoCore

/// The documented, stable JSON of an evaluation (docs/openapi.json, schema `CountyEvaluation`
/// and `RegionRollup`). CLI `--format json` and `/api/v1/regions/{code}/evaluation` both use it.
public struct CountyEvaluationDTO: Codable, Sendable {
    /// Adds the programme's scored and surveyed parts and the whole verdict.
    public mutating func complete(with results: [EvaluationPart], language: Language = .zh) {
        parts = results.map { p in
            let part = p.part
            if let s = p.survey {
                return PartDTO(
                    id: part.id, name: part.name(language), sheet: nil, status: s.passed.map { $0 ? "passed" : "failed" } ?? "incomplete",
                    survey: .init(
                        campaigns: s.campaigns, invited: s.invited, responses: s.responses, satisfied: s.satisfied, rated: s.rated, rate: s.rate,
                        threshold: s.threshold))
            }
            guard let result = p.sheet else { return PartDTO(id: part.id, name: part.name(language), sheet: nil, status: "pending") }
            let status = result.passed.map { $0 ? "passed" : "failed" } ?? "incomplete"
            return PartDTO(
                id: part.id, name: part.name(language), sheet: result.sheet.id, status: status, total: result.total, answered: result.answered,
                items_count: result.items.count, grade: result.grade.map { language == .zh ? $0.zh : $0.en },
                items: result.items.map {
                    PartDTO.Item(
                        id: $0.id, met: $0.met, points: $0.points, vetoed: $0.vetoed, comment: $0.entry?.comment ?? "",
                        evidence: $0.entry?.evidence ?? "", computed: $0.computed?.details)
                })
        }
        let statuses = (parts ?? []).map(\.status)
        verdict = !passed || statuses.contains("failed") ? "failed" : statuses.allSatisfy { $0 == "passed" } ? "passed" : "pending"
    }

    public struct RegionRef: Codable, Sendable {
        public var code: String
        public var name: String
        public var level: String
    }

    public struct ProgrammeRef: Codable, Sendable {
        public var id: String
        public var name: String
    }

    public struct Pending: Codable, Sendable {
        public var id: String
        public var kind: String
        public var name: String
    }

    public struct IndicatorDTO: Codable, Sendable {
        public var id: String
        public var name: String
        public var threshold: Double?
        public var mean: Double?
        public var sd: Double?
        public var cv: Double?
        public var cv_limit: Double
        public var passed: Bool
        public var error: String?
    }

    public struct StageDTO: Codable, Sendable {
        public var stage: String
        public var passed: Bool?
        public var cv_mode: String
        public var cv_limit: Double
        public var cv_mean: Double?
        public var schools: Int
        public var schools_passed: Int
        public var indicators: [IndicatorDTO]
    }

    public struct GapDTO: Codable, Sendable {
        public var indicator: String
        public var value: Double
        public var threshold: Double
        public var shortfall: Double
        public var unit: String
        public var fewer_students: Int?
        public var within_tolerance: Bool
        public var text: String
    }

    public struct SchoolDTO: Codable, Sendable {
        public var code: String
        public var name: String
        public var type: String
        public var stage: String
        public var students: Double
        public var passed: Bool?
        public var met: Int
        public var values: [String: Double]
        public var gaps: [GapDTO]
    }

    public struct ExcludedDTO: Codable, Sendable {
        public var code: String
        public var name: String
        public var stage: String
        public var students: Double
        public var reason: String
        public var text: String
    }

    /// A part of the programme completed by a score sheet (or still pending: surveys).
    public struct PartDTO: Codable, Sendable, Equatable {
        public struct Item: Codable, Sendable, Equatable {
            public var id: String
            public var met: Bool?
            public var points: Double?
            public var vetoed: Bool
            public var comment: String
            public var evidence: String
            public var computed: [String]?
        }

        public var id: String
        public var name: String
        public var sheet: String?
        /// A survey part: the county's closed satisfaction campaigns of the year, pooled.
        public struct Survey: Codable, Sendable, Equatable {
            public var campaigns: Int
            public var invited: Int
            public var responses: Int
            public var satisfied: Int
            public var rated: Int
            /// satisfied ÷ rated; null with fewer respondents than the survey's minimum.
            public var rate: Double?
            public var threshold: Double
        }

        /// `pending` (nothing completes it yet), `incomplete`, `passed`, `failed`.
        public var status: String
        public var total: Double?
        public var answered: Int?
        public var items_count: Int?
        public var grade: String?
        public var items: [Item]?
        public var survey: Survey?
    }

    public var region: RegionRef
    public var year: Int
    public var programme: ProgrammeRef
    /// The parts computed from returns (resource allocation, CVs).
    public var passed: Bool
    public var pending: [Pending]
    /// The programme's other parts with their sheets' state (absent in results frozen before sheets existed).
    public var parts: [PartDTO]?
    /// The whole programme: `passed` when every part is complete and passed, `failed` when any
    /// part failed, else `pending`.
    public var verdict: String?
    /// The self-evaluation report's 整改措施和下一步打算 as it stood (frozen with the step).
    public var report_measures: String?
    public var stages: [StageDTO]
    public var schools: [SchoolDTO]
    public var excluded: [ExcludedDTO]

    public init(_ e: CountyEvaluation, language: Language = .zh) {
        region = RegionRef(code: e.region.code, name: e.region.name, level: e.region.level.rawValue)
        year = e.year
        programme = ProgrammeRef(id: e.programme.id, name: e.programme.name(language))
        passed = e.passed
        pending = e.pending.map { Pending(id: $0.id, kind: $0.kind, name: $0.name(language)) }
        parts = nil
        verdict = nil
        report_measures = nil
        stages = e.stages.map { s in
            StageDTO(
                stage: s.stage.rawValue, passed: s.passed, cv_mode: s.cvMode.rawValue, cv_limit: s.cvLimit,
                cv_mean: s.cvMean, schools: s.schools.count, schools_passed: s.schoolsPassed,
                indicators: s.indicators.map { i in
                    IndicatorDTO(
                        id: i.id, name: i.definition.name(language), threshold: i.threshold,
                        mean: i.dispersion?.mean, sd: i.dispersion?.standardDeviation, cv: i.dispersion?.cv,
                        cv_limit: i.cvLimit, passed: i.passed, error: i.error?.code)
                })
        }
        schools = e.stages.flatMap { s in
            s.schools.map { c in
                SchoolDTO(
                    code: c.school.code, name: c.school.name, type: c.school.type.rawValue, stage: s.stage.rawValue,
                    students: c.students, passed: c.passed, met: c.met,
                    values: Dictionary(uniqueKeysWithValues: c.values.map { ($0.id, $0.value) }),
                    gaps: c.gaps.map { g in
                        GapDTO(
                            indicator: g.indicator, value: g.value, threshold: g.threshold, shortfall: g.shortfall,
                            unit: g.unit.rawValue, fewer_students: g.fewerStudents, within_tolerance: g.withinTolerance,
                            text: g.text(language))
                    })
            }
        }
        excluded = e.excluded.map { x in
            ExcludedDTO(
                code: x.school.code, name: x.school.name, stage: x.stage.rawValue, students: x.students,
                reason: x.reason.rawValue, text: x.reasonText(language))
        }
    }
}

public struct RegionRollupDTO: Codable, Sendable {
    public struct Worst: Codable, Sendable {
        public var stage: String
        public var indicator: String
        public var cv: Double
        public var cv_limit: Double
    }

    public struct County: Codable, Sendable {
        public var code: String
        public var name: String
        public var passed: Bool
        public var schools: Int
        public var failing_schools: Int
        public var worst_cv: [Worst]
    }

    public var region: CountyEvaluationDTO.RegionRef
    public var year: Int
    public var programme: CountyEvaluationDTO.ProgrammeRef
    public var counties_passed: Int
    public var counties: [County]

    public init(_ r: RegionRollup, language: Language = .zh) {
        region = .init(code: r.region.code, name: r.region.name, level: r.region.level.rawValue)
        year = r.year
        programme = .init(id: r.programme.id, name: r.programme.name(language))
        counties_passed = r.passedCount
        counties = r.counties.map { c in
            County(
                code: c.region.code, name: c.region.name, passed: c.passed, schools: c.schools,
                failing_schools: c.failingSchools,
                worst_cv: c.worst.map { Worst(stage: $0.stage.rawValue, indicator: $0.indicator, cv: $0.cv, cv_limit: $0.limit) })
        }
    }
}
