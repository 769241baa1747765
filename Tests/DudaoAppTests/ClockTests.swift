import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// Issue 8: the application reads time only from its injected clock; sessions and tokens are
/// opened and checked against it, and every row a use case writes carries its one moment.
@Suite("The injected clock")
struct ClockTests {
    @Test func sessionsAndTokensLiveByTheApplicationsClock() async throws {
        try await TestDatabase.with { db in
            try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
            let monday = Services(database: db, clock: FixedClock(day: "2026-11-23"), passwordCost: 4)
            let me = try #require(try await UserRepository(db.sql).find(username: "yuzhou"))
            let session = try await monday.accounts.openSession(for: me)
            let token = try await monday.accounts.issueToken(username: "yuzhou", name: "weekly", days: 2)
            // Noon Monday + 12 h: still valid at noon Monday, gone by noon Tuesday.
            #expect(try await monday.accounts.caller(sessionToken: session.token)?.identity.username == "yuzhou")
            let tuesday = Services(database: db, clock: FixedClock(day: "2026-11-24"), passwordCost: 4)
            #expect(try await tuesday.accounts.caller(sessionToken: session.token) == nil)
            // The two-day token lives through Tuesday and ends by Thursday.
            #expect(try await tuesday.accounts.caller(apiToken: token)?.username == "yuzhou")
            let thursday = Services(database: db, clock: FixedClock(day: "2026-11-26"), passwordCost: 4)
            #expect(try await thursday.accounts.caller(apiToken: token) == nil)
            // A disabling is audited at the clock's moment (noon in Beijing is 04:00 UTC).
            try await tuesday.accounts.setDisabled(true, username: "changge", actor: "test")
            let at = try await db.sql.select().column("at").from("audit_log").where("action", .equal, "disable").first()?
                .decode(column: "at", as: String.self)
            #expect(at == "2026-11-24T04:00:00.000Z")
        }
    }
}
