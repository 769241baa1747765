import Testing

@testable import DudaoCore

/// SPEC §2: a multi-stage school's whole-school resources are split between stages in
/// proportion to each stage's students (× an optional stage weight), unless the stage row
/// gives the resource itself.
@Suite("Resource allocation (multi-stage schools)")
struct ResourceAllocationTests {
    let code = "4110810003"
    let defaultWeights: [Stage: Double] = [.primary: 1, .junior: 1, .senior: 1]

    func rows(
        primary: Double, junior: Double, whole: [ReturnField: Double],
        primaryOwn: [ReturnField: Double] = [:]
    ) -> [StageReturn] {
        var p = primaryOwn
        p[.students] = primary
        return [
            makeRow(code, .primary, p),
            makeRow(code, .junior, [.students: junior]),
            makeRow(code, nil, whole),
        ]
    }

    func row(_ rows: [StageReturn], _ stage: Stage) throws -> StageReturn {
        try #require(rows.first { $0.stage == stage })
    }

    /// 200 primary + 150 junior students, weights 1:1 → shares 4/7 and 3/7:
    ///   teaching area 2,450 → 1,400 + 1,050;  books 7,000 → 4,000 + 3,000;
    ///   instruments 1,050,000 → 600,000 + 450,000;  multimedia 7 → 4 + 3.
    @Test func splitByStudentsDefaultWeights() throws {
        let out = ResourceAllocation.allocate(
            rows(
                primary: 200, junior: 150,
                whole: [
                    .teachingAreaM2: 2450, .books: 7000,
                    .instrumentValueYuan: 1_050_000, .multimediaClassrooms: 7,
                ]),
            weights: defaultWeights)
        #expect(out.count == 2)  // the whole-school row is consumed
        #expect(out.allSatisfy { $0.stage != nil })
        let p = try row(out, .primary), j = try row(out, .junior)
        #expect(approx(try #require(p[.teachingAreaM2]), 1400))
        #expect(approx(try #require(j[.teachingAreaM2]), 1050))
        #expect(approx(try #require(p[.books]), 4000))
        #expect(approx(try #require(j[.books]), 3000))
        #expect(approx(try #require(p[.instrumentValueYuan]), 600_000, 1e-6))
        #expect(approx(try #require(j[.instrumentValueYuan]), 450_000, 1e-6))
        #expect(approx(try #require(p[.multimediaClassrooms]), 4))
        #expect(approx(try #require(j[.multimediaClassrooms]), 3))
        // Students are facts of each stage, never split.
        #expect(p.students == 200 && j.students == 150)
        // Absent weights count as 1: the same split with no weights at all.
        let unweighted = ResourceAllocation.allocate(rows(primary: 200, junior: 150, whole: [.teachingAreaM2: 2450]), weights: [:])
        #expect(approx(try #require(try row(unweighted, .primary)[.teachingAreaM2]), 1400))
    }

    /// Weights primary : junior = 1 : 1.1, 220 primary and 100 junior students:
    ///   shares 220·1 = 220 and 100·1.1 = 110 (total 330) → 2/3 and 1/3;
    ///   sports area 3,000 → 2,000 + 1,000 (equal weights would give 2,062.5 + 937.5).
    @Test func splitWithStageWeights() throws {
        let input = rows(primary: 220, junior: 100, whole: [.sportsAreaM2: 3000])
        let weighted = ResourceAllocation.allocate(input, weights: [.primary: 1, .junior: 1.1])
        #expect(approx(try #require(try row(weighted, .primary)[.sportsAreaM2]), 2000, 1e-9))
        #expect(approx(try #require(try row(weighted, .junior)[.sportsAreaM2]), 1000, 1e-9))
        let plain = ResourceAllocation.allocate(input, weights: defaultWeights)
        #expect(approx(try #require(try row(plain, .primary)[.sportsAreaM2]), 2062.5))
        #expect(approx(try #require(try row(plain, .junior)[.sportsAreaM2]), 937.5))
    }

    /// Twelve-year school, 100 students in each of three stages, weights 1 : 1.1 : 1.32:
    ///   shares 100, 110, 132 (total 342); 3,420 m² → 1,000 + 1,100 + 1,320.
    @Test func threeStagesProvincialWeights() throws {
        let input = [
            makeRow(code, .primary, [.students: 100]),
            makeRow(code, .junior, [.students: 100]),
            makeRow(code, .senior, [.students: 100]),
            makeRow(code, nil, [.teachingAreaM2: 3420]),
        ]
        let out = ResourceAllocation.allocate(input, weights: [.primary: 1, .junior: 1.1, .senior: 1.32])
        #expect(approx(try #require(try row(out, .primary)[.teachingAreaM2]), 1000, 1e-9))
        #expect(approx(try #require(try row(out, .junior)[.teachingAreaM2]), 1100, 1e-9))
        #expect(approx(try #require(try row(out, .senior)[.teachingAreaM2]), 1320, 1e-9))
    }

    /// A stage row that gives a resource keeps it (even an explicit 0: blank is not zero).
    /// (How the other stage's share is then computed — share of the whole figure, or of the
    /// remainder — SPEC §2 leaves open, so it is not asserted here.)
    @Test func stageRowValueIsNotOverwritten() throws {
        let out = ResourceAllocation.allocate(
            rows(
                primary: 200, junior: 150, whole: [.teachingAreaM2: 2450, .computers: 70],
                primaryOwn: [.teachingAreaM2: 999, .computers: 0]),
            weights: defaultWeights)
        let p = try row(out, .primary), j = try row(out, .junior)
        #expect(p[.teachingAreaM2] == 999)
        #expect(p[.computers] == 0)
        #expect(j[.teachingAreaM2] != nil)
        #expect(j[.computers] != nil)
    }

    /// Only shared resources (buildings and equipment) are split; staff counts are per stage.
    @Test func staffAreNotShared() throws {
        let out = ResourceAllocation.allocate(
            rows(primary: 200, junior: 150, whole: [.teachers: 40, .keyTeachers: 6, .sportsAreaM2: 700]),
            weights: defaultWeights)
        let p = try row(out, .primary)
        #expect(p[.teachers] == nil)
        #expect(p[.keyTeachers] == nil)
        #expect(approx(try #require(p[.sportsAreaM2]), 400))
        #expect(
            ReturnField.allCases.filter(\.isSharedResource) == [
                .teachingAreaM2, .sportsAreaM2, .instrumentValueYuan, .computers, .multimediaClassrooms, .books,
            ])
    }

    @Test func withoutWholeSchoolRowNothingChanges() {
        let input = [makeRow(code, .primary, [.students: 200, .books: 10]), makeRow(code, .junior, [.students: 150])]
        #expect(ResourceAllocation.allocate(input, weights: defaultWeights) == input)
        #expect(ResourceAllocation.allocate([makeRow(code, nil, [.books: 10])], weights: defaultWeights).isEmpty)
    }

    /// One stage row with no students: it gets the whole figure (nothing to split);
    /// two stage rows with no students get nothing (no basis to split).
    @Test func noStudentsToSplitBy() throws {
        let single = ResourceAllocation.allocate(
            [makeRow(code, .primary, [.students: 0]), makeRow(code, nil, [.books: 500])], weights: defaultWeights)
        #expect(single.first?[.books] == 500)
        let two = ResourceAllocation.allocate(rows(primary: 0, junior: 0, whole: [.books: 500]), weights: defaultWeights)
        #expect(two.allSatisfy { $0[.books] == 0 })
    }
}
