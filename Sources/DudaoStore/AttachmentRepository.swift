import Foundation
import SQLKit

/// Files attached to visits, findings and evaluation steps (photos, documents).
public struct AttachmentRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public struct Attachment: Sendable {
        public var id: String
        public var filename: String
        public var contentType: String
        public var size: Int
    }

    @discardableResult
    public func add(
        objectType: String, objectId: String, filename: String, contentType: String, data: Data, by actor: String, at now: String
    ) async throws -> String {
        let id = UUID().uuidString.lowercased()
        try await db.insert(into: "attachments")
            .columns("id", "object_type", "object_id", "filename", "content_type", "size", "data", "uploaded_by", "uploaded_at")
            .values(id, objectType, objectId, filename, contentType, data.count, data, actor, now).run()
        return id
    }

    /// Files and bytes already attached to an object (for per-object quotas).
    public func usage(objectType: String, objectId: String) async throws -> (files: Int, bytes: Int) {
        let row = try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .column(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("size")), SQLLiteral.numeric("0")), as: "bytes")
            .from("attachments").where("object_type", .equal, objectType).where("object_id", .equal, objectId).first()
        return (try row?.decode(column: "n", as: Int.self) ?? 0, try row?.decode(column: "bytes", as: Int.self) ?? 0)
    }

    /// Bytes a user uploaded since a timestamp (for per-user daily quotas).
    public func bytes(uploadedBy actor: String, since: String) async throws -> Int {
        let row = try await db.select()
            .column(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("size")), SQLLiteral.numeric("0")), as: "bytes")
            .from("attachments").where("uploaded_by", .equal, actor).where("uploaded_at", .greaterThanOrEqual, since).first()
        return try row?.decode(column: "bytes", as: Int.self) ?? 0
    }

    public func list(objectType: String, objectId: String) async throws -> [Attachment] {
        try await list(objectType: objectType, objectIds: [objectId])[objectId] ?? []
    }

    /// The files of several objects at once (a school page's visits), by object id.
    public func list(objectType: String, objectIds: [String]) async throws -> [String: [Attachment]] {
        guard !objectIds.isEmpty else { return [:] }
        var out: [String: [Attachment]] = [:]
        for chunk in objectIds.chunked(500) {
            let rows = try await db.select().columns("id", "object_id", "filename", "content_type", "size").from("attachments")
                .where("object_type", .equal, objectType).where("object_id", .in, Array(chunk)).orderBy("uploaded_at").orderBy("id").all()
            for row in rows {
                out[try row.decode(column: "object_id", as: String.self), default: []].append(
                    Attachment(
                        id: try row.decode(column: "id", as: String.self), filename: try row.decode(column: "filename", as: String.self),
                        contentType: try row.decode(column: "content_type", as: String.self), size: try row.decode(column: "size", as: Int.self)))
            }
        }
        return out
    }

    /// The file and what it belongs to (callers check scope on the owner).
    public func load(_ id: String) async throws -> (objectType: String, objectId: String, contentType: String, filename: String, data: Data)? {
        guard let row = try await db.select().columns("*").from("attachments").where("id", .equal, id).first() else { return nil }
        return (
            try row.decode(column: "object_type", as: String.self), try row.decode(column: "object_id", as: String.self),
            try row.decode(column: "content_type", as: String.self), try row.decode(column: "filename", as: String.self),
            try row.decode(column: "data", as: Data.self)
        )
    }
}
