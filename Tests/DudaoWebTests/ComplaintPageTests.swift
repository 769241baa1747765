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

/// The projects register, complaints and the agenda through HTTP.
@Suite("Projects, complaints and agenda pages")
struct ComplaintPageTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func postForm(
        _ client: any TestClientProtocol, _ auth: TestAuth, _ user: String, _ uri: String, _ fields: String
    ) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post, headers: auth.cookie(user).merging(form), body: ByteBuffer(string: "csrf=\(auth.csrf(user))&\(fields)"))
    }

    @Test func theProjectsRegister() async throws {
        try await withDemoApp { client, auth in
            let page = try await client.execute(uri: "/regions/411081/projects", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok && page.text.contains("禹州市城区第六小学") && page.text.contains("逾期未竣工") && page.text.contains("逾期未开工"))
            // The city sees 禹州's summary line.
            let city = try await client.execute(uri: "/regions/4110/projects", method: .get, headers: auth.cookie("xuchang"))
            #expect(city.text.contains("project-summary") && city.text.contains("禹州市"))
            let registered = try await Self.postForm(
                client, auth, "yuzhou", "/regions/411081/projects",
                "name=%E5%9F%8E%E5%8C%BA%E5%B9%BC%E5%84%BF%E5%9B%AD&kind=new_school&school=&budget=3200&places=360&planned_start=2026-03-01&planned_completion=2026-09-30"
            )
            #expect(registered.status == .seeOther)
            let api = try #require(
                try await client.execute(uri: "/api/v1/regions/411081/projects", method: .get, headers: auth.bearer("yuzhou")).json()
                    as? [[String: Any]])
            let new = try #require(api.first { $0["name"] as? String == "城区幼儿园" })
            #expect(new["stage"] as? String == "planned" && new["places_added"] as? Int == 360)
            let id = try #require(new["id"] as? String)
            let advanced = try await post(
                client, auth, "yuzhou", "/api/v1/projects/\(id)/stage", ["stage": "completed", "day": "2026-09-20", "version": 1])
            #expect(try advanced.status == .ok && (advanced.json() as? [String: Any])?["completed_on"] as? String == "2026-09-20")
            // A stale version conflicts; going back is refused naming the field.
            #expect(try await post(client, auth, "yuzhou", "/api/v1/projects/\(id)/stage", ["stage": "in_use", "version": 1]).status == .conflict)
            let back = try await post(client, auth, "yuzhou", "/api/v1/projects/\(id)/stage", ["stage": "started", "version": 2])
            #expect(try back.status == .badRequest && ((back.json() as? [String: Any])?["error"] as? [String: Any])?["field"] as? String == "stage")
            // 长葛 reaches none of it.
            #expect(try await post(client, auth, "changge", "/api/v1/projects/\(id)/stage", ["stage": "in_use", "version": 2]).status == .notFound)
        }
    }

    @Test func aComplaintThroughThePages() async throws {
        try await withDemoApp { client, auth in
            // The inspector registers a plate-phone call and gets its number; the office handles it.
            let registered = try await Self.postForm(
                client, auth, "inspector", "/regions/411081/complaints",
                "source=plate_phone&received_on=&complainant=%E6%9D%8E%E5%85%88%E7%94%9F&phone=13800000000&school=1411081001&content=%E5%AD%A6%E6%A0%A1%E4%B9%B1%E6%94%B6%E8%B4%B9"
            )
            #expect(registered.status == .seeOther && registered.headers[.location]?.contains("registered=") == true)
            let db = try #require(TestContext.database)
            let c = try #require(try await ComplaintRepository(db.sql).list(under: "411081").first { $0.content == "学校乱收费" })
            // The inspector does not see the office's list or the complaint's page.
            #expect(try await client.execute(uri: "/complaints/\(c.id)", method: .get, headers: auth.cookie("inspector")).status == .notFound)
            let page = try await client.execute(uri: "/complaints/\(c.id)", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok && page.text.contains("李先生") && page.text.contains("13800000000") && page.text.contains("受理登记"))
            #expect(
                try await Self.postForm(
                    client, auth, "yuzhou", "/complaints/\(c.id)/actions",
                    "version=1&action=assign&unit=%E5%AE%9E%E9%AA%8C%E4%B8%80%E5%B0%8F&school=1411081001&deadline=2099-01-10"
                ).status == .seeOther)
            #expect(
                try await Self.postForm(
                    client, auth, "yuzhou", "/complaints/\(c.id)/actions", "version=2&action=answer&reply=%E5%B7%B2%E9%80%80%E8%B4%B9"
                ).status == .seeOther)
            // A page left open since before the answer (version 2) conflicts.
            #expect(
                try await Self.postForm(client, auth, "yuzhou", "/complaints/\(c.id)/actions", "version=2&action=follow_up&note=x").status
                    == .conflict)
            #expect(
                try await Self.postForm(client, auth, "yuzhou", "/complaints/\(c.id)/actions", "version=3&action=call_back&satisfied=1&note=").status
                    == .seeOther)
            let done = try await client.execute(uri: "/complaints/\(c.id)", method: .get, headers: auth.cookie("yuzhou"))
            #expect(done.text.contains("已回访") && done.text.contains("满意"))
            // The API list: rates to two decimals; the complainant's name and phone are not in it.
            let list = try await client.execute(uri: "/api/v1/regions/411081/complaints", method: .get, headers: auth.bearer("yuzhou"))
            let json = try #require(try list.json() as? [String: Any])
            let rates = try #require((json["rates"] as? [[String: Any]])?.first { $0["region_code"] as? String == "411081" })
            #expect(
                (rates["closing_rate_text"] as? String)?.hasSuffix("%") == true && !list.text.contains("李先生") && !list.text.contains("13800000000"))
            // The page shows the rates.
            let office = try await client.execute(uri: "/regions/411081/complaints", method: .get, headers: auth.cookie("yuzhou"))
            #expect(office.text.contains("处结率") && office.text.contains(c.number))
            // Another county cannot read or act.
            #expect(try await client.execute(uri: "/complaints/\(c.id)", method: .get, headers: auth.cookie("changge")).status == .notFound)
            #expect(
                try await post(client, auth, "changge", "/api/v1/complaints/\(c.id)/actions", ["action": "follow_up", "note": "x", "version": 4])
                    .status == .notFound)
        }
    }

    @Test func signingInShowsWhatIsDue() async throws {
        try await withDemoApp { client, auth in
            // Without a page to return to, signing in lands on the agenda.
            let loginPage = try await client.execute(uri: "/login", method: .get)
            let cookie = try #require(loginPage.headers[values: .setCookie].first).split(separator: ";").first.map(String.init) ?? ""
            let csrf = try #require(loginPage.text.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1)
            let signedIn = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie],
                body: ByteBuffer(string: "csrf=\(csrf)&username=yuzhou&password=\(DemoAccounts.password)"))
            #expect(signedIn.headers[.location] == "/agenda")
            // 禹州's office: the late city task, the letter awaiting its reply, complaints to assign and overdue.
            let page = try await client.execute(uri: "/agenda", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok && page.text.contains("禹州市新建城区学校") && page.text.contains("待回复函件") && page.text.contains("放学后学生在校门口聚集打闹"))
            let items = try #require(
                try await client.execute(uri: "/api/v1/agenda", method: .get, headers: auth.bearer("yuzhou")).json() as? [[String: Any]])
            #expect(
                items.first?["overdue"] as? Bool == true
                    && Set(items.compactMap { $0["kind"] as? String }).isSuperset(of: ["task", "letter", "complaint"]))
            // The city: the report awaiting its review; a principal: the school's open cases.
            let city = try #require(
                try await client.execute(uri: "/api/v1/agenda", method: .get, headers: auth.bearer("xuchang")).json() as? [[String: Any]])
            #expect(city.contains { $0["kind"] as? String == "review" })
            let principal = try #require(
                try await client.execute(uri: "/api/v1/agenda", method: .get, headers: auth.bearer("principal")).json() as? [[String: Any]])
            #expect(principal.allSatisfy { $0["kind"] as? String == "rectify" })
            let db = try #require(TestContext.database)
            let open = try await RectificationRepository(db.sql).list(under: "411081", school: "1411081001").filter {
                $0.state != .closed && $0.state != .evidenceSubmitted
            }
            #expect(principal.count == open.count)
        }
    }

    @Test func theDigestAddressIsSetOnTheAccountPage() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let yuzhou = try #require(try await UserRepository(db.sql).find(username: "yuzhou"))
            let saved = try await Self.postForm(client, auth, "yuzhou", "/account/email", "email=yuzhou%40example.cn")
            #expect(saved.status == .ok && saved.text.contains("value=\"yuzhou@example.cn\""))
            #expect(try await UserRepository(db.sql).email(userId: yuzhou.userId) == "yuzhou@example.cn")
            // Not an address: refused, naming it; without the form's token: nothing changes; empty: no digest.
            let bad = try await Self.postForm(client, auth, "yuzhou", "/account/email", "email=not-an-address")
            #expect(bad.status == .badRequest && bad.text.contains("电子邮箱地址无效"))
            let forged = try await client.execute(
                uri: "/account/email", method: .post, headers: auth.cookie("yuzhou").merging(Self.form), body: ByteBuffer(string: "email=x%40y.cn"))
            #expect(forged.status == .forbidden)
            #expect(try await UserRepository(db.sql).email(userId: yuzhou.userId) == "yuzhou@example.cn")
            #expect(try await Self.postForm(client, auth, "yuzhou", "/account/email", "email=").status == .ok)
            #expect(try await UserRepository(db.sql).email(userId: yuzhou.userId) == nil)
        }
    }
}
