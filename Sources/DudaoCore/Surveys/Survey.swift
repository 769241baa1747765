import Foundation

// Surveys as data (SPEC §4.6): questionnaires written in the checklist grammar (sections,
// items, `relevant` and `constraint` conditions), with one more item type, `likert`, whose
// choices say which count as satisfied. Shipped under Resources/surveys/.

/// Who answers a questionnaire (调查对象).
public enum RespondentGroup: String, Labelled {
    case parents, teachers, students
    case `public` = "public"
    case principals

    public var zh: String {
        switch self {
        case .parents: "家长"
        case .teachers: "教师"
        case .students: "学生"
        case .public: "社会公众"
        case .principals: "校长"
        }
    }

    public var en: String {
        switch self {
        case .parents: "Parents"
        case .teachers: "Teachers"
        case .students: "Students"
        case .public: "The public"
        case .principals: "Principals"
        }
    }
}

/// A questionnaire (调查问卷).
public struct Survey: SectionedForm, Hashable, Decodable, Identifiable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    /// The words above the first question (purpose, anonymity, time it takes).
    public var introZh: String
    public var introEn: String
    /// Who it is for; a campaign invites one of these groups.
    public var groups: [RespondentGroup]
    /// Whether its Likert answers make the satisfaction rate (社会认可度) of a programme.
    public var countsForSatisfaction: Bool
    /// Groups (and schools) with fewer respondents are reported as "too few to report".
    public var minimumRespondents: Int
    /// Where the questions come from and how faithful they are.
    public var source: String
    public var sections: [ChecklistSection]

    enum CodingKeys: String, CodingKey {
        case id, groups, source, sections
        case nameZh = "name_zh", nameEn = "name_en", introZh = "intro_zh", introEn = "intro_en"
        case countsForSatisfaction = "counts_for_satisfaction", minimumRespondents = "minimum_respondents"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        nameZh = try c.decode(String.self, forKey: .nameZh)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        introZh = try c.decode(String.self, forKey: .introZh)
        introEn = try c.decode(String.self, forKey: .introEn)
        groups = try c.decode([RespondentGroup].self, forKey: .groups)
        countsForSatisfaction = try c.decodeIfPresent(Bool.self, forKey: .countsForSatisfaction) ?? false
        minimumRespondents = try c.decodeIfPresent(Int.self, forKey: .minimumRespondents) ?? 5
        source = try c.decode(String.self, forKey: .source)
        sections = try c.decode([ChecklistSection].self, forKey: .sections)
        var problems = structuralProblems()
        if groups.isEmpty { problems.append("no respondent groups") }
        if !(1...1000).contains(minimumRespondents) { problems.append("minimum_respondents must be 1…1000") }
        // Answers are anonymous: nothing that identifies a person is uploaded.
        if items.contains(where: { $0.type == .photo }) { problems.append("surveys take no photos") }
        if countsForSatisfaction && !items.contains(where: { $0.type == .likert }) {
            problems.append("counts for satisfaction but has no Likert item")
        }
        if !problems.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .sections, in: c, debugDescription: "survey \(id): " + problems.joined(separator: "; "))
        }
    }

    public static func decode(_ data: Data) throws -> Survey { try JSONDecoder().decode(Survey.self, from: data) }

    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }

    /// The items that make the satisfaction rate.
    public var likertItems: [ChecklistItem] { items.filter { $0.type == .likert } }
}

/// The questionnaires shipped with the product (Resources/surveys/*.json).
public enum SurveyCatalog {
    public static let builtIn: [Survey] = CoreResources.loadAll("surveys", Survey.decode)

    public static func survey(id: String) -> Survey? { builtIn.first { $0.id == id } }
}
