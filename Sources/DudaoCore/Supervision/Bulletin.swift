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

    public static func make(
        from: String, to: String, counties: [(code: String, name: String)], visits: [VisitFact],
        cases: [RectificationCase], totalName: String = "合计"
    ) -> Bulletin {
        let inPeriod = visits.filter { $0.date >= from && $0.date <= to }
        let opened = cases.filter { $0.openedOn >= from && $0.openedOn <= to }
        func line(code: String, name: String, visits v: [VisitFact], cases c: [RectificationCase]) -> Line {
            // Status as of the period's end: a case closed later still counts as open then.
            var byState: [RectificationState: Int] = [:]
            for k in c {
                let closedThen = k.closedOn.map { $0 <= to } ?? false
                let state: RectificationState = k.state == .closed && !closedThen ? .inProgress : k.state
                byState[state, default: 0] += 1
            }
            return Line(
                code: code, name: name, visits: v.count, schoolsVisited: Set(v.map(\.school)).count, findings: c.count,
                byCategory: Dictionary(grouping: c, by: \.category).mapValues(\.count), byState: byState,
                rates: RectificationRates(c, asOf: to), rank: 0)
        }
        var lines = counties.map { county in
            line(
                code: county.code, name: county.name, visits: inPeriod.filter { $0.county == county.code },
                cases: opened.filter { $0.countyCode == county.code })
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
        let total = line(code: "", name: totalName, visits: inPeriod, cases: opened)
        return Bulletin(from: from, to: to, lines: lines, total: total)
    }
}
