import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import SQLKit
import Testing

/// Survey campaigns end to end on the store: links, drafts, one response per link, anonymity
/// by construction, scope, and the satisfaction part of quality-2017.
@Suite("Survey campaigns")
struct SurveyTests {
    static let today = "2026-11-25"

    static func setUp(_ db: Database) async throws -> (Services, Identity) {
        try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
        let services = Services(database: db, clock: FixedClock(day: today), passwordCost: 4)
        return (services, try #require(try await UserRepository(db.sql).find(username: "changge")))
    }

    /// Every Likert answer `choice`; the parent of a day pupil (boarding life does not apply).
    static func answers(_ choice: String, boardingLife: String? = nil) -> ChecklistAnswers {
        var a = ChecklistAnswers(["child_stage": .choice("junior"), "boarding": .bool(false), "irregular_fees": .bool(false)])
        for id in ["conditions", "teachers", "workload", "after_school", "admission", "fees", "safety", "gap", "government"] {
            a[id] = .choice(choice)
        }
        if let boardingLife { a["boarding_life"] = .choice(boardingLife) }
        return a
    }

    static func links(
        _ services: Services, _ actor: Identity, county: String = "411082", perSchool: Int = 2, closes: String = "2026-12-20"
    )
        async throws -> Surveys.Created
    {
        try await services.surveys.createLinks(
            .init(surveyId: "parents-satisfaction", region: county, group: .parents, perSchool: perSchool, closesOn: closes), by: actor)
    }

    @Test func aLinkAnswersOnceAndKeepsADraftUntilThen() async throws {
        try await TestDatabase.with { db in
            let (services, changge) = try await Self.setUp(db)
            let schools = try await SchoolRepository(db.sql).list(under: "411082")
            let created = try await Self.links(services, changge)
            #expect(created.links.count == schools.count * 2)
            #expect(Set(created.links.map(\.token)).count == created.links.count && created.links.allSatisfy { SurveyLink.isWellFormed($0.token) })
            #expect(created.campaign.year == 2026 && created.campaign.title == "2026年\(SurveyCatalog.survey(id: "parents-satisfaction")!.nameZh)")
            let token = created.links[0].token

            // Half filled, saved, resumed from the same link.
            try await services.surveys.saveDraft(token, ["conditions": .choice("satisfied")])
            guard case .answer(let opened) = try await services.surveys.open(token) else { Issue.record("link not open"); return }
            #expect(opened.link.draft?["conditions"] == .choice("satisfied"))
            // Submitting the draft names every required question still missing.
            await #expect {
                try await services.surveys.submit(token, ["conditions": .choice("satisfied")])
            } throws: { error in
                let issues = (error as? SurveyAnswersRefused)?.issues ?? []
                return issues.contains { $0.itemId == "government" && $0.code == .requiredMissing }
                    && !issues.contains { $0.itemId == "boarding_life" }
            }
            // An answer to a question that does not apply (boarding life of a day pupil) is dropped, not refused.
            try await services.surveys.submit(token, Self.answers("satisfied", boardingLife: "dissatisfied"))
            guard case .used = try await services.surveys.open(token) else { Issue.record("link still open"); return }
            await #expect {
                try await services.surveys.submit(token, Self.answers("satisfied"))
            } throws: { ($0 as? ServiceError)?.code == "link_used" }
            let stored = try await SurveyRepository(db.sql).responses(campaign: created.campaign.id)
            #expect(stored.count == 1 && stored[0].answers["boarding_life"] == nil && stored[0].answers["government"] == .choice("satisfied"))
            #expect(stored[0].schoolCode == created.links[0].schoolCode && stored[0].group == .parents)
            let link = try #require(try await SurveyRepository(db.sql).link(token))
            #expect(link.used && link.draft == nil)
            // The office's acts are audited; answering is not (an entry would date the response).
            let audit = try await db.sql.select().columns("action", "new_value").from("audit_log").where("object_id", .equal, created.campaign.id)
                .all()
            #expect(audit.count == 2)
            #expect(try await TestDatabase.count(db, "survey_responses") == 1 + Self.demoResponses(db))
        }
    }

    static func demoResponses(_ db: Database) async throws -> Int {
        var n = 0
        for c in try await SurveyRepository(db.sql).campaigns(under: "411081") {
            n += try await SurveyRepository(db.sql).responses(campaign: c.id).count
        }
        return n
    }

    @Test func nothingLinksAResponseToItsLink() async throws {
        try await TestDatabase.with { db in
            let (services, changge) = try await Self.setUp(db)
            let created = try await Self.links(services, changge, perSchool: 1)
            for link in created.links.prefix(3) { try await services.surveys.submit(link.token, Self.answers("very_satisfied")) }
            // The response table holds the coarse keys, the day and the answers: no token, no time, no device.
            let row = try #require(
                try await db.sql.select().columns("*").from("survey_responses").where("campaign_id", .equal, created.campaign.id).first())
            #expect(Set(row.allColumns) == ["id", "campaign_id", "school_code", "respondent_group", "submitted_on", "answers"])
            // The link table says whether a link was used, not when or by which response.
            let link = try #require(try await db.sql.select().columns("*").from("survey_links").limit(1).first())
            #expect(Set(link.allColumns) == ["token", "campaign_id", "school_code", "respondent_group", "used", "draft"])
            let tokens = Set(created.links.map(\.token))
            for r in try await db.sql.select().columns("*").from("survey_responses").where("campaign_id", .equal, created.campaign.id).all() {
                let id = try r.decode(column: "id", as: String.self)
                #expect(try r.decode(column: "submitted_on", as: String.self) == Self.today)
                // Random ids (version 4), not time-ordered ones that would give away the order of answers.
                #expect(Array(id)[14] == "4")
                let answers = try r.decode(column: "answers", as: String.self)
                #expect(!tokens.contains(where: { answers.contains($0) || id.contains($0) }))
            }
            for entry in try await db.sql.select().columns("object_id", "new_value").from("audit_log").all() {
                let text =
                    (try entry.decode(column: "object_id", as: String.self)) + ((try entry.decode(column: "new_value", as: String?.self)) ?? "")
                #expect(!tokens.contains(where: { text.contains($0) }))
            }
        }
    }

    /// Marking the link used and storing the response are one transaction: a failure storing
    /// the response leaves the link unused, to be answered again.
    @Test func aFailedSubmissionLeavesTheLinkUnused() async throws {
        try await TestDatabase.with { db in
            let (services, changge) = try await Self.setUp(db)
            let created = try await Self.links(services, changge, perSchool: 1)
            let failing = Services(
                database: db, clock: FixedClock(day: Self.today), passwordCost: 4,
                interceptTransactions: { AtomicUseCaseTests.FailingInsert(base: $0, table: "survey_responses") })
            let token = created.links[0].token
            await #expect(throws: AtomicUseCaseTests.Injected.self) { try await failing.surveys.submit(token, Self.answers("satisfied")) }
            #expect(try await SurveyRepository(db.sql).link(token)?.used == false)
            #expect(try await SurveyRepository(db.sql).responses(campaign: created.campaign.id).isEmpty)
            try await services.surveys.submit(token, Self.answers("satisfied"))
            #expect(try await SurveyRepository(db.sql).responses(campaign: created.campaign.id).count == 1)
        }
    }

    @Test func twoSubmissionsThroughOneLinkAtOnceStoreOneResponse() async throws {
        try await TestDatabase.with { db in
            let (services, changge) = try await Self.setUp(db)
            let created = try await Self.links(services, changge, perSchool: 1)
            for link in created.links.prefix(3) {
                async let first: Bool = {
                    do { try await services.surveys.submit(link.token, Self.answers("satisfied")); return true } catch { return false }
                }()
                async let second: Bool = {
                    do { try await services.surveys.submit(link.token, Self.answers("neutral")); return true } catch { return false }
                }()
                let outcomes = await [first, second]
                #expect(outcomes.filter { $0 }.count == 1)
            }
            #expect(try await SurveyRepository(db.sql).responses(campaign: created.campaign.id).count == 3)
        }
    }

    @Test func aClosedCampaignCompletesTheSatisfactionPart() async throws {
        try await TestDatabase.with { db in
            let (services, changge) = try await Self.setUp(db)
            // 长葛市 has returns for 2024; its satisfaction survey for that year closes in 2026.
            let created = try await services.surveys.createLinks(
                .init(surveyId: "parents-satisfaction", region: "411082", group: .parents, perSchool: 1, closesOn: "2026-12-20", year: 2024),
                by: changge)
            func part() async throws -> CountyEvaluationDTO.PartDTO? {
                try await services.evaluations.compute(county: "411082", year: 2024, programme: "quality-2017")?.parts?.first {
                    $0.id == "public_satisfaction"
                }
            }
            #expect(try await part()?.status == "pending")
            // Five parents: 4 all satisfied, 1 all neutral → 36 of 45 = 80% < 85%.
            for (i, link) in created.links.prefix(5).enumerated() {
                try await services.surveys.submit(link.token, Self.answers(i == 4 ? "neutral" : "satisfied"))
            }
            // Still open: it does not count yet.
            #expect(try await part()?.status == "pending")
            let before = try await DataVersions(db.sql).version(of: "411082")
            try await services.surveys.close(created.campaign.id, by: changge)
            #expect(try await DataVersions(db.sql).version(of: "411082") == before + 1)
            let closed = try #require(try await part())
            #expect(closed.status == "failed" && closed.survey?.responses == 5 && closed.survey?.satisfied == 36 && closed.survey?.rated == 45)
            #expect(closed.survey?.rate == 0.8 && closed.survey?.invited == created.links.count)
            guard case .closed = try await services.surveys.open(created.links[5].token) else { Issue.record("closed link still open"); return }
            await #expect { try await services.surveys.submit(created.links[5].token, Self.answers("satisfied")) } throws: {
                ($0 as? ServiceError)?.code == "campaign_closed"
            }
        }
    }

    @Test func theDemoCountyHasItsSatisfactionMeasured() async throws {
        try await TestDatabase.with { db in
            let (services, _) = try await Self.setUp(db)
            let dto = try #require(try await services.evaluations.compute(county: "411081", year: DemoCounty.year, programme: "quality-2017"))
            let part = try #require(dto.parts?.first { $0.id == "public_satisfaction" })
            let survey = try #require(part.survey)
            #expect(survey.campaigns == 3 && survey.responses > 20)
            let rate = try #require(survey.rate)
            #expect(abs(rate - Double(survey.satisfied) / Double(survey.rated)) < 1e-12)
            #expect(part.status == (rate >= 0.85 ? "passed" : "failed"))
        }
    }

    @Test func onlyOfficesOfTheCountyAndAboveRunItsCampaigns() async throws {
        try await TestDatabase.with { db in
            let (services, changge) = try await Self.setUp(db)
            let users = UserRepository(db.sql)
            let yuzhou = try #require(try await users.find(username: "yuzhou"))
            let principal = try #require(try await users.find(username: "principal"))
            let xuchang = try #require(try await users.find(username: "xuchang"))
            for outsider in [yuzhou, principal] {
                await #expect(throws: ServiceError.self) { _ = try await Self.links(services, outsider) }
            }
            let created = try await Self.links(services, changge, perSchool: 1)
            await #expect(throws: ServiceError.self) { _ = try await services.surveys.campaign(created.campaign.id, for: yuzhou) }
            #expect(try await services.surveys.campaign(created.campaign.id, for: xuchang).0.id == created.campaign.id)
            // A city is not a campaign's region; a group the questionnaire is not for is refused; so is a day gone by.
            await #expect(throws: ServiceError.self) {
                _ = try await services.surveys.createLinks(
                    .init(surveyId: "parents-satisfaction", region: "4110", group: .parents, perSchool: 1, closesOn: "2026-12-20"), by: xuchang)
            }
            await #expect(throws: ServiceError.self) {
                _ = try await services.surveys.createLinks(
                    .init(surveyId: "parents-satisfaction", region: "411082", group: .teachers, perSchool: 1, closesOn: "2026-12-20"), by: changge)
            }
            await #expect(throws: ServiceError.self) { _ = try await Self.links(services, changge, closes: "2026-11-24") }
            await #expect(throws: ServiceError.self) { try await services.surveys.submit("not-a-token", [:]) }
        }
    }

    @Test func resultsByGroupAndSchoolSuppressSmallCells() async throws {
        try await TestDatabase.with { db in
            let (services, changge) = try await Self.setUp(db)
            let schools = try await SchoolRepository(db.sql).list(under: "411082").prefix(2).map(\.code)
            let created = try await services.surveys.createLinks(
                .init(surveyId: "parents-satisfaction", region: "411082", schools: schools, group: .parents, perSchool: 6, closesOn: "2026-12-20"),
                by: changge)
            // School A: 5 responses (reported); school B: 2 (too few).
            let a = created.links.filter { $0.schoolCode == schools[0] }, b = created.links.filter { $0.schoolCode == schools[1] }
            for link in a.prefix(5) { try await services.surveys.submit(link.token, Self.answers("very_satisfied")) }
            for link in b.prefix(2) { try await services.surveys.submit(link.token, Self.answers("dissatisfied")) }
            let (c, survey) = try await services.surveys.campaign(created.campaign.id, for: changge)
            let results = try await services.surveys.results(c, survey)
            let dto = SurveyResultsDTO(results, today: Self.today)
            // 7 of 12 links answered; 45 satisfied of 63 rated.
            #expect(dto.invited == 12 && dto.responses == 7 && dto.response_rate == 7.0 / 12.0)
            #expect(dto.satisfaction_rate == 45.0 / 63.0 && !dto.suppressed)
            let rowA = try #require(dto.schools.first { $0.school == schools[0] }), rowB = try #require(dto.schools.first { $0.school == schools[1] })
            #expect(rowA.satisfaction_rate == 1.0 && !rowA.suppressed)
            #expect(rowB.satisfaction_rate == nil && rowB.suppressed && rowB.responses == 2)
            let government = try #require(dto.items.first { $0.id == "government" })
            #expect(government.choices.map(\.count) == [5, 0, 0, 2, 0, 0])
            #expect(dto.tables().count == 4)
        }
    }
}
