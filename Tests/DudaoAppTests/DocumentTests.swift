import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import SQLKit
import Testing

/// The document library on both backends: substring search in Chinese (two-character words,
/// longer phrases, mixed queries), scope, one copy per content, versions, text from DOCX,
/// XLSX, PDF and plain text. The same test runs on SQLite and PostgreSQL, so each expected
/// list of ids is what both backends must answer.
@Suite("Document library and search")
struct DocumentTests {
    static func setUp(_ db: Database) async throws -> (Services, Identity, Identity, Identity) {
        try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
        let services = Services(database: db, clock: SteppingClock(day: "2026-11-25"), passwordCost: 4)
        let users = UserRepository(db.sql)
        return (
            services, try #require(try await users.find(username: "yuzhou")), try #require(try await users.find(username: "changge")),
            try #require(try await users.find(username: "xuchang"))
        )
    }

    static func text(_ s: String) -> Data { Data(s.utf8) }

    /// A one-page PDF whose text is `line` (Helvetica, ASCII), for pdftotext.
    static func pdf(_ line: String) -> Data {
        let content = "BT /F1 18 Tf 10 60 Td (\(line)) Tj ET"
        return Data(
            """
            %PDF-1.4
            1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj
            2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj
            3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 400 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>> endobj
            4 0 obj <</Length \(content.utf8.count)>> stream
            \(content)
            endstream endobj
            5 0 obj <</Type/Font/Subtype/Type1/BaseFont/Helvetica>> endobj
            trailer <</Root 1 0 R>>
            %%EOF
            """.utf8)
    }

    /// Files the test library and returns the ids by a short name.
    static func library(_ services: Services, _ yuzhou: Identity, _ changge: Identity, _ xuchang: Identity) async throws -> [String: String] {
        let admin = Identity.system("test")
        var ids: [String: String] = [:]
        func file(_ name: String, _ f: Documents.Filing, by actor: Identity) async throws {
            ids[name] = try await services.documents.file(f, by: actor).document.id
        }
        try await file(
            "county",
            .init(
                data: text("禹州市2024年义务教育优质均衡发展督导评估自评工作方案。责任督学每月到校督导一次。"), filename: "plan.txt", title: "禹州市自评工作方案", kind: .plan, region: "411081",
                year: 2024),
            by: yuzhou)
        try await file(
            "city", .init(data: text("许昌市关于推进县域义务教育均衡发展的实施意见（2023）"), filename: "c.txt", title: "许昌市实施意见", kind: .policy, region: "4110", year: 2023),
            by: xuchang)
        try await file(
            "sibling", .init(data: text("长葛市督导工作总结：均衡发展 2024 年成效。"), filename: "s.txt", title: "长葛市督导总结", kind: .plan, region: "411082", year: 2024),
            by: changge)
        try await file(
            "national",
            .init(
                data: text("县域义务教育优质均衡发展督导评估办法 全文。"), filename: "n.txt", title: "优质均衡督导评估办法", kind: .policy, region: "", year: 2017, tags: ["国家"],
                isPublic: true),
            by: admin)
        let docx = try DOCXWriter.write([.title("禹州市整改报告"), .paragraph("针对督导发现的问题，逐项整改到位。")])
        try await file("docx", .init(data: docx, filename: "r.docx", title: "整改报告", kind: .evidence, region: "411081", year: 2024), by: yuzhou)
        let xlsx = try XLSXWriter.write([Table(name: "台账", header: ["学校", "问题"], rows: [["禹州市实验第一小学", "消防通道堆放杂物"]])])
        try await file("xlsx", .init(data: xlsx, filename: "t.xlsx", title: "问题台账", kind: .evidence, region: "411081"), by: yuzhou)
        return ids
    }

