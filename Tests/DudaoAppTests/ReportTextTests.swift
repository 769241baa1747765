import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// The CLI's report texts (moved out of the executable into DudaoApp).
@Suite("Evaluation reports as text")
struct ReportTextTests {
    @Test func countyReportNamesTheFailingIndicatorAndSchools() async throws {
        try await TestDatabase.with { db in
            try await DemoLoader.loadReturns(Services(database: db), log: { _ in })
            guard case .county(let e) = try await EvaluationService(db.sql).evaluate(region: "411081", year: 2024, programme: "quality-2017") else {
                Issue.record("a county evaluation was expected")
                return
            }
            let text = EvaluationText.render(e, .zh)
            #expect(text.hasPrefix("禹州市 411081 · "))
            #expect(text.contains("结论（可由统计数据判定部分）：未达标"))
            // Primary: sports area per student, CV 0.560 against 0.50 (SPEC §3.2, hand-checked in CountyEvaluatorTests).
            #expect(text.contains("sports_area_per_student") && text.contains("0.560") && text.contains("FAIL"))
            #expect(text.contains("未达标学校（14）"))
            let english = EvaluationText.render(e, .en)
            #expect(english.contains("Verdict (parts computable from returns): FAIL"))
        }
    }

    @Test func cityRollupListsItsCounties() async throws {
        try await TestDatabase.with { db in
            try await DemoLoader.loadReturns(Services(database: db), log: { _ in })
            guard case .rollup(let r) = try await EvaluationService(db.sql).evaluate(region: "4110", year: 2024, programme: "quality-2017") else {
                Issue.record("a rollup was expected")
                return
            }
            let table = RollupText.table(r, .zh)
            #expect(table.header == ["区县代码", "区县", "结论", "参评学校", "未达标学校", "最大差异系数"])
            #expect(Set(table.rows.map { $0[0] }) == ["411081", "411082", "411025"])
            #expect(table.rows.first { $0[0] == "411082" }?[2] == "达标")
            #expect(CSVTableText.columns([["区县", "x"], ["a", "y"]]) == "区县  x\na     y\n")
        }
    }

    @Test func programmeChoiceTakesAnIdOrAFile() throws {
        #expect(try ProgrammeChoice.resolve("quality-2017").id == "quality-2017")
        let error = #expect(throws: ServiceError.self) { try ProgrammeChoice.resolve("no-such-programme") }
        #expect(error?.code == "unknown_programme" && error?.field == "programme")
    }
}
