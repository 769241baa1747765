import DudaoCore
import DudaoFiles
import DudaoStore

/// The JSON of a county's duty evaluation (`dudao evaluate --programme county-duty --format
/// json`, `GET /api/v1/regions/{code}/duty`). Ratios are fractions (0.1725); `display` is the
/// published form ("17.25%"); `passed` is null when a fact is missing (named in `missing`) or
/// the denominator is zero (`error`).
public struct DutyEvaluationDTO: Encodable, Sendable {
    public struct Indicator: Encodable, Sendable {
        var id: String
        var name: String
        var value: Double?
        var numerator: Double?
        var denominator: Double?
        var display: String?
        var target: Double
        var target_display: String
        var direction: String
        var passed: Bool?
        var missing: [String]
        var error: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case id, name, value, numerator, denominator, display, target, target_display, direction, passed, missing, error, note
        }

        /// Unknown figures are explicit nulls (a reader can tell "not computed" from "absent").
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(name, forKey: .name)
            try c.encode(value, forKey: .value)
            try c.encode(numerator, forKey: .numerator)
            try c.encode(denominator, forKey: .denominator)
            try c.encode(display, forKey: .display)
            try c.encode(target, forKey: .target)
            try c.encode(target_display, forKey: .target_display)
            try c.encode(direction, forKey: .direction)
            try c.encode(passed, forKey: .passed)
            try c.encode(missing, forKey: .missing)
            try c.encode(error, forKey: .error)
            try c.encodeIfPresent(note, forKey: .note)
        }
    }

    public struct Shortfall: Encodable, Sendable {
        var school_code: String
        var school_name: String
        var required_yuan: Double
        var allocated_yuan: Double
        var shortfall_yuan: Double
        var text: String
    }

    var region: String
    var region_name: String
    var year: Int
    var programme: String
    var indicators: [Indicator]
    var public_funds_shortfalls: [Shortfall]
    var passed: Int
    var failed: Int
    var unknown: Int

    public init(_ e: DutyEvaluation, language: Language) {
        region = e.region.code
        region_name = e.region.name
        year = e.year
        programme = e.programme.id
        indicators = e.indicators.map { r in
            let d = e.programme.indicator(r.id)!
            return Indicator(
                id: r.id, name: d.name(language), value: r.value, numerator: r.numerator, denominator: r.denominator,
                display: r.value.map(d.published), target: d.target, target_display: DutyText.target(d),
                direction: d.direction.rawValue, passed: r.passed, missing: r.missing.map(\.id), error: r.error, note: d.note)
        }
        public_funds_shortfalls = e.shortfalls.map {
            Shortfall(
                school_code: $0.school.code, school_name: $0.school.name, required_yuan: $0.requiredYuan, allocated_yuan: $0.allocatedYuan,
                shortfall_yuan: $0.shortfallYuan, text: DutyText.shortfall($0, language))
        }
        passed = e.indicators.filter { $0.passed == true }.count
        failed = e.indicators.filter { $0.passed == false }.count
        unknown = e.indicators.filter { $0.passed == nil }.count
    }
}

/// A city's or province's counties on each duty indicator, ranked.
public struct DutyRollupDTO: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        var county: String
        var name: String
        var value: Double?
        var display: String?
        var passed: Bool?
        var rank: Int?
    }

    struct Ranking: Encodable, Sendable {
        var id: String
        var name: String
        var target_display: String
        var counties: [Entry]
    }

    var region: String
    var year: Int
    var programme: String
    var rankings: [Ranking]
    var counties: [DutyEvaluationDTO]

    public init(_ r: DutyRollup, language: Language) {
        region = r.region.code
        year = r.year
        programme = r.programme.id
        rankings = r.programme.indicators.map { d in
            Ranking(
                id: d.id, name: d.name(language), target_display: DutyText.target(d),
                counties: (r.rankings[d.id] ?? []).map {
                    Entry(
                        county: $0.county.code, name: $0.county.name, value: $0.value, display: $0.value.map(d.published),
                        passed: $0.passed, rank: $0.rank)
                })
        }
        counties = r.counties.map { DutyEvaluationDTO($0, language: language) }
    }
}

