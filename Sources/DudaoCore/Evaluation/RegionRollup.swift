/// A city's or province's view of its counties' evaluations: pass/fail and worst CVs.
public struct RegionRollup: Sendable, Hashable {
    public struct CountyLine: Sendable, Hashable {
        public var region: Region
        public var passed: Bool
        public var schools: Int
        public var failingSchools: Int
        /// Per stage: the indicator with the largest CV.
        public var worst: [(stage: Stage, indicator: String, cv: Double, limit: Double)]

        public static func == (a: CountyLine, b: CountyLine) -> Bool {
            a.region == b.region && a.passed == b.passed && a.schools == b.schools
                && a.failingSchools == b.failingSchools && a.worst.map(\.cv) == b.worst.map(\.cv)
        }

        public func hash(into h: inout Hasher) { h.combine(region) }
    }

    public var region: Region
    public var year: Int
    public var programme: Programme
    public var counties: [CountyLine]

    public var passedCount: Int { counties.filter(\.passed).count }

    public static func make(region: Region, year: Int, programme: Programme, evaluations: [CountyEvaluation]) -> RegionRollup {
        let lines = evaluations.sorted { $0.region.code < $1.region.code }.map { e in
            CountyLine(
                region: e.region, passed: e.passed,
                schools: Set(e.stages.flatMap { $0.schools.map(\.school.code) }).count,
                failingSchools: Set(e.stages.flatMap { $0.failingSchools.map(\.school.code) }).count,
                worst: e.stages.compactMap { s in
                    s.worst.map { (s.stage, $0.id, $0.dispersion!.cv, s.cvLimit) }
                })
        }
        return RegionRollup(region: region, year: year, programme: programme, counties: lines)
    }
}
