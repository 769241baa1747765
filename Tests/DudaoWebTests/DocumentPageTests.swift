import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// The document library through HTTP: filing by upload, the detail page and download, search
/// with marked passages, the public part, the API, and scope.
@Suite("Document library pages and API")
struct DocumentPageTests {
    static func multipart(_ fields: [String: String], file: (name: String, data: Data)) -> (HTTPFields, ByteBuffer) {
        let boundary = "dudao-test-boundary"
        var body = Data()
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        body += Data(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                .utf8)
        body += file.data
        body += Data("\r\n--\(boundary)--\r\n".utf8)
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
    }

    @Test func fileSearchDownloadAndScope() async throws {
        try await withDemoApp { client, auth in
            let text = Data("禹州市关于责任督学挂牌督导工作的实施方案：每月到校督导不少于一次。".utf8)
            let (headers, body) = Self.multipart(
                ["csrf": auth.csrf("yuzhou"), "title": "挂牌督导实施方案", "kind": "plan", "region": "411081", "year": "2026", "tags": "挂牌督导,责任督学"],
                file: ("方案.txt", text))
            let filed = try await client.execute(uri: "/documents", method: .post, headers: auth.cookie("yuzhou").merging(headers), body: body)
            #expect(filed.status == .seeOther)
            let location = try #require(filed.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok && page.text.contains("挂牌督导实施方案") && page.text.contains("已提取正文"))
            let file = try await client.execute(uri: location + "/file", method: .get, headers: auth.cookie("yuzhou"))
            #expect(file.status == .ok && Data(buffer: file.body) == text && file.headers[.contentType]?.hasPrefix("text/plain") == true)
            // The same bytes again: the existing document, not a copy.
            let again = try await client.execute(uri: "/documents", method: .post, headers: auth.cookie("yuzhou").merging(headers), body: body)
            #expect(again.headers[.location] == location + "?duplicate=1")
            // Search: two characters, marked in the passage.
            let search = try await client.execute(uri: "/documents?q=%E7%9D%A3%E5%AF%BC", method: .get, headers: auth.cookie("yuzhou"))
            #expect(search.status == .ok && search.text.contains("<mark>督导</mark>") && search.text.contains("挂牌督导实施方案"))
            let api = try await client.execute(
                uri: "/api/v1/documents/search?q=%E6%AF%8F%E6%9C%88%E5%88%B0%E6%A0%A1", method: .get, headers: auth.bearer("yuzhou"))
            let json = try #require(try api.json() as? [String: Any])
            let results = try #require(json["results"] as? [[String: Any]])
            #expect(json["total"] as? Int == 1 && results.first?["region"] as? String == "411081")
            #expect((results.first?["snippet"] as? String)?.contains("<mark>每月到校</mark>") == true)
            // Another county sees neither the document nor it in a search; the public part holds only public ones.
            let id = String(location.dropFirst("/documents/".count))
            #expect(try await client.execute(uri: location, method: .get, headers: auth.cookie("changge")).status == .notFound)
            #expect(try await client.execute(uri: location + "/file", method: .get, headers: auth.cookie("changge")).status == .notFound)
            let other = try await client.execute(
                uri: "/api/v1/documents/search?q=%E6%AF%8F%E6%9C%88%E5%88%B0%E6%A0%A1", method: .get, headers: auth.bearer("changge"))
            #expect((try other.json() as? [String: Any])?["total"] as? Int == 0)
            #expect(try await client.execute(uri: "/public/documents/\(id)/file", method: .get).status == .notFound)
            let publicSearch = try await client.execute(uri: "/public/documents?q=%E7%9D%A3%E5%AF%BC", method: .get)
            #expect(publicSearch.status == .ok && !publicSearch.text.contains("挂牌督导实施方案"))
            // Linked to a visit of the county from the document's page (no second upload).
            let db = try #require(TestContext.database)
            let visit = try #require(try await VisitRepository(db.sql).list(school: "1411081001").first)
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let linked = try await client.execute(
                uri: location + "/links", method: .post, headers: auth.cookie("yuzhou").merging(form),
                body: ByteBuffer(string: "csrf=\(auth.csrf("yuzhou"))&object_type=visit&object_id=\(visit.id)"))
            #expect(linked.status == .seeOther)
            #expect(try await client.execute(uri: location, method: .get, headers: auth.cookie("yuzhou")).text.contains("督导记录 · \(visit.id)"))
            #expect(try await DocumentRepository(db.sql).documents(linkedTo: "visit", visit.id).map(\.id) == [id])
            // Without the form's token nothing is filed.
            let (h2, b2) = Self.multipart(["title": "x", "kind": "plan", "region": "411081"], file: ("x.txt", Data("x".utf8)))
            #expect(
                try await client.execute(uri: "/documents", method: .post, headers: auth.cookie("yuzhou").merging(h2), body: b2).status == .forbidden)
            // Bytes that are no accepted kind are refused with the reason.
            let (h3, b3) = Self.multipart(
                ["csrf": auth.csrf("yuzhou"), "title": "x", "kind": "plan", "region": "411081"], file: ("x.pdf", Data([0, 1, 2, 3])))
            let refused = try await client.execute(uri: "/documents", method: .post, headers: auth.cookie("yuzhou").merging(h3), body: b3)
            #expect(refused.status == .unsupportedMediaType)
        }
    }

    @Test func evidenceOfAnEvaluationGoesIntoTheLibraryLinkedToTheCase() async throws {
        try await withDemoApp { client, auth in
            let started = try await post(client, auth, "yuzhou", "/api/v1/evaluations", ["region": "411081", "year": 2024])
            let id = try #require((try started.json() as? [String: Any])?["id"] as? String)
            let (headers, body) = Self.multipart(
                ["csrf": auth.csrf("yuzhou"), "title": "运动场验收单"], file: ("验收单.txt", Data("新建塑胶运动场验收合格 12400 平方米".utf8)))
            let added = try await client.execute(
                uri: "/evaluations/\(id)/evidence", method: .post, headers: auth.cookie("yuzhou").merging(headers), body: body)
            #expect(added.status == .seeOther)
            let page = try await client.execute(uri: "/evaluations/\(id)", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.text.contains("运动场验收单") && page.text.contains("id=\"add-evidence\""))
            let db = try #require(TestContext.database)
            let linked = try await DocumentRepository(db.sql).documents(linkedTo: "evaluation_case", id)
            #expect(linked.map(\.title) == ["运动场验收单"] && linked[0].kind == .evidence && linked[0].regionCode == "411081")
            // Found by search; another county cannot add to the case.
            let found = try await client.execute(
                uri: "/api/v1/documents/search?q=%E9%AA%8C%E6%94%B6%E5%90%88%E6%A0%BC", method: .get, headers: auth.bearer("yuzhou"))
            #expect((try found.json() as? [String: Any])?["total"] as? Int == 1)
            let (h2, b2) = Self.multipart(["csrf": auth.csrf("changge")], file: ("x.txt", Data("x".utf8)))
            #expect(
                try await client.execute(uri: "/evaluations/\(id)/evidence", method: .post, headers: auth.cookie("changge").merging(h2), body: b2)
                    .status == .notFound)
        }
    }

    @Test func anIssuedBulletinIsFiledInTheLibraryOnce() async throws {
        try await withDemoApp { client, auth in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let body = "csrf=\(auth.csrf("yuzhou"))&from=2026-09-01&to=2026-11-30"
            let issued = try await client.execute(
                uri: "/regions/411081/bulletin", method: .post, headers: auth.cookie("yuzhou").merging(form), body: ByteBuffer(string: body))
            #expect(issued.status == .seeOther)
            let location = try #require(issued.headers[.location])
            let page = try await client.execute(uri: location, method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.text.contains("禹州市教育督导工作通报（2026-09-01至2026-11-30）") && page.text.contains("通报"))
            // The same period again makes the same document: recognised, not stored twice.
            let again = try await client.execute(
                uri: "/regions/411081/bulletin", method: .post, headers: auth.cookie("yuzhou").merging(form), body: ByteBuffer(string: body))
            #expect(again.headers[.location] == location + "?duplicate=1")
            let found = try await client.execute(
                uri: "/api/v1/documents/search?q=%E5%8A%9E%E7%BB%93%E7%8E%87", method: .get, headers: auth.bearer("xuchang"))
            #expect(((try found.json() as? [String: Any])?["results"] as? [[String: Any]])?.contains { $0["kind"] as? String == "bulletin" } == true)
        }
    }
}
