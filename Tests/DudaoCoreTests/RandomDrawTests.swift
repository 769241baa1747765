import Testing

@testable import DudaoCore

@Suite("双随机 random inspections")
struct RandomDrawTests {
    let schools = (1...40).map { "14110810\(String(format: "%02d", $0))" }
    let inspectors = ["i01", "i02", "i03", "i04", "i05", "i06", "i07", "i08"]

    @Test func sameSeedSameDrawWhateverTheInputOrder() throws {
        let a = try RandomDraw.draw(seed: 20261124, schoolPool: schools, inspectorPool: inspectors, schools: 6, inspectors: 3, teamSize: 2)
        let b = try RandomDraw.draw(
            seed: 20261124, schoolPool: schools.reversed(), inspectorPool: inspectors.shuffled(), schools: 6, inspectors: 3, teamSize: 2)
        #expect(a == b)
        #expect(a.schools.count == 6 && Set(a.schools).count == 6 && a.inspectors.count == 3)
        #expect(a.teams.values.allSatisfy { $0.count == 2 && Set($0).count == 2 && Set($0).isSubset(of: a.inspectors) })
        let c = try RandomDraw.draw(seed: 20261125, schoolPool: schools, inspectorPool: inspectors, schools: 6, inspectors: 3, teamSize: 2)
        #expect(c.schools != a.schools || c.inspectors != a.inspectors)
    }

    @Test func ownSchoolsAndConflictsAreExcluded() throws {
        // Each inspector is responsible for five schools (excluded there), and i01 also declares a
        // conflict with one of i02's schools; teams must respect both.
        var excluded: [String: Set<String>] = [:]
        for (n, inspector) in inspectors.enumerated() { excluded[inspector] = Set(schools[(n * 5)..<(n * 5 + 5)]) }
        excluded["i01"]!.insert(schools[5])
        for seed in 1...50 as ClosedRange<UInt64> {
            let d = try RandomDraw.draw(seed: seed, schoolPool: schools, inspectorPool: inspectors, schools: 10, inspectors: 4, excluded: excluded)
            for (school, team) in d.teams { #expect(team.allSatisfy { !(excluded[$0]!.contains(school)) }, "seed \(seed)") }
        }
    }

    /// Load is spread: 6 schools over 3 inspectors, one each, gives each inspector exactly 2.
    @Test func workIsSpreadEvenly() throws {
        let d = try RandomDraw.draw(seed: 7, schoolPool: schools, inspectorPool: inspectors, schools: 6, inspectors: 3)
        var load: [String: Int] = [:]
        for team in d.teams.values { for i in team { load[i, default: 0] += 1 } }
        #expect(load.values.sorted() == [2, 2, 2])
    }

    @Test func impossibleDrawsAreClearErrors() {
        #expect(throws: RandomDraw.Failure.self) {
            try RandomDraw.draw(seed: 1, schoolPool: schools, inspectorPool: inspectors, schools: 41, inspectors: 2)
        }
        #expect(throws: RandomDraw.Failure.self) {
            try RandomDraw.draw(seed: 1, schoolPool: schools, inspectorPool: inspectors, schools: 2, inspectors: 9)
        }
        #expect(throws: RandomDraw.Failure.self) {
            try RandomDraw.draw(seed: 1, schoolPool: schools, inspectorPool: inspectors, schools: 2, inspectors: 2, teamSize: 3)
        }
        // One inspector, who is the school's own: nobody can go.
        #expect(throws: RandomDraw.Failure.self) {
            try RandomDraw.draw(
                seed: 1, schoolPool: ["1411081001"], inspectorPool: ["i01"], schools: 1, inspectors: 1, excluded: ["i01": ["1411081001"]])
        }
    }
}

@Suite("挂牌督导 assignment checks")
struct ResponsibilityCheckTests {
    @Test func findsGapsOverloadAndDanglingRows() {
        let schools = (1...8).map { "s\($0)" }
        var assignment: [String: String] = [:]
        for s in schools.prefix(6) { assignment[s] = "busy" }
        assignment["s7"] = "gone"  // an inspector who no longer exists
        assignment["s99"] = "calm"  // a school that does not exist
        let r = ResponsibilityCheck.check(schools: schools, inspectors: ["busy", "calm"], assignment: assignment, limit: 5)
        #expect(r.schoolsWithoutInspector == ["s7", "s8"])
        #expect(r.overloaded == ["busy": 6])
        #expect(r.dangling == ["s7", "s99"])
    }
}
