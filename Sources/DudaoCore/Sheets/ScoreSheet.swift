import Foundation

/// A scored item sheet (评分表, SPEC §3.2, §3.3, §3.5, §3.6) as shipped in
/// `Resources/sheets/*.json`: items with a maximum score or a met/not-met standard, a weight,
/// how each is checked (看听议访查), veto items (一票否决), and items whose answer Dudao computes
/// from returns, duty indicators or its own records.
public struct ScoreSheet: Sendable, Decodable {
    public enum Scoring: String, Sendable, Decodable {
        /// Every item must be met (quality-2017 parts): the part passes when all are.
        case passFail = "pass_fail"
        /// Items carry points; the sheet passes at `passTotal` (basic-2012 promotion ≥ 85).
        case points
    }

    /// How an item is checked: 看 (look at), 听 (listen to), 议 (discuss), 访 (visit), 查 (check records).
    public enum Method: String, Sendable, Decodable, CaseIterable {
        case look, listen, discuss, visit, check

        public var zh: String {
            switch self {
            case .look: "看"
            case .listen: "听"
            case .discuss: "议"
            case .visit: "访"
            case .check: "查"
            }
        }
    }

    /// Who scores a region's sheet: its own office and those above (self-evaluation, review),
    /// or only offices above it (an assessment: nobody marks their own).
    public enum ScoredBy: String, Sendable, Decodable {
        case selfAndAbove = "self_and_above"
        case above
    }

    public struct Grade: Sendable, Decodable {
        /// Lowest total of the band (inclusive).
        public var min: Double
        public var zh: String
        public var en: String
    }

    public struct Area: Sendable, Decodable {
        public var id: String
        public var nameZh: String
        public var nameEn: String

        enum CodingKeys: String, CodingKey {
            case id
            case nameZh = "name_zh", nameEn = "name_en"
        }
    }

    public var id: String
    public var nameZh: String
    public var nameEn: String
    /// The programme and the part of it this sheet completes (nil: a sheet on its own, e.g. an
    /// annual assessment).
    public var programme: String?
    public var part: String?
    public var source: String
    /// Whether item texts are the official wording or Dudao's summary of it (and what to check).
    public var wording: String
    public var scoring: Scoring
    public var scoredBy: ScoredBy
    public var passTotal: Double?
    public var grades: [Grade]
    public var areas: [Area]
    public var items: [ScoreItem]

    public func name(_ lang: Language) -> String { lang == .zh ? nameZh : nameEn }
    public func item(_ id: String) -> ScoreItem? { items.first { $0.id == id } }

    /// Σ weights: the total a sheet scored in full reaches (100 for points sheets).
    public var maxTotal: Double { items.reduce(0) { $0 + $1.weight } }

    enum CodingKeys: String, CodingKey {
        case id, programme, part, source, wording, scoring, grades, areas, items
        case nameZh = "name_zh", nameEn = "name_en", passTotal = "pass_total", scoredBy = "scored_by"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        nameZh = try c.decode(String.self, forKey: .nameZh)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        programme = try c.decodeIfPresent(String.self, forKey: .programme)
        part = try c.decodeIfPresent(String.self, forKey: .part)
        source = try c.decode(String.self, forKey: .source)
        wording = try c.decode(String.self, forKey: .wording)
        scoring = try c.decode(Scoring.self, forKey: .scoring)
        scoredBy = try c.decodeIfPresent(ScoredBy.self, forKey: .scoredBy) ?? .selfAndAbove
        passTotal = try c.decodeIfPresent(Double.self, forKey: .passTotal)
        grades = (try c.decodeIfPresent([Grade].self, forKey: .grades) ?? []).sorted { $0.min > $1.min }
        areas = try c.decodeIfPresent([Area].self, forKey: .areas) ?? []
        items = try c.decode([ScoreItem].self, forKey: .items)
        func fail(_ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: .items, in: c, debugDescription: "\(id): \(message)")
        }
        var seen = Set<String>()
        for item in items {
            guard seen.insert(item.id).inserted else { throw fail("item \(item.id) appears twice") }
            if scoring == .points && item.max == nil && !item.veto { throw fail("item \(item.id) needs a max score") }
            if let area = item.area, !areas.contains(where: { $0.id == area }) { throw fail("item \(item.id): unknown area \(area)") }
        }
        if scoring == .points {
            guard let passTotal, passTotal > 0 else { throw fail("a points sheet needs pass_total") }
            guard abs(maxTotal - 100) < 1e-9 else { throw fail("weights add up to \(maxTotal), not 100") }
        }
    }

    /// The shipped sheets.
    public static let builtIn: [ScoreSheet] = CoreResources.loadAll("sheets") { try JSONDecoder().decode(ScoreSheet.self, from: $0) }

    public static func sheet(id: String) -> ScoreSheet? { builtIn.first { $0.id == id } }

    /// The sheet that completes a programme's pending part, if one ships.
    public static func sheet(programme: String, part: String) -> ScoreSheet? {
        builtIn.first { $0.programme == programme && $0.part == part }
    }
}

