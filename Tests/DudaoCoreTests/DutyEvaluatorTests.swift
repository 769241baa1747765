import Foundation
import Testing

@testable import DudaoCore

/// The county-duty indicators (SPEC §3.5) on a small county whose every figure is worked out
/// by hand in the comments.
@Suite("Government-duty indicators")
struct DutyEvaluatorTests {
    static let county = Region(code: "419901", name: "测试县", level: .county, parentCode: "4199")
    static let programme = DutyProgramme.programme(id: "county-duty")!

    static let schools: [School] = [
        School(code: "4199010001", name: "城关小学", countyCode: "419901", type: .primarySchool),
        School(code: "4199010002", name: "山村民办小学", countyCode: "419901", type: .primarySchool, ownership: .private, locality: .rural),
        School(code: "4199010003", name: "第一初中", countyCode: "419901", type: .juniorSchool, boarding: true),
        School(code: "4199010004", name: "公办幼儿园", countyCode: "419901", type: .kindergarten),
        School(code: "4199010005", name: "普惠民办园", countyCode: "419901", type: .kindergarten, ownership: .private),
        School(code: "4199010006", name: "民办幼儿园", countyCode: "419901", type: .kindergarten, ownership: .private),
    ]

    static func row(_ code: String, _ year: Int, _ stage: Stage, _ values: [ReturnField: Double]) -> StageReturn {
        StageReturn(schoolCode: "419901000\(code)", year: year, stage: stage, values: values)
    }

    static var returns2024: [StageReturn] {
        [
            row(
                "1", 2024, .primary,
                [
                    .students: 600, .entrants: 100, .graduates: 95, .classes: 12, .classes56Plus: 2, .classes66Plus: 0, .lunchNeeding: 200,
                    .lunchServed: 180, .afterSchoolNeeding: 400, .afterSchoolServed: 400, .safeCampus: 1, .legalVicePrincipal: 1,
                    .disabledInRegularClasses: 3, .boarders: 0, .publicFundsAllocatedYuan: 406_050,
                ]),
            row(
                "2", 2024, .primary,
                [
                    .students: 60, .entrants: 10, .graduates: 9, .classes: 6, .classes56Plus: 0, .classes66Plus: 0, .lunchNeeding: 0, .lunchServed: 0,
                    .afterSchoolNeeding: 30, .afterSchoolServed: 0, .safeCampus: 0, .legalVicePrincipal: 1, .disabledInRegularClasses: 0,
                    .publicFundsAllocatedYuan: 65_000,
                ]),
            row(
                "3", 2024, .junior,
                [
                    .students: 340, .entrants: 120, .graduates: 110, .classes: 8, .classes56Plus: 1, .classes66Plus: 1, .lunchNeeding: 100,
                    .lunchServed: 100, .afterSchoolNeeding: 200, .afterSchoolServed: 150, .safeCampus: 1, .legalVicePrincipal: 1, .boarders: 50,
                    .disabledInRegularClasses: 0, .publicFundsAllocatedYuan: 290_000,
                ]),
            row("4", 2024, .preschool, [.students: 300, .nurseryChildren: 20, .safeCampus: 1, .legalVicePrincipal: 1]),
            row("5", 2024, .preschool, [.students: 150, .nurseryChildren: 30, .inclusive: 1, .safeCampus: 1, .legalVicePrincipal: 1]),
            row("6", 2024, .preschool, [.students: 50, .nurseryChildren: 0, .inclusive: 0, .safeCampus: 1, .legalVicePrincipal: 0]),
        ]
    }

    static var facts: CountyFacts {
        CountyFacts(
            countyCode: "419901", year: 2024,
            values: [
                .preschoolAgePopulation: 550, .educationSpending: 52_000, .educationSpendingPrev: 50_000, .perStudentSpending: 12_000,
                .perStudentSpendingPrev: 12_000, .teacherAveragePay: 98_000, .civilServantAveragePay: 100_000,
            ])
    }

    static func evaluate(returns: [StageReturn]? = nil, facts: CountyFacts? = DutyEvaluatorTests.facts) -> DutyEvaluation {
        let rows =
            (returns ?? returns2024) + [
                // Entrants of the cohorts that graduate in 2024: primary in 2019 (Y−5), junior in 2022 (Y−2).
                row("1", 2019, .primary, [.students: 590, .entrants: 100]),
                row("2", 2019, .primary, [.students: 70, .entrants: 10]),
                row("3", 2022, .junior, [.students: 330, .entrants: 115]),
            ]
        return DutyEvaluator.evaluate(
            programme,
            DutyInputs(region: county, year: 2024, schools: schools, returns: Dictionary(grouping: rows, by: \.year), facts: facts))
    }

