import DudaoCore
import Foundation
import SQLKit

/// Survey campaigns, their links and their responses; written on the database given.
///
/// Anonymity is kept by what is stored: a link row knows its school and group and whether it
/// was used, a response row knows its campaign, school, group and day. No column joins them,
/// no time of day is kept, and response ids are random (not time-ordered).
public struct SurveyRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    // MARK: campaigns

    public func insert(_ c: SurveyCampaign) async throws {
        try await db.insert(into: "survey_campaigns")
            .columns("id", "survey_id", "region_code", "year", "title", "closes_on", "closed_at", "created_by", "created_at")
            .values(c.id, c.surveyId, c.regionCode, c.year, c.title, c.closesOn, c.closedAt, c.createdBy, c.createdAt).run()
    }

    public func find(_ id: String) async throws -> SurveyCampaign? {
        try await db.select().columns("*").from("survey_campaigns").where("id", .equal, id).first().map(Self.campaign)
    }

    /// Campaigns in `region` or below it, newest first.
    public func campaigns(under region: String) async throws -> [SurveyCampaign] {
        var q = db.select().columns("*").from("survey_campaigns")
        q = q.where("region_code", under: region)
        return try await q.orderBy("year", .descending).orderBy("created_at", .descending).orderBy("id").all().map(Self.campaign)
    }

    /// The campaign of this survey in this county, for this year, that closes on this day and is not closed.
    public func open(survey: String, region: String, year: Int, closesOn: String) async throws -> SurveyCampaign? {
        try await db.select().columns("*").from("survey_campaigns").where("survey_id", .equal, survey).where("region_code", .equal, region)
            .where("year", .equal, year).where("closes_on", .equal, closesOn).where(SQLColumn("closed_at"), .is, SQLLiteral.null).first()
            .map(Self.campaign)
    }

    public func close(_ id: String, at now: String) async throws {
        try await db.update("survey_campaigns").set("closed_at", to: now).where("id", .equal, id).run()
    }

    /// The county's campaigns of the year, for its satisfaction part.
    public func campaigns(county: String, year: Int) async throws -> [SurveyCampaign] {
        try await db.select().columns("*").from("survey_campaigns").where("region_code", .equal, county).where("year", .equal, year)
            .orderBy("id").all().map(Self.campaign)
    }

    // MARK: links

    public func insert(links: [SurveyLink]) async throws {
        for chunk in links.chunked(200) {
            var q = db.insert(into: "survey_links").columns("token", "campaign_id", "school_code", "respondent_group", "used")
            for l in chunk { q = q.values(l.token, l.campaignId, l.schoolCode, l.group.rawValue, 0) }
            try await q.run()
        }
    }

    public func link(_ token: String) async throws -> SurveyLink? {
        try await db.select().columns("*").from("survey_links").where("token", .equal, token).first().map(Self.link)
    }

    /// Every link of a campaign, by school, group and token (for the invitation sheets).
    public func links(campaign: String, school: String? = nil) async throws -> [SurveyLink] {
        var q = db.select().columns("*").from("survey_links").where("campaign_id", .equal, campaign)
        if let school { q = q.where("school_code", .equal, school) }
        return try await q.orderBy("school_code").orderBy("respondent_group").orderBy("token").all().map(Self.link)
    }

    /// Links handed out by school and group.
    public func invited(campaign: String) async throws -> [Key: Int] {
        let rows = try await db.select().column("school_code").column("respondent_group").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from("survey_links").where("campaign_id", .equal, campaign).groupBy("school_code").groupBy("respondent_group").all()
        var out: [Key: Int] = [:]
        for row in rows {
            let group = try row.decode(RespondentGroup.self, column: "respondent_group", table: "survey_links")
            out[Key(school: try row.decode(column: "school_code", as: String.self), group: group)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// Keeps a half-filled answer on an unused link.
    public func saveDraft(_ token: String, _ answers: ChecklistAnswers) async throws {
        let json = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
        try await db.update("survey_links").set("draft", to: json).where("token", .equal, token).where("used", .equal, 0).run()
    }

    /// Marks the link used and forgets its draft; false when it was used already. With the
    /// response stored in the same transaction, exactly one of two concurrent submissions wins
    /// (PostgreSQL re-checks `used = 0` after waiting for the other's row lock; SQLite has one writer).
    public func markUsed(_ token: String) async throws -> Bool {
        let rows = try await db.raw(
            "UPDATE survey_links SET used = 1, draft = NULL WHERE token = \(bind: token) AND used = 0 RETURNING token"
        ).all()
        return rows.count == 1
    }

    // MARK: responses

    public func insert(response r: SurveyResponse, id: String, campaign: String, day: String) async throws {
        let json = String(decoding: try JSONEncoder().encode(r.answers), as: UTF8.self)
        try await db.insert(into: "survey_responses").columns("id", "campaign_id", "school_code", "respondent_group", "submitted_on", "answers")
            .values(id, campaign, r.schoolCode, r.group.rawValue, day, json).run()
    }

    public func responses(campaign: String) async throws -> [SurveyResponse] {
        try await db.select().columns("school_code", "respondent_group", "answers").from("survey_responses")
            .where("campaign_id", .equal, campaign).orderBy("school_code").orderBy("id").all()
            .map { row in
                let group = try row.decode(RespondentGroup.self, column: "respondent_group", table: "survey_responses")
                let answers = try JSONDecoder().decode(ChecklistAnswers.self, from: Data(try row.decode(column: "answers", as: String.self).utf8))
                return SurveyResponse(schoolCode: try row.decode(column: "school_code", as: String.self), group: group, answers: answers)
            }
    }

    public struct Key: Sendable, Hashable {
        public var school: String
        public var group: RespondentGroup
    }

    static func campaign(_ row: any SQLRow) throws -> SurveyCampaign {
        SurveyCampaign(
            id: try row.decode(column: "id", as: String.self), surveyId: try row.decode(column: "survey_id", as: String.self),
            regionCode: try row.decode(column: "region_code", as: String.self), year: try row.decode(column: "year", as: Int.self),
            title: try row.decode(column: "title", as: String.self), closesOn: try row.decode(column: "closes_on", as: String.self),
            closedAt: try row.decode(column: "closed_at", as: String?.self), createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: try row.decode(column: "created_at", as: String.self))
    }

    static func link(_ row: any SQLRow) throws -> SurveyLink {
        let group = try row.decode(RespondentGroup.self, column: "respondent_group", table: "survey_links")
        let draft = try row.decode(column: "draft", as: String?.self).map { try JSONDecoder().decode(ChecklistAnswers.self, from: Data($0.utf8)) }
        return SurveyLink(
            token: try row.decode(column: "token", as: String.self), campaignId: try row.decode(column: "campaign_id", as: String.self),
            schoolCode: try row.decode(column: "school_code", as: String.self), group: group,
            used: try row.decode(column: "used", as: Int.self) != 0, draft: draft)
    }
}

/// The satisfaction part (社会认可度) of a county and year: every closed campaign of a
/// satisfaction questionnaire, pooled; nil while none is closed.
public struct SatisfactionReader: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func result(county: String, year: Int, threshold: Double, today: String) async throws -> SatisfactionResult? {
        var tallies: [SurveyTally] = []
        let repository = SurveyRepository(db)
        for c in try await repository.campaigns(county: county, year: year) where !c.isOpen(today: today) {
            guard let survey = SurveyCatalog.survey(id: c.surveyId), survey.countsForSatisfaction else { continue }
            let invited = try await repository.invited(campaign: c.id).values.reduce(0, +)
            tallies.append(SurveyTally.make(survey, responses: try await repository.responses(campaign: c.id), invited: invited))
        }
        return tallies.isEmpty ? nil : SatisfactionResult(threshold: threshold, tallies: tallies)
    }
}
