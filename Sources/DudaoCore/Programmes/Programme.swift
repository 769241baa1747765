import Foundation

/// 评估方案: indicators, thresholds and pass rules, decoded from a data file so that an
/// office can copy and adjust it (provinces set their own standards).
public struct Programme: Sendable, Hashable {
    public struct Indicator: Sendable, Hashable {
        public var definition: IndicatorDefinition
        /// Per-stage school threshold (≥); empty when the programme judges only the CV.
        public var thresholds: [Stage: Double]
        public var id: String { definition.id }
    }

    /// How a school passes resource allocation: at least `minMet` thresholds met and every
    /// other indicator at least `othersMinRatio` × its threshold (inclusive).
    public struct SchoolRule: Sendable, Hashable, Decodable {
        public var minMet: Int
        public var othersMinRatio: Double
        enum CodingKeys: String, CodingKey { case minMet = "min_met", othersMinRatio = "others_min_ratio" }
    }

    public enum CVMode: String, Sendable, Codable {
        /// Each indicator's CV must be within the limit (quality 2017).
        case each
        /// The mean of the indicators' CVs must be within the limit (basic 2012).
        case mean
    }

    public enum CVWeighting: String, Sendable, Codable {
        /// SPEC §3.1: weighted by students, population form.
        case students
        /// For comparison only: every school counts once.
        case unweighted
    }

    public struct Participation: Sendable, Hashable, Decodable {
        public var excludedSchoolTypes: Set<SchoolType>
        /// Schools of a type with fewer students than this are left out.
        public var minStudents: [SchoolType: Double]

        enum CodingKeys: String, CodingKey { case excludedSchoolTypes = "excluded_school_types", minStudents = "min_students" }

        public init(excludedSchoolTypes: Set<SchoolType>, minStudents: [SchoolType: Double]) {
            self.excludedSchoolTypes = excludedSchoolTypes
            self.minStudents = minStudents
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            excludedSchoolTypes = try c.decode(Set<SchoolType>.self, forKey: .excludedSchoolTypes)
            let raw = try c.decode([String: Double].self, forKey: .minStudents)
            minStudents = try Dictionary(
                uniqueKeysWithValues: raw.map { key, value in
                    guard let type = SchoolType(rawValue: key) else {
                        throw DecodingError.dataCorruptedError(forKey: .minStudents, in: c, debugDescription: "unknown school type \(key)")
                    }
                    return (type, value)
                })
        }
    }

    /// A part of the programme that returns cannot decide (scored items, surveys, prerequisites).
    public struct PendingPart: Sendable, Hashable, Codable {
        public var id: String
        public var kind: String
        public var nameZh: String
        public var nameEn: String
        /// The least a measured part must reach (a survey's satisfaction rate), when it has one.
        public var threshold: Double?
        enum CodingKeys: String, CodingKey { case id, kind, threshold, nameZh = "name_zh", nameEn = "name_en" }
        public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }
    }

    public var id: String
    public var nameZh: String
    public var nameEn: String
    public var stages: [Stage]
    public var indicators: [Indicator]
    public var schoolRule: SchoolRule?
    public var cvMode: CVMode
    public var cvLimits: [Stage: Double]
    public var cvWeighting: CVWeighting
    public var participation: Participation
    /// Weights for splitting whole-school resources between stages (SPEC §2), default 1:1:1.
    public var stageSplitWeights: [Stage: Double]
    public var pending: [PendingPart]

    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }
}

extension Programme: Decodable {
    enum CodingKeys: String, CodingKey {
        case id, stages, indicators, participation, pending
        case nameZh = "name_zh", nameEn = "name_en", schoolRule = "school_rule", cvRule = "cv_rule"
        case cvWeighting = "cv_weighting", stageSplitWeights = "stage_split_weights"
    }

    private struct IndicatorEntry: Decodable {
        var id: String
        var thresholds: [String: Double]?
    }

    private struct CVRule: Decodable {
        var mode: CVMode
        var limits: [String: Double]
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func stageMap(_ raw: [String: Double], _ key: CodingKeys) throws -> [Stage: Double] {
            try Dictionary(
                uniqueKeysWithValues: raw.map { k, v in
                    guard let stage = Stage(rawValue: k) else {
                        throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unknown stage \(k)")
                    }
                    return (stage, v)
                })
        }
        id = try c.decode(String.self, forKey: .id)
        nameZh = try c.decode(String.self, forKey: .nameZh)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        stages = try c.decode([Stage].self, forKey: .stages)
        indicators = try c.decode([IndicatorEntry].self, forKey: .indicators).map { entry in
            guard let definition = IndicatorDefinition.catalogue[entry.id] else {
                throw DecodingError.dataCorruptedError(forKey: .indicators, in: c, debugDescription: "unknown indicator \(entry.id)")
            }
            return Indicator(definition: definition, thresholds: try stageMap(entry.thresholds ?? [:], .indicators))
        }
        schoolRule = try c.decodeIfPresent(SchoolRule.self, forKey: .schoolRule)
        let cvRule = try c.decode(CVRule.self, forKey: .cvRule)
        cvMode = cvRule.mode
        cvLimits = try stageMap(cvRule.limits, .cvRule)
        cvWeighting = try c.decodeIfPresent(CVWeighting.self, forKey: .cvWeighting) ?? .students
        participation = try c.decode(Participation.self, forKey: .participation)
        stageSplitWeights = try stageMap(c.decodeIfPresent([String: Double].self, forKey: .stageSplitWeights) ?? [:], .stageSplitWeights)
        pending = try c.decodeIfPresent([PendingPart].self, forKey: .pending) ?? []
        for stage in stages where cvLimits[stage] == nil {
            throw DecodingError.dataCorruptedError(forKey: .cvRule, in: c, debugDescription: "no CV limit for stage \(stage.rawValue)")
        }
    }

    public static func decode(_ data: Data) throws -> Programme {
        try JSONDecoder().decode(Programme.self, from: data)
    }
}

/// The programmes shipped with the product (Resources/programmes/*.json, except the catalogue).
public enum ProgrammeCatalog {
    public static let builtIn: [Programme] = CoreResources.loadAll("programmes", except: ["indicators.json"], Programme.decode)

    public static func programme(id: String) -> Programme? { builtIn.first { $0.id == id } }

    public static let defaultId = "quality-2017"
}
