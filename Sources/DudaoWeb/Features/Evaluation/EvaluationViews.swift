import DudaoCore

/// The county evaluation page as template data: per stage the indicator table, failing
/// schools with their gaps in words, a chart per indicator, all schools, exclusions.
enum CountyView {
    static func context(_ e: CountyEvaluation, lang: Language) -> [String: Any] {
        let t = Strings.shared
        return [
            "evaluation": true,
            "passed": e.passed,
            "programmeName": e.programme.name(lang),
            "programmeId": e.programme.id,
            "year": e.year,
            "pending": e.pending.map { ["name": $0.name(lang)] },
            "stages": e.stages.map { stage(e, $0, lang: lang, t: t) },
            "excluded": e.excluded.map {
                ["code": $0.school.code, "name": $0.school.name, "stage": $0.stage.label(lang),
                 "students": NumberText.plain($0.students), "reason": $0.reasonText(lang)]
            },
            "hasExcluded": !e.excluded.isEmpty,
            "excludedCount": e.excluded.count,
        ]
    }

    static func stage(_ e: CountyEvaluation, _ s: StageEvaluation, lang: Language, t: Strings) -> [String: Any] {
        let verdict: (Bool) -> String = { t($0 ? "pass" : "fail", lang) }
        return [
            "id": s.stage.rawValue,
            "name": s.stage.label(lang),
            "evaluated": s.passed != nil,
            "passed": s.passed ?? false,
            "verdict": s.passed.map(verdict) ?? t("notEvaluated", lang),
            "schools": s.schools.count,
            "schoolsPassed": s.schoolsPassed,
            "cvMean": s.cvMean.map { NumberText.fixed($0, 3) } ?? "—",
            "cvModeMean": s.cvMode == .mean,
            "limit": NumberText.fixed(s.cvLimit, 2),
            "indicators": s.indicators.map { i in
                [
                    "id": i.id, "name": i.definition.name(lang),
                    "threshold": i.threshold.map(NumberText.plain) ?? "—",
                    "mean": i.dispersion.map { NumberText.fixed($0.mean, 2) } ?? "—",
                    "sd": i.dispersion.map { NumberText.fixed($0.standardDeviation, 2) } ?? "—",
                    "cv": i.dispersion.map { NumberText.fixed($0.cv, 3) } ?? (i.error?.message(lang) ?? "—"),
                    "limit": NumberText.fixed(i.cvLimit, 2),
                    "passed": i.passed, "passedText": i.passed ? "true" : "false",
                    "verdict": verdict(i.passed),
                ] as [String: Any]
            },
            "failing": s.failingSchools.map { c in
                [
                    "code": c.school.code, "name": c.school.name, "met": c.met,
                    "gaps": c.gaps.map { g in
                        ["text": g.text(lang), "indicator": IndicatorDefinition.catalogue[g.indicator]?.name(lang) ?? g.indicator,
                         "tolerated": g.withinTolerance]
                    },
                ] as [String: Any]
            },
            "hasFailing": !s.failingSchools.isEmpty,
            "charts": s.indicators.map { i in
                [
                    "svg": IndicatorChart.svg(
                        title: i.definition.name(lang),
                        values: s.schools.map { ($0.school.name, $0.value(i.id) ?? 0) },
                        threshold: i.threshold, unit: lang == .zh ? i.definition.unitZh : i.definition.unitEn),
                ]
            },
            "schoolRows": s.schools.map { c in
                [
                    "code": c.school.code, "name": c.school.name, "students": NumberText.plain(c.students), "met": c.met,
                    "passed": c.passed ?? true, "verdict": c.passed.map(verdict) ?? "—",
                    "values": c.values.map { ["value": NumberText.fixed($0.value, 2)] },
                ] as [String: Any]
            },
            "indicatorHeads": s.indicators.map { ["name": $0.definition.name(lang)] },
        ]
    }
}

/// A city's or province's page: its counties with verdicts and worst CVs.
enum RollupView {
    static func context(_ r: RegionRollup, lang: Language) -> [String: Any] {
        let t = Strings.shared
        return [
            "rollup": true,
            "programmeName": r.programme.name(lang),
            "year": r.year,
            "countiesTotal": r.counties.count,
            "countiesPassed": r.passedCount,
            "counties": r.counties.map { c in
                [
                    "code": c.region.code, "name": c.region.name,
                    "href": "/regions/\(c.region.code)?year=\(r.year)&programme=\(r.programme.id)",
                    "passed": c.passed, "verdict": t(c.passed ? "pass" : "fail", lang),
                    "schools": c.schools, "failing": c.failingSchools,
                    "worst": c.worst.map { w in
                        ["stage": w.stage.label(lang), "indicator": IndicatorDefinition.catalogue[w.indicator]?.name(lang) ?? w.indicator,
                         "cv": NumberText.fixed(w.cv, 3), "over": !Tolerance.atMost(w.cv, w.limit)]
                    },
                ] as [String: Any]
            },
        ]
    }
}
