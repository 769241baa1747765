import Crypto
import DudaoCore
import Foundation
import SQLKit

/// What an evaluation reads has a version per county (`data_versions`): every transaction that
/// changes a county's returns, schools, county facts, scores or report text raises it. A city,
/// province or the nation has the sum of the versions of the counties below it, which rises with
/// any of them.
///
/// A second counter, `supervision_versions`, follows supervision work: visits, rectification
/// cases and responsible inspectors. Pages drawn from that work (bulletins, the supervision
/// list's tallies) are kept per its version, without touching stored evaluations.
public struct DataVersions: Sendable {
    public enum Counter: String, Sendable {
        case evaluationInputs = "data_versions"
        case supervision = "supervision_versions"
    }

    let db: any SQLDatabase
    let table: String

    public init(_ db: any SQLDatabase, _ counter: Counter = .evaluationInputs) {
        self.db = db
        table = counter.rawValue
    }

    /// Marks these counties' stored evaluations (and so those of every region above) stale. Call
    /// it inside the transaction that changes their data.
    public func bump(_ counties: some Sequence<String>, at now: String) async throws {
        let codes = Set(counties).sorted()
        for chunk in codes.chunked(500) {
            var sql = SQLQueryString("INSERT INTO \(unsafeRaw: table) (county_code, version, changed_at) VALUES ")
            for (index, code) in chunk.enumerated() {
                sql.appendLiteral(index == 0 ? "(" : ", (")
                sql.appendInterpolation(bind: code)
                sql.appendLiteral(", 1, ")
                sql.appendInterpolation(bind: now)
                sql.appendLiteral(")")
            }
            sql.appendLiteral(
                " ON CONFLICT (county_code) DO UPDATE SET version = \(table).version + 1, changed_at = excluded.changed_at")
            try await db.raw(sql).run()
        }
    }

    /// The data version of a region (a county's counter; the sum below a city, province or the nation).
    public func version(of region: String) async throws -> Int {
        let row = try await db.select().column(Self.sum(table, under: region), as: "v").first()
        return try row?.decode(column: "v", as: Int.self) ?? 0
    }

    /// Both counters of a region in one query: pages kept per their data (evaluation inputs) and
    /// per the supervision work they count.
    public static func both(of region: String, on db: any SQLDatabase) async throws -> (data: Int, supervision: Int) {
        let row = try await db.select()
            .column(sum(Counter.evaluationInputs.rawValue, under: region), as: "data")
            .column(sum(Counter.supervision.rawValue, under: region), as: "supervision")
            .first()
        return (try row?.decode(column: "data", as: Int.self) ?? 0, try row?.decode(column: "supervision", as: Int.self) ?? 0)
    }

    private static func sum(_ table: String, under region: String) -> some SQLExpression {
        SQLSubquery.select {
            $0.column(SQLFunction("COALESCE", args: SQLFunction("SUM", args: SQLColumn("version")), SQLLiteral.numeric("0")))
                .from(table).where("county_code", under: region)
        }
    }
}

/// Evaluation results as computed, stored per region, year, programme and language with the data
/// version they were computed from (as DHIS2 keeps analytics tables). A stored result serves
/// while the region's data version, the shipped programmes and the day are unchanged; otherwise it
/// is recomputed on first read (`Evaluations.stored` in DudaoApp). Frozen evaluation-chain
/// snapshots are a separate thing and never change.
public struct EvaluationResults: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public struct Key: Sendable, Hashable {
        public var region: String
        public var year: Int
        public var programme: String
        public var language: String

        public init(region: String, year: Int, programme: String, language: String) {
            self.region = region
            self.year = year
            self.programme = programme
            self.language = language
        }
    }

    public struct Stored: Sendable {
        public var body: String
        public var dataVersion: Int
        public var computedAt: String
    }

    /// The shipped definitions a result depends on (programmes, score sheets, duty indicators,
    /// rules) and the result format: a new release with other definitions recomputes everything.
    public static let codeVersion: String = {
        var hash = SHA256()
        hash.update(data: Data("evaluation-results/1".utf8))
        for folder in ["programmes", "sheets", "duty", "rules"] {
            let dir = CoreResources.url(folder)
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
            for file in files {
                hash.update(data: Data((folder + "/" + file).utf8))
                hash.update(data: (try? Data(contentsOf: dir.appendingPathComponent(file))) ?? Data())
            }
        }
        return hash.finalize().prefix(8).map { String(format: "%02x", $0) }.joined()
    }()

    /// The stored result when it is still current: same data version, same shipped definitions,
    /// computed today (a result may depend on the date, such as deadlines passed).
    public func current(_ key: Key, dataVersion: Int, today: String) async throws -> Stored? {
        guard
            let row = try await db.select().columns("data_version", "code_version", "computed_at", "body")
                .from("evaluation_results").where("region_code", .equal, key.region).where("year", .equal, key.year)
                .where("programme_id", .equal, key.programme).where("language", .equal, key.language).first()
        else { return nil }
        let stored = Stored(
            body: try row.decode(column: "body", as: String.self), dataVersion: try row.decode(column: "data_version", as: Int.self),
            computedAt: try row.decode(column: "computed_at", as: String.self))
        guard stored.dataVersion == dataVersion, try row.decode(column: "code_version", as: String.self) == Self.codeVersion,
            stored.computedAt.hasPrefix(today)
        else { return nil }
        return stored
    }

    /// Stores (or replaces) a result computed from `dataVersion`.
    public func store(_ key: Key, body: String, dataVersion: Int, at now: String) async throws {
        try await db.insert(into: "evaluation_results")
            .columns("region_code", "year", "programme_id", "language", "data_version", "code_version", "computed_at", "body")
            .values(key.region, key.year, key.programme, key.language, dataVersion, Self.codeVersion, now, body)
            .onConflict(with: ["region_code", "year", "programme_id", "language"]) {
                $0.set(excludedValueOf: "data_version").set(excludedValueOf: "code_version").set(excludedValueOf: "computed_at")
                    .set(excludedValueOf: "body")
            }
            .run()
    }
}