    @Test func substringSearchInChineseWithinScope() async throws {
        try await TestDatabase.with { db in
            let (services, yuzhou, changge, xuchang) = try await Self.setUp(db)
            let ids = try await Self.library(services, yuzhou, changge, xuchang)
            func search(_ q: String, as actor: Identity?) async throws -> [String] {
                // The test's documents in the order found (the demo library is searched too).
                try await services.documents.search(q, for: actor, limit: 100).results.compactMap { r in ids.first { $0.value == r.document.id }?.key
                }
            }
            // Two characters, below what a trigram index answers: found by the scan, ranked by
            // terms in the title, then newest first; never the sibling county's. By hand: national
            // has 督导 in its title; docx (5th filed) is newer than county (1st).
            #expect(try await search("督导", as: yuzhou) == ["national", "docx", "county"])
            #expect(try await search("督导", as: changge) == ["national", "sibling"])
            #expect(try await search("督导", as: xuchang) == ["national", "sibling", "docx", "county"])
            // A principal reads the county's plans and what comes from above, not its evidence.
            let principal = try #require(try await UserRepository(db.sql).find(username: "principal"))
            #expect(try await search("督导", as: principal) == ["national", "county"])
            #expect(try await search("均衡发展", as: principal) == ["national", "city", "county"])
            // Three and more characters, from the index: in no title, so newest first.
            #expect(try await search("均衡发展", as: yuzhou) == ["national", "city", "county"])
            #expect(try await search("消防通道", as: yuzhou) == ["xlsx"])
            #expect(try await search("逐项整改", as: yuzhou) == ["docx"])
            // Several words: all of them; mixed Chinese and digits.
            #expect(try await search("2024 均衡", as: yuzhou) == ["county"])
            #expect(try await search("2024 均衡", as: xuchang) == ["sibling", "county"])
            // A quoted phrase is the phrase, blanks included.
            #expect(try await search("\"督导评估办法 全文\"", as: yuzhou) == ["national"])
            #expect(try await search("\"督导评估 全文\"", as: yuzhou).isEmpty)
            // Full-width and upper-case letters are folded.
            #expect(try await search("２０２４ 均衡", as: yuzhou) == ["county"])
            // Tags are searched too; the public library holds only public documents.
            #expect(try await search("国家", as: nil) == ["national"])
            #expect(try await search("督导", as: nil) == ["national"])
            #expect(try await services.documents.search("督导", for: nil, limit: 100).results.allSatisfy(\.document.isPublic))
            // The passage shows the match marked, escaped.
            let hit = try #require(try await services.documents.search("每月到校", for: yuzhou).results.first)
            #expect(hit.snippet.contains("<mark>每月到校</mark>"))
            #expect(try await services.documents.search("禹州市自评工作方案", for: yuzhou).total == 1)
            await #expect(throws: ServiceError.self) { _ = try await services.documents.search("  \"\" ", for: yuzhou) }
            // Nothing the caller may not read is reachable by id either.
            await #expect(throws: ServiceError.self) { _ = try await services.documents.document(ids["sibling"]!, for: yuzhou) }
            #expect(try await services.documents.document(ids["city"]!, for: yuzhou).regionCode == "4110")
        }
    }

