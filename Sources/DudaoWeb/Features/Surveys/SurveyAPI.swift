import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// The survey API: the questionnaires shipped, creating links, results, closing.
extension APIRoutes {
    struct SurveyInfo: Encodable {
        var id: String
        var name: String
        var groups: [String]
        var counts_for_satisfaction: Bool
        var minimum_respondents: Int
        var items: Int
    }

    struct CreateLinksBody: Decodable {
        var survey: String
        var group: String
        var links: Int
        var closes: String
        var schools: [String]?
        var title: String?
    }

    struct CreatedLinks: Encodable {
        struct Link: Encodable {
            var school: String
            var group: String
            var url: String
        }

        var campaign: String
        var links: [Link]
    }

    func registerSurveys(on api: RouterGroup<SignedInContext>) {
        api.get("surveys") { request, _ in
            let lang = RequestLanguage(request).language
            return try json(
                SurveyCatalog.builtIn.map {
                    SurveyInfo(
                        id: $0.id, name: $0.name(lang), groups: $0.groups.map(\.rawValue), counts_for_satisfaction: $0.countsForSatisfaction,
                        minimum_respondents: $0.minimumRespondents, items: $0.items.count)
                })
        }
        api.post("regions/:code/survey-campaigns") { request, context in
            let code = try context.parameters.text("code")
            guard context.user.canRead(region: code) else { throw AppError.notFound(code) }
            let body = try await request.decode(
                CreateLinksBody.self, context: context, limit: 64 * 1024,
                expected:
                    "{\"survey\": \"parents-satisfaction\", \"group\": \"parents\", \"links\": 30, \"closes\": \"YYYY-MM-DD\", \"schools\": [\"…\"] (optional)}"
            )
            let group = try Checked.choice(body.group, field: "group", as: RespondentGroup.self)
            let created = try await state.services.surveys.createLinks(
                .init(
                    surveyId: body.survey, region: code, schools: body.schools ?? [], group: group, perSchool: body.links, closesOn: body.closes,
                    title: body.title),
                by: context.user)
            let base = SurveyPages.base(request)
            return try json(
                CreatedLinks(
                    campaign: created.campaign.id,
                    links: created.links.map { .init(school: $0.schoolCode, group: $0.group.rawValue, url: "\(base)/s/\($0.token)") }),
                status: .created)
        }
        api.get("survey-campaigns/:id/results") { request, context in
            let (c, survey) = try await state.services.surveys.campaign(try context.parameters.text("id"), for: context.user)
            let results = try await state.services.surveys.results(c, survey)
            return try json(SurveyResultsDTO(results, today: state.services.clock.moment.today, language: RequestLanguage(request).language))
        }
        api.post("survey-campaigns/:id/close") { _, context in
            let id = try context.parameters.text("id")
            try await state.services.surveys.close(id, by: context.user)
            return Response(status: .noContent)
        }
    }
}
