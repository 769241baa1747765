import DudaoCore
import Foundation
import SQLKit

/// Score-sheet entries per (sheet, county, year, item) and the self-evaluation report's own
/// text, each with a version; written on the database given (the use case's transaction).
public struct ScoreRepository: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    /// The attachment object of an item's evidence files.
    public static func evidenceObject(sheet: String, region: String, year: Int, item: String) -> String { "\(sheet)/\(region)/\(year)/\(item)" }

    public func entries(sheet: String, region: String, year: Int) async throws -> [String: (entry: ScoreEntry, version: Int)] {
        let rows = try await db.select().columns("*").from("score_entries").where("sheet_id", .equal, sheet)
            .where("region_code", .equal, region).where("year", .equal, year).all()
        var out: [String: (ScoreEntry, Int)] = [:]
        for row in rows {
            let met = try row.decode(column: "met", as: Int?.self)
            let entry = ScoreEntry(
                score: try row.decode(column: "score", as: Double?.self), met: met.map { $0 != 0 },
                vetoed: try row.decode(column: "vetoed", as: Int.self) != 0, comment: try row.decode(column: "comment", as: String.self),
                evidence: try row.decode(column: "evidence", as: String.self))
            out[try row.decode(column: "item_id", as: String.self)] = (entry, try row.decode(column: "version", as: Int.self))
        }
        return out
    }

    /// Inserts or replaces one item's entry with the given version.
    public func write(
        sheet: String, region: String, year: Int, item: String, entry: ScoreEntry, version: Int, by actor: String, at now: String
    )
        async throws
    {
        let columns = [
            "sheet_id", "region_code", "year", "item_id", "score", "met", "vetoed", "comment", "evidence", "version", "updated_at", "updated_by",
        ]
        let values: [any Encodable & Sendable] = [
            sheet, region, year, item, entry.score, entry.met.map { $0 ? 1 : 0 }, entry.vetoed ? 1 : 0, entry.comment, entry.evidence, version,
            now, actor,
        ]
        try await db.insert(into: "score_entries").columns(columns).values(values)
            .onConflict(with: ["sheet_id", "region_code", "year", "item_id"]) { update in
                var u = update
                for column in columns.dropFirst(4) { u = u.set(excludedValueOf: column) }
                return u
            }.run()
        try await DataVersions(db).bump([region], at: now)
    }

    public func measures(region: String, year: Int, programme: String) async throws -> (text: String, version: Int)? {
        try await db.select().columns("measures", "version").from("report_texts").where("region_code", .equal, region)
            .where("year", .equal, year).where("programme_id", .equal, programme).first()
            .map { (try $0.decode(column: "measures", as: String.self), try $0.decode(column: "version", as: Int.self)) }
    }

    public func writeMeasures(
        region: String, year: Int, programme: String, text: String, version: Int, by actor: String, at now: String
    )
        async throws
    {
        let columns = ["region_code", "year", "programme_id", "measures", "version", "updated_at", "updated_by"]
        try await db.insert(into: "report_texts").columns(columns).values(region, year, programme, text, version, now, actor)
            .onConflict(with: ["region_code", "year", "programme_id"]) { update in
                var u = update
                for column in columns.dropFirst(3) { u = u.set(excludedValueOf: column) }
                return u
            }.run()
        try await DataVersions(db).bump([region], at: now)
    }
}

/// Loads what a sheet's computed items read (duty evaluation, schools, returns, overdue
/// cases) and evaluates the sheet for one county and year.
public struct SheetReader: Sendable {
    let db: any SQLDatabase

    public init(_ db: any SQLDatabase) { self.db = db }

    public func result(_ sheet: ScoreSheet, region: String, year: Int, today: String) async throws -> SheetResult {
        let entries = try await ScoreRepository(db).entries(sheet: sheet.id, region: region, year: year).mapValues(\.entry)
        var facts = SheetFacts(
            schools: try await SchoolRepository(db).list(under: region), returns: try await ReturnRepository(db).rows(under: region, year: year))
        if sheet.items.contains(where: { if case .indicator = $0.computed { true } else { false } }) {
            facts.duty = try await DutyEvaluationService(db).county(region, year: year)
        }
        for item in sheet.items {
            guard case .satisfaction(let least) = item.computed else { continue }
            facts.satisfaction = try await SatisfactionReader(db).result(county: region, year: year, threshold: least, today: today)
            break
        }
        if sheet.items.contains(where: { $0.deduction?.source == .overdueRectifications }) {
            // Over the assessment's period when the sheet belongs to one, else the whole year.
            let period = try await AssessmentRepository(db).covering(region: region, sheet: sheet.id, year: year)
            let from = period?.from ?? "\(year)-01-01", to = period?.to ?? "\(year)-12-31"
            let cases = try await RectificationRepository(db).list(under: region)
            facts.counts[.overdueRectifications] = cases.filter { $0.missedDeadline(from: from, to: to, today: today) }.count
        }
        return SheetEvaluator.evaluate(sheet, entries: entries, facts: facts)
    }
}
