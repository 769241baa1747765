import DudaoApp
import DudaoCore
import DudaoStore
import Testing

/// The demo loaded into a test database, services on a fixed day, and its users.
enum DemoFixture {
    static func services(_ db: Database, day: String) async throws -> Services {
        try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
        return Services(database: db, clock: FixedClock(day: day), passwordCost: 4)
    }

    static func user(_ db: Database, _ name: String) async throws -> Identity {
        try #require(try await UserRepository(db.sql).find(username: name))
    }
}
