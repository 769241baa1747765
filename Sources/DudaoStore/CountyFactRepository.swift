import DudaoCore
import Foundation
import SQLKit

/// County facts per year (SPEC §3.5), written on the database given (the use case's
/// transaction) with a version per row.
public struct CountyFactRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func find(county: String, year: Int) async throws -> (facts: CountyFacts, version: Int)? {
        try await db.select().columns("*").from("county_facts").where("county_code", .equal, county).where("year", .equal, year).first()
            .map { (try Self.decode($0), try $0.decode(column: "version", as: Int.self)) }
    }

    /// The facts of every county under `region` for `year`, by county code.
    public func list(under region: String, year: Int) async throws -> [String: CountyFacts] {
        let rows = try await db.select().columns("*").from("county_facts").where("county_code", under: region).where("year", .equal, year)
            .all()
        return Dictionary(
            uniqueKeysWithValues: try rows.map {
                let f = try Self.decode($0); return (f.countyCode, f)
            })
    }

    /// Inserts or replaces one county's facts with the given version.
    public func write(_ facts: CountyFacts, version: Int, by actor: String, at now: String) async throws {
        let columns = ["county_code", "year"] + CountyFact.allCases.map(\.rawValue) + ["version", "updated_at", "updated_by"]
        var values: [any Encodable & Sendable] = [facts.countyCode, facts.year]
        values += CountyFact.allCases.map { facts[$0] }
        values += [version, now, actor]
        try await db.insert(into: "county_facts").columns(columns).values(values)
            .onConflict(with: ["county_code", "year"]) { update in
                var u = update
                for column in columns.dropFirst(2) { u = u.set(excludedValueOf: column) }
                return u
            }.run()
        try await DataVersions(db).bump([facts.countyCode], at: now)
    }

    static func decode(_ row: any SQLRow) throws -> CountyFacts {
        var facts = CountyFacts(
            countyCode: try row.decode(column: "county_code", as: String.self), year: try row.decode(column: "year", as: Int.self))
        for fact in CountyFact.allCases { facts[fact] = try row.decode(column: fact.rawValue, as: Double?.self) }
        return facts
    }
}

/// Loads what a duty evaluation reads and runs it for a county, or for every county under a
/// city or province (ranked per indicator).
public struct DutyEvaluationService: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public enum Result: Sendable {
        case county(DutyEvaluation)
        case rollup(DutyRollup)
    }

    /// The county-duty evaluation of one county, or nil when there is nothing to evaluate
    /// (unknown region, no returns); any other error is thrown, never taken for "no data".
    public func county(_ code: String, year: Int) async throws -> DutyEvaluation? {
        do {
            guard case .county(let e) = try await evaluate(region: code, year: year, programme: .countyDuty) else { return nil }
            return e
        } catch is EvaluationFailure {
            return nil
        }
    }

    public func evaluate(region code: String, year: Int?, programme: DutyProgramme) async throws -> Result {
        guard let region = try await RegionRepository(db).find(code) else { throw EvaluationFailure.unknownRegion(code) }
        guard let year = try await EvaluationService(db).resolveYear(year, region: code) else { throw EvaluationFailure.noData(region: code) }
        let schools = try await SchoolRepository(db).list(under: code)
        let offsets = Set(programme.indicators.flatMap { [$0.numerator?.offset ?? 0, $0.denominator?.offset ?? 0] }).union([0])
        var rowsByYear: [Int: [StageReturn]] = [:]
        for offset in offsets { rowsByYear[year + offset] = try await ReturnRepository(db).rows(under: code, year: year + offset) }
        let facts = try await CountyFactRepository(db).list(under: code, year: year)
        let counties = region.level == .county ? [region] : try await RegionRepository(db).counties(under: code)
        let schoolsByCounty = Dictionary(grouping: schools, by: \.countyCode)
        let countyOf = Dictionary(uniqueKeysWithValues: schools.map { ($0.code, $0.countyCode) })
        let evaluations = counties.map { county in
            DutyEvaluator.evaluate(
                programme,
                DutyInputs(
                    region: county, year: year, schools: schoolsByCounty[county.code] ?? [],
                    returns: rowsByYear.mapValues { rows in rows.filter { countyOf[$0.schoolCode] == county.code } },
                    facts: facts[county.code]))
        }
        if region.level == .county { return .county(evaluations[0]) }
        return .rollup(DutyRollup.make(programme: programme, region: region, year: year, counties: evaluations))
    }
}
