import Testing

@testable import DudaoCore

/// What a failing school lacks (SPEC §3.2: "needs 320 m² more sports area, or 41 fewer students").
@Suite("Gap (what a school lacks)", .enabled(if: coreResourcesAvailable))
struct GapTests {
    let sports = IndicatorDefinition.catalogue["sports_area_per_student"]!
    let keyTeachers = IndicatorDefinition.catalogue["key_teachers_per100"]!
    let aboveDegree = IndicatorDefinition.catalogue["teachers_above_degree_per100"]!
    let peArt = IndicatorDefinition.catalogue["pe_art_teachers_per100"]!
    let instrument = IndicatorDefinition.catalogue["instrument_value_per_student"]!

    /// 300 students, 2,000 m² sports area, primary threshold 7.5 m²/student:
    ///   value = 2000/300 = 6.667; needed = 7.5·300 = 2,250 m² → shortfall 250 m²
    ///   fewer: 2000/7.5 = 266.67 → at most 266 students → 300 − 266 = 34 fewer
    ///   (check: 2000/266 = 7.52 ≥ 7.5; 2000/267 = 7.49 < 7.5)
    @Test func sportsAreaWholeSquareMetres() throws {
        let row = makeRow([.students: 300, .sportsAreaM2: 2000])
        let gap = try #require(Gap.of(indicator: sports, row: row, threshold: 7.5, minRatio: 0.85))
        #expect(gap.indicator == "sports_area_per_student")
        #expect(approx(gap.value, 2000.0 / 300.0))
        #expect(gap.threshold == 7.5)
        #expect(gap.shortfall == 250)
        #expect(gap.unit == .squareMetres)
        #expect(gap.fewerStudents == 34)
        // 6.667 / 7.5 = 88.9% ≥ 85%
        #expect(gap.withinTolerance)
    }

    /// Fractional need is rounded up: 301 students → needed 7.5·301 = 2,257.5 m²,
    /// 2,257.5 − 2,000 = 257.5 → 258 m². Fewer: 301 − 266 = 35.
    @Test func squareMetresRoundedUp() throws {
        let row = makeRow([.students: 301, .sportsAreaM2: 2000])
        let gap = try #require(Gap.of(indicator: sports, row: row, threshold: 7.5, minRatio: 0.85))
        #expect(gap.shortfall == 258)
        #expect(gap.fewerStudents == 35)
    }

    /// 450 students, 2 key teachers, threshold 1 per 100:
    ///   needed = 1·450/100 = 4.5 teachers → 4.5 − 2 = 2.5 → 3 teachers (rounded up)
    ///   fewer: 2·100/1 = 200 students → 450 − 200 = 250 fewer
    ///   value 0.444 = 44% of the threshold → not within 85%
    @Test func teachersRoundedUp() throws {
        let row = makeRow([.students: 450, .keyTeachers: 2])
        let gap = try #require(Gap.of(indicator: keyTeachers, row: row, threshold: 1, minRatio: 0.85))
        #expect(gap.shortfall == 3)
        #expect(gap.unit == .teachers)
        #expect(gap.fewerStudents == 250)
        #expect(!gap.withinTolerance)
    }

    /// 500 students, 20 teachers above degree, threshold 4.2 per 100:
    ///   needed = 4.2·500/100 = 21 → exactly 1 more teacher (not 2 through float noise)
    ///   fewer: 20·100/4.2 = 476.19 → 476 → 24 fewer (20/476 = 4.2017%, 20/477 = 4.193%)
    @Test func wholeNeedGivesExactShortfall() throws {
        let row = makeRow([.students: 500, .teachersAboveDegree: 20])
        let gap = try #require(Gap.of(indicator: aboveDegree, row: row, threshold: 4.2, minRatio: 0.85))
        #expect(gap.shortfall == 1)
        #expect(gap.fewerStudents == 24)
    }

    /// Instrument value: 300 students, 550,000 yuan, threshold 2,000:
    ///   needed 600,000 → shortfall 50,000 yuan; 550000/2000 = 275 students → 25 fewer.
    @Test func yuanShortfall() throws {
        let row = makeRow([.students: 300, .instrumentValueYuan: 550_000])
        let gap = try #require(Gap.of(indicator: instrument, row: row, threshold: 2000, minRatio: nil))
        #expect(gap.shortfall == 50_000)
        #expect(gap.unit == .yuan)
        #expect(gap.fewerStudents == 25)
        // no ratio given → never "within tolerance"
        #expect(!gap.withinTolerance)
    }

