import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation
import Hummingbird

/// 政策工具箱: the document library. Signed-in callers search what their region may read and
/// offices file documents (upload form); anyone reads the public part (`/public/documents`).
struct DocumentPages: FeatureRoutes {
    let state: AppState

    func register(public router: RouterGroup<AppContext>, signedIn: RouterGroup<SignedInContext>) {
        router.get("public/documents") { request, context in try await search(request, context, caller: nil) }
        router.get("public/documents/:id/file") { request, context in try await file(request, context, caller: nil) }
        signedIn.get("documents") { request, context in try await search(request, context, caller: context.user) }
        signedIn.post("documents") { request, context in try await upload(request, context) }
        signedIn.get("documents/:id") { request, context in try await show(request, context) }
        signedIn.get("documents/:id/file") { request, context in try await file(request, context, caller: context.user) }
        signedIn.post("documents/:id/links") { request, context in try await link(request, context) }
    }

    func search(_ request: Request, _ ctx: some CallerContext & RequestContext, caller: Identity?) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let q = try request.query("q", max: 500) ?? ""
        let page = try request.queryInteger("page", in: 1...500) ?? 1
        var results: [DocumentsPage.Row] = []
        var total = 0
        if SearchQuery(q) != nil {
            let found = try await state.services.documents.search(q, for: caller, limit: 20, offset: (page - 1) * 20)
            total = found.total
            var names: [String: String] = [:]
            for r in found.results where names[r.document.regionCode] == nil {
                names[r.document.regionCode] =
                    try await RegionRepository(db.sql).find(r.document.regionCode)?.name
                    ?? (r.document.regionCode.isEmpty ? Strings.shared("overview", lang) : r.document.regionCode)
            }
            results = found.results.map { r in
                DocumentsPage.Row(
                    id: r.document.id, title: r.document.title,
                    href: caller == nil ? "/public/documents/\(r.document.id)/file" : "/documents/\(r.document.id)",
                    kind: lang == .zh ? r.document.kind.zh : r.document.kind.en, region: names[r.document.regionCode] ?? r.document.regionCode,
                    year: r.document.year.map(String.init) ?? "", snippet: r.snippet, tags: r.document.tags.joined(separator: " · "),
                    version: r.document.version)
            }
        }
        let title = Strings.shared(caller == nil ? "publicDocuments" : "documents", lang)
        let model = DocumentsPage(
            q: q, results: results, total: total, searched: SearchQuery(q) != nil, action: caller == nil ? "/public/documents" : "/documents",
            canFile: caller?.isOfficeStaff ?? false, region: caller?.regionCode ?? "",
            kinds: DocumentKind.allCases.map { .init(id: $0.rawValue, name: lang == .zh ? $0.zh : $0.en) },
            next: results.count == 20 && page * 20 < total ? "?q=\(queryEncoded(q))&page=\(page + 1)" : nil,
            pdfNote: DocumentText.pdfTool == nil ? Strings.shared("noPDFTool", lang) : nil)
        return pages.render(rl, .documents, Page(layout: pages.layout(request, ctx, lang, title: title), model: model))
    }

    func upload(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        guard let form = try await MultipartForm.parse(request, limit: Documents.maxBytes + (1 << 20)) else {
            throw AppError(
                status: .unsupportedMediaType, code: "media_type", field: nil, zh: "表单应为 multipart/form-data", en: "expected multipart/form-data")
        }
        let fields = FormData(fields: form.fields)
        guard ctx.acceptsCSRF(fields["csrf"]) else { throw AppError.csrf }
        guard let file = form.files.first(where: { $0.name == "file" }) else {
            throw AppError.invalid("file", zh: "请选择文件", en: "choose a file")
        }
        let kind = try Checked.choice(try fields.text("kind"), field: "kind", as: DocumentKind.self)
        let yearText = try fields.text("year")
        let filed = try await state.services.documents.file(
            .init(
                data: file.data, filename: file.filename ?? "", title: try fields.text("title", max: 200), kind: kind,
                region: try fields.text("region"),
                year: yearText.isEmpty ? nil : try Checked.year(yearText, field: "year"),
                tags: try fields.text("tags").split(whereSeparator: { $0 == "," || $0 == "，" || $0 == " " }).map(String.init),
                isPublic: fields["public"] == "1", replaces: try fields.text("replaces").isEmpty ? nil : try fields.text("replaces")),
            by: ctx.user)
        return .redirect(to: "/documents/\(filed.document.id)\(filed.duplicate ? "?duplicate=1" : "")", type: .normal)
    }

    func show(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let rl = RequestLanguage(request)
        let lang = rl.language
        let d = try await state.services.documents.document(try ctx.parameters.text("id"), for: ctx.user)
        let repository = DocumentRepository(db.sql)
        let versions = try await repository.versions(series: d.seriesId).filter { ctx.user.canRead(document: $0) }
        let links = try await repository.links(of: d.id)
        let region = try await RegionRepository(db.sql).find(d.regionCode)
        let model = DocumentPage(
            id: d.id, title: d.title, kind: lang == .zh ? d.kind.zh : d.kind.en, region: region?.name ?? d.regionCode,
            year: d.year.map(String.init) ?? "",
            tags: d.tags.joined(separator: " · "), isPublic: d.isPublic, filename: d.filename, size: "\(max(1, d.size / 1024)) KB",
            checksum: d.checksum, uploaded: "\(d.uploadedBy) · \(Today.display(d.uploadedAt))", version: d.version,
            textStatus: Strings.shared("text_\(d.textStatus.rawValue)", lang), duplicate: try request.query("duplicate") == "1",
            versions: versions.map { .init(id: $0.id, version: $0.version, uploaded: Today.display($0.uploadedAt), current: $0.id == d.id) },
            links: links.map { "\(Strings.shared("link_\($0.objectType)", lang)) · \($0.objectId)" },
            linkTypes: Documents.LinkTarget.allCases.map { .init(id: $0.rawValue, name: Strings.shared("link_\($0.rawValue)", lang)) },
            canLink: ctx.user.isOfficeStaff, canFile: ctx.user.canFileDocuments(region: d.regionCode),
            kindId: d.kind.rawValue, regionCode: d.regionCode)
        return pages.render(rl, .document, Page(layout: pages.layout(request, ctx, lang, title: d.title), model: model))
    }

    /// Links the document to a score item, an evaluation, a visit or a rectification case by id.
    func link(_ request: Request, _ ctx: SignedInContext) async throws -> Response {
        let id = try ctx.parameters.text("id")
        let form = try await FormData.submitted(request, ctx)
        try await state.services.documents.link(id, to: try form.text("object_type"), try form.text("object_id", max: 200), by: ctx.user)
        return .redirect(to: "/documents/\(id)#links", type: .normal)
    }

    func file(_ request: Request, _ ctx: some CallerContext & RequestContext, caller: Identity?) async throws -> Response {
        let d = try await state.services.documents.document(try ctx.parameters.text("id"), for: caller)
        guard caller != nil || d.isPublic else { throw AppError.notFound("document") }
        let data = try await state.services.documents.content(d)
        return Response(
            status: .ok,
            headers: [
                .contentType: d.contentType, .contentDisposition: AttachmentHeaders.disposition(inline: false, filename: d.filename),
                .init("X-Content-Type-Options")!: "nosniff",
            ], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct DocumentsPage: Sendable {
    struct Row: Sendable {
        var id: String
        var title: String
        var href: String
        var kind: String
        var region: String
        var year: String
        /// Built escaped by `Snippet.html`, with the matches in <mark>.
        var snippet: String
        var tags: String
        var version: Int
    }

    struct Option: Sendable {
        var id: String
        var name: String
    }

    var q: String
    var results: [Row]
    var total: Int
    var searched: Bool
    var action: String
    var canFile: Bool
    var region: String
    var kinds: [Option]
    var next: String?
    var pdfNote: String?
}

struct DocumentPage: Sendable {
    struct Version: Sendable {
        var id: String
        var version: Int
        var uploaded: String
        var current: Bool
    }

    var id: String
    var title: String
    var kind: String
    var region: String
    var year: String
    var tags: String
    var isPublic: Bool
    var filename: String
    var size: String
    var checksum: String
    var uploaded: String
    var version: Int
    var textStatus: String
    var duplicate: Bool
    var versions: [Version]
    var links: [String]
    var linkTypes: [DocumentsPage.Option]
    var canLink: Bool
    var canFile: Bool
    var kindId: String
    var regionCode: String
}