    func expect(
        _ e: DutyEvaluation, _ id: String, _ numerator: Double, _ denominator: Double, passed: Bool, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let r = e.result(id) else {
            Issue.record("no indicator \(id)", sourceLocation: sourceLocation)
            return
        }
        #expect(r.numerator == numerator && r.denominator == denominator, "\(id)", sourceLocation: sourceLocation)
        #expect(r.value.map { abs($0 - numerator / denominator) < 1e-12 } == true, "\(id)", sourceLocation: sourceLocation)
        #expect(r.passed == passed, "\(id)", sourceLocation: sourceLocation)
        #expect(r.missing.isEmpty && r.error == nil, "\(id)", sourceLocation: sourceLocation)
    }

    @Test func everyIndicatorByHand() {
        let e = Self.evaluate()
        // Private students 60 of 600 + 60 + 340 compulsory: 6% > 5%.
        expect(e, "private_share_compulsory", 60, 1000, passed: false)
        expect(e, "private_share_primary", 60, 660, passed: false)
        expect(e, "private_share_junior", 0, 340, passed: true)
        // Kindergarten children (three years, no nursery) 300 + 150 + 50 of 550 of age: 90.91% ≥ 90%.
        expect(e, "preschool_gross_enrolment", 500, 550, passed: true)
        // Public: 300 + 20 of all 320 + 180 + 50 (nursery included).
        expect(e, "public_kindergarten_share", 320, 550, passed: true)
        // Public and inclusive private: 320 + 180 of 550.
        expect(e, "inclusive_kindergarten_coverage", 500, 550, passed: true)
        // Lunch: schools needing it 城关小学 and 第一初中, both serve; students 180 + 100 of 200 + 100.
        expect(e, "lunch_service_schools", 2, 2, passed: true)
        expect(e, "lunch_service_students", 280, 300, passed: false)
        // After school: 3 schools need it, 2 serve; students 400 + 0 + 150 of 400 + 30 + 200.
        expect(e, "after_school_service_schools", 2, 3, passed: false)
        expect(e, "after_school_service_students", 550, 630, passed: false)
        // 52,000 against 50,000 (+4%); per student 12,000 against 12,000: exactly 0, which passes.
        expect(e, "education_spending_growth", 2000, 50_000, passed: true)
        expect(e, "per_student_education_spending_growth", 0, 12_000, passed: true)
        // Classes of 56+: 2 + 0 + 1 of 12 + 6 + 8; of 66+: 1.
        expect(e, "large_class_share", 3, 26, passed: false)
        expect(e, "super_large_class_share", 1, 26, passed: false)
        // Primary graduates 95 + 9 of 2019 entrants 100 + 10 = 94.55% < 95%; junior 110 of 115 (2022).
        expect(e, "retention_primary", 104, 110, passed: false)
        expect(e, "retention_junior", 110, 115, passed: true)
        // Safe campus: all but 山村民办小学, 5 of 6; legal vice-principal: all but 民办幼儿园.
        expect(e, "safe_campus_rate", 5, 6, passed: false)
        expect(e, "legal_vice_principal_rate", 5, 6, passed: false)
        expect(e, "teacher_pay_not_below_civil_servants", 98_000, 100_000, passed: false)
    }

    /// 城关小学: 650 × (600 − 3) + 6000 × 3 = 406,050, allocated exactly. 山村民办小学 (rural, 60
    /// students): funded as 100, 650 × 100 = 65,000, allocated exactly. 第一初中: 850 × 340 + 200 ×
    /// 50 boarders = 299,000, allocated 290,000: 9,000 short.
    @Test func publicFundsPerSchool() {
        let e = Self.evaluate()
        expect(e, "public_funds_required_yuan", 406_050 + 65_000 + 290_000, 406_050 + 65_000 + 299_000, passed: false)
        #expect(e.shortfalls.count == 1)
        let short = e.shortfalls[0]
        #expect(short.school.code == "4199010003" && short.requiredYuan == 299_000 && short.allocatedYuan == 290_000 && short.shortfallYuan == 9_000)
    }

