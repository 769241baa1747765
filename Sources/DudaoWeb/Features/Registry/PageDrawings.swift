import DudaoApp

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
        /// The verdict line, scored parts and links (`county-headline`).
        var headlineHTML: String
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
        /// The counties' results as HTML (`region-rollup`: 180 rows for a province, drawn once).
        var rollupHTML: String
        var children: [RegionPage.Child]
    }

    /// What the `region-rollup` fragment shows.
    struct Fragment: Sendable {
        var rollup: RollupView
        /// The data version the roll-up was drawn from, and when (office time).
        var dataVersion: Int
        var computedAt: String
    }

    typealias Cache = VersionedCache<Key, Drawn>
}

/// The school page below its heading (`SchoolBody` as HTML), kept per school, language and the
/// county's data version, under its supervision version and the day.
enum SchoolDrawing {
    struct Key: Hashable, Sendable {
        var school: String
        var language: String
        var dataVersion: Int
    }

    typealias Cache = VersionedCache<Key, String>
}
