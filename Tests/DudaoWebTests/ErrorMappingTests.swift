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

/// Issue 8 §4: errors are mapped in one place; a visible-but-forbidden action is 403.
@Suite("One error mapping")
struct ErrorMappingTests {
    func form(_ auth: TestAuth, _ user: String, _ body: String) -> (HTTPFields, ByteBuffer) {
        var h = auth.cookie(user)
        h[.contentType] = "application/x-www-form-urlencoded"
        return (h, ByteBuffer(string: "csrf=\(auth.csrf(user))&" + body))
    }

    @Test func refusalsOfStartingAnEvaluationOrOpeningARoundAre403() async throws {
        try await withDemoApp { client, auth in
            // The city office can see the county but only the county office starts its self-evaluation.
            let (h1, b1) = form(auth, "xuchang", "year=2024&programme=quality-2017")
            let start = try await client.execute(uri: "/regions/411081/evaluations", method: .post, headers: h1, body: b1)
            #expect(start.status == .forbidden && start.text.contains("自评由县级督导办发起"))
            // An inspector sees rounds but does not open them.
            let (h2, b2) = form(auth, "inspector", "year=2024")
            #expect(try await client.execute(uri: "/rounds", method: .post, headers: h2, body: b2).status == .forbidden)
            let api = try await post(client, auth, "inspector", "/api/v1/rounds", ["year": 2024])
            let error = try #require((try api.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(api.status == .forbidden && error["code"] as? String == "not_allowed")
        }
    }

    @Test func evaluationFailuresAreClientErrorsNotServerErrors() async throws {
        try await withDemoApp { client, auth in
            let r = try await client.execute(uri: "/regions/411081/evaluation.xlsx?programme=no-such", method: .get, headers: auth.cookie("yuzhou"))
            #expect(r.status == .badRequest && r.text.contains("unknown programme"))
            let api = try await client.execute(
                uri: "/api/v1/regions/411081/evaluation?programme=no-such", method: .get, headers: auth.bearer("yuzhou"))
            let error = try #require((try api.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(api.status == .badRequest && error["field"] as? String == "programme")
        }
    }

    /// One request decoder picks form or JSON by content type; anything else is 415, and a body
    /// of the wrong shape is 400 saying what was expected.
    @Test func bodiesAreDecodedByContentType() async throws {
        try await withDemoApp { client, auth in
            var h = auth.bearer("yuzhou")
            h[.contentType] = "text/plain"
            let plain = try await client.execute(uri: "/api/v1/rounds", method: .post, headers: h, body: ByteBuffer(string: "year=2024"))
            #expect(plain.status == .unsupportedMediaType)
            h[.contentType] = "application/x-www-form-urlencoded"
            let form = try await client.execute(
                uri: "/api/v1/rounds", method: .post, headers: h, body: ByteBuffer(string: "year=2024&title=%E8%A1%A8%E5%8D%95"))
            #expect(form.status == .created)
            #expect((try form.json() as? [String: Any])?["title"] as? String == "表单")
            h[.contentType] = "application/json"
            let wrong = try await client.execute(uri: "/api/v1/rounds", method: .post, headers: h, body: jsonBody(["year": "soon"]))
            let error = try #require((try wrong.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(wrong.status == .badRequest && error["field"] as? String == "body")
            #expect((error["message"] as? String)?.contains("\"year\": 2024") == true)
        }
    }

    @Test func notSignedInIsALoginRedirectForPagesAnd401ForTheAPI() async throws {
        try await withDemoApp { client, _ in
            let page = try await client.execute(uri: "/regions/411081/bulletin?from=2026-01-01", method: .get)
            #expect(page.status == .seeOther && page.headers[.location] == "/login?next=%2Fregions%2F411081%2Fbulletin%3Ffrom%3D2026%2D01%2D01")
            let api = try await client.execute(uri: "/api/v1/rounds", method: .post, body: jsonBody(["year": 2024]))
            #expect(api.status == .unauthorized && api.headers[.wwwAuthenticate] == "Bearer")
        }
    }
}

