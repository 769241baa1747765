import DudaoCore

/// A name in a list (pending parts, table heads).
struct NameRow: Sendable, Equatable {
    var name: String
}

/// The county evaluation as the county page shows it (the `{{#evaluation}}` section): per stage
/// the indicator table, failing schools with their gaps in words, a chart per indicator, all
/// schools, exclusions.
struct CountyView: Sendable {
    struct Indicator: Sendable {
        var id: String
        var name: String
        var threshold: String
        var mean: String
        var sd: String
        /// The CV, or why it cannot be computed.
        var cv: String
        var limit: String
        var passed: Bool
        /// For the `data-passed` attribute.
        var passedText: String
        var verdict: String
    }

    struct Gap: Sendable {
        var text: String
        var indicator: String
        var tolerated: Bool
    }

    struct Failing: Sendable {
        var code: String
        var name: String
        var met: Int
        var gaps: [Gap]
    }

    struct Chart: Sendable {
        /// Markup built by `IndicatorChart` (rendered unescaped).
        var svg: String
    }

    struct Value: Sendable {
        var value: String
    }

    struct SchoolRow: Sendable {
        var code: String
        var name: String
        var students: String
        var met: Int
        var passed: Bool
        var verdict: String
        var values: [Value]
    }

    struct StageView: Sendable {
        var id: String
        var name: String
        var evaluated: Bool
        var passed: Bool
        var verdict: String
        var schools: Int
        var schoolsPassed: Int
        var cvMean: String
        var cvModeMean: Bool
        var limit: String
        var indicators: [Indicator]
        var failing: [Failing]
        var hasFailing: Bool
        var charts: [Chart]
        var schoolRows: [SchoolRow]
        var indicatorHeads: [NameRow]
    }

    struct Excluded: Sendable {
        var code: String
        var name: String
        var stage: String
        var students: String
        var reason: String
    }

    var passed: Bool
    var programmeName: String
    var programmeId: String
    var year: Int
    var pending: [NameRow]
    var stages: [StageView]
    var excluded: [Excluded]
    var hasExcluded: Bool
    var excludedCount: Int

    init(_ e: CountyEvaluation, lang: Language) {
        passed = e.passed
        programmeName = e.programme.name(lang)
        programmeId = e.programme.id
        year = e.year
        pending = e.pending.map { NameRow(name: $0.name(lang)) }
        stages = e.stages.map { Self.stage($0, lang: lang) }
        excluded = e.excluded.map {
            Excluded(
                code: $0.school.code, name: $0.school.name, stage: $0.stage.label(lang),
                students: NumberText.plain($0.students), reason: $0.reasonText(lang))
        }
        hasExcluded = !e.excluded.isEmpty
        excludedCount = e.excluded.count
    }

    static func stage(_ s: StageEvaluation, lang: Language) -> StageView {
        let t = Strings.shared
        let verdict: (Bool) -> String = { t($0 ? "pass" : "fail", lang) }
        return StageView(
            id: s.stage.rawValue,
            name: s.stage.label(lang),
            evaluated: s.passed != nil,
            passed: s.passed ?? false,
            verdict: s.passed.map(verdict) ?? t("notEvaluated", lang),
            schools: s.schools.count,
            schoolsPassed: s.schoolsPassed,
            cvMean: s.cvMean.map { NumberText.fixed($0, 3) } ?? "—",
            cvModeMean: s.cvMode == .mean,
            limit: NumberText.fixed(s.cvLimit, 2),
            indicators: s.indicators.map { i in
                Indicator(
                    id: i.id, name: i.definition.name(lang),
                    threshold: i.threshold.map(NumberText.plain) ?? "—",
                    mean: i.dispersion.map { NumberText.fixed($0.mean, 2) } ?? "—",
                    sd: i.dispersion.map { NumberText.fixed($0.standardDeviation, 2) } ?? "—",
                    cv: i.dispersion.map { NumberText.fixed($0.cv, 3) } ?? (i.error?.message(lang) ?? "—"),
                    limit: NumberText.fixed(i.cvLimit, 2),
                    passed: i.passed, passedText: i.passed ? "true" : "false",
                    verdict: verdict(i.passed))
            },
            failing: s.failingSchools.map { c in
                Failing(
                    code: c.school.code, name: c.school.name, met: c.met,
                    gaps: c.gaps.map { g in
                        Gap(
                            text: g.text(lang), indicator: IndicatorDefinition.catalogue[g.indicator]?.name(lang) ?? g.indicator,
                            tolerated: g.withinTolerance)
                    })
            },
            hasFailing: !s.failingSchools.isEmpty,
            charts: s.indicators.map { i in
                Chart(
                    svg: IndicatorChart.svg(
                        title: i.definition.name(lang),
                        values: s.schools.map { ($0.school.name, $0.value(i.id) ?? 0) },
                        threshold: i.threshold, unit: lang == .zh ? i.definition.unitZh : i.definition.unitEn))
            },
            schoolRows: s.schools.map { c in
                SchoolRow(
                    code: c.school.code, name: c.school.name, students: NumberText.plain(c.students), met: c.met,
                    passed: c.passed ?? true, verdict: c.passed.map(verdict) ?? "—",
                    values: c.values.map { Value(value: NumberText.fixed($0.value, 2)) })
            },
            indicatorHeads: s.indicators.map { NameRow(name: $0.definition.name(lang)) })
    }
}

/// A city's or province's counties with verdicts and worst CVs (the `{{#rollup}}` section).
struct RollupView: Sendable {
    struct Worst: Sendable {
        var stage: String
        var indicator: String
        var cv: String
        /// Above the stage's CV limit.
        var over: Bool
    }

    struct County: Sendable {
        var code: String
        var name: String
        var href: String
        var passed: Bool
        var verdict: String
        var schools: Int
        var failing: Int
        var worst: [Worst]
    }

    var programmeName: String
    var year: Int
    var countiesTotal: Int
    var countiesPassed: Int
    var counties: [County]

    init(_ r: RegionRollup, lang: Language) {
        let t = Strings.shared
        programmeName = r.programme.name(lang)
        year = r.year
        countiesTotal = r.counties.count
        countiesPassed = r.passedCount
        counties = r.counties.map { c in
            County(
                code: c.region.code, name: c.region.name,
                href: "/regions/\(c.region.code)?year=\(r.year)&programme=\(r.programme.id)",
                passed: c.passed, verdict: t(c.passed ? "pass" : "fail", lang),
                schools: c.schools, failing: c.failingSchools,
                worst: c.worst.map { w in
                    Worst(
                        stage: w.stage.label(lang), indicator: IndicatorDefinition.catalogue[w.indicator]?.name(lang) ?? w.indicator,
                        cv: NumberText.fixed(w.cv, 3), over: !Tolerance.atMost(w.cv, w.limit))
                })
        }
    }
}