/// Duty results in words and tables (CLI, pages, report).
public enum DutyText {
    public static func target(_ d: DutyIndicator) -> String {
        (d.direction == .atLeast ? "≥ " : "≤ ") + d.published(d.target)
    }

    public static func shortfall(_ s: PublicFundsShortfall, _ lang: Language) -> String {
        let need = NumberText.fixed(s.requiredYuan, 0), got = NumberText.fixed(s.allocatedYuan, 0), gap = NumberText.fixed(s.shortfallYuan, 0)
        return lang == .zh
            ? "\(s.school.name)应拨生均公用经费 \(need) 元，实拨 \(got) 元，少拨 \(gap) 元"
            : "\(s.school.name): required \(need) yuan of public funds, allocated \(got), short by \(gap)"
    }

    /// What a failed or unknown indicator means, in a sentence.
    public static func problem(_ r: DutyIndicatorResult, _ d: DutyIndicator, _ lang: Language) -> String? {
        if let error = r.error { return "\(d.name(lang))：\(error)" }
        if !r.missing.isEmpty {
            return lang == .zh
                ? "\(d.name(lang))：缺少数据 \(r.missing.map { $0.text(lang) }.joined(separator: "、"))"
                : "\(d.name(lang)): missing \(r.missing.map { $0.text(lang) }.joined(separator: ", "))"
        }
        guard r.passed == false, let v = r.value else { return nil }
        if d.isPublicFunds {
            // The county total may exceed what is required while single schools are short.
            return lang == .zh
                ? "\(d.name(lang))：有学校未按标准足额拨付（全县实拨为应拨的 \(d.published(v))）"
                : "\(d.name(lang)): some schools received less than the standard (county total \(d.published(v)) of required)"
        }
        return lang == .zh
            ? "\(d.name(lang))为 \(d.published(v))，未达到目标（\(target(d))）"
            : "\(d.name(lang)) is \(d.published(v)), target \(target(d)) not met"
    }

    /// One table: indicator, value, target, verdict.
    public static func table(_ e: DutyEvaluation, _ lang: Language) -> Table {
        let zh = lang == .zh
        let rows: [[String]] = e.indicators.map { r in
            let d = e.programme.indicator(r.id)!
            let verdict = r.passed.map { $0 ? (zh ? "达标" : "pass") : (zh ? "未达标" : "fail") } ?? (zh ? "无法计算" : "unknown")
            let why = r.passed == nil ? problem(r, d, lang) ?? "" : ""
            return [d.id, d.name(lang), r.value.map(d.published) ?? "—", target(d), verdict, why]
        }
        return Table(
            name: "\(e.region.name) \(e.year)",
            header: zh ? ["编号", "指标", "数值", "目标", "结论", "说明"] : ["id", "indicator", "value", "target", "verdict", "note"], rows: rows)
    }

    /// Counties ranked on one indicator per block: rank, county, value, verdict.
    public static func rankings(_ r: DutyRollup, _ lang: Language) -> Table {
        let zh = lang == .zh
        var rows: [[String]] = []
        for d in r.programme.indicators {
            for entry in r.rankings[d.id] ?? [] {
                rows.append([
                    d.name(lang), entry.rank.map(String.init) ?? "—", entry.county.code, entry.county.name,
                    entry.value.map(d.published) ?? "—",
                    entry.passed.map { $0 ? (zh ? "达标" : "pass") : (zh ? "未达标" : "fail") } ?? (zh ? "无法计算" : "unknown"),
                ])
            }
        }
        return Table(
            name: zh ? "区县排名" : "County rankings",
            header: zh ? ["指标", "名次", "区县代码", "区县", "数值", "结论"] : ["indicator", "rank", "code", "county", "value", "verdict"], rows: rows)
    }
}
