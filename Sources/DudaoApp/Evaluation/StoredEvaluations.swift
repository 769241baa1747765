import DudaoCore
import DudaoStore
import Foundation

/// Use case `ReadEvaluation`: a region's evaluation as the API serves it, from the stored result
/// while it is current (same data version, same shipped definitions, computed today), otherwise
/// computed, stored and served. Writers never recompute: they raise the county's data version in
/// their own transaction (`DataVersions.bump`), and the next read recomputes.
public struct StoredEvaluations: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public struct Result: Sendable {
        /// The API's JSON for the evaluation (`CountyEvaluationDTO` or `RegionRollupDTO`).
        public var body: String
        public var year: Int
        public var dataVersion: Int
        public var computedAt: String
        /// Computed by this read (not served from the store).
        public var computed: Bool
    }

    /// The region's data version now (one indexed read).
    public func version(of region: String) async throws -> Int {
        try await DataVersions(services.reads).version(of: region)
    }

    /// The day (UTC) a stored result must have been computed on to serve.
    public var day: String { String(services.clock.moment.timestamp.prefix(10)) }

    /// Unknown regions and programmes, and regions without returns, throw `EvaluationFailure`.
    public func read(region code: String, year: Int?, programme: String, language: Language) async throws -> Result {
        let reads = services.reads
        let service = EvaluationService(reads)
        // The version is read before anything is computed: a change made meanwhile leaves the
        // stored result marked with the older version, so the next read computes again.
        let version = try await DataVersions(reads).version(of: code)
        if let resolved = try await service.resolveYear(year, region: code) {
            let key = EvaluationResults.Key(region: code, year: resolved, programme: programme, language: language.rawValue)
            if let hit = try await EvaluationResults(reads).current(key, dataVersion: version, today: day) {
                return Result(body: hit.body, year: resolved, dataVersion: version, computedAt: hit.computedAt, computed: false)
            }
        }
        let body: String, evaluated: Int
        switch try await service.evaluate(region: code, year: year, programme: programme) {
        case .county(let e):
            var dto = CountyEvaluationDTO(e, language: language)
            dto.complete(with: try await services.evaluations.parts(of: e), language: language)
            (body, evaluated) = (try Self.encode(dto), e.year)
        case .rollup(let r):
            (body, evaluated) = (try Self.encode(RegionRollupDTO(r, language: language)), r.year)
        }
        let key = EvaluationResults.Key(region: code, year: evaluated, programme: programme, language: language.rawValue)
        let computedAt = try await services.transaction { tx, now in
            try await EvaluationResults(tx).store(key, body: body, dataVersion: version, at: now.timestamp)
            return now.timestamp
        }
        return Result(body: body, year: evaluated, dataVersion: version, computedAt: computedAt, computed: true)
    }

    /// A school's rows in its county's stored evaluation (latest year, default programme), with
    /// the data version and time of that result; nil when the county has no evaluation yet or
    /// the school is not in it (kindergartens, senior schools).
    public struct SchoolStanding: Sendable {
        public var year: Int
        public var programme: String
        public var dataVersion: Int
        public var computedAt: String
        public var rows: [CountyEvaluationDTO.SchoolDTO]
    }

    public func standing(of school: String, county: String, language: Language) async throws -> SchoolStanding? {
        let key = county + "|" + language.rawValue
        let version = try await version(of: county), day = self.day
        if let table = services.standings.value(key, dataVersion: version, day: day) { return table[school] }
        let result: Result
        do {
            result = try await read(region: county, year: nil, programme: ProgrammeCatalog.defaultId, language: language)
        } catch is EvaluationFailure {
            return nil
        }
        let dto = try JSONDecoder().decode(CountyEvaluationDTO.self, from: Data(result.body.utf8))
        let table = Dictionary(grouping: dto.schools, by: \.code).mapValues { rows in
            SchoolStanding(
                year: result.year, programme: dto.programme.name, dataVersion: result.dataVersion, computedAt: result.computedAt, rows: rows)
        }
        // Kept under the version read before the result: a change meanwhile misses next time.
        return services.standings.store(key, table, dataVersion: version, day: day)[school]
    }

    /// The API's JSON form (sorted keys, as every API answer).
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
