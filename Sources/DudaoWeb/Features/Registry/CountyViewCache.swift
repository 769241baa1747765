import Synchronization

/// A county's evaluation as the county page draws it (indicator tables, charts, gaps, scored
/// parts), kept per region, year, programme and language for the data version and day it was
/// drawn for (`DataVersions`). Every visit still reads the version, so a change anywhere is
/// shown on the next visit; what depends on the visitor (cases, actions) is never kept here.
final class CountyViewCache: Sendable {
    struct Key: Hashable, Sendable {
        var region: String
        var year: Int
        var programme: String
        var language: String
    }

    struct Entry: Sendable {
        var dataVersion: Int
        var day: String
        var headline: CountyPage.Headline
        var parts: [CountyPage.Part]
        /// The stage tables, failing schools, charts and excluded rows as HTML (`county-stages`).
        var stagesHTML: String
    }

    /// Past this many drawings the cache starts again empty.
    static let limit = 500
    private let entries = Mutex<[Key: Entry]>([:])

    func entry(_ key: Key, dataVersion: Int, day: String) -> Entry? {
        entries.withLock { $0[key] }.flatMap { $0.dataVersion == dataVersion && $0.day == day ? $0 : nil }
    }

    func store(
        _ key: Key, view: CountyView, parts: [CountyPage.Part], stagesHTML: String, dataVersion: Int, day: String, drawnAt: String
    ) -> Entry {
        let headline = CountyPage.Headline(view, dataVersion: dataVersion, computedAt: drawnAt)
        let entry = Entry(dataVersion: dataVersion, day: day, headline: headline, parts: parts, stagesHTML: stagesHTML)
        entries.withLock {
            if $0.count >= Self.limit { $0.removeAll(keepingCapacity: true) }
            $0[key] = entry
        }
        return entry
    }
}
