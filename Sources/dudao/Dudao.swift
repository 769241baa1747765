import ArgumentParser

@main
struct Dudao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dudao",
        abstract: "督导 Dudao — education supervision platform",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Import.self, Export.self, Template.self, Evaluate.self,
            Generate.self, Bench.self, User.self,
        ])
}

/// `--db PATH_OR_URL`: a file path means SQLite, postgres://… means PostgreSQL; falls back to
/// DUDAO_DATABASE_URL, then ./dudao.sqlite.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "SQLite file path or postgres:// URL (default: $DUDAO_DATABASE_URL, then ./dudao.sqlite)")
    var db: String?
}

import DudaoStore

extension DatabaseOption {
    /// Opens the database, runs `body`, and always closes the database again (the pools
    /// insist on an orderly shutdown), also when `body` throws.
    func with<R>(_ body: (Database) async throws -> R) async throws -> R {
        let database = try await Database.open(Database.resolveLocation(db))
        do {
            let result = try await body(database)
            try await database.shutdown()
            return result
        } catch {
            try? await database.shutdown()
            throw error
        }
    }
}
