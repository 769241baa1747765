import DudaoCore
import DudaoStore
import SQLKit

/// The values a key task can take from Dudao's own data (`KeyMetric`), for a region.
struct KeyMetrics: Sendable {
    let db: any SQLDatabase

    init(_ db: any SQLDatabase) { self.db = db }

    /// The value now; nil when there is no data to compute it from.
    func value(_ metric: KeyMetric, region: String, year: Int, today: String) async throws -> Double? {
        switch metric {
        case .classes56Plus:
            // The latest year's returns up to the target's year.
            guard let latest = try await ReturnRepository(db).years(under: region).filter({ $0 <= year }).max() else { return nil }
            let rows = try await ReturnRepository(db).rows(under: region, year: latest)
            return rows.reduce(0) { $0 + ($1.values[.classes56Plus] ?? 0) }
        case .rectificationClosingRate, .rectificationOnTimeRate:
            let cases = try await RectificationRepository(db).list(under: region).filter { $0.openedOn.hasPrefix("\(year)-") }
            let rates = RectificationRates(cases, asOf: today)
            let rate = metric == .rectificationClosingRate ? rates.closingRate : rates.onTimeRate
            return rate.map { ($0 * 10_000).rounded() / 100 }
        case .projectsCompleted, .placesAdded:
            let done = try await ProjectRepository(db).list(under: region).filter { p in
                p.stage >= .completed && (p.completedOn?.hasPrefix("\(year)-") ?? false) && (p.completedOn ?? "") <= today
            }
            return metric == .projectsCompleted ? Double(done.count) : Double(done.reduce(0) { $0 + $1.placesAdded })
        }
    }
}
