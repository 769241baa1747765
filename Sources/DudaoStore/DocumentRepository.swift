import Crypto
import DudaoCore
import Foundation
import SQLKit

/// The document library and evidence store; written on the database given.
///
/// Search is by substring, the same on both backends: every term must occur in the document's
/// lower-case title, tags and text (`search_text`). Terms of three characters or more are
/// answered from a trigram index (SQLite FTS5 `trigram`, PostgreSQL `pg_trgm` GIN), shorter
/// ones (督导, 均衡) by a scan of the rows left (`instr` / `LIKE`), which is exact where a trigram
/// index cannot answer. The rank is computed in SQL from the same strings on both backends: the
/// number of terms found in the title, then the newest first.
public struct DocumentRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public static func checksum(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: blobs

    public func hasBlob(_ checksum: String) async throws -> Bool {
        try await db.select().column("checksum").from("document_blobs").where("checksum", .equal, checksum).first() != nil
    }

    public func insertBlob(_ checksum: String, _ data: Data) async throws {
        try await db.insert(into: "document_blobs").columns("checksum", "size", "data").values(checksum, data.count, data).run()
    }

    public func data(_ checksum: String) async throws -> Data? {
        try await db.select().column("data").from("document_blobs").where("checksum", .equal, checksum).first()?
            .decode(column: "data", as: Data.self)
    }

    // MARK: documents

    public func insert(_ d: LibraryDocument, bodyText: String) async throws {
        let title = SearchQuery.fold(d.title)
        let search = [title, SearchQuery.fold(d.tags.joined(separator: " ")), SearchQuery.fold(bodyText)].joined(separator: "\n")
        try await db.insert(into: "documents")
            .columns(
                "id", "title", "kind", "region_code", "year", "tags", "is_public", "series_id", "version", "is_latest", "checksum", "filename",
                "content_type", "size", "text_status", "body_text", "search_title", "search_text", "uploaded_by", "uploaded_at"
            )
            .values(
                d.id, d.title, d.kind.rawValue, d.regionCode, d.year, d.tags.joined(separator: ","), d.isPublic ? 1 : 0, d.seriesId, d.version, 1,
                d.checksum, d.filename, d.contentType, d.size, d.textStatus.rawValue, bodyText, title, search, d.uploadedBy, d.uploadedAt
            ).run()
        if d.version > 1 {
            try await db.update("documents").set("is_latest", to: 0).where("series_id", .equal, d.seriesId).where("id", .notEqual, d.id).run()
        }
        if db.dialect.name == "sqlite" {
            // One writer: the next number cannot be taken twice.
            try await db.raw("UPDATE documents SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM documents) WHERE id = \(bind: d.id)").run()
            try await db.raw("INSERT INTO documents_fts (rowid, search_text) SELECT seq, search_text FROM documents WHERE id = \(bind: d.id)").run()
        }
    }

    static let listColumns = [
        "id", "title", "kind", "region_code", "year", "tags", "is_public", "series_id", "version", "checksum", "filename", "content_type", "size",
        "text_status", "uploaded_by", "uploaded_at",
    ]

    public func find(_ id: String) async throws -> LibraryDocument? {
        try await db.select().columns(Self.listColumns.map { SQLColumn($0) }).from("documents").where("id", .equal, id).first().map(Self.decode)
    }

    /// A document of `region` with the same content, if one is filed.
    public func find(checksum: String, region: String) async throws -> LibraryDocument? {
        try await db.select().columns(Self.listColumns.map { SQLColumn($0) }).from("documents").where("checksum", .equal, checksum)
            .where("region_code", .equal, region).orderBy("uploaded_at").first().map(Self.decode)
    }

    /// Every version of a document, newest first.
    public func versions(series: String) async throws -> [LibraryDocument] {
        try await db.select().columns(Self.listColumns.map { SQLColumn($0) }).from("documents").where("series_id", .equal, series)
            .orderBy("version", .descending).all().map(Self.decode)
    }

    public func bodyTexts(_ ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for row in try await db.select().columns("id", "body_text").from("documents").where("id", .in, ids).all() {
            out[try row.decode(column: "id", as: String.self)] = try row.decode(column: "body_text", as: String.self)
        }
        return out
    }

    /// Who may see what, as the search filters it (`Identity.canRead(document:)` in SQL).
    public struct Visibility: Sendable {
        /// Only documents marked public (the public library, callers not signed in).
        public var publicOnly: Bool
        /// The subtree the caller reads everything of ("" = everything; nil = none: principals).
        public var subtree: String?
        /// Regions above the caller ("" = national), whose documents other than evidence reach down to it.
        public var ancestors: [String]

        public init(publicOnly: Bool, subtree: String?, ancestors: [String]) {
            self.publicOnly = publicOnly
            self.subtree = subtree
            self.ancestors = ancestors
        }

        public static let everything = Visibility(publicOnly: false, subtree: "", ancestors: [])
    }

    public struct Hit: Sendable {
        public var document: LibraryDocument
        public var rank: Int
    }

    /// The latest version of every visible document holding every term, best first.
    public func search(_ q: SearchQuery, _ v: Visibility, limit: Int, offset: Int) async throws -> (total: Int, hits: [Hit]) {
        let sqlite = db.dialect.name == "sqlite"
        var filter = SQLQueryString(" FROM documents d WHERE d.is_latest = 1")
        if v.publicOnly {
            filter.appendLiteral(" AND d.is_public = 1")
        } else if v.subtree != "" {
            filter.appendLiteral(" AND (d.is_public = 1")
            if let subtree = v.subtree {
                filter.appendLiteral(" OR (d.region_code >= ")
                filter.appendInterpolation(bind: subtree)
                filter.appendLiteral(" AND d.region_code < ")
                filter.appendInterpolation(bind: subtree + ":")
                filter.appendLiteral(")")
            }
            for a in v.ancestors {
                filter.appendLiteral(" OR (d.kind <> 'evidence' AND d.region_code = ")
                filter.appendInterpolation(bind: a)
                filter.appendLiteral(")")
            }
            filter.appendLiteral(")")
        }
        if sqlite {
            if !q.indexable.isEmpty {
                let match = q.indexable.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND ")
                filter.appendLiteral(" AND d.seq IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ")
                filter.appendInterpolation(bind: match)
                filter.appendLiteral(")")
            }
            for t in q.short {
                filter.appendLiteral(" AND instr(d.search_text, ")
                filter.appendInterpolation(bind: t)
                filter.appendLiteral(") > 0")
            }
        } else {
            for t in q.terms {
                filter.appendLiteral(" AND d.search_text LIKE ")
                filter.appendInterpolation(bind: "%" + Self.escapeLike(t) + "%")
                filter.appendLiteral(" ESCAPE '\\'")
            }
        }
        // Ranked by the number of terms in the title, then newest first. (Counting occurrences in
        // the text was measured at 3× the cost of the whole search for common words.)
        // Narrow rows through the sort (id, rank, date); the page's documents are read after.
        var select = SQLQueryString("SELECT d.id, 0")
        let find = sqlite ? "instr" : "strpos"
        for t in q.terms {
            select.appendLiteral(" + (CASE WHEN \(find)(d.search_title, ")
            select.appendInterpolation(bind: t)
            select.appendLiteral(") > 0 THEN 1 ELSE 0 END)")
        }
        // The total comes with the page (one pass over the matches, not two).
        select.appendLiteral(" AS rank, COUNT(*) OVER () AS total")
        select.appendInterpolation(filter)
        select.appendLiteral(" ORDER BY rank DESC, d.uploaded_at DESC, d.id LIMIT \(max(1, min(limit, 100))) OFFSET \(max(0, offset))")
        let rows = try await db.raw(select).all()
        let ranks = try rows.map { (try $0.decode(column: "id", as: String.self), try $0.decode(column: "rank", as: Int.self)) }
        var documents: [String: LibraryDocument] = [:]
        if !ranks.isEmpty {
            for d in try await db.select().columns(Self.listColumns.map { SQLColumn($0) }).from("documents").where("id", .in, ranks.map(\.0)).all()
                .map(Self.decode)
            {
                documents[d.id] = d
            }
        }
        let hits = ranks.compactMap { id, rank in documents[id].map { Hit(document: $0, rank: rank) } }
        var total = try rows.first?.decode(column: "total", as: Int.self) ?? 0
        // A page past the end has no rows to carry the total.
        if rows.isEmpty && offset > 0 {
            var count = SQLQueryString("SELECT COUNT(*) AS n")
            count.appendInterpolation(filter)
            total = try await db.raw(count).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return (total, hits)
    }

    public func count() async throws -> Int {
        try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("documents").first()?.decode(column: "n", as: Int.self)
            ?? 0
    }

    /// The benchmark's baseline: the same page and total by a plain `LIKE '%…%'` scan of every
    /// row (no index, newest first).
    public func searchByScan(_ q: SearchQuery, limit: Int) async throws -> (total: Int, ids: [String]) {
        var sql = SQLQueryString("SELECT d.id, COUNT(*) OVER () AS total FROM documents d WHERE d.is_latest = 1")
        for t in q.terms {
            // `|| ''` keeps PostgreSQL from answering the baseline from the trigram index.
            sql.appendLiteral(" AND (d.search_text || '') LIKE ")
            sql.appendInterpolation(bind: "%" + Self.escapeLike(t) + "%")
            sql.appendLiteral(" ESCAPE '\\'")
        }
        sql.appendLiteral(" ORDER BY d.uploaded_at DESC, d.id LIMIT \(max(1, min(limit, 100)))")
        let rows = try await db.raw(sql).all()
        return (try rows.first?.decode(column: "total", as: Int.self) ?? 0, try rows.map { try $0.decode(column: "id", as: String.self) })
    }

    static func escapeLike(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    // MARK: evidence links

    public struct Link: Sendable, Hashable {
        public var documentId: String
        public var objectType: String
        public var objectId: String
    }

    /// Links a document to what it supports; false when the link exists already.
    public func link(_ documentId: String, objectType: String, objectId: String, by actor: String, at now: String) async throws -> Bool {
        let existing = try await db.select().column("document_id").from("evidence_links").where("document_id", .equal, documentId)
            .where("object_type", .equal, objectType).where("object_id", .equal, objectId).first()
        guard existing == nil else { return false }
        try await db.insert(into: "evidence_links").columns("document_id", "object_type", "object_id", "linked_by", "linked_at")
            .values(documentId, objectType, objectId, actor, now).run()
        return true
    }

    public func links(of documentId: String) async throws -> [Link] {
        try await db.select().columns("document_id", "object_type", "object_id").from("evidence_links").where("document_id", .equal, documentId)
            .orderBy("object_type").orderBy("object_id").all()
            .map {
                Link(
                    documentId: try $0.decode(column: "document_id", as: String.self),
                    objectType: try $0.decode(column: "object_type", as: String.self),
                    objectId: try $0.decode(column: "object_id", as: String.self))
            }
    }

    public func documents(linkedTo objectType: String, _ objectId: String) async throws -> [LibraryDocument] {
        try await db.select().columns(Self.listColumns.map { SQLColumn($0, table: "d") }).from(
            SQLAlias(SQLIdentifier("documents"), as: SQLIdentifier("d"))
        )
        .join(
            SQLAlias(SQLIdentifier("evidence_links"), as: SQLIdentifier("l")), method: SQLJoinMethod.inner, on: SQLColumn("document_id", table: "l"),
            .equal, SQLColumn("id", table: "d")
        )
        .where(SQLColumn("object_type", table: "l"), .equal, SQLBind(objectType)).where(SQLColumn("object_id", table: "l"), .equal, SQLBind(objectId))
        .orderBy(SQLColumn("uploaded_at", table: "d")).all().map(Self.decode)
    }

    static func decode(_ row: any SQLRow) throws -> LibraryDocument {
        let tags = try row.decode(column: "tags", as: String.self)
        return LibraryDocument(
            id: try row.decode(column: "id", as: String.self), title: try row.decode(column: "title", as: String.self),
            kind: try row.decode(DocumentKind.self, column: "kind", table: "documents"),
            regionCode: try row.decode(column: "region_code", as: String.self),
            year: try row.decode(column: "year", as: Int?.self), tags: tags.isEmpty ? [] : tags.split(separator: ",").map(String.init),
            isPublic: try row.decode(column: "is_public", as: Int.self) != 0, seriesId: try row.decode(column: "series_id", as: String.self),
            version: try row.decode(column: "version", as: Int.self), checksum: try row.decode(column: "checksum", as: String.self),
            filename: try row.decode(column: "filename", as: String.self), contentType: try row.decode(column: "content_type", as: String.self),
            size: try row.decode(column: "size", as: Int.self),
            textStatus: try row.decode(TextStatus.self, column: "text_status", table: "documents"),
            uploadedBy: try row.decode(column: "uploaded_by", as: String.self), uploadedAt: try row.decode(column: "uploaded_at", as: String.self))
    }
}
