import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// Key tasks through HTTP as users meet them: the demo's targets, reporting with evidence and
/// review, importing an outline, the dispatch ranking and its downloads, letters and talks.
@Suite("Key-task pages and API")
struct KeyTaskPageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func demoTargets(_ db: Database) async throws -> (city: KeyTarget, county: KeyTarget) {
        let all = try await KeyTaskRepository(db.sql).targets(visibleFrom: "411081")
        return (try #require(all.first { $0.title.hasSuffix("学位建设与消除大班额") }), try #require(all.first { $0.title.hasSuffix("控辍保学") }))
    }

    static func task(_ db: Database, _ target: KeyTarget, _ number: String) async throws -> KeyTask {
        try #require(try await KeyTaskRepository(db.sql).tasks(target: target.id).first { $0.number == number })
    }

    @Test func theDemoTargetsReportingWithEvidenceAndReview() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let (city, county) = try await Self.demoTargets(db)
            // The city's list: its target with something awaiting review; 禹州 sees the city's target and its own; 长葛 not 禹州's.
            let list = try await client.execute(uri: "/regions/4110/key-tasks", method: .get, headers: auth.cookie("xuchang"))
            #expect(list.status == .ok && list.text.contains(city.title) && list.text.contains("待审核的进展报送"))
            let yuzhou = try await client.execute(uri: "/regions/411081/key-tasks", method: .get, headers: auth.cookie("yuzhou"))
            #expect(yuzhou.text.contains(city.title) && yuzhou.text.contains(county.title))
            let changge = try await client.execute(uri: "/regions/411082/key-tasks", method: .get, headers: auth.cookie("changge"))
            #expect(changge.text.contains(city.title) && !changge.text.contains(county.title))
            // The tree: 1.1 is late, 2.2 stalled (two equal reports), 1.3 has a report awaiting review.
            let tree = try await client.execute(uri: "/key-targets/\(city.id)", method: .get, headers: auth.cookie("xuchang"))
            #expect(tree.status == .ok)
            #expect(tree.text.contains("逾期 30 天") && tree.text.contains("停滞：连续两次无变化") && tree.text.contains("待审核 1"))

