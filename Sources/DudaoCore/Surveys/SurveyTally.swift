import Foundation

/// One submitted questionnaire as stored: the coarse keys needed for reporting and the answers,
/// never the link it came through, the time of day or anything about the device.
public struct SurveyResponse: Sendable, Hashable {
    public var schoolCode: String
    public var group: RespondentGroup
    public var answers: ChecklistAnswers

    public init(schoolCode: String, group: RespondentGroup, answers: ChecklistAnswers) {
        self.schoolCode = schoolCode
        self.group = group
        self.answers = answers
    }
}

/// The results of a set of responses to one questionnaire (问卷结果).
///
/// The satisfaction rate (满意度, 社会认可度) pools every Likert answer of every response:
/// answers in a satisfied choice (非常满意, 满意) ÷ all Likert answers except abstentions
/// (不了解). A set of fewer respondents than the survey's minimum shows counts only: no rate
/// and no distribution ("too few to report"), so no small group's answers can be read off.
public struct SurveyTally: Sendable, Hashable {
    public struct ChoiceCount: Sendable, Hashable {
        public var id: String
        public var zh: String
        public var en: String
        public var count: Int
        /// count ÷ the item's answers.
        public var share: Double
    }

    public struct ItemTally: Sendable, Hashable {
        public var itemId: String
        public var textZh: String
        public var textEn: String
        public var type: ChecklistItem.ItemType
        public var answered: Int
        /// Choice, Likert and yes/no items: every choice in the survey's order, zero counts included.
        public var choices: [ChoiceCount]
        /// Number items.
        public var mean: Double?
        public var minimum: Double?
        public var maximum: Double?
        /// Likert items: satisfied answers and answers that are not abstentions.
        public var satisfied: Int
        public var rated: Int

        public var satisfactionRate: Double? { rated > 0 ? Double(satisfied) / Double(rated) : nil }
    }

    public var invited: Int
    public var responses: Int
    public var minimumRespondents: Int
    public var satisfied: Int
    public var rated: Int
    /// Empty when suppressed.
    public var items: [ItemTally]

    /// Fewer respondents than the survey's minimum: only counts are reported.
    public var suppressed: Bool { responses < minimumRespondents }

    /// Responses ÷ links handed out; nil when no link was.
    public var responseRate: Double? { invited > 0 ? Double(responses) / Double(invited) : nil }

    /// Nil when suppressed or when no Likert item was answered.
    public var satisfactionRate: Double? { suppressed || rated == 0 ? nil : Double(satisfied) / Double(rated) }

    public static func make(_ survey: Survey, responses: [SurveyResponse], invited: Int) -> SurveyTally {
        var items: [ItemTally] = []
        var satisfied = 0, rated = 0
        for item in survey.items {
            var tally = ItemTally(
                itemId: item.id, textZh: item.textZh, textEn: item.textEn, type: item.type, answered: 0, choices: [], satisfied: 0, rated: 0)
            var counts: [String: Int] = [:]
            var numbers: [Double] = []
            for response in responses {
                guard let answer = response.answers[item.id], !answer.isBlank, item.accepts(answer) else { continue }
                tally.answered += 1
                switch answer {
                case .choice(let id):
                    counts[id, default: 0] += 1
                    if let choice = item.choices.first(where: { $0.id == id }), item.type == .likert, choice.abstain != true {
                        tally.rated += 1
                        if choice.satisfied == true { tally.satisfied += 1 }
                    }
                case .bool(let b): counts[b ? "yes" : "no", default: 0] += 1
                case .number(let v): numbers.append(v)
                case .text, .photo: break
                }
            }
            let choices: [ChecklistChoice] =
                item.type == .yesNo ? [.init(id: "yes", zh: "是", en: "Yes"), .init(id: "no", zh: "否", en: "No")] : item.choices
            tally.choices = choices.map {
                let n = counts[$0.id] ?? 0
                return ChoiceCount(id: $0.id, zh: $0.zh, en: $0.en, count: n, share: tally.answered > 0 ? Double(n) / Double(tally.answered) : 0)
            }
            if !numbers.isEmpty {
                tally.mean = numbers.reduce(0, +) / Double(numbers.count)
                tally.minimum = numbers.min()
                tally.maximum = numbers.max()
            }
            satisfied += tally.satisfied
            rated += tally.rated
            items.append(tally)
        }
        var result = SurveyTally(
            invited: invited, responses: responses.count, minimumRespondents: survey.minimumRespondents, satisfied: satisfied, rated: rated,
            items: items)
        if result.suppressed { result.items = [] }
        return result
    }
}

/// The satisfaction part of a programme (社会认可度) for a county and year: every closed
/// satisfaction campaign of the year in the county, their Likert answers pooled.
public struct SatisfactionResult: Sendable, Hashable {
    public var threshold: Double
    public var campaigns: Int
    public var invited: Int
    public var responses: Int
    public var satisfied: Int
    public var rated: Int
    public var minimumRespondents: Int

    public init(threshold: Double, tallies: [SurveyTally]) {
        self.threshold = threshold
        campaigns = tallies.count
        invited = tallies.reduce(0) { $0 + $1.invited }
        responses = tallies.reduce(0) { $0 + $1.responses }
        satisfied = tallies.reduce(0) { $0 + $1.satisfied }
        rated = tallies.reduce(0) { $0 + $1.rated }
        minimumRespondents = tallies.map(\.minimumRespondents).max() ?? 5
    }

    /// Nil with fewer respondents than the minimum or no Likert answer.
    public var rate: Double? { responses < minimumRespondents || rated == 0 ? nil : Double(satisfied) / Double(rated) }

    /// Whether the part is met; nil while it cannot be judged (no closed campaign, too few answers).
    public var passed: Bool? { rate.map { $0 >= threshold - 1e-12 } }
}
