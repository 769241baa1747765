import Foundation

/// A survey campaign (调查活动): one questionnaire put to the schools of a county until a day.
public struct SurveyCampaign: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var surveyId: String
    /// The county whose schools are invited.
    public var regionCode: String
    /// The year the results count for (a programme's satisfaction part of that year).
    public var year: Int
    public var title: String
    /// The last day answers are taken (YYYY-MM-DD).
    public var closesOn: String
    /// Set when the office closed it before that day.
    public var closedAt: String?
    public var createdBy: String
    public var createdAt: String

    public init(
        id: String, surveyId: String, regionCode: String, year: Int, title: String, closesOn: String, closedAt: String? = nil,
        createdBy: String, createdAt: String
    ) {
        self.id = id
        self.surveyId = surveyId
        self.regionCode = regionCode
        self.year = year
        self.title = title
        self.closesOn = closesOn
        self.closedAt = closedAt
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Whether answers are still taken on `today` (YYYY-MM-DD).
    public func isOpen(today: String) -> Bool { closedAt == nil && today <= closesOn }
}

/// One single-use answering link: the school and group it invites, whether it has been used,
/// and a half-filled answer kept until it is submitted.
public struct SurveyLink: Sendable, Hashable {
    public var token: String
    public var campaignId: String
    public var schoolCode: String
    public var group: RespondentGroup
    public var used: Bool
    public var draft: ChecklistAnswers?

    public init(token: String, campaignId: String, schoolCode: String, group: RespondentGroup, used: Bool = false, draft: ChecklistAnswers? = nil) {
        self.token = token
        self.campaignId = campaignId
        self.schoolCode = schoolCode
        self.group = group
        self.used = used
        self.draft = draft
    }

    /// Whether `text` has the shape of a link token (22 base64url characters: 128 bits), so
    /// anything else is refused before the database is asked.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 22
            && text.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F
            }
    }
}
