/// Supervision activity at national scale for benchmarks (`dudao generate activity`):
/// responsible inspectors in every county in proportion to its schools, each school's
/// responsible inspector (挂牌督导), visits spread over the years before a day (none in July and
/// August, when schools are closed), and rectification cases opened from visits, with states
/// consistent with their age as in the demo. Deterministic from the seed; school by school, so a
/// writer holds one school's activity at a time.
public struct NationalActivity: Sendable {
    /// A school of the registry, as the generator needs it.
    public struct SchoolRef: Sendable {
        public var code: String
        public var county: String
        public var name: String
        public init(code: String, county: String, name: String) {
            self.code = code
            self.county = county
            self.name = name
        }
    }

    public struct Visit: Sendable, Equatable {
        public var id: String
        public var school: String
        public var county: String
        public var inspector: String
        public var date: String
        public var kind: VisitKind
        public var checklist: String
    }

    /// One school's share: its visits and the cases opened from them (`visit` nil: a case
    /// opened without a visit, from a complaint or a report).
    public struct SchoolActivity: Sendable {
        public var visits: [Visit]
        public var cases: [(visit: String?, rectification: RectificationCase)]
    }

    public var inspectors: Int
    public var visits: Int
    public var cases: Int
    /// Years of activity ending on `until` (yyyy-MM-dd).
    public var years: Int
    public var until: String
    public var seed: UInt64

    public init(inspectors: Int, visits: Int, cases: Int, years: Int, until: String, seed: UInt64 = 7) {
        self.inspectors = inspectors
        self.visits = visits
        self.cases = cases
        self.years = years
        self.until = until
        self.seed = seed
    }

    /// The inspectors of every county (at least one each; `inspectors` in all when there are
    /// at least as many as counties), and for each school, in the order given, its inspector's id.
    /// `schools` must be grouped by county (the registry's code order is).
    public func staff(for schools: [SchoolRef]) -> (inspectors: [Inspector], responsible: [String]) {
        var random = SeededGenerator(seed: seed &+ 11)
        var staff: [Inspector] = []
        var responsible: [String] = []
        responsible.reserveCapacity(schools.count)
        var start = 0
        var seen = 0
        while start < schools.count {
            let county = schools[start].county
            var end = start
            while end < schools.count && schools[end].county == county { end += 1 }
            // Cumulative rounding: the counts add up to `inspectors` across the nation.
            let before = seen * inspectors / max(1, schools.count)
            seen += end - start
            let count = max(1, seen * inspectors / max(1, schools.count) - before)
            let first = staff.count
            for n in 0..<count {
                let name =
                    DemoSupervision.surnames[random.int(0...(DemoSupervision.surnames.count - 1))]
                    + DemoSupervision.given[random.int(0...(DemoSupervision.given.count - 1))]
                staff.append(
                    Inspector(
                        id: "\(county)-I\(String(format: "%04d", n + 1))", name: name,
                        phone: "13\(random.int(0...9))\(String(format: "%08d", random.int(0...99_999_999)))",
                        kind: random.chance(0.3) ? .fullTime : .partTime, regionCode: county, zone: "第\(n / 8 + 1)责任区"))
            }
            for index in start..<end { responsible.append(staff[first + (index - start) * count / (end - start)].id) }
            start = end
        }
        return (staff, responsible)
    }

    /// Calls `emit` once per school, in the order given, with its visits (by its responsible
    /// inspector) and cases. `visits` and `cases` are spread evenly over the schools (the first
    /// schools take the remainder), so the totals are exact.
    public func activity(for schools: [SchoolRef], responsible: [String], emit: (SchoolActivity) throws -> Void) rethrows {
        try slice(schools.indices, of: schools, responsible: responsible, emit: emit)
    }

    /// The schools in `range` only: each school draws from a generator of its own (seeded by its
    /// position), so a writer can take the nation a slice at a time and get the same activity.
    public func slice(
        _ range: Range<Int>, of schools: [SchoolRef], responsible: [String], emit: (SchoolActivity) throws -> Void
    ) rethrows {
        precondition(schools.count == responsible.count, "one responsible inspector per school")
        guard let end = DateText.ordinal(until) else { preconditionFailure("until must be yyyy-MM-dd: \(until)") }
        let span = max(1, years * 365)
        let count = max(1, schools.count)
        for index in range {
            let school = schools[index]
            var random = SeededGenerator(seed: seed &+ 29 &+ UInt64(index) &* 0x1_0000_0001)
            let visitQuota = visits / count + (index < visits % count ? 1 : 0)
            let caseQuota = cases / count + (index < cases % count ? 1 : 0)
            var dates: [Int] = []
            dates.reserveCapacity(visitQuota)
            for _ in 0..<visitQuota {
                var day = end - random.int(0...(span - 1))
                while Self.isSummer(day) { day = end - random.int(0...(span - 1)) }
                dates.append(day)
            }
            dates.sort()
            var out = SchoolActivity(visits: [], cases: [])
            for (n, day) in dates.enumerated() {
                let special = random.chance(0.15)
                out.visits.append(
                    Visit(
                        id: "V\(school.code)-\(n + 1)", school: school.code, county: school.county, inspector: responsible[index],
                        date: DateText.string(fromOrdinal: day), kind: special ? .special : .routine, checklist: special ? "start-of-term" : "routine"
                    ))
            }
            // Cases come from distinct visits chosen at random; any beyond the school's visits
            // were opened without one.
            var order = Array(out.visits.indices)
            order.shuffle(using: &random)
            for n in 0..<caseQuota {
                let visit = n < order.count ? out.visits[order[n]] : nil
                let opened = visit.flatMap { DateText.ordinal($0.date) } ?? end - random.int(0...(span - 1))
                out.cases.append((visit?.id, rectification(n: n, school: school, openedOn: opened, today: end, random: &random)))
            }
            try emit(out)
        }
    }

    private func rectification(n: Int, school: SchoolRef, openedOn opened: Int, today: Int, random: inout SeededGenerator) -> RectificationCase {
        let (category, text) = DemoSupervision.problems[random.int(0...(DemoSupervision.problems.count - 1))]
        let day = DateText.string(fromOrdinal: opened)
        var c = RectificationCase(
            id: "R\(school.code)-\(n + 1)", schoolCode: school.code, countyCode: school.county, category: category, description: text,
            assignedUnit: school.name, responsiblePerson: "校长", deadline: DateText.string(fromOrdinal: opened + 30), openedOn: day)
        // As in the demo: old cases mostly closed (some late, some reopened), recent ones open.
        switch (today - opened > 45, random.int(0...9)) {
        case (true, 0...6): c.state = .closed; c.closedOn = DateText.string(fromOrdinal: min(today, opened + random.int(10...29)))
        case (true, 7): c.state = .closed; c.closedOn = DateText.string(fromOrdinal: min(today, opened + random.int(32...50)))
        case (true, 8): c.state = .inProgress; c.reopenCount = 1
        case (true, _): c.state = .inProgress
        case (false, 0...2): c.state = .assigned
        case (false, 3...5): c.state = .inProgress
        case (false, 6...7): c.state = .evidenceSubmitted
        default: c.state = .closed; c.closedOn = DateText.string(fromOrdinal: min(today, opened + random.int(5...15)))
        }
        return c
    }

    /// July and August: summer holidays.
    static func isSummer(_ day: Int) -> Bool {
        let month = DateText.string(fromOrdinal: day).dropFirst(5).prefix(2)
        return month == "07" || month == "08"
    }
}
