import DudaoCore
import DudaoStore
import Foundation
import Hummingbird

/// Regions, schools and programmes over the JSON API.
extension APIRoutes {
    /// The built-in programmes are shipped with the server and never change while it runs:
    /// their JSON is made once (encoding it was 42% of the server's time on this call).
    static let programmesJSON = Result { try jsonBytes(ProgrammeCatalog.builtIn.map(ProgrammeDTO.init)) }

    func registerRegistry(on api: RouterGroup<SignedInContext>) {
        api.get("programmes") { _, _ in json(encoded: try Self.programmesJSON.get()) }
        api.get("regions") { request, context in try await region(request, context, code: context.user.regionCode) }
        api.get("regions/:code") { request, context in try await region(request, context, code: try context.parameters.text("code")) }
        api.get("regions/:code/schools") { request, context in
            let code = try await regionInScope(context).code
            // ?township= a name or a 9-digit code: the schools of one 乡镇/街道 (what sampling by township draws from).
            let township = try request.query("township")
            let schools = try await SchoolRepository(db.sql).list(under: code).filter { s in
                township.map { $0 == s.township || $0 == s.townshipCode } ?? true
            }
            return try json(schools.map(SchoolDTO.init))
        }
        api.get("schools/:code") { request, context in
            let code = try context.parameters.text("code")
            guard let school = try await SchoolRepository(db.sql).find(code), context.user.canRead(school: school) else {
                throw AppError.notFound("school \(code)")
            }
            let rows = try await ReturnRepository(db.sql).rows(school: code)
            return try json(SchoolDetailDTO(school: school, rows: rows))
        }
    }

    func region(_ request: Request, _ context: SignedInContext, code: String) async throws -> Response {
        guard context.user.canRead(region: code), let region = try await RegionRepository(db.sql).find(code) else {
            throw AppError.notFound("region \(code)")
        }
        let counts = try await SchoolRepository(db.sql).countByCounty(under: code)
        let children = try await RegionRepository(db.sql).children(of: code)
        let years = try await ReturnRepository(db.sql).years(under: code)
        return try json(RegionDTO(region: region, children: children, counts: counts, years: years))
    }
}
