/// Where a target stands on a day: each task's completion, whether it is overdue or stalled,
/// and its share of the target. Only accepted reports made for days up to `asOf` count, so the
/// same data gives the same answer for any past day (a dispatch meeting's date).
///
/// The rules (issue 12, SPEC §4.5):
/// - a leaf's completion is its measure's (`KeyTaskMeasure.completion`) of its latest accepted
///   report (no report: 0);
/// - a parent's is the weighted average of its children's: a child without a weight counts
///   as 1; when every sibling's weight is 0 they count equally; never a plain sum;
/// - a task's share of the target is its weight over its siblings' times its parent's share
///   (what a unit's ranking weighs its tasks by);
/// - overdue: not complete and its deadline is before `asOf`;
/// - stalled (a leaf not complete): no report within its cadence of the last one (or of its
///   creation), or its last two accepted reports show the same value.
public struct KeyTargetProgress: Sendable {
    public enum Stall: Sendable, Hashable {
        /// No report since this day, and one was due.
        case noReport(since: String)
        /// The last two accepted reports (the later on this day) show the same value.
        case unchanged(since: String)
    }

    public struct Standing: Sendable, Hashable {
        public var task: KeyTask
        public var depth: Int
        public var isLeaf: Bool
        /// 0…1.
        public var completion: Double
        /// The share of the target (0…1); the shares of all leaves add up to 1.
        public var share: Double
        /// A leaf's latest accepted value or done.
        public var value: Double?
        public var done: Bool?
        /// The day of the latest report not returned (accepted or awaiting review).
        public var lastReport: String?
        /// Reports awaiting the office's review.
        public var pending: Int
        /// The day completion reached 1 and stayed there.
        public var completedOn: String?
        public var overdue: Bool
        public var daysLate: Int?
        public var stall: Stall?

        /// Complete on or before its deadline.
        public var onTime: Bool { completedOn.map { $0 <= task.deadline } ?? false }
    }

    public let target: KeyTarget
    public let asOf: String
    /// Depth first, siblings by position then number.
    public let rows: [Standing]
    /// The target's completion: the weighted average of its top-level tasks.
    public let completion: Double

    public init(target: KeyTarget, tasks: [KeyTask], reports: [ProgressReport], asOf: String) {
        self.target = target
        self.asOf = asOf
        let children = Dictionary(grouping: tasks, by: \.parentId)
        var counted: [String: [ProgressReport]] = [:]
        var pending: [String: Int] = [:]
        var lastReport: [String: String] = [:]
        for r in reports where r.day <= asOf {
            switch r.status {
            case .accepted: counted[r.taskId, default: []].append(r)
            case .submitted: pending[r.taskId, default: 0] += 1
            case .returned: continue
            }
            lastReport[r.taskId] = max(lastReport[r.taskId] ?? r.day, r.day)
        }
        var rows: [Standing] = []

        func ordered(_ list: [KeyTask]) -> [KeyTask] {
            list.sorted { a, b in
                if a.position != b.position { return a.position < b.position }
                let x = Self.numberKey(a.number), y = Self.numberKey(b.number)
                if x != y { return x.lexicographicallyPrecedes(y) }
                return a.id < b.id
            }
        }

        /// Appends the task and its subtree; returns its completion and the day it was completed.
        func visit(_ task: KeyTask, depth: Int, share: Double) -> (Double, String?) {
            let index = rows.count
            let kids = ordered(children[task.id] ?? [])
            var standing = Standing(
                task: task, depth: depth, isLeaf: kids.isEmpty, completion: 0, share: share, value: nil, done: nil,
                lastReport: lastReport[task.id], pending: pending[task.id] ?? 0, completedOn: nil, overdue: false, daysLate: nil, stall: nil)
            rows.append(standing)
            if kids.isEmpty {
                let measure = task.measure ?? .checkbox
                let history = (counted[task.id] ?? []).sorted { ($0.day, $0.reportedAt) < ($1.day, $1.reportedAt) }
                for r in history {
                    let c = measure.completion(value: r.value, done: r.done)
                    standing.completedOn = c >= 1 ? (standing.completedOn ?? r.day) : nil
                }
                if let latest = history.last {
                    standing.value = latest.value
                    standing.done = latest.done
                    standing.completion = measure.completion(value: latest.value, done: latest.done)
                }
                if standing.completion < 1 {
                    let since = lastReport[task.id] ?? String(task.createdAt.prefix(10))
                    if let due = task.cadence.nextDue(after: since), due < asOf {
                        standing.stall = .noReport(since: since)
                    } else if history.count >= 2 {
                        let a = history[history.count - 2], b = history[history.count - 1]
                        if a.value == b.value && a.done == b.done { standing.stall = .unchanged(since: a.day) }
                    }
                }
            } else {
                let weights = Self.normalizedWeights(kids.map(\.weight))
                var parts: [(Double, Double)] = []
                var lastDone: String?
                var allDone = true
                for (kid, w) in zip(kids, weights) {
                    let (c, on) = visit(kid, depth: depth + 1, share: share * w)
                    parts.append((w, c))
                    if w > 0 {
                        if let on { lastDone = max(lastDone ?? on, on) } else { allDone = false }
                    }
                }
                standing.completion = parts.reduce(0) { $0 + $1.0 * $1.1 }
                standing.completedOn = allDone && standing.completion >= 1 - 1e-12 ? lastDone : nil
            }
            if standing.completion < 1 - 1e-12 && task.deadline < asOf {
                standing.overdue = true
                standing.daysLate = DateText.days(from: task.deadline, to: asOf)
            }
            rows[index] = standing
            return (standing.completion, standing.completedOn)
        }

        let top = ordered(children[nil] ?? [])
        let weights = Self.normalizedWeights(top.map(\.weight))
        var total = 0.0
        for (task, w) in zip(top, weights) {
            total += w * visit(task, depth: 1, share: w).0
        }
        self.rows = rows
        self.completion = total
    }

    /// Each sibling's part of their parent (adding up to 1): its weight (nil: 1) over the sum,
    /// or equal parts when every weight is 0.
    public static func normalizedWeights(_ weights: [Double?]) -> [Double] {
        guard !weights.isEmpty else { return [] }
        let w = weights.map { max(0, $0 ?? 1) }
        let sum = w.reduce(0, +)
        guard sum > 0 else { return Array(repeating: 1 / Double(w.count), count: w.count) }
        return w.map { $0 / sum }
    }

    /// "1.10" after "1.9": outline numbers compare part by part as numbers.
    static func numberKey(_ number: String) -> [Int] {
        number.split(separator: ".").map { Int($0) ?? Int.max }
    }

    public func standing(_ taskId: String) -> Standing? { rows.first { $0.task.id == taskId } }

    public var leaves: [Standing] { rows.filter(\.isLeaf) }
}
