import DudaoCore
import SQLKit

/// The evaluation of a region: a county's own, or a roll-up of the counties below a city,
/// province or the nation.
public enum RegionEvaluation: Sendable {
    case county(CountyEvaluation)
    case rollup(RegionRollup)
}

public enum EvaluationFailure: Error, Sendable, CustomStringConvertible {
    case unknownRegion(String)
    case unknownProgramme(String)
    case noData(region: String)

    public var description: String {
        switch self {
        case .unknownRegion(let code): "unknown region \(code) / 未找到行政区划 \(code)"
        case .unknownProgramme(let id): "unknown programme \(id); known: \(ProgrammeCatalog.builtIn.map(\.id).joined(separator: ", ")) / 未知评估方案"
        case .noData(let code): "no returns stored for region \(code) / 该地区没有统计数据"
        }
    }
}

/// Loads returns from the store and hands them to the domain evaluator.
public struct EvaluationService: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func evaluate(region code: String, year: Int?, programme programmeId: String) async throws -> RegionEvaluation {
        guard let programme = ProgrammeCatalog.programme(id: programmeId) else { throw EvaluationFailure.unknownProgramme(programmeId) }
        return try await evaluate(region: code, year: year, programme: programme)
    }

    /// With any programme, e.g. a province's adjusted copy of a shipped one.
    public func evaluate(region code: String, year: Int?, programme: Programme) async throws -> RegionEvaluation {
        guard let region = try await RegionRepository(db).find(code) else { throw EvaluationFailure.unknownRegion(code) }
        guard let year = try await resolveYear(year, region: code) else { throw EvaluationFailure.noData(region: code) }
        let schools = try await SchoolRepository(db).list(under: code)
        let rows = try await ReturnRepository(db).rows(under: code, year: year)
        let catalog = RegionCatalog.standard
        // The place as it was that year: its name then, and (for a roll-up) only the counties
        // that belonged to the region that year (莱芜区 counts for 济南市 from 2019, not in 2018).
        func asThen(_ r: Region) -> Region {
            var r = r
            r.name = catalog.name(of: r, in: year)
            return r
        }
        if region.level == .county {
            return .county(CountyEvaluator.evaluate(programme: programme, region: asThen(region), year: year, schools: schools, returns: rows))
        }
        let counties = try await RegionRepository(db).counties(under: code).filter {
            RegionCode.contains(code, catalog.divisionCode(of: $0.code, in: year))
        }.map(asThen)
        let schoolsByCounty = Dictionary(grouping: schools, by: \.countyCode)
        let schoolCounty = Dictionary(uniqueKeysWithValues: schools.map { ($0.code, $0.countyCode) })
        let rowsByCounty = Dictionary(grouping: rows) { schoolCounty[$0.schoolCode] ?? "" }
        let evaluations = counties.map { county in
            CountyEvaluator.evaluate(
                programme: programme, region: county, year: year,
                schools: schoolsByCounty[county.code] ?? [], returns: rowsByCounty[county.code] ?? [])
        }
        return .rollup(RegionRollup.make(region: region, year: year, programme: programme, evaluations: evaluations))
    }

    /// The requested year, or the newest year with data in the region.
    public func resolveYear(_ year: Int?, region code: String) async throws -> Int? {
        if let year { return year }
        return try await ReturnRepository(db).years(under: code).first
    }
}
