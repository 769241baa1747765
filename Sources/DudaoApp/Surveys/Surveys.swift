import DudaoCore
import DudaoStore
import Foundation

/// 问卷调查 (SPEC §4.6): an office puts a questionnaire to the schools of a county through
/// single-use links (`CreateSurveyLinks`, `CloseCampaign`, audited); anyone holding a link
/// answers without signing in (`SaveSurveyDraft`, `SubmitSurvey`); results by school and group
/// feed a programme's satisfaction part once the campaign is closed.
///
/// Answering writes no audit row: an entry "link X used at 10:32:05" next to a response would
/// undo the anonymity the tables keep (SECURITY.md).
public struct Surveys: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    /// What an office asks for: links to one questionnaire for one group, for every school of a
    /// county (or the schools sampled), until a day.
    public struct LinkRequest: Sendable {
        public var surveyId: String
        public var region: String
        /// The schools sampled (empty: every school of the county).
        public var schools: [String]
        public var group: RespondentGroup
        public var perSchool: Int
        public var closesOn: String
        public var title: String?
        /// The year the results count for (default: the closing day's); a survey early in a year
        /// may serve the evaluation of the year before.
        public var year: Int?

        public init(
            surveyId: String, region: String, schools: [String] = [], group: RespondentGroup, perSchool: Int, closesOn: String, title: String? = nil,
            year: Int? = nil
        ) {
            self.surveyId = surveyId
            self.region = region
            self.schools = schools
            self.group = group
            self.perSchool = perSchool
            self.closesOn = closesOn
            self.title = title
            self.year = year
        }
    }

    public struct Created: Sendable {
        public var campaign: SurveyCampaign
        public var links: [SurveyLink]
    }

    /// Most links one request makes (a county of 400 schools × 500 parents).
    public static let maxLinksPerRequest = 200_000

    /// Creates a campaign (or adds links to the open campaign of the same questionnaire, county,
    /// year and closing day) with `perSchool` new links for each school.
    public func createLinks(_ r: LinkRequest, by actor: Identity) async throws -> Created {
        guard let survey = SurveyCatalog.survey(id: r.surveyId) else {
            throw ServiceError(.invalid, code: "invalid", field: "survey", zh: "未知的问卷：\(r.surveyId)", en: "unknown survey: \(r.surveyId)")
        }
        guard survey.groups.contains(r.group) else {
            throw ServiceError(
                .invalid, code: "invalid", field: "group", zh: "该问卷不面向\(r.group.zh)（面向：\(survey.groups.map(\.zh).joined(separator: "、"))）",
                en: "this survey is not for \(r.group.en.lowercased()) (it is for: \(survey.groups.map(\.en).joined(separator: ", ")))")
        }
        guard RegionCode.level(of: r.region) == .county else {
            throw ServiceError(.invalid, code: "invalid", field: "region", zh: "调查按区县发起，请选择一个区县", en: "a campaign is for one county")
        }
        guard actor.canRunSurveys(region: r.region) else { throw ServiceError.notFound("region \(r.region)") }
        let perSchool = try Checked.integer(r.perSchool, field: "links", in: 1...5000)
        let closes = try Checked.date(r.closesOn, field: "closes")
        let today = services.clock.moment.today
        guard closes >= today else {
            throw ServiceError(
                .invalid, code: "invalid", field: "closes", zh: "截止日期不能早于今天（\(today)）", en: "the closing day cannot be before today (\(today))")
        }
        let all = try await SchoolRepository(services.reads).list(under: r.region)
        let wanted = Set(r.schools)
        let schools = wanted.isEmpty ? all : all.filter { wanted.contains($0.code) }
        if let missing = wanted.subtracting(schools.map(\.code)).sorted().first {
            throw ServiceError(.invalid, code: "invalid", field: "school", zh: "该区县没有此学校：\(missing)", en: "no such school in the county: \(missing)")
        }
        guard !schools.isEmpty else {
            throw ServiceError(.invalid, code: "invalid", field: "region", zh: "该区县尚无学校", en: "the county has no schools yet")
        }
        guard schools.count * perSchool <= Self.maxLinksPerRequest else {
            throw ServiceError(
                .invalid, code: "invalid", field: "links", zh: "一次最多生成\(Self.maxLinksPerRequest)个链接",
                en: "at most \(Self.maxLinksPerRequest) links at a time")
        }
        let year = try Checked.year(r.year ?? Int(closes.prefix(4))!, field: "year")
        let title = try Checked.text(r.title.flatMap { $0.isEmpty ? nil : $0 } ?? "\(year)年\(survey.nameZh)", field: "title")
        return try await services.transaction { tx, now in
            let repository = SurveyRepository(tx)
            let campaign: SurveyCampaign
            if let existing = try await repository.open(survey: survey.id, region: r.region, year: year, closesOn: closes) {
                campaign = existing
            } else {
                campaign = SurveyCampaign(
                    id: UUID().uuidString.lowercased(), surveyId: survey.id, regionCode: r.region, year: year, title: title,
                    closesOn: closes, createdBy: actor.username, createdAt: now.timestamp)
                try await repository.insert(campaign)
                try await AuditLog(tx).record([
                    AuditEntry(
                        at: now.timestamp, actor: actor.username, action: "create", objectType: "survey_campaign", objectId: campaign.id,
                        oldValue: nil, newValue: "\(title); \(survey.id); closes \(closes)", regionCode: r.region)
                ])
            }
            var links: [SurveyLink] = []
            links.reserveCapacity(schools.count * perSchool)
            for school in schools {
                for _ in 0..<perSchool {
                    links.append(SurveyLink(token: Self.newToken(), campaignId: campaign.id, schoolCode: school.code, group: r.group))
                }
            }
            try await repository.insert(links: links)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "add_links", objectType: "survey_campaign", objectId: campaign.id,
                    oldValue: nil, newValue: "\(links.count) \(r.group.rawValue) links for \(schools.count) schools", regionCode: r.region)
            ])
            return Created(campaign: campaign, links: links)
        }
    }

    /// 128 random bits as 22 base64url characters.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(16)
        for _ in 0..<2 {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A campaign the caller may run; unknown and out-of-scope ids are both "not found".
    public func campaign(_ id: String, for actor: Identity) async throws -> (SurveyCampaign, Survey) {
        guard let c = try await SurveyRepository(services.reads).find(id), actor.canRunSurveys(region: c.regionCode),
            let survey = SurveyCatalog.survey(id: c.surveyId)
        else { throw ServiceError.notFound("survey campaign \(id)") }
        return (c, survey)
    }

    /// Stops taking answers before the closing day; the county's satisfaction part counts it from now.
    public func close(_ id: String, by actor: Identity) async throws {
        let (c, _) = try await campaign(id, for: actor)
        guard c.closedAt == nil else { return }
        try await services.transaction { tx, now in
            try await SurveyRepository(tx).close(c.id, at: now.timestamp)
            try await DataVersions(tx).bump([c.regionCode], at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: "close", objectType: "survey_campaign", objectId: c.id, oldValue: nil,
                    newValue: "closed", regionCode: c.regionCode)
            ])
        }
    }

    // MARK: answering (public, by link)

    /// What a link opens: the questionnaire with its school, or why it cannot be answered.
    public enum Opening: Sendable {
        case answer(Answering)
        case used
        case closed(SurveyCampaign)
    }

    public struct Answering: Sendable {
        public var link: SurveyLink
        public var campaign: SurveyCampaign
        public var survey: Survey
        public var schoolName: String
    }

    public func open(_ token: String) async throws -> Opening {
        guard SurveyLink.isWellFormed(token), let link = try await SurveyRepository(services.reads).link(token),
            let campaign = try await SurveyRepository(services.reads).find(link.campaignId), let survey = SurveyCatalog.survey(id: campaign.surveyId)
        else { throw ServiceError.notFound("survey link") }
        if link.used { return .used }
        guard campaign.isOpen(today: services.clock.moment.today) else { return .closed(campaign) }
        let school = try await SchoolRepository(services.reads).find(link.schoolCode)
        return .answer(Answering(link: link, campaign: campaign, survey: survey, schoolName: school?.name ?? link.schoolCode))
    }

    /// Keeps a half-filled answer on the link (answers to unknown items are refused, nothing
    /// else is checked until submission).
    public func saveDraft(_ token: String, _ answers: ChecklistAnswers) async throws {
        let opening = try await open(token)
        guard case .answer(let a) = opening else { throw Self.cannotAnswer(opening) }
        let unknown = answers.values.keys.filter { a.survey.item(id: $0) == nil }
        guard unknown.isEmpty else { throw SurveyAnswersRefused(issues: a.survey.validate(answers).filter { $0.code == .unknownItem }) }
        try await services.transaction { tx, _ in try await SurveyRepository(tx).saveDraft(token, answers) }
    }

    /// Stores one anonymous response and uses up the link, in one transaction: a second
    /// submission through the same link (at the same moment too) is refused as used.
    public func submit(_ token: String, _ answers: ChecklistAnswers) async throws {
        let opening = try await open(token)
        guard case .answer(let a) = opening else { throw Self.cannotAnswer(opening) }
        let walk = a.survey.walk(answers)
        // A respondent who answers a question that turned out not to apply is not refused:
        // that answer is dropped (only `effective` answers are stored).
        let issues = walk.issues.filter { $0.code != .notRelevantAnswered }
        guard issues.isEmpty else { throw SurveyAnswersRefused(issues: issues) }
        let response = SurveyResponse(schoolCode: a.link.schoolCode, group: a.link.group, answers: ChecklistAnswers(walk.effective))
        try await services.transaction { tx, now in
            let repository = SurveyRepository(tx)
            guard try await repository.markUsed(token) else { throw Self.cannotAnswer(.used) }
            // A random id (UUID version 4): time-ordered ids would give away the order of answers.
            try await repository.insert(response: response, id: UUID().uuidString.lowercased(), campaign: a.campaign.id, day: now.today)
        }
    }

    static func cannotAnswer(_ opening: Opening) -> ServiceError {
        switch opening {
        case .used:
            ServiceError(.conflict, code: "link_used", zh: "此链接已经提交过答卷，每个链接只能使用一次", en: "this link has already been used: each link answers once")
        case .closed(let c):
            ServiceError(.conflict, code: "campaign_closed", zh: "本次调查已于\(c.closesOn)结束", en: "this survey closed on \(c.closesOn)")
        case .answer:
            ServiceError(.invalid, code: "invalid", zh: "无法提交", en: "cannot submit")
        }
    }

    // MARK: results

    public struct Results: Sendable {
        public struct School: Sendable {
            public var code: String
            public var name: String
            public var group: RespondentGroup
            public var tally: SurveyTally
        }

        public var campaign: SurveyCampaign
        public var survey: Survey
        public var total: SurveyTally
        public var byGroup: [(group: RespondentGroup, tally: SurveyTally)]
        public var bySchool: [School]
    }

    public func results(_ c: SurveyCampaign, _ survey: Survey) async throws -> Results {
        let repository = SurveyRepository(services.reads)
        let responses = try await repository.responses(campaign: c.id)
        let invited = try await repository.invited(campaign: c.id)
        let schools = try await SchoolRepository(services.reads).find(codes: Array(Set(invited.keys.map(\.school))))
        let total = SurveyTally.make(survey, responses: responses, invited: invited.values.reduce(0, +))
        let byGroup = survey.groups.compactMap { g -> (group: RespondentGroup, tally: SurveyTally)? in
            let n = invited.filter { $0.key.group == g }.values.reduce(0, +)
            guard n > 0 else { return nil }
            return (g, SurveyTally.make(survey, responses: responses.filter { $0.group == g }, invited: n))
        }
        let bySchool = invited.keys.sorted { ($0.school, $0.group.rawValue) < ($1.school, $1.group.rawValue) }.map { key in
            Results.School(
                code: key.school, name: schools[key.school]?.name ?? key.school, group: key.group,
                tally: SurveyTally.make(
                    survey, responses: responses.filter { $0.schoolCode == key.school && $0.group == key.group }, invited: invited[key] ?? 0))
        }
        return Results(campaign: c, survey: survey, total: total, byGroup: byGroup, bySchool: bySchool)
    }

    /// The satisfaction part (社会认可度) of a county and year: every closed campaign of a
    /// satisfaction questionnaire, pooled; nil while none is closed.
    public func satisfaction(county: String, year: Int, threshold: Double) async throws -> SatisfactionResult? {
        try await SatisfactionReader(services.reads).result(county: county, year: year, threshold: threshold, today: services.clock.moment.today)
    }
}

/// Answers that cannot be accepted, each naming its item.
public struct SurveyAnswersRefused: Error, Sendable {
    public var issues: [ChecklistIssue]

    public init(issues: [ChecklistIssue]) { self.issues = issues }
}
