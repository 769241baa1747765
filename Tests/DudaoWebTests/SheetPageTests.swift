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

/// Score sheets and the self-evaluation report through pages and the API, as a county officer,
/// a neighbouring county and the city use them.
@Suite("Score sheets and the self-evaluation report")
struct SheetPageTests {
    static let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x42, count: 500) + [0xFF, 0xD9])

    @Test func countyOfficerScoresAnItemWithEvidence() async throws {
        try await withDemoApp { client, auth in
            let page = try await client.execute(
                uri: "/regions/411081/sheets/quality-2017-quality?year=2024", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok && page.text.contains("id=\"item-eq05\"") && page.text.contains("看 听"))
            // The demo left eq05 open; the officer marks it met with a note and a photo.
            var (headers, body) = multipart(
                ["csrf": auth.csrf("yuzhou"), "year": "2024", "version": "0", "met": "yes", "evidence": "课堂观察记录12节", "comment": "信息化教学常态化"],
                files: [("files", "课堂.jpg", Self.jpeg)])
            headers[.cookie] = auth.cookie("yuzhou")[.cookie]
            let saved = try await client.execute(
                uri: "/regions/411081/sheets/quality-2017-quality/items/eq05", method: .post, headers: headers, body: body)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/regions/411081/sheets/quality-2017-quality?year=2024#item-eq05")
            let after = try await client.execute(
                uri: "/regions/411081/sheets/quality-2017-quality?year=2024", method: .get, headers: auth.cookie("yuzhou"))
            let item = after.text.components(separatedBy: "id=\"item-eq05\"")[1].components(separatedBy: "</li>\n")[0]
            #expect(after.text.contains("class=\"sheet-item met\" data-item=\"eq05\""))
            #expect(item.contains("课堂观察记录12节") && item.contains("课堂.jpg"))
            // The file went into the library (佐证材料), linked to the item.
            let fileId = try #require(item.components(separatedBy: "/documents/").dropFirst().first?.prefix(36))
            // The county and the city above may open the evidence; the neighbouring county may not.
            for (user, status) in [("yuzhou", HTTPResponse.Status.ok), ("xuchang", .ok), ("changge", .notFound), ("principal", .notFound)] {
                let r = try await client.execute(uri: "/documents/\(fileId)/file", method: .get, headers: auth.cookie(user))
                #expect(r.status == status, "\(user)")
            }
            // A stale version is refused on the page, saying so.
            (headers, body) = multipart(["csrf": auth.csrf("yuzhou"), "year": "2024", "version": "0", "met": "no"])
            headers[.cookie] = auth.cookie("yuzhou")[.cookie]
            let stale = try await client.execute(
                uri: "/regions/411081/sheets/quality-2017-quality/items/eq05", method: .post, headers: headers, body: body)
            #expect(stale.status == .conflict && stale.text.contains("该项已被他人修改"))
            // An item the data answers (teacher pay) has no form and refuses a hand score.
            let assurance = try await client.execute(
                uri: "/regions/411081/sheets/quality-2017-assurance?year=2024", method: .get, headers: auth.cookie("yuzhou"))
            #expect(!assurance.text.contains("action=\"/regions/411081/sheets/quality-2017-assurance/items/ga08\""))
            #expect(assurance.text.contains("class=\"sheet-item unmet\" data-item=\"ga08\""))
            (headers, body) = multipart(["csrf": auth.csrf("yuzhou"), "year": "2024", "version": "0", "met": "yes"])
            headers[.cookie] = auth.cookie("yuzhou")[.cookie]
            let computed = try await client.execute(
                uri: "/regions/411081/sheets/quality-2017-assurance/items/ga08", method: .post, headers: headers, body: body)
            #expect(computed.status == .badRequest)
            // A file that is not what it claims is refused with 415, nothing stored.
            (headers, body) = multipart(
                ["csrf": auth.csrf("yuzhou"), "year": "2024", "version": "0", "met": "yes"], files: [("files", "x.jpg", Data("<html>".utf8))])
            headers[.cookie] = auth.cookie("yuzhou")[.cookie]
            let bad = try await client.execute(
                uri: "/regions/411081/sheets/quality-2017-quality/items/eq07", method: .post, headers: headers, body: body)
            #expect(bad.status == .unsupportedMediaType)
        }
    }

    @Test func apiScoresAndReadsASheet() async throws {
        try await withDemoApp { client, auth in
            let get = try await client.execute(
                uri: "/api/v1/regions/411081/sheets/county-duty-sheet?year=2024", method: .get, headers: auth.bearer("yuzhou"))
            let sheet = try #require(try get.json() as? [String: Any])
            // The demo scored every hand item of 禹州市's duty sheet; retention (d09) cannot be
            // computed without the 2022 returns, so the sheet waits for the scorer's judgement.
            #expect(sheet["answered"] as? Int == 17 && sheet["items_count"] as? Int == 18)
            #expect(sheet["grade"] is NSNull && sheet["passed"] is NSNull)
            let d09 = try #require((sheet["items"] as? [[String: Any]])?.first { $0["id"] as? String == "d09" })
            #expect((d09["details"] as? [String])?.first?.contains("2022年统计数据") == true)
            let put = try await client.execute(
                uri: "/api/v1/regions/411081/sheets/county-duty-sheet/items/d02", method: .put, headers: auth.bearer("yuzhou"),
                body: jsonBody(["year": 2024, "score": 6, "evidence": "评价改革文件", "version": 1]))
            #expect(put.status == .ok)
            let items = try #require((try put.json() as? [String: Any])?["items"] as? [[String: Any]])
            #expect(items.first { $0["id"] as? String == "d02" }?["points"] as? Double == 6)
            // Over the item's maximum: 400 naming the field.
            let over = try await client.execute(
                uri: "/api/v1/regions/411081/sheets/county-duty-sheet/items/d02", method: .put, headers: auth.bearer("yuzhou"),
                body: jsonBody(["year": 2024, "score": 7, "version": 2]))
            #expect(over.status == .badRequest)
            // Another county: not found, nothing changed.
            let other = try await client.execute(
                uri: "/api/v1/regions/411081/sheets/county-duty-sheet/items/d02", method: .put, headers: auth.bearer("changge"),
                body: jsonBody(["year": 2024, "score": 1, "version": 2]))
            #expect(other.status == .notFound)
        }
    }

    @Test func reportPageDocxAndMeasures() async throws {
        try await withDemoApp { client, auth in
            let page = try await client.execute(
                uri: "/regions/411081/report?year=2024&programme=quality-2017", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok)
            for heading in ["一、基本情况", "二、自查情况和工作成效", "三、存在的问题", "四、整改措施和下一步打算"] { #expect(page.text.contains(heading), "\(heading)") }
            // Problems in words: a failed duty indicator, a public-funds shortfall, an unmet sheet item with its comment.
            #expect(page.text.contains("学前三年毛入园率为 87.00%，未达到目标（≥ 90.00%）"))
            #expect(page.text.contains("少拨"))
            // The class-size item is computed from the largest classes reported, naming the schools.
            #expect(page.text.contains("小学、初中所有班级学生数分别不超过45人、50人——未达标（"))
            #expect(page.text.contains("最大班额"))
            #expect(page.text.contains("一是实施城区学校扩容工程"))
            let docx = try await client.execute(
                uri: "/regions/411081/report?year=2024&programme=quality-2017&format=docx", method: .get, headers: auth.cookie("yuzhou"))
            #expect(docx.status == .ok && docx.headers[.contentType]?.contains("wordprocessingml") == true)
            #expect(docx.body.readableBytes > 2000 && docx.body.getBytes(at: 0, length: 2) == [0x50, 0x4B])
            // Saving the measures keeps the text with the evaluation; a stale version is a conflict.
            let form: HTTPFields = auth.cookie("yuzhou").merging([.contentType: "application/x-www-form-urlencoded"])
            let body =
                "csrf=\(auth.csrf("yuzhou"))&year=2024&programme=quality-2017&version=1&measures=%E6%98%8E%E5%B9%B4%E6%96%B0%E5%BB%BA%E5%AD%A6%E6%A0%A1"
            let saved = try await client.execute(uri: "/regions/411081/report", method: .post, headers: form, body: ByteBuffer(string: body))
            #expect(saved.status == .seeOther)
            let again = try await client.execute(uri: "/regions/411081/report", method: .post, headers: form, body: ByteBuffer(string: body))
            #expect(again.status == .conflict)
            let after = try await client.execute(
                uri: "/regions/411081/report?year=2024&programme=quality-2017", method: .get, headers: auth.cookie("yuzhou"))
            #expect(after.text.contains("明年新建学校"))
            // The neighbouring county cannot read it.
            let other = try await client.execute(uri: "/regions/411081/report?year=2024", method: .get, headers: auth.cookie("changge"))
            #expect(other.status == .notFound)
        }
    }
}
