import Testing

@testable import DudaoCore

/// End-to-end evaluation of a hand-built county (SPEC §3.1–§3.3).
/// Expected figures were computed independently with python (student-weighted, population form).
@Suite("County evaluator (评估)", .enabled(if: coreResourcesAvailable))
struct CountyEvaluatorTests {

    // MARK: - The county of 禹州市, 2024

    /// | code | school               | type          | stage   | students | role                        |
    /// |------|----------------------|---------------|---------|----------|-----------------------------|
    /// | 0001 | A 城关一小           | primary       | primary | 500      | passes 7/7                  |
    /// | 0002 | B 实验小学           | primary       | primary | 300      | passes 7/7                  |
    /// | 0003 | C 第二实验学校       | nine-year     | primary | 200      | shared resources split 4:3  |
    /// |      |                      |               | junior  | 150      | fails (multimedia 83%)      |
    /// | 0004 | D 李庄教学点         | teaching pt   | primary | 49       | excluded: too few students  |
    /// | 0005 | E 王庄教学点         | teaching pt   | primary | 50       | included (exactly 50)       |
    /// | 0006 | F 特殊教育学校       | special       | primary | 40       | excluded: school type       |
    /// | 0007 | G 第一初级中学       | junior        | junior  | 600      | passes 7/7                  |
    /// | 0008 | H 顺店九年制学校     | nine-year     | primary | 120      | passes 7/7                  |
    /// |      |                      |               | junior  | 0        | excluded: no students       |
    static let schools: [School] = [
        makeSchool("4110810001", "城关一小", .primarySchool),
        makeSchool("4110810002", "实验小学", .primarySchool),
        makeSchool("4110810003", "第二实验学校", .nineYear),
        makeSchool("4110810004", "李庄教学点", .teachingPoint),
        makeSchool("4110810005", "王庄教学点", .teachingPoint),
        makeSchool("4110810006", "特殊教育学校", .special),
        makeSchool("4110810007", "第一初级中学", .juniorSchool),
        makeSchool("4110810008", "顺店九年制学校", .nineYear),
    ]

    /// Facts per row: students, above degree, key, PE/art, teaching m², sports m², instrument yuan, multimedia.
    static func facts(
        _ s: Double, _ deg: Double, _ key: Double, _ pe: Double,
        _ teach: Double, _ sports: Double, _ instr: Double, _ mm: Double
    ) -> [ReturnField: Double] {
        [
            .students: s, .teachers: deg + 5, .teachersAboveDegree: deg, .keyTeachers: key, .peArtTeachers: pe,
            .teachingAreaM2: teach, .sportsAreaM2: sports, .instrumentValueYuan: instr, .multimediaClassrooms: mm,
        ]
    }

    static let returns: [StageReturn] = [
        makeRow("4110810001", .primary, facts(500, 25, 6, 5, 2600, 4000, 1_100_000, 13)),
        makeRow("4110810002", .primary, facts(300, 14, 4, 3, 1500, 2400, 660_000, 7)),
        // C: teachers per stage; buildings and equipment once for the whole school, split by
        // students 200 : 150 = 4/7 : 3/7 → primary 1,400 m², 2,400 m², 600,000 yuan, 4 rooms;
        //                                     junior  1,050 m², 1,800 m², 450,000 yuan, 3 rooms.
        makeRow("4110810003", .primary, [.students: 200, .teachers: 14, .teachersAboveDegree: 10, .keyTeachers: 2, .peArtTeachers: 2]),
        makeRow("4110810003", .junior, [.students: 150, .teachers: 12, .teachersAboveDegree: 9, .keyTeachers: 2, .peArtTeachers: 2]),
        makeRow("4110810003", nil, [.teachingAreaM2: 2450, .sportsAreaM2: 4200, .instrumentValueYuan: 1_050_000, .multimediaClassrooms: 7]),
        // D would drag every mean down if it were (wrongly) included.
        makeRow("4110810004", .primary, facts(49, 0, 0, 0, 100, 100, 10_000, 0)),
        makeRow("4110810005", .primary, facts(50, 3, 1, 1, 300, 500, 120_000, 2)),
        makeRow("4110810006", .primary, facts(40, 1, 0, 0, 200, 200, 20_000, 0)),
        makeRow("4110810007", .junior, facts(600, 36, 7, 6, 3600, 6300, 1_560_000, 15)),
        makeRow("4110810008", .primary, facts(120, 6, 2, 2, 600, 1000, 300_000, 3)),
        makeRow("4110810008", .junior, [.students: 0]),
        // Ignored: last year's row, and a row of a school outside the list.
        makeRow("4110810001", .primary, year: 2023, facts(900, 1, 1, 1, 1, 1, 1, 1)),
        makeRow("4110819999", .primary, facts(900, 1, 1, 1, 1, 1, 1, 1)),
    ]

