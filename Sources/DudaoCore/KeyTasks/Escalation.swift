import Foundation

/// The three escalation letters an office sends a unit that is late (SPEC §4.5).
public enum LetterKind: String, Labelled {
    case reminder, supervision, warning

    public var zh: String {
        switch self {
        case .reminder: "提醒函"
        case .supervision: "督办函"
        case .warning: "预警函"
        }
    }

    public var en: String {
        switch self {
        case .reminder: "Reminder letter"
        case .supervision: "Supervision letter"
        case .warning: "Early warning"
        }
    }

    public var aliases: [String] {
        switch self {
        case .reminder: ["提醒"]
        case .supervision: ["督办"]
        case .warning: ["预警", "early_warning"]
        }
    }

    /// The character in the document number that says which kind it is (禹督办〔2026〕3号).
    public var mark: String {
        switch self {
        case .reminder: "提"
        case .supervision: "办"
        case .warning: "警"
        }
    }
}

/// What a letter is about.
public enum LetterTrigger: String, Labelled {
    case keyTask = "key_task", rectification, ranking

    public var zh: String {
        switch self {
        case .keyTask: "逾期重点任务"
        case .rectification: "逾期整改事项"
        case .ranking: "进度排名末位"
        }
    }

    public var en: String {
        switch self {
        case .keyTask: "Late key task"
        case .rectification: "Overdue rectification case"
        case .ranking: "Last in the ranking"
        }
    }
}

/// An issued letter: numbered in one series per office and year, its text as issued (a later
/// change of the templates does not change it), a reply deadline and the reply.
public struct EscalationLetter: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The issuing office's region.
    public var regionCode: String
    public var year: Int
    /// The letter's place in the office's series of the year (1, 2, …).
    public var seq: Int
    /// 发文字号, e.g. 禹督办〔2026〕3号.
    public var number: String
    public var kind: LetterKind
    public var trigger: LetterTrigger
    /// The task id, rectification case id or target id (ranking) it is about.
    public var objectId: String
    /// The recipient (责任单位) and its region.
    public var unit: String
    public var unitRegion: String
    public var title: String
    /// The paragraphs as issued.
    public var body: [String]
    public var replyDue: String
    public var issuedBy: String
    public var issuedOn: String
    public var issuedAt: String
    public var reply: String?
    public var repliedBy: String?
    public var repliedOn: String?

    public init(
        id: String, regionCode: String, year: Int, seq: Int, number: String, kind: LetterKind, trigger: LetterTrigger, objectId: String, unit: String,
        unitRegion: String, title: String, body: [String], replyDue: String, issuedBy: String, issuedOn: String, issuedAt: String,
        reply: String? = nil, repliedBy: String? = nil, repliedOn: String? = nil
    ) {
        self.id = id
        self.regionCode = regionCode
        self.year = year
        self.seq = seq
        self.number = number
        self.kind = kind
        self.trigger = trigger
        self.objectId = objectId
        self.unit = unit
        self.unitRegion = unitRegion
        self.title = title
        self.body = body
        self.replyDue = replyDue
        self.issuedBy = issuedBy
        self.issuedOn = issuedOn
        self.issuedAt = issuedAt
        self.reply = reply
        self.repliedBy = repliedBy
        self.repliedOn = repliedOn
    }

    /// No reply yet and the reply day has passed.
    public func replyOverdue(today: String) -> Bool { reply == nil && replyDue < today }

    /// 发文字号: the office's abbreviation, 督, the kind's mark, the year and the number.
    public static func number(officeName: String, kind: LetterKind, year: Int, seq: Int) -> String {
        "\(abbreviation(officeName))督\(kind.mark)〔\(year)〕\(seq)号"
    }

    /// "已逾期12天" past the deadline, "距完成时限尚余5天" before it, "今日到期" on it.
    public static func lateness(deadline: String, asOf: String) -> String {
        guard let d = DateText.days(from: deadline, to: asOf) else { return "" }
        return d > 0 ? "已逾期\(d)天" : d < 0 ? "距完成时限尚余\(-d)天" : "今日到期"
    }

    /// The issuing office's name as letters are signed (禹州市人民政府教育督导室).
    public static func officeName(region name: String) -> String {
        name.isEmpty || name == "全国" ? "国务院教育督导委员会办公室" : "\(name)人民政府教育督导室"
    }

    /// The first character of a region's name (禹州市 → 禹, 许昌市 → 许); the nation: 国.
    public static func abbreviation(_ name: String) -> String {
        name.isEmpty || name == "全国" ? "国" : String(name.prefix(1))
    }
}

