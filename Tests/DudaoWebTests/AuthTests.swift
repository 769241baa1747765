import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

@Suite("Sign-in, sessions, CSRF, throttling")
struct AuthTests {
    /// GET /login gives a form token and the same value as a cookie.
    func loginForm(_ client: any TestClientProtocol) async throws -> (csrf: String, cookie: String) {
        try await client.execute(uri: "/login", method: .get) { r in
            let csrf = try #require(r.text.firstMatch(of: /name="csrf" value="([0-9a-f]+)"/)?.1)
            return (String(csrf), "\(SessionCookie.loginCSRF)=\(csrf)")
        }
    }

    func post(_ client: any TestClientProtocol, _ uri: String, form: String, cookie: String) async throws -> TestResponse {
        try await client.execute(
            uri: uri, method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie], body: ByteBuffer(string: form))
    }

    @Test func pagesNeedSignInAndAPIsAnswer401() async throws {
        try await withDemoApp { client, _ in
            try await client.execute(uri: "/regions/411081", method: .get) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location]?.hasPrefix("/login?next=") == true)
            }
            try await client.execute(uri: "/api/v1/schools/1411081001", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/schools/1411081001", method: .get, headers: [.authorization: "Bearer dd_wrong"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func signInSetsAHardenedSessionCookie() async throws {
        try await withDemoApp { client, _ in
            let (csrf, cookie) = try await loginForm(client)
            let r = try await post(
                client, "/login", form: "csrf=\(csrf)&username=yuzhou&password=\(DemoAccounts.password)&next=%2Fregions%2F411081", cookie: cookie)
            #expect(r.status == .seeOther)
            #expect(r.headers[.location] == "/regions/411081")
            let session = try #require(r.headers[values: .setCookie].first { $0.hasPrefix(SessionCookie.name + "=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Lax") && !session.contains("Secure"))
            let token = String(session.dropFirst(SessionCookie.name.count + 1).prefix { $0 != ";" })
            try await client.execute(uri: "/regions/411081", method: .get, headers: [.cookie: "\(SessionCookie.name)=\(token)"]) { page in
                #expect(page.status == .ok && page.text.contains("禹州市督导办"))
            }
        }
    }

    @Test func behindTLSTheCookieIsSecure() async throws {
        try await withDemoApp { client, _ in
            let (csrf, cookie) = try await loginForm(client)
            let r = try await client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: cookie, .init("X-Forwarded-Proto")!: "https"],
                body: ByteBuffer(string: "csrf=\(csrf)&username=yuzhou&password=\(DemoAccounts.password)"))
            #expect(r.headers[values: .setCookie].first { $0.hasPrefix(SessionCookie.name) }?.contains("Secure") == true)
        }
    }

    @Test func loginWithoutMatchingCSRFIsRefused() async throws {
        try await withDemoApp { client, _ in
            let (_, cookie) = try await loginForm(client)
            let r = try await post(client, "/login", form: "csrf=0000&username=yuzhou&password=\(DemoAccounts.password)", cookie: cookie)
            #expect(r.status == .forbidden)
            #expect(!r.headers[values: .setCookie].contains { $0.hasPrefix(SessionCookie.name + "=") })
        }
    }

    @Test func openRedirectsAreNotFollowed() async throws {
        try await withDemoApp { client, _ in
            let (csrf, cookie) = try await loginForm(client)
            let r = try await post(
                client, "/login", form: "csrf=\(csrf)&username=yuzhou&password=\(DemoAccounts.password)&next=%2F%2Fevil.example", cookie: cookie)
            #expect(r.headers[.location] == "/")
        }
    }

    @Test func repeatedFailuresAreThrottled() async throws {
        try await withDemoApp { client, _ in
            let (csrf, cookie) = try await loginForm(client)
            for _ in 0..<5 {
                let r = try await post(client, "/login", form: "csrf=\(csrf)&username=changge&password=wrong-password", cookie: cookie)
                #expect(r.status == .unauthorized)
            }
            // Even the right password is refused now, with a Retry-After.
            let r = try await post(client, "/login", form: "csrf=\(csrf)&username=changge&password=\(DemoAccounts.password)", cookie: cookie)
            #expect(r.status == .tooManyRequests)
            #expect(Int(r.headers[.retryAfter] ?? "") ?? 0 > 0)
        }
    }

    @Test func logoutNeedsTheSessionsCSRFToken() async throws {
        try await withDemoApp { client, auth in
            let cookie = "\(SessionCookie.name)=\(auth.sessions["yuzhou"]!.token)"
            #expect(try await post(client, "/logout", form: "csrf=wrong", cookie: cookie).status == .forbidden)
            try await client.execute(uri: "/regions/411081", method: .get, headers: auth.cookie("yuzhou")) { #expect($0.status == .ok) }
            #expect(try await post(client, "/logout", form: "csrf=\(auth.csrf("yuzhou"))", cookie: cookie).status == .seeOther)
            try await client.execute(uri: "/regions/411081", method: .get, headers: auth.cookie("yuzhou")) { #expect($0.status == .seeOther) }
        }
    }

    @Test func passwordChangeChecksCurrentPasswordAndEndsSessions() async throws {
        try await withDemoApp { client, auth in
            let cookie = "\(SessionCookie.name)=\(auth.sessions["changge"]!.token)"
            let csrf = auth.csrf("changge")
            #expect(
                try await post(
                    client, "/account/password", form: "csrf=\(csrf)&current=nope-nope&new=new-password-1&confirm=new-password-1", cookie: cookie
                ).status == .badRequest)
            #expect(
                try await post(
                    client, "/account/password", form: "csrf=bad&current=\(DemoAccounts.password)&new=new-password-1&confirm=new-password-1",
                    cookie: cookie
                ).status == .forbidden)
            #expect(
                try await post(
                    client, "/account/password", form: "csrf=\(csrf)&current=\(DemoAccounts.password)&new=new-password-1&confirm=new-password-1",
                    cookie: cookie
                ).status == .seeOther)
            try await client.execute(uri: "/regions/411082", method: .get, headers: auth.cookie("changge")) { #expect($0.status == .seeOther) }
            let (loginCSRF, loginCookie) = try await loginForm(client)
            #expect(
                try await post(client, "/login", form: "csrf=\(loginCSRF)&username=changge&password=new-password-1", cookie: loginCookie).status
                    == .seeOther)
        }
    }
}
