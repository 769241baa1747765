import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// Issue 10 §3: callers are looked up once a second, not once a request; a change made here
/// takes effect at once, a change made elsewhere (another instance, straight in the database)
/// within a second; unknown tokens are never remembered.
@Suite("Caller cache")
struct CallerCacheTests {
    @Test func lookupsAreRememberedBrieflyAndForgottenOnChange() async throws {
        try await TestDatabase.with { db in
            try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
            let t0 = Date(timeIntervalSince1970: 1_795_000_000)
            let at = { (seconds: Double) in Services(database: db, clock: FixedClock(t0.addingTimeInterval(seconds)), passwordCost: 4) }
            let token = try await at(0).accounts.issueToken(username: "yuzhou", name: "cache", days: 30)
            #expect(try await at(0).accounts.caller(apiToken: token)?.username == "yuzhou")
            // Revoked behind the application's back (as another instance would): still
            // remembered within the second, gone after it.
            try await db.sql.update("api_tokens").set("revoked_at", to: Timestamp.format(t0)).where("name", .equal, "cache").run()
            #expect(try await at(0.5).accounts.caller(apiToken: token)?.username == "yuzhou")
            #expect(try await at(1.5).accounts.caller(apiToken: token) == nil)
            // Unknown tokens are not remembered: once it exists it is found at once.
            let again = try await at(2).accounts.issueToken(username: "yuzhou", name: "cache2", days: 30)
            #expect(try await at(2).accounts.caller(apiToken: again) != nil)
            // A change through the application takes effect at once.
            _ = try await at(2).accounts.revokeToken(username: "yuzhou", idOrName: "cache2", actor: "test")
            #expect(try await at(2).accounts.caller(apiToken: again) == nil)
            let me = try #require(try await UserRepository(db.sql).find(username: "yuzhou"))
            let session = try await at(3).accounts.openSession(for: me)
            #expect(try await at(3).accounts.caller(sessionToken: session.token) != nil)
            try await at(3).accounts.closeSession(token: session.token)
            #expect(try await at(3).accounts.caller(sessionToken: session.token) == nil)
            #expect(try await at(3).accounts.caller(sessionToken: "no-such-session") == nil)
            #expect(db.callers.count == 0)
        }
    }

    @Test func entriesNeverOutliveTheirTokenOrTheCapacity() {
        let cache = CallerCache()
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        let me = Identity(userId: "u", username: "u", displayName: "u", role: .county, regionCode: "411081")
        // A token ending in half a second is not remembered past its end.
        cache.remember(.token(me), for: "t:a", at: now, expires: now.addingTimeInterval(0.5), lookedUpIn: cache.generation)
        #expect(cache.caller("t:a", at: now.addingTimeInterval(0.4)) != nil)
        #expect(cache.caller("t:a", at: now.addingTimeInterval(0.6)) == nil)
        cache.remember(.token(me), for: "t:b", at: now, expires: nil, lookedUpIn: cache.generation)
        cache.removeAll()
        #expect(cache.caller("t:b", at: now) == nil)
        // A lookup that raced with a change to accounts is not remembered.
        let before = cache.generation
        cache.removeAll()
        cache.remember(.token(me), for: "t:c", at: now, expires: nil, lookedUpIn: before)
        #expect(cache.caller("t:c", at: now) == nil)
    }
}
