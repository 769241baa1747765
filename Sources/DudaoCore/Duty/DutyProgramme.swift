import Foundation

/// A government-duty programme (`Resources/duty/*.json`, SPEC §3.5): indicators computed from
/// the county's school returns and county facts, each with a target and a direction.
public struct DutyProgramme: Sendable, Decodable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    public var source: String
    public var indicators: [DutyIndicator]
    public var publicFunds: PublicFundsStandard

    public func name(_ lang: Language) -> String { lang == .zh ? nameZh : nameEn }

    enum CodingKeys: String, CodingKey {
        case id, source, indicators
        case nameZh = "name_zh", nameEn = "name_en", publicFunds = "public_funds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        nameZh = try c.decode(String.self, forKey: .nameZh)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        source = try c.decode(String.self, forKey: .source)
        indicators = try c.decode([DutyIndicator].self, forKey: .indicators)
        publicFunds = try c.decode(PublicFundsStandard.self, forKey: .publicFunds)
        var seen = Set<String>()
        for i in indicators where !seen.insert(i.id).inserted {
            throw DecodingError.dataCorruptedError(forKey: .indicators, in: c, debugDescription: "indicator \(i.id) appears twice")
        }
    }

    public func indicator(_ id: String) -> DutyIndicator? { indicators.first { $0.id == id } }

    /// The shipped programmes.
    public static let builtIn: [DutyProgramme] = CoreResources.loadAll("duty") { try JSONDecoder().decode(DutyProgramme.self, from: $0) }

    public static func programme(id: String) -> DutyProgramme? { builtIn.first { $0.id == id } }

    /// The shipped county-duty programme (SPEC §3.5), which sheets and the report read.
    public static let countyDuty: DutyProgramme = {
        guard let p = programme(id: "county-duty") else { fatalError("the shipped duty/county-duty.json is missing") }
        return p
    }()
}

/// One indicator: `numerator ÷ denominator` against `target`.
public struct DutyIndicator: Sendable, Decodable {
    public enum Direction: String, Sendable, Decodable {
        /// Passes when the value is at least the target (boundary included).
        case atLeast = "at_least"
        /// Passes when the value is at most the target (boundary included).
        case atMost = "at_most"
    }

    public enum Display: String, Sendable, Decodable {
        /// A fraction shown as a percentage with two decimals ("17.25%").
        case percent
    }

    public var id: String
    public var nameZh: String
    public var nameEn: String
    /// nil for the public-funds indicator, which is computed per school.
    public var numerator: DutyAggregate?
    public var denominator: DutyAggregate?
    public var isPublicFunds: Bool
    public var target: Double
    public var direction: Direction
    public var display: Display
    /// Decimals of the published percentage (2 unless the programme says otherwise).
    public var precision: Int
    public var note: String?

    /// The figure as officials publish it ("17.25%").
    public func published(_ value: Double) -> String { NumberText.percent(value, decimals: precision) }

    public func name(_ lang: Language) -> String { lang == .zh ? nameZh : nameEn }

    public func passes(_ value: Double) -> Bool {
        switch direction {
        case .atLeast: Tolerance.atLeast(value, target)
        case .atMost: Tolerance.atMost(value, target)
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, numerator, denominator, target, direction, display, note, precision
        case nameZh = "name_zh", nameEn = "name_en", publicFunds = "public_funds"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        nameZh = try c.decode(String.self, forKey: .nameZh)
        nameEn = try c.decode(String.self, forKey: .nameEn)
        isPublicFunds = try c.decodeIfPresent(Bool.self, forKey: .publicFunds) ?? false
        numerator = try c.decodeIfPresent(DutyAggregate.self, forKey: .numerator)
        denominator = try c.decodeIfPresent(DutyAggregate.self, forKey: .denominator)
        target = try c.decode(Double.self, forKey: .target)
        direction = try c.decode(Direction.self, forKey: .direction)
        display = try c.decodeIfPresent(Display.self, forKey: .display) ?? .percent
        precision = try c.decodeIfPresent(Int.self, forKey: .precision) ?? 2
        guard (0...4).contains(precision) else {
            throw DecodingError.dataCorruptedError(forKey: .precision, in: c, debugDescription: "\(id): precision must be 0…4 decimals")
        }
        note = try c.decodeIfPresent(String.self, forKey: .note)
        if !isPublicFunds && (numerator == nil || denominator == nil) {
            throw DecodingError.dataCorruptedError(forKey: .numerator, in: c, debugDescription: "\(id): numerator and denominator are required")
        }
    }
}

/// A figure aggregated for one county: a sum of an expression over return rows, a count of
/// schools, or an expression over county facts.
public enum DutyAggregate: Sendable, Decodable {
    /// Σ `expression` over the county's stage rows of year Y + `yearOffset` where `condition` holds.
    case sum(Expression, where: Condition?, yearOffset: Int)
    /// Schools with at least one stage row where `condition` holds.
    case countSchools(where: Condition?, yearOffset: Int)
    /// An expression over the county's facts (`CountyFact` ids).
    case fact(Expression)

