/// 通报: a round of supervision summarised for a period and region — visits, findings by
/// category, rectification status and the two rates, ranked by county (SPEC §4.4, §4.7).
/// Findings counted are the cases opened in the period; their status is as of the period's end.
public struct Bulletin: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        public var code: String
        public var name: String
        public var visits: Int
        public var schoolsVisited: Int
        public var findings: Int
        public var byCategory: [String: Int]
        public var byState: [RectificationState: Int]
        public var rates: RectificationRates
        /// 1-based rank by closing rate, then on-time rate (counties without findings last).
        public var rank: Int
    }

    public var from: String
    public var to: String
    public var lines: [Line]
    public var total: Line

    public struct VisitFact: Sendable, Hashable {
        public var county: String
        public var school: String
        public var date: String
        public init(county: String, school: String, date: String) {
            self.county = county
            self.school = school
            self.date = date
        }
    }

    /// What a bulletin counts in one county: its signed visits and schools visited in the
    /// period, and the cases opened in the period by category, by state as of the period's end
    /// (a case closed later still counts as open then) and their rates as of that day. The store
    /// counts these with GROUP BY (`RectificationRepository.bulletinTallies`); `make(…cases:)`
    /// counts them from rows, and a test holds the two to the same figures.
    public struct Tally: Sendable, Hashable {
        public var county: String
        public var visits = 0
        public var schoolsVisited = 0
        public var byCategory: [String: Int] = [:]
        public var byState: [RectificationState: Int] = [:]
        public var rates = RectificationRates([], asOf: "")

        public init(county: String) { self.county = county }

        /// Adds another tally's counts (a county's parts, or every county into the total;
        /// schools are counted per county, and a school belongs to one county).
        public mutating func add(_ other: Tally) {
            visits += other.visits
            schoolsVisited += other.schoolsVisited
            byCategory.merge(other.byCategory, uniquingKeysWith: +)
            byState.merge(other.byState, uniquingKeysWith: +)
            rates.total += other.rates.total
            rates.closed += other.rates.closed
            rates.closedOnTime += other.rates.closedOnTime
            rates.overdue += other.rates.overdue
        }

        /// The tallies of rows: visits and cases already limited to the period.
        static func count(visits: [VisitFact], cases: [RectificationCase], to: String) -> [String: Tally] {
            var out: [String: Tally] = [:]
            for (county, v) in Dictionary(grouping: visits, by: \.county) {
                out[county, default: Tally(county: county)].visits = v.count
                out[county, default: Tally(county: county)].schoolsVisited = Set(v.map(\.school)).count
            }
            for (county, c) in Dictionary(grouping: cases, by: \.countyCode) {
                var t = out[county] ?? Tally(county: county)
                t.byCategory = Dictionary(grouping: c, by: \.category).mapValues(\.count)
                for k in c {
                    let closedThen = k.closedOn.map { $0 <= to } ?? false
                    t.byState[k.state == .closed && !closedThen ? .inProgress : k.state, default: 0] += 1
                }
                t.rates = RectificationRates(c, asOf: to)
                out[county] = t
            }
            return out
        }
    }

    /// The bulletin from rows (visits and cases of the region, any period: those outside it are left out).
    public static func make(
        from: String, to: String, counties: [(code: String, name: String)], visits: [VisitFact],
        cases: [RectificationCase], totalName: String = "合计"
    ) -> Bulletin {
        let tallies = Tally.count(
            visits: visits.filter { $0.date >= from && $0.date <= to }, cases: cases.filter { $0.openedOn >= from && $0.openedOn <= to }, to: to)
        return make(from: from, to: to, counties: counties, tallies: tallies, totalName: totalName)
    }

    /// The bulletin from each county's tally (counties without one had nothing in the period).
    public static func make(
        from: String, to: String, counties: [(code: String, name: String)], tallies: [String: Tally], totalName: String = "合计"
    ) -> Bulletin {
        func line(code: String, name: String, _ t: Tally) -> Line {
            Line(
                code: code, name: name, visits: t.visits, schoolsVisited: t.schoolsVisited, findings: t.rates.total, byCategory: t.byCategory,
                byState: t.byState, rates: t.rates, rank: 0)
        }
        var total = Tally(county: "")
        var lines = counties.map { county in
            let t = tallies[county.code] ?? Tally(county: county.code)
            total.add(t)
            return line(code: county.code, name: county.name, t)
        }
        let order = lines.indices.sorted { a, b in
            let x = lines[a].rates, y = lines[b].rates
            switch (x.closingRate, y.closingRate) {
            case (nil, nil): return lines[a].code < lines[b].code
            case (nil, _): return false
            case (_, nil): return true
            case let (p?, q?):
                if p != q { return p > q }
                if (x.onTimeRate ?? 0) != (y.onTimeRate ?? 0) { return (x.onTimeRate ?? 0) > (y.onTimeRate ?? 0) }
                return lines[a].code < lines[b].code
            }
        }
        for (rank, index) in order.enumerated() { lines[index].rank = rank + 1 }
        lines.sort { $0.rank < $1.rank }
        return Bulletin(from: from, to: to, lines: lines, total: line(code: "", name: totalName, total))
    }
}
