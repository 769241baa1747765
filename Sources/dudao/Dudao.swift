import ArgumentParser
import DudaoCore
import DudaoStore

@main
struct Dudao: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dudao",
        abstract: "督导 Dudao — education supervision platform",
        subcommands: [
            Serve.self, Migrate.self, Demo.self, Import.self, Export.self, Template.self, Evaluate.self,
            Generate.self, Bench.self, User.self, SheetCommand.self, ReportCommand.self, SurveyCommand.self, DocumentsCommand.self,
            KeyTasksCommand.self, DigestCommand.self, RegionsCommand.self,
        ])
}

/// `--db PATH_OR_URL`: a file path means SQLite, postgres://… means PostgreSQL; falls back to
/// DUDAO_DATABASE_URL, then ./dudao.sqlite.
struct DatabaseOption: ParsableArguments {
    @Option(name: .long, help: "SQLite file path or postgres:// URL (default: $DUDAO_DATABASE_URL, then ./dudao.sqlite)")
    var db: String?
}

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
            // Busy or a key stored meanwhile: said in words, not as the driver's error.
            if let refusal = Database.refusal(error) {
                printError("\(refusal.zh) / \(refusal.en)")
                throw ExitCode(2)
            }
            throw error
        }
    }
}

/// `--as USERNAME`: act with that user's scope (the same checks as the web and API), and
/// record them as the actor. Without it the command line acts as the local administrator.
struct ActingUser: ParsableArguments {
    @Option(name: .customLong("as"), help: "Act as this user, within their region or school") var username: String?

    func identity(_ db: Database) async throws -> Identity? {
        guard let username else { return nil }
        guard let user = try await UserRepository(db.sql).find(username: username) else { throw ValidationError("no user \(username)") }
        return user
    }
}

struct OutOfScope: Error, CustomStringConvertible {
    var what: String
    var description: String { "\(what) is outside your region / 超出本人管辖范围" }
}
