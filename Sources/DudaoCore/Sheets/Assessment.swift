/// 年度目标考核 (SPEC §3.6): an office assesses the regions directly below it on a weighted
/// score sheet over a period; totals out of 100, grade bands from the sheet, a ranking.
public struct Assessment: Sendable, Hashable, Codable {
    public var id: String
    /// The assessing office's region (its child regions are assessed).
    public var officeRegion: String
    public var sheetId: String
    /// The assessment year (考核年度); scores are kept per sheet, region and this year.
    public var year: Int
    /// The period Dudao's own records are counted over (yyyy-MM-dd, inclusive).
    public var from: String
    public var to: String
    public var title: String

    public init(id: String, officeRegion: String, sheetId: String, year: Int, from: String, to: String, title: String) {
        self.id = id
        self.officeRegion = officeRegion
        self.sheetId = sheetId
        self.year = year
        self.from = from
        self.to = to
        self.title = title
    }
}

/// The assessed regions in order: highest total first, equal totals sharing a rank; regions
/// whose sheet is not fully scored are listed after, without a rank.
public struct AssessmentRanking: Sendable {
    public struct Row: Sendable {
        public var region: Region
        public var result: SheetResult
        public var rank: Int?
    }

    public var rows: [Row]

    public static func make(_ results: [(Region, SheetResult)]) -> AssessmentRanking {
        let complete = results.filter { $0.1.complete || $0.1.vetoed }.sorted { a, b in
            // A vetoed region ranks below every other, whatever its points.
            if a.1.vetoed != b.1.vetoed { return !a.1.vetoed }
            return abs(a.1.total - b.1.total) < 1e-9 ? a.0.code < b.0.code : a.1.total > b.1.total
        }
        var rows: [Row] = []
        for (i, (region, result)) in complete.enumerated() {
            let tied = i > 0 && abs(complete[i - 1].1.total - result.total) < 1e-9 && complete[i - 1].1.vetoed == result.vetoed
            rows.append(Row(region: region, result: result, rank: tied ? rows[i - 1].rank : i + 1))
        }
        let open = results.filter { !($0.1.complete || $0.1.vetoed) }.sorted { $0.0.code < $1.0.code }
        return AssessmentRanking(rows: rows + open.map { Row(region: $0.0, result: $0.1, rank: nil) })
    }
}

extension RectificationCase {
    /// Due within the period (and already past its deadline on `today`) but not closed by its
    /// deadline: what an annual assessment deducts for.
    public func missedDeadline(from: String, to: String, today: String) -> Bool {
        guard deadline >= from, deadline <= to, deadline < today else { return false }
        guard let closed = closedOn, state == .closed else { return true }
        return closed > deadline
    }
}
