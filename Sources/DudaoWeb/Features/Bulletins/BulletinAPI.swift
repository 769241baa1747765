import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

struct BulletinDTO: Encodable {
    struct Line: Encodable {
        var code: String
        var name: String
        var rank: Int
        var visits: Int
        var schools_visited: Int
        var findings: Int
        var findings_by_category: [String: Int]
        var rates: RatesDTO
    }

    var from: String
    var to: String
    var counties: [Line]
    var total: Line

    init(_ b: Bulletin) {
        func line(_ l: Bulletin.Line) -> Line {
            Line(
                code: l.code, name: l.name, rank: l.rank, visits: l.visits, schools_visited: l.schoolsVisited, findings: l.findings,
                findings_by_category: l.byCategory, rates: RatesDTO(l.rates, asOf: b.to))
        }
        from = b.from
        to = b.to
        counties = b.lines.map(line)
        total = line(b.total)
    }
}

/// `GET /api/v1/regions/{code}/bulletin`: the same bulletin as the page, as JSON.
extension APIRoutes {
    func registerBulletins(on api: RouterGroup<SignedInContext>) {
        api.get("regions/:code/bulletin") { request, context in
            let code = try await regionInScope(context).code
            let lang = Language(code: request.uri.queryParameters.get("lang").map { String($0) })
            return try json(BulletinDTO(try await BulletinPages(state: state).bulletin(request, code: code, lang: lang).bulletin))
        }
    }
}
