import DudaoCore
import Foundation
import HummingbirdTesting
import Testing

@testable import DudaoWeb

@Suite("Server-rendered pages")
struct PageTests {
    @Test func homeListsProvinceAndCity() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/", method: .get, headers: auth.cookie("admin")) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(r.text.contains("河南省") && r.text.contains("href=\"/regions/4110\""))
                #expect(r.text.contains("<html lang=\"zh-CN\">"))
            }
        }
    }

    @Test func countyPageShowsIndicatorTablesGapsAndCharts() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/411081?year=2024&programme=quality-2017", method: .get, headers: auth.cookie("admin")) { r in
                #expect(r.status == .ok)
                let html = r.text
                #expect(html.contains("<h1>禹州市"))
                #expect(html.contains("id=\"indicators-primary\"") && html.contains("id=\"indicators-junior\""))
                #expect(html.components(separatedBy: "data-indicator=\"").count - 1 == 14)
                // The demo fails primary sports area; the row says so and the gap is in words.
                #expect(html.contains("data-indicator=\"sports_area_per_student\" data-passed=\"false\""))
                #expect(html.contains("需增加") && html.contains("平方米体育运动场馆面积"))
                #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 14)
                #expect(html.contains("name=\"viewport\""))
            }
        }
    }

    @Test func englishSwitchIsRemembered() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/411081?lang=en", method: .get, headers: auth.cookie("admin")) { r in
                #expect(r.text.contains("<html lang=\"en\">"))
                #expect(r.text.contains(">fail<") || r.text.contains(">pass<"))
                let cookie = r.headers[values: .setCookie].first { $0.hasPrefix("lang=") } ?? ""
                #expect(cookie.contains("lang=en") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))
            }
            try await client.execute(
                uri: "/regions/411081", method: .get, headers: [.cookie: "lang=en; \(SessionCookie.name)=\(auth.sessions["admin"]!.token)"]
            ) { r in
                #expect(r.text.contains("<html lang=\"en\">"))
            }
        }
    }

    @Test func cityPageRollsUpCounties() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/4110", method: .get, headers: auth.cookie("admin")) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("data-county=\"411082\" data-passed=\"true\""))
                #expect(r.text.contains("data-county=\"411081\" data-passed=\"false\""))
            }
        }
    }

    @Test func schoolPageShowsReturns() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/schools/1411081001", method: .get, headers: auth.cookie("admin")) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("1411081001") && r.text.contains("id=\"returns\""))
                #expect(r.text.contains("<td>2024</td>") && r.text.contains("<td>2023</td>"))
            }
        }
    }

    @Test func unknownIdsAre404() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/419999", method: .get, headers: auth.cookie("admin")) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/schools/9999999999", method: .get, headers: auth.cookie("admin")) { #expect($0.status == .notFound) }
        }
    }

    @Test func evaluationWorkbookDownloads() async throws {
        try await withDemoApp { client, auth in
            try await client.execute(uri: "/regions/411081/evaluation.xlsx?year=2024", method: .get, headers: auth.cookie("admin")) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentDisposition]?.contains("evaluation-411081-2024-quality-2017.xlsx") == true)
                #expect(r.body.readableBytes > 5000)
                #expect(Array(Data(buffer: r.body).prefix(2)) == [0x50, 0x4B])  // "PK": a zip
            }
        }
    }
}