    @Test func oneCopyPerContentVersionsAndRecognitionByBytes() async throws {
        try await TestDatabase.with { db in
            let (services, yuzhou, _, xuchang) = try await Self.setUp(db)
            // The demo library is there already.
            let blobs = try await TestDatabase.count(db, "document_blobs")
            let bytes = Self.text("关于开展2026年春季开学专项督导的通知")
            let first = try await services.documents.file(
                .init(data: bytes, filename: "a.txt", title: "开学督导通知", kind: .policy, region: "411081"), by: yuzhou)
            let again = try await services.documents.file(
                .init(data: bytes, filename: "b.txt", title: "又一份", kind: .policy, region: "411081"), by: yuzhou)
            #expect(again.duplicate && again.document.id == first.document.id)
            let city = try await services.documents.file(
                .init(data: bytes, filename: "a.txt", title: "市转发", kind: .policy, region: "4110"), by: xuchang)
            #expect(!city.duplicate && city.document.checksum == first.document.checksum)
            #expect(try await TestDatabase.count(db, "document_blobs") == blobs + 1)
            // A new version: the library lists the latest only.
            let v2 = try await services.documents.file(
                .init(
                    data: Self.text("关于开展2026年春季开学专项督导的通知（修订）"), filename: "a2.txt", title: "开学督导通知", kind: .policy, region: "411081",
                    replaces: first.document.id),
                by: yuzhou)
            #expect(v2.document.version == 2 && v2.document.seriesId == first.document.id)
            let found = try await services.documents.search("开学专项督导", for: yuzhou).results.map(\.document.id)
            #expect(found.contains(v2.document.id) && !found.contains(first.document.id))
            // Bytes decide, not names: garbage is refused; a PDF's text comes from pdftotext.
            await #expect(throws: ServiceError.self) {
                _ = try await services.documents.file(
                    .init(data: Data([0, 1, 2, 0xFF]), filename: "x.pdf", title: "x", kind: .evidence, region: "411081"), by: yuzhou)
            }
            let pdf = try await services.documents.file(
                .init(data: Self.pdf("county supervision report"), filename: "r.pdf", title: "PDF 报告", kind: .evidence, region: "411081"), by: yuzhou)
            if DocumentText.pdfTool != nil {
                #expect(pdf.document.textStatus == .extracted)
                #expect(try await services.documents.search("supervision report", for: yuzhou).results.map(\.document.id) == [pdf.document.id])
            } else {
                #expect(pdf.document.textStatus == .noPDFTool)
                #expect(ProcessInfo.processInfo.environment["DUDAO_REQUIRE_PDFTOTEXT"] == nil, "install poppler-utils: pdftotext is required here")
            }
            // Another county's office may not file for this county.
            let changge = try #require(try await UserRepository(db.sql).find(username: "changge"))
            await #expect(throws: ServiceError.self) {
                _ = try await services.documents.file(
                    .init(data: Self.text("x"), filename: "x.txt", title: "x", kind: .plan, region: "411081"), by: changge)
            }
            // Linked to what it supports, once; audited.
            try await services.documents.link(first.document.id, to: "score_item", "quality-2017-assurance/411081/2024/ga01", by: yuzhou)
            try await services.documents.link(first.document.id, to: "score_item", "quality-2017-assurance/411081/2024/ga01", by: yuzhou)
            #expect(try await DocumentRepository(db.sql).links(of: first.document.id).count == 1)
            // A visit of the county; nothing that does not exist or lies outside.
            let visit = try #require(try await VisitRepository(db.sql).list(school: "1411081001").first)
            try await services.documents.link(first.document.id, to: "visit", visit.id, by: yuzhou)
            await #expect(throws: ServiceError.self) { try await services.documents.link(first.document.id, to: "visit", visit.id, by: changge) }
            await #expect(throws: ServiceError.self) { try await services.documents.link(first.document.id, to: "visit", "V-none", by: yuzhou) }
            await #expect(throws: ServiceError.self) { try await services.documents.link(first.document.id, to: "school", "1411081001", by: yuzhou) }
            await #expect(throws: ServiceError.self) {
                try await services.documents.link(first.document.id, to: "score_item", "quality-2017-assurance/411081/2024/zz99", by: yuzhou)
            }
            #expect(
                try await DocumentRepository(db.sql).documents(linkedTo: "score_item", "quality-2017-assurance/411081/2024/ga01").map(\.id) == [
                    first.document.id
                ])
            // Filed (first, city), new version, PDF, two links: one entry each; a duplicate and a repeated link none.
            let audit = try await db.sql.select().column("action").from("audit_log").where("object_type", .equal, "document")
                .where("actor", .notEqual, "demo").all()
            #expect(audit.count == 6)
        }
    }
}

/// A clock that moves one second at every reading, from a given day: use cases that run one
/// after another get distinct, ordered times (ties in "newest first" lists cannot happen).
public final class SteppingClock: AppClock, @unchecked Sendable {
    private let lock = NSLock()
    private var next: Date

    public init(day: String) { next = FixedClock(day: day).instant }

    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        let t = next
        next = next.addingTimeInterval(1)
        return t
    }
}