            // 禹州 reports on 1.3 with a photo of the acceptance sheet; it waits for the city's review.
            let t13 = try await Self.task(db, city, "1.3")
            let (headers, body) = DocumentPageTests.multipart(
                ["csrf": auth.csrf("yuzhou"), "value": "1500", "narrative": "二期投用"], file: ("验收单.txt", Data("新校区验收单 1500 个学位".utf8)))
            let posted = try await client.execute(
                uri: "/key-tasks/\(t13.id)/reports", method: .post, headers: auth.cookie("yuzhou").merging(headers), body: body)
            #expect(posted.status == .seeOther)
            let page = try await client.execute(uri: "/key-tasks/\(t13.id)", method: .get, headers: auth.cookie("xuchang"))
            #expect(page.text.contains("二期投用") && page.text.contains("验收单.txt") && page.text.contains("采纳"))
            #expect(try await DocumentRepository(db.sql).documents(linkedTo: "key_task", t13.id).count == 1)
            // Without the form's token nothing is reported.
            let (h2, b2) = DocumentPageTests.multipart(["value": "1"], file: ("x.txt", Data("x".utf8)))
            #expect(
                try await client.execute(uri: "/key-tasks/\(t13.id)/reports", method: .post, headers: auth.cookie("yuzhou").merging(h2), body: b2)
                    .status == .forbidden)
            // The city accepts the newest report: the API shows 1500 of 2000.
            let newest = try #require(try await KeyTaskRepository(db.sql).reports(task: t13.id).first { $0.value == 1500 })
            let reviewed = try await client.execute(
                uri: "/key-task-reports/\(newest.id)/review", method: .post, headers: auth.cookie("xuchang").merging(Self.form),
                body: ByteBuffer(string: "csrf=\(auth.csrf("xuchang"))&accept=1&note="))
            #expect(reviewed.status == .seeOther)
            let api = try await client.execute(uri: "/api/v1/key-targets/\(city.id)", method: .get, headers: auth.bearer("yuzhou"))
            let json = try #require(try api.json() as? [String: Any])
            let row = try #require((json["tasks"] as? [[String: Any]])?.first { $0["number"] as? String == "1.3" })
            #expect(row["value"] as? Double == 1500 && row["completion_text"] as? String == "75.00%")
            // 禹州 cannot review; 长葛 cannot report for 禹州.
            #expect(
                try await client.execute(
                    uri: "/api/v1/key-task-reports/\(newest.id)/review", method: .post, headers: auth.bearer("yuzhou"),
                    body: jsonBody(["accept": false, "note": "x"])
                ).status == .forbidden)
            #expect(try await post(client, auth, "changge", "/api/v1/key-tasks/\(t13.id)/reports", ["value": 2000]).status == .forbidden)
        }
    }

    @Test func aTargetSetAndBrokenDownFromASpreadsheet() async throws {
        try await withDemoApp { client, auth in
            let created = try await client.execute(
                uri: "/regions/4110/key-tasks", method: .post, headers: auth.cookie("xuchang").merging(Self.form),
                body: ByteBuffer(string: "csrf=\(auth.csrf("xuchang"))&year=2026&title=%E6%A0%A1%E5%9B%AD%E5%AE%89%E5%85%A8&description="))
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let bad = "序号,工作任务,责任单位,区划代码,完成时限\n一、,校园安全,许昌市教育局,,2026-12-31\n（一）,禹州市排查,禹州市教育局,411081,2026年13月\n"
            let (h1, b1) = DocumentPageTests.multipart(["csrf": auth.csrf("xuchang")], file: ("安全.csv", Data(bad.utf8)))
            let refused = try await client.execute(uri: location + "/import", method: .post, headers: auth.cookie("xuchang").merging(h1), body: b1)
            #expect(refused.status == .unprocessableContent && refused.text.contains("第3行") && refused.text.contains("完成时限"))
            let good = bad.replacingOccurrences(of: "2026年13月", with: "2026年6月底")
            let (h2, b2) = DocumentPageTests.multipart(["csrf": auth.csrf("xuchang")], file: ("安全.csv", Data(good.utf8)))
            #expect(
                try await client.execute(uri: location + "/import", method: .post, headers: auth.cookie("xuchang").merging(h2), body: b2).status
                    == .seeOther)
            let page = try await client.execute(uri: location, method: .get, headers: auth.cookie("xuchang"))
            #expect(page.text.contains("禹州市排查") && page.text.contains("2026-06-30"))
            // One task added by the form under it; its export lists both, indented.
            let added = try await client.execute(
                uri: location + "/tasks", method: .post, headers: auth.cookie("xuchang").merging(Self.form),
                body: ByteBuffer(
                    string:
                        "csrf=\(auth.csrf("xuchang"))&number=1.2&title=%E9%95%BF%E8%91%9B&unit=%E9%95%BF%E8%91%9B%E5%B8%82%E6%95%99%E8%82%B2%E5%B1%80&region=411082&deadline=2026-09-30&target_value=8&measure_unit=%E6%89%80&cadence=weekly"
                ))
            #expect(added.status == .seeOther)
            let xlsx = try await client.execute(uri: location + "?format=xlsx", method: .get, headers: auth.cookie("xuchang"))
            let table = try XLSXReader.read(Data(buffer: xlsx.body), name: "t.xlsx")
            #expect(table.rows.map { $0[0] } == ["1", "1.1", "1.2"] && table.rows[2][1] == "\u{3000}长葛" && table.rows[2][8] == "8")
            // A number the target has already is refused by the API, naming it.
            let api = try await client.execute(
                uri: "/api/v1/key-targets/\(location.split(separator: "/").last!)/tasks", method: .post, headers: auth.bearer("xuchang"),
                body: jsonBody([["number": "1.2", "title": "x", "unit": "y", "deadline": "2026-09-30"]]))
            #expect(api.status == .unprocessableContent)
            let error = try #require((try api.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(error["field"] as? String == "number" && (error["message"] as? String)?.contains("1.2") == true)
        }
    }

    @Test func dispatchRankingAndItsDownloads() async throws {
        try await withDemoApp { client, auth in
            let year = Calendar(identifier: .gregorian).component(.year, from: Date())
            let page = try await client.execute(uri: "/regions/4110/dispatch?year=\(year)", method: .get, headers: auth.cookie("xuchang"))
            #expect(page.status == .ok && page.text.contains("禹州市教育局") && page.text.contains("长葛市教育局") && page.text.contains("计算方法"))
            let api = try await client.execute(uri: "/api/v1/regions/4110/dispatch?year=\(year)", method: .get, headers: auth.bearer("xuchang"))
            let json = try #require(try api.json() as? [String: Any])
            let ranking = try #require(json["ranking"] as? [[String: Any]])
            #expect(ranking.map { $0["unit"] as? String } == ["长葛市教育局", "禹州市教育局"] && json["last"] as? [String] == ["禹州市教育局"])
            let xlsx = try await client.execute(uri: "/regions/4110/dispatch?year=\(year)&format=xlsx", method: .get, headers: auth.cookie("xuchang"))
            let table = try XLSXReader.read(Data(buffer: xlsx.body), name: "d.xlsx")
            #expect(
                table.header.first == "排名" && table.rows.first?[1] == "长葛市教育局" && table.rows.first?[3] == ranking[0]["completion_text"] as? String)
            let docx = try await client.execute(uri: "/regions/4110/dispatch?year=\(year)&format=docx", method: .get, headers: auth.cookie("xuchang"))
            let text = DocumentText.extract(Data(buffer: docx.body), kind: .docx).0
            #expect(text.contains("重点工作进度晾晒") && text.contains("计算方法") && text.contains("位列末位的单位：禹州市教育局"))
            // One target's ranking: 禹州's own target has two owner units.
            let db = try #require(TestContext.database)
            let (_, county) = try await Self.demoTargets(db)
            let one = try #require(
                try await client.execute(
                    uri: "/api/v1/regions/411081/dispatch?year=\(year)&target=\(county.id)", method: .get, headers: auth.bearer("yuzhou")
                )
                .json() as? [String: Any])
            #expect(Set(((one["ranking"] as? [[String: Any]]) ?? []).compactMap { $0["unit"] as? String }) == ["禹州市教育局", "禹州市人民政府办公室"])
            #expect(one["targets"] as? [String] == [county.title])
            // A county's office does not get the city's ranking; another city's office neither.
            #expect(try await client.execute(uri: "/regions/4110/dispatch", method: .get, headers: auth.cookie("yuzhou")).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/regions/4110/dispatch", method: .get, headers: auth.bearer("changge")).status == .notFound)
        }
    }

    @Test func lettersRepliesAndTalks() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let (city, _) = try await Self.demoTargets(db)
            let late = try await Self.task(db, city, "1.1")
            let issued = try await client.execute(
                uri: "/letters", method: .post, headers: auth.cookie("xuchang").merging(Self.form),
                body: ByteBuffer(string: "csrf=\(auth.csrf("xuchang"))&kind=warning&trigger=key_task&object=\(late.id)&reply_due=2099-01-31"))
            #expect(issued.status == .seeOther)
            let location = try #require(issued.headers[.location])
            let letter = try await client.execute(uri: location, method: .get, headers: auth.cookie("yuzhou"))
            #expect(
                letter.status == .ok && letter.text.contains("许督警〔") && letter.text.contains("关于加快推进重点工作任务的预警函") && letter.text.contains("禹州市教育局："))
            let docx = try await client.execute(uri: location + "/docx", method: .get, headers: auth.cookie("yuzhou"))
            #expect(DocumentText.extract(Data(buffer: docx.body), kind: .docx).0.contains("预警函"))
            // 禹州's office records the reply; the API shows it; a second reply conflicts.
            let replied = try await client.execute(
                uri: location + "/reply", method: .post, headers: auth.cookie("yuzhou").merging(Self.form),
                body: ByteBuffer(string: "csrf=\(auth.csrf("yuzhou"))&reply=%E5%B7%B2%E6%95%B4%E6%94%B9"))
            #expect(replied.status == .seeOther)
            let id = String(location.dropFirst("/letters/".count))
            let api = try #require(
                try await client.execute(uri: "/api/v1/letters/\(id)", method: .get, headers: auth.bearer("xuchang")).json() as? [String: Any])
            #expect(api["reply"] as? String == "已整改" && api["kind"] as? String == "warning")
            #expect(try await post(client, auth, "yuzhou", "/api/v1/letters/\(id)/reply", ["reply": "again"]).status == .conflict)
            // 长葛 sees none of it.
            #expect(try await client.execute(uri: location, method: .get, headers: auth.cookie("changge")).status == .notFound)
            #expect(try await client.execute(uri: location + "/docx", method: .get, headers: auth.cookie("changge")).status == .notFound)
            // A formal talk after the letter, listed with it.
            let talk = try await client.execute(
                uri: "/regions/411081/accountability", method: .post, headers: auth.cookie("xuchang").merging(Self.form),
                body: ByteBuffer(
                    string:
                        "csrf=\(auth.csrf("xuchang"))&kind=talk&letter=\(id)&person=%E7%8E%8B%E5%BB%BA%E5%9B%BD&position=%E5%B1%80%E9%95%BF&unit=&unit_region=&day=2026-11-01&form=%E8%AD%A6%E7%A4%BA%E7%BA%A6%E8%B0%88&facts=%E9%80%BE%E6%9C%9F"
                ))
            #expect(talk.status == .seeOther)
            let letters = try await client.execute(uri: "/regions/411081/letters", method: .get, headers: auth.cookie("yuzhou"))
            #expect(letters.text.contains("王建国") && letters.text.contains("警示约谈") && letters.text.contains(api["number"] as! String))
            // The API refuses an unknown kind naming the field.
            let bad = try await post(
                client, auth, "xuchang", "/api/v1/letters", ["kind": "scold", "trigger": "key_task", "object": late.id, "reply_due": "2099-01-31"])
            #expect(try bad.status == .badRequest && ((bad.json() as? [String: Any])?["error"] as? [String: Any])?["field"] as? String == "kind")
            let viaAPI = try await post(
                client, auth, "xuchang", "/api/v1/letters", ["kind": "reminder", "trigger": "key_task", "object": late.id, "reply_due": "2099-01-31"])
            #expect(try viaAPI.status == .created && ((viaAPI.json() as? [String: Any])?["number"] as? String)?.hasPrefix("许督提〔") == true)
        }
    }
}