    enum CodingKeys: String, CodingKey {
        case sum, count, fact, `where`
        case yearOffset = "year_offset"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func expression(_ key: CodingKeys, known: Set<String>) throws -> Expression {
            let text = try c.decode(String.self, forKey: key)
            let e: Expression
            do { e = try Expression.parse(text) } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: error.description)
            }
            if let unknown = e.variables.subtracting(known).sorted().first {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "unknown name \(unknown) in '\(text)'")
            }
            return e
        }
        var condition: Condition?
        if let text = try c.decodeIfPresent(String.self, forKey: .where) {
            do { condition = try Condition.parse(text) } catch {
                throw DecodingError.dataCorruptedError(forKey: .where, in: c, debugDescription: error.description)
            }
            let known = Set(ReturnField.allCases.map(\.rawValue)).union(DutyRow.stringNames)
            if let unknown = condition!.variables.subtracting(known).sorted().first {
                throw DecodingError.dataCorruptedError(forKey: .where, in: c, debugDescription: "unknown name \(unknown) in '\(text)'")
            }
        }
        let offset = try c.decodeIfPresent(Int.self, forKey: .yearOffset) ?? 0
        guard (-20...0).contains(offset) else {
            throw DecodingError.dataCorruptedError(forKey: .yearOffset, in: c, debugDescription: "year_offset must be between -20 and 0")
        }
        if c.contains(.sum) {
            self = .sum(try expression(.sum, known: Set(ReturnField.allCases.map(\.rawValue))), where: condition, yearOffset: offset)
        } else if let what = try c.decodeIfPresent(String.self, forKey: .count) {
            guard what == "schools" else {
                throw DecodingError.dataCorruptedError(forKey: .count, in: c, debugDescription: "only schools are counted")
            }
            self = .countSchools(where: condition, yearOffset: offset)
        } else if c.contains(.fact) {
            self = .fact(try expression(.fact, known: Set(CountyFact.allCases.map(\.rawValue))))
        } else {
            throw DecodingError.dataCorruptedError(forKey: .sum, in: c, debugDescription: "an aggregate is a sum, a count or a fact")
        }
    }

    /// Years before the evaluated one this figure reads (0 or negative).
    public var offset: Int { yearOffset }

    var yearOffset: Int {
        switch self {
        case .sum(_, _, let o), .countSchools(_, let o): o
        case .fact: 0
        }
    }
}

/// The per-student public-funds standard (生均公用经费基准定额), all amounts programme data.
public struct PublicFundsStandard: Sendable, Decodable {
    public var perStudentYuan: [Stage: Double]
    public var perBoarderYuan: Double
    public var perDisabledStudentYuan: Double
    public var smallRuralSchoolFloor: Double

    enum CodingKeys: String, CodingKey {
        case perStudentYuan = "per_student_yuan", perBoarderYuan = "per_boarder_yuan"
        case perDisabledStudentYuan = "per_disabled_student_yuan", smallRuralSchoolFloor = "small_rural_school_floor"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let rates = try c.decode([String: Double].self, forKey: .perStudentYuan)
        var byStage: [Stage: Double] = [:]
        for (key, value) in rates {
            guard let stage = Stage(rawValue: key) else {
                throw DecodingError.dataCorruptedError(forKey: .perStudentYuan, in: c, debugDescription: "unknown stage \(key)")
            }
            byStage[stage] = value
        }
        perStudentYuan = byStage
        perBoarderYuan = try c.decode(Double.self, forKey: .perBoarderYuan)
        perDisabledStudentYuan = try c.decode(Double.self, forKey: .perDisabledStudentYuan)
        smallRuralSchoolFloor = try c.decode(Double.self, forKey: .smallRuralSchoolFloor)
    }

    public init(perStudentYuan: [Stage: Double], perBoarderYuan: Double, perDisabledStudentYuan: Double, smallRuralSchoolFloor: Double) {
        self.perStudentYuan = perStudentYuan
        self.perBoarderYuan = perBoarderYuan
        self.perDisabledStudentYuan = perDisabledStudentYuan
        self.smallRuralSchoolFloor = smallRuralSchoolFloor
    }
}
