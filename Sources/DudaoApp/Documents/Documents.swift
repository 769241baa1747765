import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import SQLKit

/// 政策工具箱 · 佐证材料 (SPEC §4.6): filing documents (`FileDocument`: recognised by their bytes,
/// each content stored once, text extracted for search, audited), new versions of a document,
/// linking a document to what it supports (`LinkEvidence`), and searching in Chinese within
/// the caller's scope.
public struct Documents: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public static let maxBytes = 20 * 1024 * 1024

    public struct Filing: Sendable {
        public var data: Data
        public var filename: String
        public var title: String
        public var kind: DocumentKind
        public var region: String
        public var year: Int?
        public var tags: [String]
        public var isPublic: Bool
        /// A new version of this document (its id, any version).
        public var replaces: String?
        /// Link the document to what it supports, in the same transaction (`evaluation_case`, id).
        public var linkTo: (type: String, id: String)?

        public init(
            data: Data, filename: String, title: String, kind: DocumentKind, region: String, year: Int? = nil, tags: [String] = [],
            isPublic: Bool = false, replaces: String? = nil, linkTo: (type: String, id: String)? = nil
        ) {
            self.data = data
            self.filename = filename
            self.title = title
            self.kind = kind
            self.region = region
            self.year = year
            self.tags = tags
            self.isPublic = isPublic
            self.replaces = replaces
            self.linkTo = linkTo
        }
    }

    public struct Filed: Sendable {
        public var document: LibraryDocument
        /// The same content was already filed for the region: that document, not a copy.
        public var duplicate: Bool
    }

    public func file(_ f: Filing, by actor: Identity) async throws -> Filed {
        guard actor.canFileDocuments(region: f.region) else {
            throw ServiceError(
                .forbidden, code: "not_allowed", zh: "只有本级及上级督导办可以为该地区归档文件", en: "only this region's office and those above file its documents")
        }
        if !f.region.isEmpty, try await RegionRepository(services.reads).find(f.region) == nil {
            throw ServiceError(.invalid, code: "invalid", field: "region", zh: "未知的行政区划：\(f.region)", en: "unknown region: \(f.region)")
        }
        guard !f.data.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "file", zh: "文件为空", en: "the file is empty") }
        guard f.data.count <= Self.maxBytes else {
            throw ServiceError(.tooLarge, code: "too_large", field: "file", zh: "文件超过 20 MB", en: "the file is larger than 20 MB")
        }
        // Recognised by content, never by name or declared type.
        let upload = UploadKind.recognise(f.data)
        guard upload != nil || DocumentText.plainText(f.data) != nil else {
            throw ServiceError(
                .unsupportedType, code: "unsupported_type", field: "file", zh: "只接受 PDF、DOCX、XLSX、图片或 UTF-8 文本文件",
                en: "only PDF, DOCX, XLSX, images or UTF-8 text files are accepted")
        }
        let title = try Checked.text(f.title, field: "title", max: 200)
        guard !title.isEmpty else { throw ServiceError(.invalid, code: "invalid", field: "title", zh: "请填写标题", en: "a title is required") }
        let tags = try f.tags.map { try Checked.text($0.replacingOccurrences(of: ",", with: " "), field: "tags", max: 40) }.filter { !$0.isEmpty }
        if let y = f.year { _ = try Checked.year(y, field: "year") }
        let filename = try Checked.text(f.filename.isEmpty ? "document" : String(f.filename.suffix(120)), field: "filename")
        // Checksum and text (pdftotext for a PDF) are taken before the transaction.
        let prepared = Self.prepare(f.data, filename: filename, kind: upload)
        let previous = try await replaced(f.replaces, by: actor)
        let link = try f.linkTo.map {
            (type: try Checked.identifier($0.type, field: "object_type"), id: try Checked.text($0.id, field: "object_id", max: 200))
        }
        return try await services.transaction { tx, now in
            let repository = DocumentRepository(tx)
            if previous == nil, let same = try await repository.find(checksum: prepared.checksum, region: f.region) {
                if let link { try await Self.recordLink(same, to: link, by: actor.username, at: now.timestamp, on: tx) }
                return Filed(document: same, duplicate: true)
            }
            var series: (id: String, version: Int)?
            if let previous {
                series = (previous.seriesId, (try await repository.versions(series: previous.seriesId).first?.version ?? previous.version) + 1)
            }
            let d = try await Self.store(
                prepared, title: title, kind: f.kind, region: previous?.regionCode ?? f.region, year: f.year, tags: tags, isPublic: f.isPublic,
                series: series, by: actor.username, at: now.timestamp, on: tx)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor.username, action: previous == nil ? "file" : "new_version", objectType: "document",
                    objectId: d.id,
                    oldValue: previous?.id, newValue: "\(title); \(f.kind.rawValue); \(filename); sha256 \(prepared.checksum.prefix(16))",
                    regionCode: d.regionCode)
            ])
            if let link { try await Self.recordLink(d, to: link, by: actor.username, at: now.timestamp, on: tx) }
            return Filed(document: d, duplicate: false)
        }
    }

    /// A file ready to be filed: its checksum and its text taken outside any transaction.
    struct Prepared: Sendable {
        var filename: String
        var contentType: String
        var data: Data
        var checksum: String
        var text: String
        var status: TextStatus
    }

    static func prepare(_ data: Data, filename: String, kind: UploadKind?) -> Prepared {
        let (text, status) = DocumentText.extract(data, kind: kind)
        return Prepared(
            filename: filename, contentType: kind?.contentType ?? "text/plain; charset=utf-8", data: data,
            checksum: DocumentRepository.checksum(data),
            text: text, status: status)
    }

    /// Stores a new document (its bytes once per content): a first version, or the next of `series`.
    static func store(
        _ p: Prepared, title: String, kind: DocumentKind, region: String, year: Int?, tags: [String], isPublic: Bool,
        series: (id: String, version: Int)?, by actor: String, at now: String, on tx: any SQLDatabase
    ) async throws -> LibraryDocument {
        let repository = DocumentRepository(tx)
        if !(try await repository.hasBlob(p.checksum)) { try await repository.insertBlob(p.checksum, p.data) }
        let id = UUID().uuidString.lowercased()
        let d = LibraryDocument(
            id: id, title: title, kind: kind, regionCode: region, year: year, tags: tags, isPublic: isPublic, seriesId: series?.id ?? id,
            version: series?.version ?? 1, checksum: p.checksum, filename: p.filename, contentType: p.contentType, size: p.data.count,
            textStatus: p.status, uploadedBy: actor, uploadedAt: now)
        try await repository.insert(d, bodyText: p.text)
        return d
    }

    /// Links a document to what it supports, with its audit entry (under `region`, default the
    /// document's); nothing when linked already.
    static func recordLink(
        _ d: LibraryDocument, to link: (type: String, id: String), region: String? = nil, by actor: String, at now: String, on tx: any SQLDatabase
    ) async throws {
        guard try await DocumentRepository(tx).link(d.id, objectType: link.type, objectId: link.id, by: actor, at: now) else { return }
        try await AuditLog(tx).record([
            AuditEntry(
                at: now, actor: actor, action: "link", objectType: "document", objectId: d.id, oldValue: nil, newValue: "\(link.type) \(link.id)",
                regionCode: region ?? d.regionCode)
        ])
    }

    private func replaced(_ id: String?, by actor: Identity) async throws -> LibraryDocument? {
        guard let id else { return nil }
        guard let p = try await DocumentRepository(services.reads).find(id), actor.canRead(document: p), actor.canFileDocuments(region: p.regionCode)
        else {
            throw ServiceError.notFound("document \(id)")
        }
        return p
    }

    /// Files evidence inside another use case's transaction (a score item's files): one document
    /// per file (or the region's document with the same content), each linked to `object`. The
    /// caller recognised the files by their bytes (`Uploads`) and prepared them before its transaction.
    static func fileEvidence(
        _ files: [Prepared], region: String, year: Int, tags: [String], object: (type: String, id: String), by actor: String, at now: String,
        on tx: any SQLDatabase
    ) async throws {
        for file in files {
            var document = try await DocumentRepository(tx).find(checksum: file.checksum, region: region)
            if document == nil {
                document = try await store(
                    file, title: file.filename, kind: .evidence, region: region, year: year, tags: tags, isPublic: false, series: nil, by: actor,
                    at: now, on: tx)
            }
            if let d = document { try await recordLink(d, to: object, by: actor, at: now, on: tx) }
        }
    }

    /// A document the caller may read; unknown and out-of-scope ids are both "not found".
    public func document(_ id: String, for actor: Identity?) async throws -> LibraryDocument {
        guard let d = try await DocumentRepository(services.reads).find(id), actor.map({ $0.canRead(document: d) }) ?? d.isPublic else {
            throw ServiceError.notFound("document \(id)")
        }
        return d
    }

    public func content(_ d: LibraryDocument) async throws -> Data {
        guard let data = try await DocumentRepository(services.reads).data(d.checksum) else { throw ServiceError.notFound("document \(d.id)") }
        return data
    }

    /// What a document can support, and the region each belongs to.
    public enum LinkTarget: String, Sendable, CaseIterable {
        case scoreItem = "score_item", evaluationCase = "evaluation_case", visit, rectification, keyTask = "key_task"
    }

    /// The region of the thing a document is to support, when it exists; nil otherwise.
    func region(of type: LinkTarget, _ id: String) async throws -> String? {
        switch type {
        case .visit: return try await VisitRepository(services.reads).find(id)?.countyCode
        case .rectification: return try await RectificationRepository(services.reads).find(id)?.case.countyCode
        case .evaluationCase: return try await EvaluationCaseRepository(services.reads).find(id)?.regionCode
        case .keyTask: return try await KeyTaskRepository(services.reads).task(id)?.regionCode
        case .scoreItem:
            // sheet/region/year/item, as ScoreRepository.evidenceObject writes it.
            let parts = id.split(separator: "/").map(String.init)
            guard parts.count == 4, let sheet = ScoreSheet.sheet(id: parts[0]), sheet.item(parts[3]) != nil, Int(parts[2]) != nil else { return nil }
            return try await RegionRepository(services.reads).find(parts[1])?.code
        }
    }

    /// Links a library document to a thing it supports (a score item, an evaluation, a visit, a
    /// rectification case) without uploading it again; linking twice changes nothing. Both the
    /// document and the thing must be within the caller's reach.
    public func link(_ documentId: String, to objectType: String, _ objectId: String, by actor: Identity) async throws {
        let d = try await document(documentId, for: actor)
        guard let type = LinkTarget(rawValue: objectType) else {
            throw ServiceError(
                .invalid, code: "invalid", field: "object_type", zh: "不能关联到“\(objectType)”",
                en: "cannot link to '\(objectType)' (one of \(LinkTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let object = try Checked.text(objectId, field: "object_id", max: 200)
        guard let region = try await region(of: type, object), actor.isOfficeStaff, actor.canRead(region: region) else {
            throw ServiceError.notFound("\(type.rawValue) \(object)")
        }
        try await services.transaction { tx, now in
            try await Self.recordLink(d, to: (type.rawValue, object), region: region, by: actor.username, at: now.timestamp, on: tx)
        }
    }

    public struct Result: Sendable {
        public var document: LibraryDocument
        /// The passage around the first match, terms in `<mark>`, HTML-escaped.
        public var snippet: String
        public var rank: Int
    }

    /// Documents holding every term, within what `actor` may read (nil: the public library).
    public func search(_ text: String, for actor: Identity?, limit: Int = 20, offset: Int = 0) async throws -> (total: Int, results: [Result]) {
        guard let q = SearchQuery(text) else {
            throw ServiceError(.invalid, code: "invalid", field: "q", zh: "请输入检索词", en: "enter something to search for")
        }
        let visibility: DocumentRepository.Visibility
        if let actor {
            // The same rule as `Identity.canRead(document:)`: a principal reads no subtree, and
            // the documents of its own county as those of a region above.
            let above = RegionCode.ancestors(of: actor.regionCode).filter { !$0.isEmpty }
            let principal = actor.role == .principal
            visibility = .init(
                publicOnly: false, subtree: principal ? nil : actor.regionCode,
                ancestors: actor.regionCode.isEmpty ? [] : [""] + above + (principal ? [actor.regionCode] : []))
        } else {
            visibility = .init(publicOnly: true, subtree: "", ancestors: [])
        }
        let repository = DocumentRepository(services.reads)
        let (total, hits) = try await repository.search(q, visibility, limit: limit, offset: offset)
        let bodies = try await repository.bodyTexts(hits.map(\.document.id))
        return (
            total,
            hits.map { h in
                let body = bodies[h.document.id] ?? ""
                return Result(
                    document: h.document, snippet: Snippet.html(body.isEmpty ? h.document.title : body, terms: q.terms), rank: h.rank)
            }
        )
    }
}
