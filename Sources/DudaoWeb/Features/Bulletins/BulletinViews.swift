import DudaoCore

/// 通报 of a region for a period: the ranked county table, the total, findings by category.
struct BulletinPage: Sendable {
    struct Line: Sendable, Equatable {
        /// Empty for the total line (rank 0).
        var rank: String
        var name: String
        var code: String
        var visits: Int
        var schools: Int
        var findings: Int
        var closed: Int
        var onTime: Int
        var overdue: Int
        var closingRate: String
        var onTimeRate: String

        init(_ l: Bulletin.Line) {
            rank = l.rank == 0 ? "" : String(l.rank)
            name = l.name
            code = l.code
            visits = l.visits
            schools = l.schoolsVisited
            findings = l.findings
            closed = l.rates.closed
            onTime = l.rates.closedOnTime
            overdue = l.rates.overdue
            closingRate = l.rates.closingRate.map(NumberText.percent) ?? "—"
            onTimeRate = l.rates.onTimeRate.map(NumberText.percent) ?? "—"
        }
    }

    struct Category: Sendable, Equatable {
        var name: String
        var n: Int
    }

    var region: RegionRef
    var from: String
    var to: String
    var lines: [Line]
    var total: Line
    var categories: [Category]
    /// The office of the region (or above) may issue it into the library.
    var canIssue: Bool
    /// The ranked table and the findings by category as HTML (`bulletin-tables`, drawn once
    /// per kept bulletin from the fields above).
    var tablesHTML = ""

    init(_ b: Bulletin, region: RegionRef, lang: Language, canIssue: Bool = false) {
        self.region = region
        self.canIssue = canIssue
        from = b.from
        to = b.to
        lines = b.lines.map(Line.init)
        total = Line(b.total)
        // Most findings first; equal counts by category id, so the order does not depend on hashing.
        categories = b.total.byCategory.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { Category(name: Strings.shared("category_" + $0.key, lang), n: $0.value) }
    }
}