/// One item of a sheet.
public struct ScoreItem: Sendable, Decodable {
    public var id: String
    public var area: String?
    public var textZh: String
    public var textEn: String
    /// Points (points sheets); nil on pass/fail sheets.
    public var max: Double?
    /// Its share of the sheet's total (default: `max`; pass/fail items: 1).
    public var weight: Double
    public var methods: [ScoreSheet.Method]
    /// A veto item (一票否决): when it is triggered the whole sheet fails.
    public var veto: Bool
    public var computed: ComputedCheck?
    /// Points taken off automatically per record counted (annual assessments).
    public var deduction: Deduction?

    public func text(_ lang: Language) -> String { lang == .zh ? textZh : textEn }

    public struct Deduction: Sendable, Decodable {
        public enum Source: String, Sendable, Decodable {
            /// Rectification cases of the region past their deadline and not closed (as of the end of the period).
            case overdueRectifications = "overdue_rectifications"
        }

        public var source: Source
        public var per: Double
    }

    enum CodingKeys: String, CodingKey {
        case id, area, max, weight, methods, veto, computed, deduction
        case textZh = "text_zh", textEn = "text_en"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        area = try c.decodeIfPresent(String.self, forKey: .area)
        textZh = try c.decode(String.self, forKey: .textZh)
        textEn = try c.decode(String.self, forKey: .textEn)
        max = try c.decodeIfPresent(Double.self, forKey: .max)
        veto = try c.decodeIfPresent(Bool.self, forKey: .veto) ?? false
        // A veto item without points weighs nothing: it can only fail the whole sheet.
        weight = try c.decodeIfPresent(Double.self, forKey: .weight) ?? max ?? (veto ? 0 : 1)
        methods = try c.decodeIfPresent([ScoreSheet.Method].self, forKey: .methods) ?? []
        computed = try c.decodeIfPresent(ComputedCheck.self, forKey: .computed)
        deduction = try c.decodeIfPresent(Deduction.self, forKey: .deduction)
        if let max, !(max > 0) { throw DecodingError.dataCorruptedError(forKey: .max, in: c, debugDescription: "\(id): max must be > 0") }
        if !(weight > 0) && !(veto && weight == 0) {
            throw DecodingError.dataCorruptedError(forKey: .weight, in: c, debugDescription: "\(id): weight must be > 0")
        }
    }
}

/// An item Dudao answers from data: a duty indicator's verdict, or a condition every school
/// of some kind must meet (on the school's totals over its stage rows).
public enum ComputedCheck: Sendable, Decodable {
    case indicator(String)
    /// On each school's totals over its stage rows (sizes, funds).
    case everySchool(Condition, where: Condition?)
    /// On each stage row as reported (largest class of the stage).
    case everyRow(Condition, where: Condition?)
    /// The county's satisfaction rate from its closed satisfaction surveys of the year, at least this fraction.
    case satisfaction(Double)

    enum CodingKeys: String, CodingKey {
        case indicator
        case everySchool = "every_school"
        case everyRow = "every_row"
        case satisfaction
        case `where`
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func condition(_ key: CodingKeys) throws -> Condition? {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
            let parsed: Condition
            do { parsed = try Condition.parse(text) } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: error.description)
            }
            let known = Set(ReturnField.allCases.map(\.rawValue)).union(DutyRow.stringNames)
            if let unknown = parsed.variables.subtracting(known).sorted().first {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unknown name \(unknown) in '\(text)'")
            }
            return parsed
        }
        if let id = try c.decodeIfPresent(String.self, forKey: .indicator) {
            self = .indicator(id)
        } else if let least = try c.decodeIfPresent(Double.self, forKey: .satisfaction) {
            guard (0...1).contains(least) else {
                throw DecodingError.dataCorruptedError(forKey: .satisfaction, in: c, debugDescription: "satisfaction is a fraction 0…1")
            }
            self = .satisfaction(least)
        } else if let check = try condition(.everySchool) {
            self = .everySchool(check, where: try condition(.where))
        } else if let check = try condition(.everyRow) {
            self = .everyRow(check, where: try condition(.where))
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .indicator, in: c, debugDescription: "computed: indicator, every_school, every_row or satisfaction")
        }
    }
}
