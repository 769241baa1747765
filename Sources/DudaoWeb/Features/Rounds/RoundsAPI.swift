import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// Rounds over the JSON API: list, open, progress, review actions.
struct RoundDTO: Encodable {
    struct SchoolState: Encodable {
        var code: String
        var county_code: String
        var state: String
        var editable: Bool
    }

    var id: String
    var year: Int
    var region_code: String
    var title: String
    var opened_by: String
    var opened_at: String
    var schools: [SchoolState]?
    var approved: [String]?

    init(_ r: Round, snapshot: RoundSnapshot? = nil, scope: Identity? = nil) {
        id = r.id
        year = r.year
        region_code = r.regionCode
        title = r.title
        opened_by = r.openedBy
        opened_at = r.openedAt
        if let snapshot, let scope {
            schools = snapshot.schools.keys.sorted().compactMap { code in
                let county = snapshot.counties[code] ?? ""
                guard
                    scope.schoolCode.map({ $0 == code })
                        ?? (RegionCode.contains(scope.regionCode, county) || RegionCode.contains(county, scope.regionCode))
                else { return nil }
                return SchoolState(
                    code: code, county_code: county, state: snapshot.schools[code]!.rawValue, editable: snapshot.isEditable(school: code))
            }
            approved = snapshot.approved.sorted()
        }
    }
}

extension APIRoutes {
    func registerRounds(on api: RouterGroup<SignedInContext>) {
        api.get("rounds") { _, context in try json(try await RoundRepository(db.sql).list(for: context.user).map { RoundDTO($0) }) }
        api.post("rounds") { request, context in
            struct Body: Decodable { var year: Int; var title: String?; var schools: [String]? }
            let body = try await request.decode(
                Body.self, context: context, limit: 1 << 20, expected: "{\"year\": 2024, \"title\": \"…\", \"schools\": [optional codes]}")
            _ = try Checked.year(body.year, field: "year")
            if let title = body.title { _ = try Checked.text(title, field: "title") }
            if let schools = body.schools, schools.count > 1_000_000 { throw AppError.invalid("schools", zh: "学校过多", en: "too many schools") }
            do {
                let round = try await state.services.rounds.open(
                    year: body.year, title: body.title ?? "\(body.year)学年统计数据填报",
                    by: context.user, only: body.schools)
                return try json(RoundDTO(round), status: .created)
            } catch let refusal as ReviewRefusal {
                // Schools named in the body that are not the office's: the body is wrong (400).
                throw refusal.code == "unknown_unit"
                    ? AppError(status: .badRequest, code: refusal.code, field: "schools", zh: refusal.zh, en: refusal.en) : refusal
            }
        }
        api.get("rounds/:id") { _, context in
            let id = try context.parameters.text("id")
            guard let round = try await RoundRepository(db.sql).find(id), RoundRepository.concerns(round, context.user) else {
                throw AppError.notFound("round \(id)")
            }
            return try json(RoundDTO(round, snapshot: try await RoundRepository(db.sql).snapshot(round), scope: context.user))
        }
        api.post("rounds/:id/actions") { request, context in
            let id = try context.parameters.text("id")
            guard let round = try await RoundRepository(db.sql).find(id), RoundRepository.concerns(round, context.user) else {
                throw AppError.notFound("round \(id)")
            }
            let expected = "{\"action\": \"submit|approve|return\", \"unit\": \"school or region code\", \"comment\": \"…\"}"
            let body = try await request.decode([String: String].self, context: context, limit: 1 << 16, field: "action", expected: expected)
            guard let action = RoundActionForm.action(body) else { throw AppError.invalid("action", message: "expected \(expected)") }
            let snapshot = try await state.services.rounds.act(action, round: round, by: context.user)
            return try json(RoundDTO(round, snapshot: snapshot, scope: context.user))
        }
    }
}