    @Test func missingFactsAreNamedNotZero() {
        var facts = Self.facts
        facts[.preschoolAgePopulation] = nil
        var rows = Self.returns2024
        rows[2][.lunchServed] = nil
        let e = Self.evaluate(returns: rows, facts: facts)
        let gross = e.result("preschool_gross_enrolment")!
        #expect(gross.passed == nil && gross.value == nil && gross.missing.map(\.id) == ["preschool_age_population"])
        #expect(gross.missing.first?.text(.zh) == "学前三年适龄人口")
        let lunch = e.result("lunch_service_students")!
        #expect(lunch.passed == nil && lunch.missing.map(\.id) == ["lunch_students_served (1 schools)"])
        #expect(lunch.missing.first?.text(.zh) == "已享受午餐服务学生数（1所学校缺）")
        // The school count needs the served figure of the school that needs lunch too.
        #expect(e.result("lunch_service_schools")!.missing.map(\.id) == ["lunch_students_served (1 schools)"])
        // Without county facts at all, every fact-based indicator is unknown, naming its facts.
        let none = Self.evaluate(facts: nil)
        #expect(none.result("education_spending_growth")!.missing.map(\.id) == ["education_spending_10k_yuan", "education_spending_prev_10k_yuan"])
        #expect(none.result("private_share_compulsory")!.passed == false)
    }

    @Test func zeroDenominatorIsAnErrorNotNaN() {
        // No junior rows: the junior private share has nothing to divide by.
        let e = Self.evaluate(returns: Self.returns2024.filter { $0.stage != .junior })
        let junior = e.result("private_share_junior")!
        #expect(junior.value == nil && junior.passed == nil && junior.error != nil)
        #expect(e.indicators.allSatisfy { $0.value.map(\.isFinite) ?? true })
    }

    @Test func boundariesExactlyAtTheTargetPass() {
        // 50 private of 1000 compulsory students is exactly 5%: passes (at most 5%).
        var rows = Self.returns2024
        rows[1][.students] = 50
        rows[0][.students] = 610
        let e = Self.evaluate(returns: rows)
        #expect(e.result("private_share_compulsory")!.numerator == 50 && e.result("private_share_compulsory")!.denominator == 1000)
        #expect(e.result("private_share_compulsory")!.passed == true)
        // Gross enrolment exactly 90%: 495 of 550.
        rows[5][.students] = 45
        #expect(Self.evaluate(returns: rows).result("preschool_gross_enrolment")!.passed == true)
        rows[5][.students] = 44
        #expect(Self.evaluate(returns: rows).result("preschool_gross_enrolment")!.passed == false)
    }

    @Test func countiesAreRankedPerIndicator() {
        let a = Self.evaluate()
        var rows = Self.returns2024
        rows[1][.students] = 20  // fewer private students: a better (lower) private share
        var b = Self.evaluate(returns: rows)
        b.region = Region(code: "419902", name: "乙县", level: .county, parentCode: "4199")
        var c = Self.evaluate(facts: nil)
        c.region = Region(code: "419903", name: "丙县", level: .county, parentCode: "4199")
        let rollup = DutyRollup.make(
            programme: Self.programme, region: Region(code: "4199", name: "测试市", level: .city, parentCode: "41"), year: 2024, counties: [a, b, c])
        // Lower is better for the private share: 乙县 (20 of 960) first, then 测试县 and 丙县 tie (60 of 1000).
        let privateShare = rollup.rankings["private_share_compulsory"]!
        #expect(privateShare.map(\.county.code) == ["419902", "419901", "419903"])
        #expect(privateShare.map(\.rank) == [1, 2, 2])
        // Higher is better for gross enrolment; 丙县 has no facts and comes last without a rank.
        let gross = rollup.rankings["preschool_gross_enrolment"]!
        #expect(gross.last?.county.code == "419903" && gross.last?.rank == nil)
    }

    /// Published to two decimals unless the programme says otherwise (a province's copy may).
    @Test func precisionComesFromTheProgramme() throws {
        let d = try #require(Self.programme.indicator("private_share_compulsory"))
        #expect(d.precision == 2 && d.published(0.17254) == "17.25%" && d.published(1) == "100.00%")
        let json =
            #"{"id": "x", "name_zh": "x", "name_en": "x", "numerator": {"fact": "teacher_average_pay_yuan"}, "denominator": {"fact": "civil_servant_average_pay_yuan"}, "target": 1, "direction": "at_least", "precision": 1}"#
        let one = try JSONDecoder().decode(DutyIndicator.self, from: Data(json.utf8))
        #expect(one.published(0.98765) == "98.8%")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(DutyIndicator.self, from: Data(json.replacingOccurrences(of: "\"precision\": 1", with: "\"precision\": 9").utf8))
        }
    }

    @Test func shippedProgrammeLoadsAndNamesItsYears() {
        #expect(DutyProgramme.builtIn.map(\.id) == ["county-duty"])
        #expect(Self.programme.indicators.count >= 20)
        #expect(Self.programme.publicFunds.perStudentYuan == [.primary: 650, .junior: 850])
    }
}
