import DudaoCore

/// A county evaluation as an Excel workbook: indicators, schools, gaps, exclusions.
public enum EvaluationWorkbook {
    public static func sheets(_ e: CountyEvaluation, language: Language = .zh) -> [Table] {
        let zh = language == .zh
        let indicators = Table(
            name: zh ? "差异系数" : "Indicators",
            header: zh
                ? ["学段", "指标", "指标代码", "标准值", "均值", "标准差", "差异系数", "限值", "是否达标"]
                : ["Stage", "Indicator", "Id", "Threshold", "Mean", "SD", "CV", "Limit", "Passed"],
            rows: e.stages.flatMap { s in
                s.indicators.map { i in
                    [
                        s.stage.label(language), i.definition.name(language), i.id, i.threshold.map(NumberText.plain) ?? "",
                        i.dispersion.map { NumberText.fixed($0.mean, 4) } ?? "", i.dispersion.map { NumberText.fixed($0.standardDeviation, 4) } ?? "",
                        i.dispersion.map { NumberText.fixed($0.cv, 4) } ?? (i.error?.message(language) ?? ""),
                        NumberText.plain(i.cvLimit), verdict(i.passed, language),
                    ]
                }
            })
        let ids = e.programme.indicators.map(\.id)
        let schools = Table(
            name: zh ? "学校达标情况" : "Schools",
            header: (zh
                ? ["学校标识码", "学校名称", "学段", "在校生数", "达标项数", "是否达标"]
                : ["Code", "School", "Stage", "Students", "Met", "Passed"]) + e.programme.indicators.map { $0.definition.name(language) },
            rows: e.stages.flatMap { s in
                s.schools.map { c in
                    [
                        c.school.code, c.school.name, s.stage.label(language), NumberText.plain(c.students), String(c.met),
                        c.passed.map { verdict($0, language) } ?? "",
                    ] + ids.map { id in c.value(id).map { NumberText.fixed($0, 2) } ?? "" }
                }
            },
            textColumns: [0])
        let gaps = Table(
            name: zh ? "差距清单" : "Gaps",
            header: zh ? ["学校标识码", "学校名称", "学段", "指标", "现值", "标准值", "差距"] : ["Code", "School", "Stage", "Indicator", "Value", "Threshold", "Gap"],
            rows: e.stages.flatMap { s in
                s.schools.flatMap { c in
                    c.gaps.map { g in
                        [
                            c.school.code, c.school.name, s.stage.label(language),
                            IndicatorDefinition.catalogue[g.indicator]?.name(language) ?? g.indicator,
                            NumberText.fixed(g.value, 2), NumberText.plain(g.threshold), g.text(language),
                        ]
                    }
                }
            },
            textColumns: [0])
        let excluded = Table(
            name: zh ? "未参评学校" : "Excluded",
            header: zh ? ["学校标识码", "学校名称", "学段", "在校生数", "原因"] : ["Code", "School", "Stage", "Students", "Reason"],
            rows: e.excluded.map {
                [$0.school.code, $0.school.name, $0.stage.label(language), NumberText.plain($0.students), $0.reasonText(language)]
            },
            textColumns: [0])
        return [indicators, schools, gaps, excluded]
    }

    static func verdict(_ passed: Bool, _ language: Language) -> String {
        language == .zh ? (passed ? "达标" : "未达标") : (passed ? "pass" : "fail")
    }
}
