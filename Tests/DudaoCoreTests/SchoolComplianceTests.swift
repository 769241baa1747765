import Testing

@testable import DudaoCore

/// SPEC §3.2: a school passes resource allocation when it meets at least 6 of the 7
/// thresholds and the rest reach at least 85% of theirs.
@Suite("School compliance (资源配置达标), quality 2017", .enabled(if: coreResourcesAvailable))
struct SchoolComplianceTests {
    let school = makeSchool("4110810001", "城关一小", .primarySchool)

    /// 200 primary students; every primary threshold met:
    ///   above degree 10 → 5.0/100 ≥ 4.2     key 3 → 1.5/100 ≥ 1
    ///   PE/art 2 → 1.0/100 ≥ 0.9            teaching area 1,000 → 5.0 m² ≥ 4.5
    ///   sports 1,600 → 8.0 m² ≥ 7.5         instruments 420,000 → 2,100 yuan ≥ 2,000
    ///   multimedia 5 → 2.5/100 ≥ 2.3
    func goodRow(_ changes: [ReturnField: Double] = [:]) -> StageReturn {
        var values: [ReturnField: Double] = [
            .students: 200, .teachers: 14, .teachersAboveDegree: 10, .keyTeachers: 3, .peArtTeachers: 2,
            .teachingAreaM2: 1000, .sportsAreaM2: 1600, .instrumentValueYuan: 420_000, .multimediaClassrooms: 5,
        ]
        values.merge(changes) { _, new in new }
        return makeRow(school.code, .primary, values)
    }

    func assess(_ row: StageReturn, stage: Stage = .primary) throws -> SchoolCompliance {
        SchoolCompliance.assess(school: school, row: row, stage: stage, programme: try qualityProgramme())
    }

    @Test func meetsAllSeven() throws {
        let c = try assess(goodRow())
        #expect(c.met == 7)
        #expect(c.passed == true)
        #expect(c.gaps.isEmpty)
        #expect(c.students == 200)
        #expect(
            c.values.map(\.id) == [
                "teachers_above_degree_per100", "key_teachers_per100", "pe_art_teachers_per100",
                "teaching_area_per_student", "sports_area_per_student", "instrument_value_per_student",
                "multimedia_classrooms_per100",
            ])
        #expect(approx(try #require(c.value("teachers_above_degree_per100")), 5.0))
        #expect(approx(try #require(c.value("instrument_value_per_student")), 2100))
        #expect(approx(try #require(c.value("multimedia_classrooms_per100")), 2.5))
    }

    /// Sports at exactly 85%: 0.85 × 7.5 = 6.375 m²/student × 200 = 1,275 m² → passes.
    @Test func sixMetSeventhAtExactly85Percent() throws {
        let c = try assess(goodRow([.sportsAreaM2: 1275]))
        #expect(c.met == 6)
        #expect(c.passed == true)
        #expect(c.gaps.map(\.indicator) == ["sports_area_per_student"])
        #expect(c.gaps.first?.withinTolerance == true)
    }

    /// Sports at 84.9%: 0.849 × 7.5 = 6.3675 × 200 = 1,273.5 m² → fails.
    @Test func sixMetSeventhAt84point9Percent() throws {
        let c = try assess(goodRow([.sportsAreaM2: 1273.5]))
        #expect(c.met == 6)
        #expect(c.passed == false)
        #expect(c.gaps.first?.withinTolerance == false)
        // needed 1,500 − 1,273.5 = 226.5 → 227 m²
        #expect(c.gaps.first?.shortfall == 227)
    }

    /// Instrument value at exactly 85%: 0.85 × 2,000 = 1,700 yuan × 200 = 340,000 → passes.
    @Test func instrumentAt85Percent() throws {
        let c = try assess(goodRow([.instrumentValueYuan: 340_000]))
        #expect(c.met == 6)
        #expect(c.passed == true)
    }

    /// Five met fails even though the other two are above 85%:
    ///   sports 1,400 → 7.0 = 93.3% of 7.5; multimedia 4 → 2.0 = 87.0% of 2.3.
    @Test func fiveMetFailsEvenWithinTolerance() throws {
        let c = try assess(goodRow([.sportsAreaM2: 1400, .multimediaClassrooms: 4]))
        #expect(c.met == 5)
        #expect(c.passed == false)
        #expect(c.gaps.count == 2)
        #expect(c.gaps.allSatisfy { $0.withinTolerance })
        #expect(Set(c.gaps.map(\.indicator)) == ["sports_area_per_student", "multimedia_classrooms_per100"])
    }

    /// The same facts judged against junior thresholds: above degree 5.0 < 5.3, teaching 5.0 < 5.8,
    /// sports 8.0 < 10.2, instruments 2,100 < 2,500 are missed; key 1.5 ≥ 1, PE/art 1.0 ≥ 0.9,
    /// multimedia 2.5 ≥ 2.4 are met → 3 met.
    @Test func stageThresholdsAreUsed() throws {
        let c = try assess(goodRow(), stage: .junior)
        #expect(c.met == 3)
        #expect(c.passed == false)
        #expect(c.gaps.count == 4)
    }

    /// A blank fact counts as 0 and misses its threshold.
    @Test func blankFactCountsAsZero() throws {
        var row = goodRow()
        row[.multimediaClassrooms] = nil
        let c = try assess(row)
        #expect(c.met == 6)
        #expect(c.value("multimedia_classrooms_per100") == 0)
        #expect(c.passed == false)
    }

    /// Basic 2012 sets no school thresholds: no per-school verdict.
    @Test func basicHasNoSchoolVerdict() throws {
        let c = SchoolCompliance.assess(school: school, row: goodRow(), stage: .primary, programme: try basicProgramme())
        #expect(c.passed == nil)
        #expect(c.met == 0)
        #expect(c.gaps.isEmpty)
        #expect(c.values.count == 8)
    }
}
