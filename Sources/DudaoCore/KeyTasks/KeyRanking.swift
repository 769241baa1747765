/// 晾晒进度: the units responsible for a region's key tasks ranked on a day, with the change
/// since an earlier day (the last dispatch meeting).
///
/// How it is computed, so anyone can recompute it from the published table:
/// - a unit's tasks are the leaves it owns, in every target ranked;
/// - its completion is the average of their completions weighted by each leaf's share of its
///   target (its weight over its siblings', times its parent's share; a target's shares add
///   up to 1); when those shares are all 0, a plain average;
/// - its on-time rate is the leaves due by the day (deadline on or before it) completed on or
///   before their deadline, over the leaves due; none due: no rate;
/// - order: completion, then on-time rate (no rate last), then the unit's name; units equal
///   on both (to 0.01 percentage point) share a rank (1, 2, 2, 4).
public struct KeyRanking: Sendable {
    public struct Unit: Sendable, Hashable {
        public var unit: String
        public var regionCode: String
        public var tasks: Int
        public var completion: Double
        public var due: Int
        public var onTime: Int
        public var onTimeRate: Double?
        public var overdue: Int
        public var stalled: Int
        public var rank: Int
        /// Set by `compared(with:)`: the rank and completion on the earlier day.
        public var previousRank: Int?
        public var previousCompletion: Double?

        /// Places gained since the earlier day (positive: moved up).
        public var rankChange: Int? { previousRank.map { $0 - rank } }
        /// Percentage points gained since the earlier day.
        public var completionChange: Double? { previousCompletion.map { (completion - $0) * 100 } }
    }

    public let asOf: String
    public let units: [Unit]

    public init(_ progress: [KeyTargetProgress]) {
        asOf = progress.first?.asOf ?? ""
        struct Acc {
            var regionCode = ""
            var tasks = 0
            var weighted = 0.0
            var shares = 0.0
            var plain = 0.0
            var due = 0
            var onTime = 0
            var overdue = 0
            var stalled = 0
        }
        var acc: [String: Acc] = [:]
        for p in progress {
            for leaf in p.leaves {
                var a = acc[leaf.task.unit] ?? Acc(regionCode: leaf.task.regionCode)
                a.tasks += 1
                a.weighted += leaf.share * leaf.completion
                a.shares += leaf.share
                a.plain += leaf.completion
                if leaf.task.deadline <= p.asOf {
                    a.due += 1
                    if leaf.onTime { a.onTime += 1 }
                }
                if leaf.overdue { a.overdue += 1 }
                if leaf.stall != nil { a.stalled += 1 }
                acc[leaf.task.unit] = a
            }
        }
        var units = acc.map { name, a in
            Unit(
                unit: name, regionCode: a.regionCode, tasks: a.tasks,
                completion: a.shares > 0 ? a.weighted / a.shares : a.plain / Double(a.tasks), due: a.due, onTime: a.onTime,
                onTimeRate: a.due > 0 ? Double(a.onTime) / Double(a.due) : nil, overdue: a.overdue, stalled: a.stalled, rank: 0)
        }
        units.sort { x, y in
            let kx = Self.key(x), ky = Self.key(y)
            if kx.0 != ky.0 { return kx.0 > ky.0 }
            if kx.1 != ky.1 { return kx.1 > ky.1 }
            return x.unit < y.unit
        }
        for i in units.indices {
            units[i].rank = i > 0 && Self.key(units[i]) == Self.key(units[i - 1]) ? units[i - 1].rank : i + 1
        }
        self.units = units
    }

    private init(asOf: String, units: [Unit]) {
        self.asOf = asOf
        self.units = units
    }

    /// Completion and on-time rate in hundredths of a percentage point (no rate: −1, last).
    static func key(_ u: Unit) -> (Int, Int) {
        (Int((u.completion * 10_000).rounded()), u.onTimeRate.map { Int(($0 * 10_000).rounded()) } ?? -1)
    }

    /// The same ranking with each unit's rank and completion on the earlier day.
    public func compared(with earlier: KeyRanking) -> KeyRanking {
        let before = Dictionary(earlier.units.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        return KeyRanking(
            asOf: asOf,
            units: units.map { u in
                var u = u
                u.previousRank = before[u.unit]?.rank
                u.previousCompletion = before[u.unit]?.completion
                return u
            })
    }

    /// The units at the bottom (the last rank), when more than one unit is ranked.
    public var last: [Unit] {
        guard units.count > 1, let bottom = units.last?.rank, bottom > 1 else { return [] }
        return units.filter { $0.rank == bottom }
    }
}

/// What a dispatch meeting (调度会) on a day looks at: the tasks that fell due since the last
/// meeting and how each ended, everything late, and the ranking with its change.
public struct DispatchView: Sendable {
    public struct Item: Sendable, Hashable {
        public var targetTitle: String
        public var standing: KeyTargetProgress.Standing
    }

    public let day: String
    public let since: String
    /// Leaves due after `since` up to `day`, by deadline.
    public let due: [Item]
    /// Every overdue leaf on `day`, longest late first.
    public let late: [Item]
    /// Stalled leaves on `day`.
    public let stalled: [Item]
    public let ranking: KeyRanking

    public init(now: [KeyTargetProgress], then: [KeyTargetProgress]) {
        let day = now.first?.asOf ?? "", since = then.first?.asOf ?? ""
        self.day = day
        self.since = since
        let items = now.flatMap { p in p.leaves.map { Item(targetTitle: p.target.title, standing: $0) } }
        due = items.filter { $0.standing.task.deadline > since && $0.standing.task.deadline <= day }
            .sorted { ($0.standing.task.deadline, $0.standing.task.number) < ($1.standing.task.deadline, $1.standing.task.number) }
        late = items.filter(\.standing.overdue)
            .sorted { ($0.standing.daysLate ?? 0, $1.standing.task.unit) > ($1.standing.daysLate ?? 0, $0.standing.task.unit) }
        stalled = items.filter { $0.standing.stall != nil && !$0.standing.overdue }
        ranking = KeyRanking(now).compared(with: KeyRanking(then))
    }
}
