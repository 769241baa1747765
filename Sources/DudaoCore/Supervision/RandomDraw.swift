/// 双随机一公开: draw k schools and m inspectors from a scope with a recorded seed, and pair
/// them so that no inspector checks their own responsibility schools or a declared conflict.
/// The same seed and the same pools give the same draw on any machine (the pools are sorted
/// first, so their order does not matter).
public struct RandomDraw: Sendable, Hashable, Codable {
    public var seed: UInt64
    public var schools: [String]
    public var inspectors: [String]
    /// Drawn school → the inspectors sent there.
    public var teams: [String: [String]]

    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var zh: String
        public var en: String
        public var description: String { "\(en) / \(zh)" }
    }

    /// - Parameters:
    ///   - excluded: inspector → schools they may not check (their own responsibility schools and conflicts).
    ///   - teamSize: inspectors per school (at least 1, at most m).
    public static func draw(
        seed: UInt64, schoolPool: [String], inspectorPool: [String], schools k: Int, inspectors m: Int,
        teamSize: Int = 1, excluded: [String: Set<String>] = [:]
    ) throws(Failure) -> RandomDraw {
        let schoolPool = Array(Set(schoolPool)).sorted(), inspectorPool = Array(Set(inspectorPool)).sorted()
        guard k > 0, k <= schoolPool.count else {
            throw Failure(zh: "抽取学校数应在1到\(schoolPool.count)之间", en: "schools to draw must be 1…\(schoolPool.count)")
        }
        guard m > 0, m <= inspectorPool.count else {
            throw Failure(zh: "抽取督学数应在1到\(inspectorPool.count)之间", en: "inspectors to draw must be 1…\(inspectorPool.count)")
        }
        guard teamSize >= 1, teamSize <= m else { throw Failure(zh: "每校督学人数应在1到\(m)之间", en: "team size must be 1…\(m)") }
        var random = SeededGenerator(seed: seed)
        let schools = Array(shuffle(schoolPool, &random).prefix(k))
        let inspectors = Array(shuffle(inspectorPool, &random).prefix(m))
        // Spread the work: each school takes the least-loaded eligible inspectors, ties broken
        // by the drawn order.
        var load = Dictionary(uniqueKeysWithValues: inspectors.map { ($0, 0) })
        var teams: [String: [String]] = [:]
        for school in schools {
            let eligible = inspectors.filter { !(excluded[$0]?.contains(school) ?? false) }
            guard eligible.count >= teamSize else {
                throw Failure(
                    zh: "学校\(school)可派督学不足（需\(teamSize)人，均为其责任督学或有回避情形）",
                    en: "not enough eligible inspectors for school \(school) (all are its own or conflicted)")
            }
            let team = eligible.enumerated().sorted { (load[$0.element]!, $0.offset) < (load[$1.element]!, $1.offset) }
                .prefix(teamSize).map(\.element)
            for inspector in team { load[inspector]! += 1 }
            teams[school] = team
        }
        return RandomDraw(seed: seed, schools: schools, inspectors: inspectors, teams: teams)
    }

    /// Fisher–Yates with the seeded generator.
    static func shuffle(_ items: [String], _ random: inout SeededGenerator) -> [String] {
        var a = items
        guard a.count > 1 else { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(random.next() % UInt64(i + 1))
            a.swapAt(i, j)
        }
        return a
    }
}