    func evaluate(_ programme: Programme? = nil) throws -> CountyEvaluation {
        CountyEvaluator.evaluate(
            programme: try programme ?? qualityProgramme(), region: yuzhou, year: 2024,
            schools: Self.schools, returns: Self.returns)
    }

    func indicator(_ stage: StageEvaluation, _ id: String) throws -> IndicatorResult {
        try #require(stage.indicators.first { $0.id == id })
    }

    @Test func exclusions() throws {
        let e = try evaluate()
        let got = e.excluded.map { "\($0.school.code.suffix(4)) \($0.stage.rawValue) \($0.reason.rawValue) \(Int($0.students))" }
        #expect(
            got == [
                "0004 primary too_few_students 49",
                "0006 primary school_type 40",
                "0008 junior no_students 0",
            ])
        try #require(e.excluded.count == 3)
        #expect(e.excluded[0].reasonText(.zh) == "教学点在校生不足规定人数")
        #expect(e.excluded[1].reasonText(.zh) == "特殊教育学校不参评")
        #expect(e.excluded[2].reasonText(.zh) == "该学段无在校生")
        #expect(e.excluded[2].reasonText(.en) == "no students in this stage")
    }

    @Test func participantsAndSchoolVerdicts() throws {
        let e = try evaluate()
        let primary = try #require(e.stage(.primary))
        let junior = try #require(e.stage(.junior))
        // The 50-student teaching point (0005) takes part; 0004 (49) does not.
        #expect(primary.schools.map { String($0.school.code.suffix(4)) } == ["0001", "0002", "0003", "0005", "0008"])
        #expect(junior.schools.map { String($0.school.code.suffix(4)) } == ["0003", "0007"])
        #expect(primary.schools.map(\.met) == [7, 7, 6, 7, 7])
        #expect(primary.schools.allSatisfy { $0.passed == true })
        #expect(primary.schoolsPassed == 5)
        #expect(junior.schools.map(\.met) == [6, 7])
        #expect(junior.schools.map(\.passed) == [false, true])
        // C primary: 4 rooms / 200 = 2.0 per 100 = 87.0% of 2.3 → within 85%, passes.
        try #require(primary.schools.count == 5)
        let cPrimary = primary.schools[2]
        #expect(approx(try #require(cPrimary.value("multimedia_classrooms_per100")), 2.0))
        #expect(approx(try #require(cPrimary.value("teaching_area_per_student")), 7.0))  // 1,400 / 200
        // C junior: 3 rooms / 150 = 2.0 per 100 = 83.3% of 2.4 → fails.
        //   needed 2.4 · 150 / 100 = 3.6 → 1 more room; 3 · 100 / 2.4 = 125 → 25 fewer students.
        let cJunior = try #require(junior.failingSchools.first)
        #expect(cJunior.school.code == "4110810003")
        let gap = try #require(cJunior.gaps.first)
        #expect(cJunior.gaps.count == 1)
        #expect(gap.indicator == "multimedia_classrooms_per100")
        #expect(gap.shortfall == 1)
        #expect(gap.fewerStudents == 25)
        #expect(gap.text(.zh) == "需增加 1 间网络多媒体教室，或减少 25 名学生")
    }

    /// Primary: A 500, B 300, C 200, E 50, H 120 students (P = 1,170). Python:
    ///   above degree  mean 4.957264957 (= 58 teachers / 1,170 · 100)  sd 0.263436496  cv 0.053141500
    ///   key           mean 1.282051282   sd 0.233131311  cv 0.181842423
    ///   PE/art        mean 1.111111111   sd 0.275632744  cv 0.248069469
    ///   teaching m²   mean 5.470085470 (= 6,400 / 1,170)  sd 0.722917280  cv 0.132158315
    ///   sports m²     mean 8.803418803   sd 1.507281375  cv 0.171215457
    ///   instruments   mean 2376.068376   sd 298.9009991  cv 0.125796464
    ///   multimedia    mean 2.478632479   sd 0.387076645  cv 0.156165405
    @Test func primaryDispersions() throws {
        let primary = try #require(try evaluate().stage(.primary))
        let expected: [(String, Double, Double, Double)] = [
            ("teachers_above_degree_per100", 4.957264957264957, 0.263436495853375, 0.053141500025594604),
            ("key_teachers_per100", 1.2820512820512822, 0.23313131105958732, 0.1818424226264781),
            ("pe_art_teachers_per100", 1.1111111111111112, 0.27563274353157435, 0.2480694691784169),
            ("teaching_area_per_student", 5.47008547008547, 0.7229172804714701, 0.13215831533619063),
            ("sports_area_per_student", 8.803418803418804, 1.5072813750896066, 0.17121545717037276),
            ("instrument_value_per_student", 2376.068376068376, 298.90099914608055, 0.12579646366939362),
            ("multimedia_classrooms_per100", 2.4786324786324787, 0.38707664527262403, 0.15616540516171382),
        ]
        #expect(primary.indicators.map(\.id) == expected.map(\.0))
        for (id, mean, sd, cv) in expected {
            let r = try indicator(primary, id)
            let d = try #require(r.dispersion, "\(id)")
            #expect(approx(d.mean, mean, 1e-9 * max(1, mean)), "\(id) mean")
            #expect(approx(d.standardDeviation, sd, 1e-9 * max(1, sd)), "\(id) sd")
            #expect(approx(d.cv, cv, 1e-12), "\(id) cv")
            #expect(d.schools == 5)
            #expect(r.cvLimit == 0.50)
            #expect(r.passed)
        }
        #expect(try indicator(primary, "sports_area_per_student").threshold == 7.5)
        #expect(primary.worst?.id == "pe_art_teachers_per100")
        #expect(primary.passed == true)
    }

    /// Junior: C 150, G 600 students (P = 750). By hand, e.g. teaching area: values 7.0 and 6.0,
    ///   X̄ = (150·7 + 600·6)/750 = 6.2, S² = (150·0.64 + 600·0.04)/750 = 0.16 → S = 0.4, CV = 0.4/6.2.
    ///   above degree 6.0/6.0 → S 0 CV 0;  key 1.3333/1.1667 → X̄ 1.2 S 0.0667 CV 0.0556
    ///   PE/art 1.3333/1.0 → X̄ 1.0667 S 0.1333 CV 0.125;  sports 12/10.5 → X̄ 10.8 S 0.6 CV 0.0556
    ///   instruments 3000/2600 → X̄ 2680 S 160 CV 0.0597;  multimedia 2.0/2.5 → X̄ 2.4 S 0.2 CV 0.0833
    @Test func juniorDispersionsAndVerdict() throws {
        let e = try evaluate()
        let junior = try #require(e.stage(.junior))
        let expected: [(String, Double, Double)] = [
            ("teachers_above_degree_per100", 6.0, 0.0),
            ("key_teachers_per100", 1.2, 1.0 / 15.0),
            ("pe_art_teachers_per100", 16.0 / 15.0, 2.0 / 15.0),
            ("teaching_area_per_student", 6.2, 0.4),
            ("sports_area_per_student", 10.8, 0.6),
            ("instrument_value_per_student", 2680, 160),
            ("multimedia_classrooms_per100", 2.4, 0.2),
        ]
        for (id, mean, sd) in expected {
            let d = try #require(try indicator(junior, id).dispersion)
            #expect(approx(d.mean, mean, 1e-9 * max(1, mean)), "\(id) mean")
            #expect(approx(d.standardDeviation, sd, 1e-6), "\(id) sd")
            #expect(approx(d.cv, sd / mean, 1e-9), "\(id) cv")
            #expect(try indicator(junior, id).cvLimit == 0.45)
        }
        // Every CV is far below 0.45, yet the stage fails because school C fails.
        #expect(junior.indicators.allSatisfy { $0.passed })
        #expect(junior.passed == false)
        #expect(e.stage(.primary)?.passed == true)
        #expect(e.passed == false)
        #expect(e.year == 2024)
        #expect(e.pending.map(\.id) == ["government_assurance", "education_quality", "public_satisfaction"])
    }

    /// School C with 8 multimedia rooms instead of 7: primary 8·4/7 = 4.571 rooms → 2.286 per 100
    /// (99.4% of 2.3), junior 8·3/7 = 3.429 → 2.286 per 100 (95.2% of 2.4). Both stages then meet
    /// 6 and reach 85% on the 7th, so every school passes and the whole county passes.
    @Test func countyPassesWhenEverySchoolPasses() throws {
        var rows = Self.returns
        let i = try #require(rows.firstIndex { $0.schoolCode == "4110810003" && $0.stage == nil })
        rows[i][.multimediaClassrooms] = 8
        let e = CountyEvaluator.evaluate(
            programme: try qualityProgramme(), region: yuzhou, year: 2024,
            schools: Self.schools, returns: rows)
        let c = try #require(e.stage(.junior)?.schools.first { $0.school.code == "4110810003" })
        #expect(approx(try #require(c.value("multimedia_classrooms_per100")), 800.0 / 350.0))
        #expect(c.met == 6)
        #expect(c.passed == true)
        #expect(e.stage(.junior)?.passed == true)
        #expect(e.stage(.primary)?.passed == true)
        #expect(e.passed == true)
    }

    // MARK: - CV limit boundary

    /// Two primary schools with 50 and 72 students; sports areas 1,680 and 882 m²:
    ///   X = 33.6 and 12.25; X̄ = (50·33.6 + 72·12.25)/122 = 2,562/122 = 21
    ///   S = √(50·72)·|33.6 − 12.25| / 122 = 60 · 21.35 / 122 = 10.5 → CV = 10.5/21 = 0.5 exactly,
    ///   though the floating-point computation gives 0.5000000000000001 (python replay).
    /// The other indicators have CV ≤ 0.19 and every school meets every threshold.
    static func limitCounty(sportsFirst: Double, stage: Stage) -> ([School], [StageReturn]) {
        let type: SchoolType = stage == .primary ? .primarySchool : .juniorSchool
        let schools = [makeSchool("4110810101", "甲校", type), makeSchool("4110810102", "乙校", type)]
        let instrument: Double = stage == .primary ? 2200 : 2600
        let sportsSecond: Double = stage == .primary ? 882 : 945
        let rows = [
            makeRow("4110810101", stage, facts(50, 3, 1, 1, 300, sportsFirst, instrument * 50, 2)),
            makeRow("4110810102", stage, facts(72, 4, 1, 1, 432, sportsSecond, instrument * 72, 2)),
        ]
        return (schools, rows)
    }

    @Test func primaryIndicatorExactlyAtCVLimitPasses() throws {
        let (schools, rows) = Self.limitCounty(sportsFirst: 1680, stage: .primary)
        let e = CountyEvaluator.evaluate(programme: try qualityProgramme(), region: yuzhou, year: 2024, schools: schools, returns: rows)
        let primary = try #require(e.stage(.primary))
        let sports = try indicator(primary, "sports_area_per_student")
        let d = try #require(sports.dispersion)
        #expect(approx(d.mean, 21))
        #expect(approx(d.standardDeviation, 10.5))
        #expect(approx(d.cv, 0.5))
        #expect(sports.passed)
        #expect(primary.schools.allSatisfy { $0.passed == true })
        #expect(primary.passed == true)
        #expect(e.passed == true)  // junior has no school and is not judged
    }

    /// 1,681 m² instead: X̄ = 21.0082, S = 10.5098, CV = 0.50027 > 0.50 → indicator and county fail.
    @Test func primaryIndicatorJustAboveCVLimitFails() throws {
        let (schools, rows) = Self.limitCounty(sportsFirst: 1681, stage: .primary)
        let e = CountyEvaluator.evaluate(programme: try qualityProgramme(), region: yuzhou, year: 2024, schools: schools, returns: rows)
        let primary = try #require(e.stage(.primary))
        let sports = try indicator(primary, "sports_area_per_student")
        #expect(approx(try #require(sports.dispersion).cv, 0.5002731174404994, 1e-12))
        #expect(!sports.passed)
        #expect(primary.schools.allSatisfy { $0.passed == true })
        #expect(primary.passed == false)
        #expect(primary.worst?.id == "sports_area_per_student")
        #expect(e.passed == false)
    }

    /// Junior, 50 and 72 students, sports 1,617 and 945 m²: X = 32.34 and 13.125, X̄ = 21,
    ///   S = 60 · 19.215 / 122 = 9.45, CV = 0.45 exactly (float: 0.4500000000000001). 1,618 m² → 0.45029.
    @Test func juniorIndicatorAtCVLimit() throws {
        let (schools, rows) = Self.limitCounty(sportsFirst: 1617, stage: .junior)
        let e = CountyEvaluator.evaluate(programme: try qualityProgramme(), region: yuzhou, year: 2024, schools: schools, returns: rows)
        let junior = try #require(e.stage(.junior))
        let sports = try indicator(junior, "sports_area_per_student")
        #expect(approx(try #require(sports.dispersion).cv, 0.45))
        #expect(sports.passed)
        #expect(junior.passed == true)

        let (s2, r2) = Self.limitCounty(sportsFirst: 1618, stage: .junior)
        let over = CountyEvaluator.evaluate(programme: try qualityProgramme(), region: yuzhou, year: 2024, schools: s2, returns: r2)
        #expect(over.stage(.junior)?.passed == false)
    }

    // MARK: - Stages without schools, single schools, zero means

    @Test func stageWithoutParticipantsIsNotJudged() throws {
        let (schools, rows) = Self.limitCounty(sportsFirst: 1680, stage: .primary)
        let e = CountyEvaluator.evaluate(programme: try qualityProgramme(), region: yuzhou, year: 2024, schools: schools, returns: rows)
        let junior = try #require(e.stage(.junior))
        #expect(junior.passed == nil)
        #expect(junior.schools.isEmpty)
        #expect(junior.cvMean == nil)
        #expect(junior.indicators.allSatisfy { $0.error == .noParticipants && $0.dispersion == nil && !$0.passed })
        #expect(e.passed == true)
    }

    @Test func noStageEvaluatedMeansNotPassed() throws {
        let e = CountyEvaluator.evaluate(
            programme: try qualityProgramme(), region: yuzhou, year: 2024,
            schools: Self.schools, returns: [])
        #expect(e.stages.allSatisfy { $0.passed == nil })
        #expect(!e.passed)
    }

    /// One school per stage: CV 0 for every indicator (SPEC §3.1).
    @Test func oneSchoolPerStageHasCVZero() throws {
        let schools = [makeSchool("4110810201", "独校", .nineYear)]
        let rows = [
            makeRow("4110810201", .primary, Self.facts(300, 15, 4, 3, 1500, 2400, 660_000, 7)),
            makeRow("4110810201", .junior, Self.facts(200, 12, 3, 2, 1200, 2100, 520_000, 5)),
        ]
        let e = CountyEvaluator.evaluate(programme: try qualityProgramme(), region: yuzhou, year: 2024, schools: schools, returns: rows)
        for stage in [Stage.primary, .junior] {
            let s = try #require(e.stage(stage))
            #expect(s.indicators.count == 7)
            #expect(s.indicators.allSatisfy { $0.dispersion?.cv == 0 && $0.passed })
            #expect(s.cvMean == 0)
        }
        // 15/300 = 5.0 per 100 is this school's value and hence the county mean.
        let primary = try #require(e.stage(.primary))
        let aboveDegree = try #require(try indicator(primary, "teachers_above_degree_per100").dispersion)
        #expect(approx(aboveDegree.mean, 5.0))
        #expect(e.passed == true)
    }

    /// Nobody reports a multimedia classroom: X̄ = 0 → reported as .zeroMean, not NaN, and fails.
    @Test func zeroMeanIndicatorIsAnErrorAndFails() throws {
        let (schools, limitRows) = Self.limitCounty(sportsFirst: 1680, stage: .primary)
        var rows = limitRows
        for i in rows.indices { rows[i][.multimediaClassrooms] = 0 }
        let e = CountyEvaluator.evaluate(programme: try qualityProgramme(), region: yuzhou, year: 2024, schools: schools, returns: rows)
        let primary = try #require(e.stage(.primary))
        let mm = try indicator(primary, "multimedia_classrooms_per100")
        #expect(mm.error == .zeroMean)
        #expect(mm.dispersion == nil)
        #expect(!mm.passed)
        #expect(primary.cvMean == nil)
        #expect(primary.passed == false)
    }

    // MARK: - Basic balanced development 2012: mean of the eight CVs

    /// Three schools per stage with 100, 200, 300 students; python gives the eight CVs:
    ///   teaching area    [1, 5, 10]        0.5028177592
    ///   sports area      [1, 8, 12]        0.4452990083
    ///   instruments      [500, 1000, 3000] 0.5718672364
    ///   computers/100    [1, 5, 20]        0.6992783993   (> 0.65 on its own)
    ///   books            [3, 10, 40]       0.6853503630   (> 0.65 on its own)
    ///   teachers/100     [2, 6, 12]        0.4681879964
    ///   above degree/100 [1, 2, 5]         0.5099019514
    ///   mid title/100    [1, 2, 6]         0.5718672364
    ///   mean = 0.5568212438 → primary passes (≤ 0.65), junior fails (> 0.55).
    static func basicCounty() -> ([School], [StageReturn]) {
        var schools: [School] = []
        var rows: [StageReturn] = []
        let students: [Double] = [100, 200, 300]
        let facts: [[ReturnField: Double]] = [
            [
                .teachingAreaM2: 100, .sportsAreaM2: 100, .instrumentValueYuan: 50_000, .computers: 1, .books: 300,
                .teachers: 2, .teachersAboveDegree: 1, .teachersMidTitle: 1,
            ],
            [
                .teachingAreaM2: 1000, .sportsAreaM2: 1600, .instrumentValueYuan: 200_000, .computers: 10, .books: 2000,
                .teachers: 12, .teachersAboveDegree: 4, .teachersMidTitle: 4,
            ],
            [
                .teachingAreaM2: 3000, .sportsAreaM2: 3600, .instrumentValueYuan: 900_000, .computers: 60, .books: 12000,
                .teachers: 36, .teachersAboveDegree: 15, .teachersMidTitle: 18,
            ],
        ]
        for (i, s) in students.enumerated() {
            var values = facts[i]
            values[.students] = s
            let p = "411081030\(i)", j = "411081040\(i)"
            schools.append(makeSchool(p, "小学\(i)", .primarySchool))
            schools.append(makeSchool(j, "初中\(i)", .juniorSchool))
            rows.append(makeRow(p, .primary, values))
            rows.append(makeRow(j, .junior, values))
        }
        return (schools, rows)
    }

    static let basicCVs: [Double] = [
        0.5028177592216659, 0.44529900834739417, 0.5718672364333002, 0.699278399284868,
        0.6853503629930975, 0.468187996428785, 0.5099019513592785, 0.5718672364333003,
    ]

    @Test func basicUsesMeanOfEightCVs() throws {
        let programme = try basicProgramme()
        let (schools, rows) = Self.basicCounty()
        let e = CountyEvaluator.evaluate(programme: programme, region: yuzhou, year: 2024, schools: schools, returns: rows)
        let primary = try #require(e.stage(.primary))
        let junior = try #require(e.stage(.junior))
        for stage in [primary, junior] {
            #expect(stage.cvMode == .mean)
            #expect(stage.indicators.count == 8)
            for (result, cv) in zip(stage.indicators, Self.basicCVs) {
                #expect(approx(try #require(result.dispersion).cv, cv, 1e-12), "\(result.id)")
            }
            #expect(approx(try #require(stage.cvMean), 0.5568212438127113, 1e-12))
            #expect(stage.schools.allSatisfy { $0.passed == nil })  // no per-school rule
        }
        #expect(primary.cvLimit == 0.65)
        #expect(junior.cvLimit == 0.55)
        // Two single CVs exceed 0.65, but the mean decides.
        #expect(primary.passed == true)
        #expect(junior.passed == false)
        #expect(e.passed == false)
    }

    /// The same data judged indicator by indicator would fail primary (computers 0.699 > 0.65).
    @Test func basicDataJudgedEachWouldFail() throws {
        var programme = try basicProgramme()
        programme.cvMode = .each
        let (schools, rows) = Self.basicCounty()
        let e = CountyEvaluator.evaluate(programme: programme, region: yuzhou, year: 2024, schools: schools, returns: rows)
        #expect(e.stage(.primary)?.passed == false)
    }

    /// The unweighted option: teaching area [1, 5, 10] → X̄ = 16/3, S = 3.6817870, CV = 0.6903351;
    /// computers [1, 5, 20] → X̄ = 26/3, S = 8.1785628, CV = 0.9436803.
    @Test func unweightedProgrammeOption() throws {
        var programme = try basicProgramme()
        programme.cvWeighting = .unweighted
        let (schools, rows) = Self.basicCounty()
        let e = CountyEvaluator.evaluate(programme: programme, region: yuzhou, year: 2024, schools: schools, returns: rows)
        let primary = try #require(e.stage(.primary))
        let teaching = try #require(try indicator(primary, "teaching_area_per_student").dispersion)
        #expect(approx(teaching.mean, 16.0 / 3.0))
        #expect(approx(teaching.cv, 0.6903350635742039, 1e-12))
        let computers = try #require(try indicator(primary, "computers_per100").dispersion)
        #expect(approx(computers.cv, 0.9436803189527153, 1e-12))
    }

    // MARK: - Roll-up

    @Test func regionRollup() throws {
        let programme = try qualityProgramme()
        let main = try evaluate(programme)
        let (s2, r2) = Self.limitCounty(sportsFirst: 1680, stage: .primary)
        let other = CountyEvaluator.evaluate(
            programme: programme, region: Region(code: "411023", name: "许昌县", level: .county, parentCode: "4110"),
            year: 2024, schools: s2, returns: r2)
        let city = Region(code: "4110", name: "许昌市", level: .city, parentCode: "41")
        let rollup = RegionRollup.make(region: city, year: 2024, programme: programme, evaluations: [main, other])
        #expect(rollup.counties.map(\.region.code) == ["411023", "411081"])
        #expect(rollup.passedCount == 1)
        try #require(rollup.counties.count == 2)
        let yz = rollup.counties[1]
        #expect(!yz.passed)
        #expect(yz.schools == 6)  // A B C E H G (C counted once)
        #expect(yz.failingSchools == 1)  // C, junior
        #expect(yz.worst.map(\.indicator) == ["pe_art_teachers_per100", "pe_art_teachers_per100"])
        try #require(yz.worst.count == 2)
        #expect(approx(yz.worst[1].cv, 0.125))
    }
}