/// Issue 7 §14: a write that waits longer than the busy timeout for another process's lock is
/// answered 503 with a message (and logged), not 500 with an empty body.
@Suite("Database busy")
struct DatabaseBusyTests {
    @Test func aLockHeldByAnotherProcessIsA503() async throws {
        let path = Scratch.file("busy", "sqlite").path
        let ours = try await Database.open(path)
        let theirs = try await Database.open(path, migrate: false)
        let held = AsyncStream<Void>.makeStream()
        let release = AsyncStream<Void>.makeStream()
        // The other process takes the write lock and keeps it.
        let holder = Task {
            try await theirs.sql.withSession { session in
                try await session.raw("BEGIN IMMEDIATE").run()
                held.continuation.yield()
                for await _ in release.stream { break }
                try await session.raw("ROLLBACK").run()
            }
        }
        for await _ in held.stream { break }
        do {
            try await ours.sql.update("users").set("display_name", to: "x").where("username", .equal, "nobody").run()
            Issue.record("the write should have timed out")
        } catch {
            #expect(Database.isLockTimeout(error))
            // The command line prints the same words (`DatabaseOption.with`).
            #expect(Database.refusal(error)?.kind == .busy)
            let answer = try #require(AppError.from(error))
            #expect(answer.status == .serviceUnavailable && answer.code == "busy" && answer.zh.contains("未保存"))
        }
        release.continuation.yield()
        try await holder.value
        try await ours.shutdown()
        try await theirs.shutdown()
    }
}

/// An import inserts the schools and rows it found new as they are. Should another writer store
/// one of them between the import's look-up and its insert, the insert fails on the key: the
/// import keeps nothing and the caller is told to try again (409), rather than a 500.
@Suite("Rows stored meanwhile")
struct StoredMeanwhileTests {
    @Test func aSchoolStoredByAnotherWriterMeanwhileIsAConflict() async throws {
        try await TestDatabase.with { db in
            let csv = [StreamingImportTests.header, StreamingImportTests().row("4110810001")].joined(separator: "\r\n")
            let batch = ReturnsFileParser.parse(try CSVTable.parse(Data(csv.utf8), name: "f.csv"), year: nil)
            #expect(batch.errors.isEmpty && batch.records.count == 1)
            var caught: (any Error)?
            do {
                _ = try await db.transaction { tx in
                    let importer = ReturnImporter(tx)
                    var run = ReturnImporter.Run(
                        source: "f.csv", supplied: nil, columnNames: batch.columnNames, actor: "t", at: "2026-12-07T08:00:00.000Z")
                    let found = try await importer.lookups(batch.records, &run)
                    // Another writer stores the school after the look-up found it new.
                    try await RegionRepository(tx).ensureLineage(of: "411081")
                    try await tx.raw(
                        """
                        INSERT INTO schools (code, name, county_code, school_type, ownership, locality, boarding, updated_at)
                        VALUES ('4110810001', '另一所', '411081', 'primary_school', 'public', 'rural', false, 'x')
                        """
                    ).run()
                    let planned = importer.plan(batch.records, found, overlay: [:], &run)
                    _ = try await importer.write(planned)
                }
            } catch {
                caught = error
            }
            let error = try #require(caught)
            #expect(Database.isUniqueViolation(error))
            #expect(Database.refusal(error)?.kind == .conflict && Database.refusal(error)?.en.contains("nothing was saved") == true)
            let answer = try #require(AppError.from(error))
            #expect(answer.status == .conflict && answer.code == "conflict" && answer.zh.contains("未保存"))
            // Nothing of it was kept, not even the other writer's row of the same transaction.
            #expect(try await TestDatabase.count(db, "schools") == 0)
            #expect(try await TestDatabase.count(db, "stage_returns") == 0)
        }
    }
}