    /// Meeting the threshold exactly is meeting it (inclusive): 7.5·200 = 1,500 m².
    @Test func exactThresholdIsNoGap() {
        let row = makeRow([.students: 200, .sportsAreaM2: 1500])
        #expect(Gap.of(indicator: sports, row: row, threshold: 7.5, minRatio: 0.85) == nil)
        let above = makeRow([.students: 200, .sportsAreaM2: 1501])
        #expect(Gap.of(indicator: sports, row: above, threshold: 7.5, minRatio: 0.85) == nil)
        let below = makeRow([.students: 200, .sportsAreaM2: 1499])
        #expect(Gap.of(indicator: sports, row: below, threshold: 7.5, minRatio: 0.85) != nil)
    }

    /// 9 PE/art teachers for 1,000 students is exactly 0.9 per 100, but 9/1000·100 evaluates
    /// to 0.8999999999999999 in floating point; the boundary must still count as met.
    @Test func exactThresholdThroughFloatingPoint() {
        #expect(9.0 / 1000.0 * 100.0 < 0.9)  // the trap this test is about
        let row = makeRow([.students: 1000, .peArtTeachers: 9])
        #expect(Gap.of(indicator: peArt, row: row, threshold: 0.9, minRatio: 0.85) == nil)
    }

    /// No key teachers at all: fewer students cannot help → nil; shortfall = 4.5 → 5.
    @Test func noResourceHasNoFewerStudents() throws {
        let row = makeRow([.students: 450, .keyTeachers: 0])
        let gap = try #require(Gap.of(indicator: keyTeachers, row: row, threshold: 1, minRatio: 0.85))
        #expect(gap.fewerStudents == nil)
        #expect(gap.shortfall == 5)
        #expect(!gap.text(.zh).contains("减少"))
        #expect(!gap.text(.en).contains("fewer"))
        // A blank fact counts as none.
        let blank = makeRow([.students: 450])
        #expect(Gap.of(indicator: keyTeachers, row: blank, threshold: 1, minRatio: 0.85)?.fewerStudents == nil)
    }

    /// withinTolerance: 85% of 7.5 = 6.375 m²/student; 200 students → 1,275 m² is within,
    /// 1,274 m² (6.37 = 84.9%) is not.
    @Test func withinToleranceBoundary() throws {
        let at = try #require(
            Gap.of(
                indicator: sports, row: makeRow([.students: 200, .sportsAreaM2: 1275]),
                threshold: 7.5, minRatio: 0.85))
        #expect(at.withinTolerance)
        let under = try #require(
            Gap.of(
                indicator: sports, row: makeRow([.students: 200, .sportsAreaM2: 1274]),
                threshold: 7.5, minRatio: 0.85))
        #expect(!under.withinTolerance)
    }

    @Test func chineseText() throws {
        let area = try #require(
            Gap.of(
                indicator: sports, row: makeRow([.students: 300, .sportsAreaM2: 2000]),
                threshold: 7.5, minRatio: 0.85))
        #expect(area.text(.zh) == "需增加 250 平方米体育运动场馆面积，或减少 34 名学生")

        let teachers = try #require(
            Gap.of(
                indicator: keyTeachers, row: makeRow([.students: 450, .keyTeachers: 2]),
                threshold: 1, minRatio: 0.85))
        let zh = teachers.text(.zh)
        #expect(zh.contains("需增加"))
        #expect(zh.contains("3 名县级及以上骨干教师"))
        #expect(zh.contains("减少 250 名学生"))
    }

    @Test func englishText() throws {
        let area = try #require(
            Gap.of(
                indicator: sports, row: makeRow([.students: 300, .sportsAreaM2: 2000]),
                threshold: 7.5, minRatio: 0.85))
        #expect(area.text(.en) == "needs 250 m² more sports field and hall area, or 34 fewer students")

        let teachers = try #require(
            Gap.of(
                indicator: keyTeachers, row: makeRow([.students: 450, .keyTeachers: 2]),
                threshold: 1, minRatio: 0.85))
        let en = teachers.text(.en)
        #expect(en.hasPrefix("needs 3 "))
        #expect(en.contains("key teachers"))
        #expect(en.hasSuffix(", or 250 fewer students"))
    }
}

@Suite("Tolerance (inclusive boundaries)")
struct ToleranceTests {
    @Test func inclusiveBoundaries() {
        #expect(Tolerance.atLeast(0.8999999999999999, 0.9))
        #expect(!Tolerance.atLeast(0.8999, 0.9))
        #expect(Tolerance.atMost(0.5000000000000001, 0.5))
        #expect(!Tolerance.atMost(0.5001, 0.5))
    }
}
