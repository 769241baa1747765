import DudaoCore
import DudaoFiles
import Foundation

/// The documented JSON of a campaign's results (docs/openapi.json `SurveyResults`): the API
/// `GET /api/v1/survey-campaigns/{id}/results` and `dudao survey results --format json`.
/// Rates are fractions (0.875); `null` where a set has fewer respondents than the survey's
/// minimum (`suppressed`) or nothing to rate.
public struct SurveyResultsDTO: Codable, Sendable {
    public struct Campaign: Codable, Sendable {
        public var id: String
        public var title: String
        public var survey: String
        public var region: String
        public var year: Int
        public var closes_on: String
        public var open: Bool
    }

    public struct Part: Codable, Sendable {
        public var group: String?
        public var school: String?
        public var school_name: String?
        public var invited: Int
        public var responses: Int
        public var response_rate: Double?
        public var satisfaction_rate: Double?
        public var suppressed: Bool

        enum CodingKeys: String, CodingKey { case group, school, school_name, invited, responses, response_rate, satisfaction_rate, suppressed }

        /// Rates are explicit nulls when they cannot be reported.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(group, forKey: .group)
            try c.encodeIfPresent(school, forKey: .school)
            try c.encodeIfPresent(school_name, forKey: .school_name)
            try c.encode(invited, forKey: .invited)
            try c.encode(responses, forKey: .responses)
            try c.encode(response_rate, forKey: .response_rate)
            try c.encode(satisfaction_rate, forKey: .satisfaction_rate)
            try c.encode(suppressed, forKey: .suppressed)
        }
    }

    public struct Choice: Codable, Sendable {
        public var id: String
        public var label: String
        public var count: Int
        public var share: Double
    }

    public struct Item: Codable, Sendable {
        public var id: String
        public var text: String
        public var type: String
        public var answered: Int
        public var choices: [Choice]
        public var mean: Double?
        public var satisfaction_rate: Double?
    }

    public var campaign: Campaign
    public var invited: Int
    public var responses: Int
    public var response_rate: Double?
    public var satisfaction_rate: Double?
    public var suppressed: Bool
    public var minimum_respondents: Int
    public var groups: [Part]
    public var schools: [Part]
    /// Empty when suppressed.
    public var items: [Item]

    enum CodingKeys: String, CodingKey {
        case campaign, invited, responses, response_rate, satisfaction_rate, suppressed, minimum_respondents, groups, schools, items
    }

    /// Rates are explicit nulls when they cannot be reported.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(campaign, forKey: .campaign)
        try c.encode(invited, forKey: .invited)
        try c.encode(responses, forKey: .responses)
        try c.encode(response_rate, forKey: .response_rate)
        try c.encode(satisfaction_rate, forKey: .satisfaction_rate)
        try c.encode(suppressed, forKey: .suppressed)
        try c.encode(minimum_respondents, forKey: .minimum_respondents)
        try c.encode(groups, forKey: .groups)
        try c.encode(schools, forKey: .schools)
        try c.encode(items, forKey: .items)
    }

    public init(_ r: Surveys.Results, today: String, language: Language = .zh) {
        let c = r.campaign
        campaign = Campaign(
            id: c.id, title: c.title, survey: c.surveyId, region: c.regionCode, year: c.year, closes_on: c.closesOn, open: c.isOpen(today: today))
        invited = r.total.invited
        responses = r.total.responses
        response_rate = r.total.responseRate
        satisfaction_rate = r.total.satisfactionRate
        suppressed = r.total.suppressed
        minimum_respondents = r.total.minimumRespondents
        func part(_ t: SurveyTally, group: RespondentGroup?, school: String? = nil, name: String? = nil) -> Part {
            Part(
                group: group?.rawValue, school: school, school_name: name, invited: t.invited, responses: t.responses,
                response_rate: t.responseRate, satisfaction_rate: t.satisfactionRate, suppressed: t.suppressed)
        }
        groups = r.byGroup.map { part($0.tally, group: $0.group) }
        schools = r.bySchool.map { part($0.tally, group: $0.group, school: $0.code, name: $0.name) }
        items = r.total.items.map { i in
            Item(
                id: i.itemId, text: language == .zh ? i.textZh : i.textEn, type: i.type.rawValue, answered: i.answered,
                choices: i.choices.map { Choice(id: $0.id, label: language == .zh ? $0.zh : $0.en, count: $0.count, share: $0.share) },
                mean: i.mean, satisfaction_rate: i.type == .likert ? i.satisfactionRate : nil)
        }
    }

    /// The results as a workbook: summary, by group, by school, and every item's distribution.
    public func tables(_ language: Language = .zh) -> [Table] {
        let zh = language == .zh
        let rate: (Double?) -> String = { $0.map { NumberText.percent($0) } ?? (zh ? "人数过少不报告" : "too few to report") }
        let response: (Double?) -> String = { $0.map { NumberText.percent($0) } ?? "—" }
        let summary = Table(
            name: zh ? "汇总" : "Summary", header: zh ? ["项目", "值"] : ["", "Value"],
            rows: [
                [zh ? "调查" : "Campaign", campaign.title], [zh ? "问卷" : "Survey", campaign.survey], [zh ? "地区" : "Region", campaign.region],
                [zh ? "截止日期" : "Closes", campaign.closes_on], [zh ? "发放链接" : "Links", String(invited)],
                [zh ? "回收答卷" : "Responses", String(responses)], [zh ? "回收率" : "Response rate", response(response_rate)],
                [zh ? "满意度" : "Satisfaction", suppressed ? rate(nil) : rate(satisfaction_rate)],
                [
                    zh ? "计算方法" : "Method",
                    zh
                        ? "满意度 = 各满意度题中选择“非常满意”“满意”的答案数 ÷ 除“不了解”外的答案数；不足\(minimum_respondents)人的组不报告。"
                        : "Satisfaction = answers “very satisfied” or “satisfied” to the satisfaction questions ÷ all their answers except “don't know”; groups under \(minimum_respondents) are not reported.",
                ],
            ], textColumns: [1])
        let head = zh ? ["调查对象", "发放", "回收", "回收率", "满意度"] : ["Group", "Links", "Responses", "Response rate", "Satisfaction"]
        let groupName: (String?) -> String = { g in g.flatMap(RespondentGroup.init(rawValue:)).map { zh ? $0.zh : $0.en } ?? "" }
        let byGroup = Table(
            name: zh ? "按调查对象" : "By group", header: head,
            rows: groups.map {
                [groupName($0.group), String($0.invited), String($0.responses), response($0.response_rate), rate($0.satisfaction_rate)]
            })
        let bySchool = Table(
            name: zh ? "按学校" : "By school", header: [zh ? "学校代码" : "School code", zh ? "学校" : "School"] + head,
            rows: schools.map {
                [
                    $0.school ?? "", $0.school_name ?? "", groupName($0.group), String($0.invited), String($0.responses), response($0.response_rate),
                    rate($0.satisfaction_rate),
                ]
            }, textColumns: [0])
        var itemRows: [[String]] = []
        for i in items {
            if i.choices.isEmpty {
                itemRows.append([i.id, i.text, "", String(i.answered), i.mean.map { NumberText.fixed($0, 2) } ?? "", ""])
            }
            for c in i.choices { itemRows.append([i.id, i.text, c.label, String(c.count), NumberText.percent(c.share), ""]) }
        }
        let itemsTable = Table(
            name: zh ? "各题分布" : "Items",
            header: zh ? ["题号", "题目", "选项", "人数", "占比/均值", ""] : ["Item", "Question", "Choice", "Count", "Share/mean", ""],
            rows: suppressed ? [[zh ? "答卷少于\(minimum_respondents)份，不报告分布" : "fewer than \(minimum_respondents) responses: not reported"]] : itemRows)
        return [summary, byGroup, bySchool, itemsTable]
    }
}