/// The letter texts (Resources/letters/letters.json), filled with the facts of one case.
public struct LetterTemplates: Sendable, Codable {
    public struct Kind: Sendable, Codable {
        public var title: String
        public var closing: [String]
    }

    public struct Trigger: Sendable, Codable {
        public var subject_short: String
        public var facts: [String]
    }

    public var kinds: [String: Kind]
    public var triggers: [String: Trigger]

    /// The names every letter can use, and those each trigger adds.
    public static let common: Set<String> = ["subject_short", "office", "reply_due", "first_responsible", "direct_responsible", "unit", "as_of"]
    public static let provided: [LetterTrigger: Set<String>] = [
        .keyTask: ["year", "target", "number", "task", "deadline", "completion", "lateness"],
        .rectification: ["opened_on", "description", "school", "deadline", "state", "lateness"],
        .ranking: ["tasks", "completion", "on_time_rate", "units", "rank", "overdue"],
    ]

    public static let builtIn: LetterTemplates = {
        do { return try JSONDecoder().decode(LetterTemplates.self, from: CoreResources.data("letters/letters.json")) } catch {
            fatalError("shipped letters/letters.json is invalid: \(error)")
        }
    }()

    /// Every `{name}` in the texts that its trigger does not provide (empty for a sound file).
    public func unknownPlaceholders() -> [String] {
        var unknown: [String] = []
        for trigger in LetterTrigger.allCases {
            guard let t = triggers[trigger.rawValue] else { unknown.append("trigger \(trigger.rawValue) missing"); continue }
            let known = Self.common.union(Self.provided[trigger] ?? [])
            let texts = t.facts + [t.subject_short] + kinds.values.flatMap { [$0.title] + $0.closing }
            for text in texts {
                for name in Self.placeholders(text) where !known.contains(name) { unknown.append("\(trigger.rawValue): {\(name)}") }
            }
        }
        for kind in LetterKind.allCases where kinds[kind.rawValue] == nil { unknown.append("kind \(kind.rawValue) missing") }
        return unknown.sorted()
    }

    static func placeholders(_ text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// The title and paragraphs of a letter of `kind` about `trigger` with these facts.
    public func letter(_ kind: LetterKind, _ trigger: LetterTrigger, facts: [String: String]) -> (title: String, body: [String]) {
        let k = kinds[kind.rawValue]!, t = triggers[trigger.rawValue]!
        var values = facts
        values["subject_short"] = t.subject_short
        func fill(_ text: String) -> String {
            var out = text
            for (name, value) in values { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
            return out
        }
        return (fill(k.title), t.facts.map(fill) + k.closing.map(fill))
    }
}

/// 约谈 and 问责: recorded against a person and unit, with the facts that triggered them.
public enum AccountabilityKind: String, Labelled {
    case talk, accountability

    public var zh: String { self == .talk ? "约谈" : "问责" }
    public var en: String { self == .talk ? "Formal talk" : "Accountability" }
    public var aliases: [String] { self == .talk ? ["interview"] : ["追责"] }
}

public struct AccountabilityRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The office that recorded it.
    public var regionCode: String
    public var kind: AccountabilityKind
    public var person: String
    /// 职务, e.g. 局长, 分管副局长.
    public var position: String
    public var unit: String
    public var unitRegion: String
    public var day: String
    /// The form (通报批评, 诫勉谈话, 提醒约谈, 警示约谈, …).
    public var form: String
    public var facts: String
    /// What triggered it: a letter, a task or a rectification case (optional).
    public var letterId: String?
    public var objectType: String?
    public var objectId: String?
    public var recordedBy: String
    public var recordedAt: String

    public init(
        id: String, regionCode: String, kind: AccountabilityKind, person: String, position: String, unit: String, unitRegion: String, day: String,
        form: String, facts: String, letterId: String? = nil, objectType: String? = nil, objectId: String? = nil, recordedBy: String,
        recordedAt: String
    ) {
        self.id = id
        self.regionCode = regionCode
        self.kind = kind
        self.person = person
        self.position = position
        self.unit = unit
        self.unitRegion = unitRegion
        self.day = day
        self.form = form
        self.facts = facts
        self.letterId = letterId
        self.objectType = objectType
        self.objectId = objectId
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}
