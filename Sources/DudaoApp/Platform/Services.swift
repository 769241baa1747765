import DudaoStore
import Foundation
import SQLKit

/// What every use case needs: the database, the clock, and the one way to write.
///
/// The rule of the layer: a use case (a method of `Visits`, `Rectifications`, `Rounds`,
/// `Evaluations`, `Draws`, `Accounts`, `Returns`) runs all its writes, audit rows included,
/// inside exactly one `transaction`, with one `Moment`. Repositories (DudaoStore) take the
/// `SQLDatabase` they are given and never begin a transaction; handlers (DudaoWeb, the CLI)
/// never write through a repository themselves.
public struct Services: Sendable {
    public let database: Database
    public let clock: any AppClock
    /// bcrypt cost of passwords set through `Accounts` (12 in production; tests use 4).
    public let passwordCost: UInt8
    /// Test seam: each transaction's database is passed through this (failure injection).
    let intercept: @Sendable (any SQLDatabase) -> any SQLDatabase
    /// Schools' rows of their county's stored evaluation, per county, language and data version
    /// (a school page reads its own rows without decoding the county's result each time).
    let standings = VersionedCache<String, [String: StoredEvaluations.SchoolStanding]>(limit: 4_000)

    public init(
        database: Database, clock: any AppClock = SystemClock(), passwordCost: UInt8 = UserRepository.defaultCost,
        interceptTransactions: @escaping @Sendable (any SQLDatabase) -> any SQLDatabase = { $0 }
    ) {
        self.database = database
        self.clock = clock
        self.passwordCost = passwordCost
        self.intercept = interceptTransactions
    }

    /// For reads outside a use case's transaction.
    public var reads: any SQLDatabase { database.sql }

    /// Runs one use case's writes: committed when `body` returns, rolled back when it throws.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase, Moment) async throws -> R) async throws -> R {
        let moment = clock.moment
        let intercept = self.intercept
        return try await database.transaction { tx in try await body(intercept(tx), moment) }
    }

    public var visits: Visits { Visits(self) }
    public var rectifications: Rectifications { Rectifications(self) }
    public var rounds: Rounds { Rounds(self) }
    public var evaluations: Evaluations { Evaluations(self) }
    public var storedEvaluations: StoredEvaluations { StoredEvaluations(self) }
    public var draws: Draws { Draws(self) }
    public var accounts: Accounts { Accounts(self) }
    public var returns: Returns { Returns(self) }
    public var inspectors: Inspectors { Inspectors(self) }
    public var duty: Duty { Duty(self) }
    public var sheets: Sheets { Sheets(self) }
    public var assessments: Assessments { Assessments(self) }
    public var surveys: Surveys { Surveys(self) }
    public var documents: Documents { Documents(self) }
    public var keyTasks: KeyTasks { KeyTasks(self) }
    public var escalations: Escalations { Escalations(self) }
    public var projects: Projects { Projects(self) }
    public var complaints: Complaints { Complaints(self) }
    public var agenda: Agenda { Agenda(self) }
    public var digest: Digest { Digest(self) }
    public var regions: Regions { Regions(self) }

}
