import DudaoApp
import DudaoCore
import Foundation
import Hummingbird

/// `GET /api/v1/documents/search?q=…`: the caller's visible documents holding every term.
extension APIRoutes {
    func registerDocuments(on api: RouterGroup<SignedInContext>) {
        api.get("documents/search") { request, context in
            let q = try request.query("q", max: 500) ?? ""
            let limit = try request.query("limit").map { v throws(FieldError) in try Checked.integer(v, field: "limit", in: 1...100) } ?? 20
            let offset = try request.query("offset").map { v throws(FieldError) in try Checked.integer(v, field: "offset", in: 0...10_000) } ?? 0
            let found = try await state.services.documents.search(q, for: context.user, limit: limit, offset: offset)
            return try json(DocumentSearchDTO(found))
        }
    }
}
