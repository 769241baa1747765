import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import DudaoWeb

/// Issue 7: what a probe as an attacker or a careless user found, one test per class.
@Suite("Hardening: hostile and careless input")
struct HardeningTests {
    static let extremes = [
        "9223372036854775807", "-9223372036854775808", "-1", "0", String(repeating: "9", count: 5000),
        "9223372036854775807-03-01", "-5-01-01", "2024-02-30", "2024-13-01", "1e9", "0x10", "abc", "%E2%80%AE", "2101-01-01",
    ]

    func withCookie(_ auth: TestAuth, _ user: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var h = auth.cookie(user)
        for f in extra { h.append(f) }
        return h
    }

    /// Finding 1 (and 14: visit date, negative deadline): every date, year and day count from a
    /// URL, form or JSON body is refused with a 4xx; the server stays up.
    @Test func extremeValuesInEveryDateYearAndCountAreRefusedAndTheServerLives() async throws {
        try await withDemoApp { client, auth in
            var tried = 0
            func expect4xx(_ r: TestResponse, _ what: String) {
                tried += 1
                #expect((400..<500).contains(Int(r.status.code)), "\(what) → \(r.status.code)")
            }
            for raw in Self.extremes {
                let q = raw.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? raw
                for uri in [
                    "/api/v1/regions/411081/bulletin?to=\(q)", "/api/v1/regions/411081/bulletin?from=\(q)",
                    "/api/v1/regions/411081/evaluation?year=\(q)", "/api/v1/regions/411081/rectifications?as_of=\(q)",
                ] {
                    expect4xx(try await client.execute(uri: uri, method: .get, headers: auth.bearer("inspector")), uri)
                }
                for uri in [
                    "/regions/411081/bulletin?to=\(q)", "/regions/411081?year=\(q)", "/regions/411081/evaluation.xlsx?year=\(q)",
                    "/regions/411081/supervision?month=\(q)",
                ] {
                    expect4xx(try await client.execute(uri: uri, method: .get, headers: auth.cookie("yuzhou")), uri)
                }
                let pathYear = raw.count > 100 ? String(raw.prefix(100)) : q
                expect4xx(
                    try await client.execute(uri: "/schools/1411081001/returns/\(pathYear)/edit", method: .get, headers: auth.cookie("yuzhou")),
                    "edit \(raw)")
                expect4xx(
                    try await client.execute(
                        uri: "/api/v1/schools/1411081001/returns/\(pathYear)/primary", method: .put, headers: auth.bearer("yuzhou"),
                        body: jsonBody(["version": 0, "values": ["students": 10]])), "put \(raw)")
                // JSON bodies: the value as a string where a date is expected, as a number where a count is.
                let number: Any = Int(raw) ?? raw
                for body in [
                    ["date": raw, "answers": [:] as [String: Any]],
                    ["date": "2026-11-24", "answers": [:] as [String: Any], "deadline_days": number, "sign": true],
                ] as [[String: Any]] {
                    expect4xx(
                        try await client.execute(
                            uri: "/api/v1/schools/1411081001/visits", method: .post, headers: auth.bearer("inspector"), body: jsonBody(body)),
                        "visit \(body)")
                }
                expect4xx(try await post(client, auth, "yuzhou", "/api/v1/rounds", ["year": number]), "round \(raw)")
                expect4xx(try await post(client, auth, "yuzhou", "/api/v1/evaluations", ["region": "411081", "year": number]), "evaluation \(raw)")
                // Forms.
                let form = "csrf=\(auth.csrf("yuzhou"))&year=\(q)"
                expect4xx(
                    try await client.execute(
                        uri: "/rounds", method: .post, headers: withCookie(auth, "yuzhou", [.contentType: "application/x-www-form-urlencoded"]),
                        body: ByteBuffer(string: form)), "round form \(raw)")
                var fields = ["csrf": auth.csrf("inspector"), "checklist": "routine", "visit_date": raw, "submit": "sign"]
                let (h1, b1) = multipart(fields)
                expect4xx(
                    try await client.execute(uri: "/schools/1411081001/visits", method: .post, headers: withCookie(auth, "inspector", h1), body: b1),
                    "visit form date \(raw)")
                fields["visit_date"] = "2026-11-24"
                fields["deadline_days"] = raw
                let (h2, b2) = multipart(fields)
                expect4xx(
                    try await client.execute(uri: "/schools/1411081001/visits", method: .post, headers: withCookie(auth, "inspector", h2), body: b2),
                    "visit form days \(raw)")
            }
            #expect(tried == 17 * Self.extremes.count)
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            // The refusal names the field.
            let r = try await client.execute(
                uri: "/api/v1/regions/411081/bulletin?to=9223372036854775807-03-01", method: .get, headers: auth.bearer("inspector"))
            let error = try #require((try r.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(r.status == .badRequest && error["field"] as? String == "to" && error["code"] as? String == "not_a_date")
        }
    }

