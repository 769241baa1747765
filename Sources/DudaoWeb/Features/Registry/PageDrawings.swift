/// A county's evaluation as the county page draws it (verdict line, scored parts, and the stage
/// sections as HTML), kept per region, year, programme, language and data version
/// (`VersionedCache`). What depends on the visitor (cases, actions) is never kept here.
enum CountyDrawing {
    struct Key: Hashable, Sendable {
        var region: String
        var year: Int
        var programme: String
        var language: String
    }

    struct Drawn: Sendable {
        var headline: CountyPage.Headline
        var parts: [CountyPage.Part]
        /// The stage tables, failing schools, charts and excluded rows (`county-stages`).
        var stagesHTML: String
    }

    typealias Cache = VersionedCache<Key, Drawn>
}

/// A city's, province's or the nation's roll-up as its page draws it (the counties' results and
/// the child regions with their school counts), kept per data version like `CountyDrawing`.
enum RegionDrawing {
    typealias Key = CountyDrawing.Key

    struct Drawn: Sendable {
        var rollup: RollupView
        var children: [RegionPage.Child]
        /// When it was drawn (office time).
        var drawnAt: String
    }

    typealias Cache = VersionedCache<Key, Drawn>
}
