import DudaoApp
import DudaoCore
import DudaoStore

/// The duty page: a county's indicators, or its counties ranked.
struct DutyPage: Sendable {
    struct Indicator: Sendable {
        var id: String
        var name: String
        var value: String
        var target: String
        /// `pass`, `fail` or `unknown` (CSS class and test hook).
        var state: String
        var verdict: String
        /// Why it could not be computed, or what a failure means, in words.
        var problem: String?
        var note: String?
    }

    struct Entry: Sendable {
        var rank: String
        var code: String
        var name: String
        var value: String
        var state: String
    }

    struct Ranking: Sendable {
        var id: String
        var name: String
        var target: String
        var counties: [Entry]
    }

    var region: Region
    var year: Int
    var years: [YearOption]
    var programmeName: String
    var isCounty: Bool
    var indicators: [Indicator]
    var passed: Int
    var failed: Int
    var unknown: Int
    var shortfalls: [String]
    var hasShortfalls: Bool
    var rankings: [Ranking]

    init(_ result: DutyEvaluationService.Result, region: Region, years: [Int], lang: Language) {
        let t = Strings.shared
        func verdict(_ passed: Bool?) -> (state: String, text: String) {
            switch passed {
            case true?: ("pass", t("pass", lang))
            case false?: ("fail", t("fail", lang))
            case nil: ("unknown", t("cannotCompute", lang))
            }
        }
        self.region = region
        switch result {
        case .county(let e):
            year = e.year
            programmeName = e.programme.name(lang)
            isCounty = true
            indicators = e.indicators.map { r in
                let d = e.programme.indicator(r.id)!
                let v = verdict(r.passed)
                return Indicator(
                    id: r.id, name: d.name(lang), value: r.value.map(d.published) ?? "—", target: DutyText.target(d), state: v.state,
                    verdict: v.text, problem: DutyText.problem(r, d, lang), note: d.note)
            }
            passed = e.indicators.filter { $0.passed == true }.count
            failed = e.indicators.filter { $0.passed == false }.count
            unknown = e.indicators.filter { $0.passed == nil }.count
            shortfalls = e.shortfalls.map { DutyText.shortfall($0, lang) }
            rankings = []
        case .rollup(let r):
            year = r.year
            programmeName = r.programme.name(lang)
            isCounty = false
            indicators = []
            passed = 0
            failed = 0
            unknown = 0
            shortfalls = []
            rankings = r.programme.indicators.map { d in
                Ranking(
                    id: d.id, name: d.name(lang), target: DutyText.target(d),
                    counties: (r.rankings[d.id] ?? []).map { e in
                        Entry(
                            rank: e.rank.map(String.init) ?? "—", code: e.county.code, name: e.county.name,
                            value: e.value.map(d.published) ?? "—", state: verdict(e.passed).state)
                    })
            }
        }
        hasShortfalls = !shortfalls.isEmpty
        let shown = year
        self.years = years.map { YearOption(year: $0, selected: $0 == shown) }
    }
}