    /// Finding 1, its whole class: every id or code in a path, hostile or huge, is a 4xx.
    @Test func hostileIdsInEveryPathAreClientErrors() async throws {
        try await withDemoApp { client, auth in
            let ids = [String(repeating: "9", count: 5000), "-1", "0", "9223372036854775807", "%00", "..%2F..%2Fetc", "%E2%80%AE", "'%20OR%201=1--"]
            var tried = 0
            for id in ids {
                for uri in [
                    "/regions/\(id)", "/schools/\(id)", "/rounds/\(id)", "/evaluations/\(id)", "/regions/\(id)/supervision",
                    "/regions/\(id)/bulletin",
                    "/regions/\(id)/draws", "/regions/\(id)/plates", "/attachments/\(id)", "/schools/\(id)/returns/2024/edit",
                    "/schools/\(id)/visits/new", "/static/\(id)",
                ] {
                    let r = try await client.execute(uri: uri, method: .get, headers: auth.cookie("inspector"))
                    tried += 1
                    #expect((400..<500).contains(Int(r.status.code)), "\(uri) → \(r.status.code)")
                }
                for uri in ["/public/notices/\(id)", "/public/draws/\(id)"] {
                    let r = try await client.execute(uri: uri, method: .get)
                    tried += 1
                    #expect((400..<500).contains(Int(r.status.code)), "\(uri) → \(r.status.code)")
                }
                for uri in [
                    "/api/v1/regions/\(id)", "/api/v1/schools/\(id)", "/api/v1/rounds/\(id)", "/api/v1/evaluations/\(id)",
                    "/api/v1/regions/\(id)/evaluation", "/api/v1/regions/\(id)/schools", "/api/v1/regions/\(id)/rectifications",
                    "/api/v1/regions/\(id)/bulletin",
                ] {
                    let r = try await client.execute(uri: uri, method: .get, headers: auth.bearer("inspector"))
                    tried += 1
                    #expect((400..<500).contains(Int(r.status.code)), "\(uri) → \(r.status.code)")
                }
                for uri in [
                    "/api/v1/rectifications/\(id)/actions", "/api/v1/rounds/\(id)/actions", "/api/v1/evaluations/\(id)/actions",
                    "/api/v1/schools/\(id)/visits",
                ] {
                    let r = try await client.execute(
                        uri: uri, method: .post, headers: auth.bearer("inspector"),
                        body: jsonBody(["action": "start", "version": 1, "date": "2026-11-24", "answers": [:] as [String: Any]]))
                    tried += 1
                    #expect((400..<500).contains(Int(r.status.code)), "\(uri) → \(r.status.code)")
                }
            }
            #expect(tried == ids.count * 26)
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    /// Finding 2: uploads are recognised by their bytes; anything else is refused and nothing is
    /// stored; files are served with the recognised type, nosniff, a sandboxing policy, and as
    /// downloads unless they are images.
    @Test func uploadsAreRecognisedByContentAndServedSafely() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            var fields = [
                "csrf": auth.csrf("inspector"), "checklist": "routine", "visit_id": "V-upload", "visit_date": "2026-11-24", "submit": "draft",
            ]
            let html = Data("<html><script>alert(document.cookie)</script></html>".utf8)
            let svg = Data(#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#.utf8)
            for (name, data) in [("evil.html", html), ("evil.svg", svg), ("photo.jpg", html)] {
                let (h, b) = multipart(fields, files: [("photo", name, data)])
                let r = try await client.execute(uri: "/schools/1411081001/visits", method: .post, headers: withCookie(auth, "inspector", h), body: b)
                #expect(r.status == .unsupportedMediaType && r.text.contains(name))
            }
            #expect(try await VisitRepository(db.sql).find("V-upload") == nil)
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 64))
            let pdf = Data("%PDF-1.7\n%âãÏÓ\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF".utf8)
            fields["version"] = "0"
            let (h, b) = multipart(fields, files: [("photo", "gate.png", png), ("photo", "报告.pdf", pdf)])
            #expect(
                try await client.execute(uri: "/schools/1411081001/visits", method: .post, headers: withCookie(auth, "inspector", h), body: b).status
                    == .ok)
            let files = try await AttachmentRepository(db.sql).list(objectType: "visit", objectId: "V-upload")
            #expect(Set(files.map(\.contentType)) == ["image/png", "application/pdf"])
            for file in files {
                let r = try await client.execute(uri: "/attachments/\(file.id)", method: .get, headers: auth.cookie("yuzhou"))
                #expect(r.headers[.xContentTypeOptions] == "nosniff")
                #expect(r.headers[.contentSecurityPolicy]?.contains("sandbox") == true)
                if file.contentType == "image/png" {
                    #expect(r.headers[.contentDisposition]?.hasPrefix("inline") == true)
                } else {
                    #expect(r.headers[.contentDisposition]?.hasPrefix("attachment") == true && r.headers[.contentType] == "application/pdf")
                }
            }
            // A file stored before uploads were checked, declared text/html: a download of bytes.
            let old = try await AttachmentRepository(db.sql).add(
                objectType: "visit", objectId: "V-upload", filename: "evil.html", contentType: "text/html", data: html, by: "inspector",
                at: Timestamp.now())
            let r = try await client.execute(uri: "/attachments/\(old)", method: .get, headers: auth.cookie("yuzhou"))
            #expect(r.headers[.contentType] == "application/octet-stream" && r.headers[.contentDisposition]?.hasPrefix("attachment") == true)
        }
    }

    @Test func uploadQuotasPerVisit() async throws {
        try await withDemoApp { client, auth in
            let fields = [
                "csrf": auth.csrf("inspector"), "checklist": "routine", "visit_id": "V-quota", "visit_date": "2026-11-24", "submit": "draft",
            ]
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
            let (h, b) = multipart(fields, files: Array(repeating: ("photo", "p.png", png), count: 31))
            let r = try await client.execute(uri: "/schools/1411081001/visits", method: .post, headers: withCookie(auth, "inspector", h), body: b)
            #expect(r.status == .contentTooLarge)
            #expect(try await AttachmentRepository(TestContext.database!.sql).usage(objectType: "visit", objectId: "V-quota").files == 0)
        }
    }

    /// Finding 4: a visit id chosen by the client reaches only the caller's own visit of that school.
    @Test func aVisitIdCannotReachAnotherSchoolsOrCountysVisit() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let other = VisitRecord(
                id: "V-foreign", schoolCode: "1411081002", countyCode: "411081", inspectorId: "411081-I02", date: "2026-11-01",
                kind: .routine, checklistId: "routine", answers: "{}", peopleMet: "", notes: "theirs", location: nil, status: .draft, version: 1)
            try await VisitRepository(db.sql).insert([other], at: Timestamp.now())
            let r = try await client.execute(
                uri: "/api/v1/schools/1411081001/visits", method: .post, headers: auth.bearer("inspector"),
                body: jsonBody(["id": "V-foreign", "version": 1, "date": "2026-11-24", "answers": [:] as [String: Any], "notes": "mine"]))
            #expect(r.status == .notFound)
            let stored = try #require(try await VisitRepository(db.sql).find("V-foreign"))
            #expect(stored.notes == "theirs" && stored.version == 1 && stored.inspectorId == "411081-I02")
        }
    }

    /// Finding 9: a new draft can be saved again with the version it was given.
    @Test func aNewDraftCanBeSavedTwice() async throws {
        try await withDemoApp { client, auth in
            func save(_ body: [String: Any]) async throws -> [String: Any] {
                let r = try await client.execute(
                    uri: "/api/v1/schools/1411081001/visits", method: .post, headers: auth.bearer("inspector"), body: jsonBody(body))
                #expect(r.status == .created)
                return try #require(try r.json() as? [String: Any])
            }
            let first = try await save(["date": "2026-11-24", "answers": [:] as [String: Any]])
            #expect(first["version"] as? Int == 1)
            let second = try await save(["id": first["id"]!, "version": 1, "date": "2026-11-24", "answers": [:] as [String: Any], "notes": "again"])
            #expect(second["version"] as? Int == 2)
        }
    }

    /// Findings 8 and 1 of issue 8: signing is one transaction. A rectification case that cannot
    /// be stored (its id is taken) rolls back the visit, the earlier cases and the audit entry.
    @Test func signingAVisitIsAllOrNothing() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            try await Services(database: db).rectifications.open(
                RectificationCase(
                    id: "R-V-atomic-2", schoolCode: "1411081001", countyCode: "411081", category: "other",
                    description: "blocker", assignedUnit: "x", responsiblePerson: "x", deadline: "2026-12-01",
                    openedOn: "2026-11-01"), visitId: nil, by: "test")
            let audit = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log").first()!.decode(
                column: "n", as: Int.self)
            var answers: [String: Any] = [:]
            for (k, v) in routineAnswers {
                answers[k] = v == "yes" ? ["bool": true] : v == "no" ? ["bool": false] : Double(v).map { ["number": $0] } ?? ["choice": v]
            }
            answers["visit_photos"] = ["photo": 1]
            let r = try await client.execute(
                uri: "/api/v1/schools/1411081001/visits", method: .post, headers: auth.bearer("inspector"),
                body: jsonBody([
                    "id": "V-atomic", "date": "2026-11-24", "answers": answers, "sign": true,
                    "findings": [["category": "safety", "description": "消防通道堆放杂物"]],
                ]))
            #expect(r.status == .internalServerError || r.status == .conflict, "\(r.text)")
            #expect(try await VisitRepository(db.sql).find("V-atomic") == nil)
            #expect(try await RectificationRepository(db.sql).find("R-V-atomic-1") == nil)
            let after = try await db.sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("audit_log").first()!.decode(
                column: "n", as: Int.self)
            #expect(after == audit)
        }
    }

    /// Finding 5: one number parser; no infinities, no fractional counts.
    @Test func nonFiniteAndFractionalNumbersAreRefused() async throws {
        try await withDemoApp { client, auth in
            let page = try await client.execute(
                uri: "/schools/1411081001/returns/2024/primary", method: .post,
                headers: withCookie(auth, "yuzhou", [.contentType: "application/x-www-form-urlencoded"]),
                body: ByteBuffer(string: "csrf=\(auth.csrf("yuzhou"))&version=0&students=Infinity"))
            #expect(page.status == .unprocessableContent && page.text.contains("不是数字"))
            let r = try await client.execute(
                uri: "/api/v1/schools/1411081001/returns/2024/primary", method: .put, headers: auth.bearer("yuzhou"),
                body: jsonBody(["version": 0, "values": ["students": 10.5]]))
            let error = try #require((try r.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(r.status == .badRequest && error["field"] as? String == "values.students" && error["code"] as? String == "not_whole")
            let api = try await client.execute(uri: "/api/v1/regions/411081/evaluation", method: .get, headers: auth.bearer("yuzhou"))
            #expect(api.status == .ok)
            // The stored result says which data it was computed from, and when.
            let version = try #require(api.headers[HTTPField.Name("Dudao-Data-Version")!].flatMap(Int.init))
            #expect(version > 0 && api.headers[HTTPField.Name("Dudao-Computed-At")!]?.hasPrefix("20") == true)
        }
    }

    /// Finding 6: `next` is only ever a path of this application.
    @Test func loginRedirectsStayOnThisSite() {
        for bad in [
            "//evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/", "/\t/evil.example", "javascript:alert(1)",
            "evil.example", "/%0d%0aSet-Cookie:x", nil,
        ] {
            #expect(SafeRedirect.path(bad) == "/" || bad == "/%0d%0aSet-Cookie:x", "\(bad ?? "nil")")
        }
        #expect(SafeRedirect.path("/regions/411081?year=2024") == "/regions/411081?year=2024")
    }

    /// Finding 7: a write with the session cookie needs the CSRF header and a JSON body; a token does not.
    @Test func cookieAuthenticatedAPIWritesNeedTheCSRFHeader() async throws {
        try await withDemoApp { client, auth in
            let body = jsonBody(["year": 2031, "title": "csrf test"])
            let noHeader = try await client.execute(
                uri: "/api/v1/rounds", method: .post, headers: withCookie(auth, "yuzhou", [.contentType: "application/json"]), body: body)
            #expect(noHeader.status == .forbidden)
            let plain = try await client.execute(
                uri: "/api/v1/rounds", method: .post,
                headers: withCookie(auth, "yuzhou", [.contentType: "text/plain", APICSRF.csrfHeader: auth.csrf("yuzhou")]), body: body)
            #expect(plain.status == .unsupportedMediaType)
            let ok = try await client.execute(
                uri: "/api/v1/rounds", method: .post,
                headers: withCookie(auth, "yuzhou", [.contentType: "application/json", APICSRF.csrfHeader: auth.csrf("yuzhou")]), body: body)
            #expect(ok.status == .created)
            #expect(try await post(client, auth, "yuzhou", "/api/v1/rounds", ["year": 2032]).status == .created)
            // Reads with the cookie need nothing.
            #expect(try await client.execute(uri: "/api/v1/rounds", method: .get, headers: auth.cookie("yuzhou")).status == .ok)
        }
    }

    /// Finding 3: the client address is the peer unless a trusted proxy forwarded the request;
    /// a named account is slowed down, never locked out for long; an address is limited.
    @Test func clientAddressIgnoresForwardedForFromStrangers() {
        #expect(ClientAddress.resolve(peer: "203.0.113.9", forwardedFor: "1.2.3.4", trusted: []) == "203.0.113.9")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 198.51.100.7", trusted: ["10.0.0.2"]) == "198.51.100.7")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 198.51.100.7, 10.0.0.3", trusted: ["10.0.0.2", "10.0.0.3"])
                == "198.51.100.7")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: "1.2.3.4", trusted: []) == "unknown")
    }

    @Test func accountThrottlingIsShortAndExponentialAddressThrottlingHolds() async {
        let throttle = LoginThrottle()
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        // A stranger from many addresses: the account waits 15 s after 5 failures, then 30, 60 …
        for i in 0..<5 { await throttle.failed(account: "changge", address: "a\(i)", now: t0) }
        #expect(await throttle.retryAfter(account: "changge", address: "owner", now: t0) == 15)
        #expect(await throttle.retryAfter(account: "changge", address: "owner", now: t0.addingTimeInterval(15)) == nil)
        for i in 0..<20 { await throttle.failed(account: "changge", address: "b\(i)", now: t0.addingTimeInterval(16)) }
        // Never longer than five minutes, whatever the stranger does.
        #expect(await throttle.retryAfter(account: "changge", address: "owner", now: t0.addingTimeInterval(16)) == 300)
        #expect(await throttle.retryAfter(account: "changge", address: "owner", now: t0.addingTimeInterval(16 + 300)) == nil)
        // One address guessing many accounts is stopped for the window.
        for i in 0..<20 { await throttle.failed(account: "user\(i)", address: "guesser", now: t0) }
        #expect(await throttle.retryAfter(account: "someone", address: "guesser", now: t0.addingTimeInterval(60)) == 840)
        #expect(await throttle.retryAfter(account: "someone", address: "other", now: t0.addingTimeInterval(60)) == nil)
    }

    @Test func passwordChecksAreBounded() async {
        let gate = PasswordCheckGate(limit: 1, queue: 1)
        async let a = gate.run {
            try? await Task.sleep(for: .milliseconds(300)); return 1
        }
        try? await Task.sleep(for: .milliseconds(50))
        async let b = gate.run { 2 }
        try? await Task.sleep(for: .milliseconds(50))
        let c = await gate.run { 3 }
        #expect(c == nil)
        let (x, y) = await (a, b)
        #expect(x == 1 && y == 2)
        #expect(await gate.run { 4 } == 4)
    }

    /// Finding 12: tokens expire, can be revoked, and end with a password change or a disabled account.
    @Test func apiTokensExpireAndAreRevoked() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let users = UserRepository(db.sql, cost: 4)
            let accounts = Services(database: db, passwordCost: 4).accounts
            let me = try #require(try await users.find(username: "changge"))
            func status(_ token: String) async throws -> HTTPResponse.Status {
                let r = try await client.execute(uri: "/api/v1/programmes", method: .get, headers: [.authorization: "Bearer \(token)"])
                return r.status
            }
            let a = try await accounts.issueToken(username: "changge", name: "nightly", days: 30)
            #expect(try await status(a) == .ok)
            #expect(try await accounts.revokeToken(username: "changge", idOrName: "nightly", actor: "test") == 1)
            #expect(try await status(a) == .unauthorized)
            let b = try await accounts.issueToken(username: "changge", name: "short", days: 1)
            try await db.sql.update("api_tokens").set("expires_at", to: "2000-01-01T00:00:00Z").where("name", .equal, "short").run()
            #expect(try await status(b) == .unauthorized)
            let c = try await accounts.issueToken(username: "changge", name: "c", days: 365)
            #expect(
                try await Services(database: db, passwordCost: 4).accounts.changePassword(
                    userId: me.userId, current: DemoAccounts.password, new: "another-password"))
            #expect(try await status(c) == .unauthorized)
            // Disabling ends the demo session and token of another account at once.
            #expect(try await status(auth.tokens["xuchang"]!) == .ok)
            try await accounts.setDisabled(true, username: "xuchang", actor: "test")
            #expect(try await status(auth.tokens["xuchang"]!) == .unauthorized)
            try await client.execute(uri: "/regions/4110", method: .get, headers: auth.cookie("xuchang")) { #expect($0.status == .seeOther) }
            try await accounts.setDisabled(false, username: "xuchang", actor: "test")
            await #expect(throws: UserError.self) { try await accounts.issueToken(username: "changge", name: "x", days: 0) }
        }
    }

    /// Finding 14: headers on every page; no links to other hosts; only known messages shown.
    @Test func pagesCarrySecurityHeadersAndNoInjectedText() async throws {
        try await withDemoApp { client, auth in
            let r = try await client.execute(
                uri: "/regions/411081/supervision?error=%3Cb%3Eyou%20have%20been%20hacked%3C/b%3E", method: .get, headers: auth.cookie("yuzhou"))
            #expect(r.status == .ok && !r.text.contains("role=\"alert\""))
            #expect(r.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(
                r.headers[.xContentTypeOptions] == "nosniff" && r.headers[.init("X-Frame-Options")!] == "DENY"
                    && r.headers[.init("Referrer-Policy")!] == "same-origin")
            let known = try await client.execute(
                uri: "/regions/411081/supervision?error=version_conflict", method: .get, headers: auth.cookie("yuzhou"))
            #expect(known.text.contains("该事项已被他人处理"))
            let slashes = try await client.execute(uri: "//evil.example/x", method: .get, headers: auth.cookie("yuzhou"))
            #expect(!slashes.text.contains("href=\"//evil.example"))
            // A principal lists no evaluation cases.
            let list = try await client.execute(uri: "/api/v1/evaluations", method: .get, headers: auth.bearer("principal"))
            let listed = try list.json() as? [Any]
            #expect(list.status == .ok && listed?.isEmpty == true)
            // An over-limit body is 413 with a message.
            let big = try await client.execute(
                uri: "/api/v1/rounds", method: .post, headers: auth.bearer("yuzhou"), body: ByteBuffer(repeating: 0x20, count: 2 << 20))
            #expect(big.status == .contentTooLarge && big.text.contains("too_large"))
        }
    }

    /// Finding 13: the account link is made on creation and survives re-imports without it.
    @Test func inspectorAccountLinkSurvivesReimport() async throws {
        try await withDemoApp { _, _ in
            let db = try #require(TestContext.database)
            let repo = InspectorRepository(db.sql)
            let me = try #require(try await repo.find(username: "inspector"))
            try await repo.upsert([me])
            #expect(try await repo.find(username: "inspector")?.id == me.id)
            _ = try await UserRepository(db.sql, cost: 4).create(
                username: "insp2", displayName: "督学二", role: .inspector, regionCode: "411081",
                schoolCode: nil, password: "password-123", actor: "test", at: "2026-11-24T04:00:00.000Z")
            #expect(try await repo.link(inspectorId: "411081-I02", username: "insp2"))
            #expect(try await repo.find(username: "insp2")?.id == "411081-I02")
            try await repo.upsert([try #require(try await repo.find(id: "411081-I02"))], usernames: [:])
            #expect(try await repo.find(username: "insp2")?.id == "411081-I02")
        }
    }
}
