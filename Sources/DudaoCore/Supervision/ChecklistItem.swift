import Foundation

/// One choice of a choice item.
public struct ChecklistChoice: Sendable, Hashable, Codable {
    public var id: String
    public var zh: String
    public var en: String
    /// On a Likert item: whether the choice counts as satisfied (满意). Nil elsewhere.
    public var satisfied: Bool?
    /// On a Likert item: an answer that says nothing of satisfaction (不了解), left out of the rate.
    public var abstain: Bool?

    public init(id: String, zh: String, en: String, satisfied: Bool? = nil, abstain: Bool? = nil) {
        self.id = id
        self.zh = zh
        self.en = en
        self.satisfied = satisfied
        self.abstain = abstain
    }

    /// The five-point satisfaction scale a Likert item uses unless it lists its own choices:
    /// 非常满意 and 满意 count as satisfied; 不了解 is an abstention.
    public static let satisfactionScale: [ChecklistChoice] = [
        .init(id: "very_satisfied", zh: "非常满意", en: "Very satisfied", satisfied: true),
        .init(id: "satisfied", zh: "满意", en: "Satisfied", satisfied: true),
        .init(id: "neutral", zh: "一般", en: "Neither", satisfied: false),
        .init(id: "dissatisfied", zh: "不满意", en: "Dissatisfied", satisfied: false),
        .init(id: "very_dissatisfied", zh: "非常不满意", en: "Very dissatisfied", satisfied: false),
        .init(id: "dont_know", zh: "不了解", en: "Don't know", abstain: true),
    ]
}

/// One question of a checklist.
public struct ChecklistItem: Sendable, Hashable, Decodable, Identifiable {
    public enum ItemType: String, Labelled {
        case yesNo = "yes_no"
        case number, text, choice, photo
        /// A satisfaction question on a scale (surveys): a choice whose choices say which count as satisfied.
        case likert

        public var zh: String {
            switch self {
            case .yesNo: "是/否"
            case .number: "数值"
            case .text: "文字"
            case .choice: "单选"
            case .photo: "照片"
            case .likert: "满意度"
            }
        }

        public var en: String {
            switch self {
            case .yesNo: "Yes/no"
            case .number: "Number"
            case .text: "Text"
            case .choice: "Choice"
            case .photo: "Photo"
            case .likert: "Satisfaction"
            }
        }
    }

    public var id: String
    public var textZh: String
    public var textEn: String
    /// How to check (查阅资料、实地查看、访谈…), optional.
    public var hintZh: String?
    public var hintEn: String?
    public var type: ItemType
    public var choices: [ChecklistChoice]
    /// Whether a relevant item must be answered (a photo item: at least one photo). Default true.
    public var required: Bool
    /// When the item is asked, over earlier answers; nil: always (if its section is asked).
    public var relevant: Condition?
    /// A check on the answer; `.` is the answer itself.
    public var constraint: Condition?
    public var constraintMessageZh: String?
    public var constraintMessageEn: String?
    /// When the answer opens a finding (问题), e.g. `fees_irregular == 1` or `. == 0`.
    public var findingWhen: Condition?
    /// The category of a finding; the section's when not given, else `other`.
    public var category: FindingCategory

    enum CodingKeys: String, CodingKey {
        case id, type, choices, required, relevant, constraint, category
        case textZh = "text_zh", textEn = "text_en", hintZh = "hint_zh", hintEn = "hint_en"
        case constraintMessageZh = "constraint_message_zh", constraintMessageEn = "constraint_message_en"
        case findingWhen = "finding_when"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        textZh = try c.decode(String.self, forKey: .textZh)
        textEn = try c.decode(String.self, forKey: .textEn)
        hintZh = try c.decodeIfPresent(String.self, forKey: .hintZh)
        hintEn = try c.decodeIfPresent(String.self, forKey: .hintEn)
        type = try c.decode(ItemType.self, forKey: .type)
        choices = try c.decodeIfPresent([ChecklistChoice].self, forKey: .choices) ?? []
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? true
        relevant = try Self.condition(c, .relevant)
        constraint = try Self.condition(c, .constraint)
        constraintMessageZh = try c.decodeIfPresent(String.self, forKey: .constraintMessageZh)
        constraintMessageEn = try c.decodeIfPresent(String.self, forKey: .constraintMessageEn)
        findingWhen = try Self.condition(c, .findingWhen)
        category = try c.decodeIfPresent(FindingCategory.self, forKey: .category) ?? .other
        if type == .likert {
            if choices.isEmpty { choices = ChecklistChoice.satisfactionScale }
            if choices.contains(where: { $0.satisfied == nil && $0.abstain != true }) {
                throw DecodingError.dataCorruptedError(
                    forKey: .choices, in: c, debugDescription: "every choice of Likert item \(id) says whether it is satisfied")
            }
            if !choices.contains(where: { $0.satisfied == true }) {
                throw DecodingError.dataCorruptedError(forKey: .choices, in: c, debugDescription: "Likert item \(id) has no satisfied choice")
            }
        } else if type == .choice && choices.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .choices, in: c, debugDescription: "choice item \(id) has no choices")
        }
        if type != .choice && type != .likert && !choices.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .choices, in: c, debugDescription: "only choice items have choices (\(id))")
        }
    }

    private static func condition(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Condition? {
        guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        do { return try Condition.parse(text) } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: error.description)
        }
    }

    /// Whether `answer` has the item's type (and, for a choice, names one of its choices).
    public func accepts(_ answer: ChecklistAnswer) -> Bool {
        switch (type, answer) {
        case (.yesNo, .bool), (.text, .text): return true
        case (.number, .number(let v)): return v.isFinite
        case (.choice, .choice(let id)), (.likert, .choice(let id)): return choices.contains { $0.id == id }
        case (.photo, .photo(let n)): return n >= 0
        default: return false
        }
    }
}

/// A group of items under one heading; a section may be asked only under a condition.
public struct ChecklistSection: Sendable, Hashable, Decodable, Identifiable {
    public var id: String
    public var titleZh: String
    public var titleEn: String
    /// The default category of the section's items.
    public var category: FindingCategory?
    /// When the whole section is asked, over answers before it.
    public var relevant: Condition?
    public var items: [ChecklistItem]

    enum CodingKeys: String, CodingKey {
        case id, category, relevant, items
        case titleZh = "title_zh", titleEn = "title_en"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        titleZh = try c.decode(String.self, forKey: .titleZh)
        titleEn = try c.decode(String.self, forKey: .titleEn)
        category = try c.decodeIfPresent(FindingCategory.self, forKey: .category)
        if let text = try c.decodeIfPresent(String.self, forKey: .relevant) {
            do { relevant = try Condition.parse(text) } catch {
                throw DecodingError.dataCorruptedError(forKey: .relevant, in: c, debugDescription: error.description)
            }
        }
        // Items take the section's category unless they name their own.
        struct RawCategory: Decodable { var category: FindingCategory? }
        let own = try c.decode([RawCategory].self, forKey: .items)
        items = try c.decode([ChecklistItem].self, forKey: .items)
        for i in items.indices where own[i].category == nil {
            items[i].category = category ?? .other
        }
    }
}
