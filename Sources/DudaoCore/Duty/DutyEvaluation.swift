/// A return row as a `where` condition sees it: its facts as numbers, and its stage and its
/// school's ownership, type and locality as strings.
struct DutyRow {
    static let stringNames: Set<String> = ["stage", "ownership", "type", "locality"]

    let data: StageReturn
    let school: School

    func number(_ name: String) -> Double? { ReturnField(rawValue: name).flatMap { data[$0] } }

    func string(_ name: String) -> String? {
        switch name {
        case "stage": data.stage?.rawValue
        case "ownership": school.ownership.rawValue
        case "type": school.type.rawValue
        case "locality": school.locality.rawValue
        default: nil
        }
    }
}

/// What the evaluation of one county reads.
public struct DutyInputs: Sendable {
    public var region: Region
    public var year: Int
    public var schools: [School]
    /// The county's return rows by year (year Y and the earlier years the indicators pair with).
    public var returns: [Int: [StageReturn]]
    public var facts: CountyFacts?

    public init(region: Region, year: Int, schools: [School], returns: [Int: [StageReturn]], facts: CountyFacts?) {
        self.region = region
        self.year = year
        self.schools = schools
        self.returns = returns
        self.facts = facts
    }
}

/// A fact an indicator needs and does not have: a return field (with how many schools lack it,
/// and the year when it is not the evaluated one), a county fact, or a year's returns.
public struct MissingFact: Sendable, Hashable, Comparable {
    /// A `ReturnField` or `CountyFact` id, or `returns`.
    public var name: String
    public var year: Int?
    public var schools: Int?

    public init(name: String, year: Int? = nil, schools: Int? = nil) {
        self.name = name
        self.year = year
        self.schools = schools
    }

    /// Stable text for JSON and logs: "lunch_students_served (3 schools)", "entrants of 2019 (2 schools)",
    /// "returns of 2019", "preschool_age_population".
    public var id: String {
        name + (year.map { " of \($0)" } ?? "") + (schools.map { " (\($0) schools)" } ?? "")
    }

    /// For people: "已享受午餐服务学生数（3所学校缺）", "2019年统计数据".
    public func text(_ lang: Language) -> String {
        let label =
            name == "returns"
            ? (lang == .zh ? "统计数据" : "returns")
            : ReturnField(rawValue: name).map { lang == .zh ? $0.zh : $0.en } ?? CountyFact(rawValue: name).map { lang == .zh ? $0.zh : $0.en }
                ?? name
        let year = self.year.map { lang == .zh ? "\($0)年" : "\($0) " } ?? ""
        let schools = self.schools.map { lang == .zh ? "（\($0)所学校缺）" : " (\($0) schools lack it)" } ?? ""
        return year + label + schools
    }

    public static func < (a: MissingFact, b: MissingFact) -> Bool { a.id < b.id }
}

/// One indicator of one county: the figure, its parts and the verdict. `value` and `passed`
/// are nil when a fact is missing (named in `missing`) or the denominator is zero (`error`).
public struct DutyIndicatorResult: Sendable, Hashable {
    public var id: String
    public var numerator: Double?
    public var denominator: Double?
    public var value: Double?
    public var passed: Bool?
    /// Facts that are missing.
    public var missing: [MissingFact]
    public var error: String?
}

/// A school allocated less than the standard requires.
public struct PublicFundsShortfall: Sendable, Hashable {
    public var school: School
    public var requiredYuan: Double
    public var allocatedYuan: Double
    public var shortfallYuan: Double { requiredYuan - allocatedYuan }
}

/// The duty evaluation of one county for one year.
public struct DutyEvaluation: Sendable {
    public var programme: DutyProgramme
    public var region: Region
    public var year: Int
    public var indicators: [DutyIndicatorResult]
    public var shortfalls: [PublicFundsShortfall]

    public func result(_ id: String) -> DutyIndicatorResult? { indicators.first { $0.id == id } }

    /// Indicators computed and failed.
    public var failed: [DutyIndicatorResult] { indicators.filter { $0.passed == false } }
}

public enum DutyEvaluator {
    public static func evaluate(_ programme: DutyProgramme, _ input: DutyInputs) -> DutyEvaluation {
        let schools = Dictionary(input.schools.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func rows(offset: Int) -> [DutyRow] {
            (input.returns[input.year + offset] ?? []).compactMap { r in
                guard r.stage != nil, let school = schools[r.schoolCode] else { return nil }
                return DutyRow(data: r, school: school)
            }
        }
        var shortfalls: [PublicFundsShortfall] = []
        let results = programme.indicators.map { indicator -> DutyIndicatorResult in
            if indicator.isPublicFunds {
                let (result, short) = publicFunds(indicator, programme.publicFunds, input: input, schools: schools)
                shortfalls = short
                return result
            }
            let n = aggregate(indicator.numerator!, rows: rows, facts: input.facts, year: input.year)
            let d = aggregate(indicator.denominator!, rows: rows, facts: input.facts, year: input.year)
            return verdict(indicator, numerator: n, denominator: d)
        }
        return DutyEvaluation(programme: programme, region: input.region, year: input.year, indicators: results, shortfalls: shortfalls)
    }

    /// A figure, or the facts it lacks.
    struct Figure {
        var value: Double?
        var missing: [MissingFact]
    }

    static func verdict(_ indicator: DutyIndicator, numerator n: Figure, denominator d: Figure) -> DutyIndicatorResult {
        var result = DutyIndicatorResult(
            id: indicator.id, numerator: n.value, denominator: d.value, value: nil, passed: nil,
            missing: Array(Set(n.missing + d.missing)).sorted(), error: nil)
        guard result.missing.isEmpty, let num = n.value, let den = d.value else { return result }
        guard den != 0 else {
            result.error = "denominator is zero / 分母为零"
            return result
        }
        let value = num / den
        result.value = value
        result.passed = indicator.passes(value)
        return result
    }

    static func aggregate(_ aggregate: DutyAggregate, rows: (Int) -> [DutyRow], facts: CountyFacts?, year: Int) -> Figure {
        switch aggregate {
        case .fact(let e):
            let missing = e.variables.filter { name in CountyFact(rawValue: name).flatMap { facts?[$0] } == nil }.sorted().map {
                MissingFact(name: $0)
            }
            guard missing.isEmpty else { return Figure(value: nil, missing: missing) }
            return Figure(value: e.evaluate { CountyFact(rawValue: $0).flatMap { facts?[$0] } }, missing: [])
        case .sum(let e, let condition, let offset):
            var total = 0.0
            var lacking: [String: Set<String>] = [:]
            let all = rows(offset)
            if all.isEmpty { return Figure(value: nil, missing: [MissingFact(name: "returns", year: year + offset)]) }
            for row in all {
                switch holds(condition, row) {
                case .none:
                    for name in condition!.variables where row.number(name) == nil && row.string(name) == nil {
                        lacking[name, default: []].insert(row.school.code)
                    }
                case .some(false): continue
                case .some(true):
                    if let v = e.evaluate(row.number) {
                        total += v
                    } else {
                        for name in e.variables where row.number(name) == nil { lacking[name, default: []].insert(row.school.code) }
                    }
                }
            }
            return lacking.isEmpty
                ? Figure(value: total, missing: []) : Figure(value: nil, missing: describe(lacking, year: offset == 0 ? nil : year + offset))
        case .countSchools(let condition, let offset):
            var counted = Set<String>()
            var lacking: [String: Set<String>] = [:]
            for row in rows(offset) {
                switch holds(condition, row) {
                case .none:
                    for name in condition!.variables where row.number(name) == nil && row.string(name) == nil {
                        lacking[name, default: []].insert(row.school.code)
                    }
                case .some(true): counted.insert(row.school.code)
                case .some(false): continue
                }
            }
            return lacking.isEmpty
                ? Figure(value: Double(counted.count), missing: [])
                : Figure(value: nil, missing: describe(lacking, year: offset == 0 ? nil : year + offset))
        }
    }

    static func holds(_ condition: Condition?, _ row: DutyRow) -> Bool? {
        guard let condition else { return true }
        return condition.evaluate(number: row.number, string: row.string)
    }

    /// Each field lacking, with how many schools lack it (and the year when it is not the evaluated one).
    static func describe(_ lacking: [String: Set<String>], year: Int?) -> [MissingFact] {
        lacking.map { name, schools in MissingFact(name: name, year: year, schools: schools.count) }.sorted()
    }

    /// Required vs allocated per school (SPEC §3.5), over primary and junior rows.
    static func publicFunds(
        _ indicator: DutyIndicator, _ standard: PublicFundsStandard, input: DutyInputs, schools: [String: School]
    )
        -> (DutyIndicatorResult, [PublicFundsShortfall])
    {
        let rows = input.returns[input.year] ?? []
        let bySchool = Dictionary(grouping: rows, by: \.schoolCode)
        var required = 0.0, allocated = 0.0
        var lacking: [String: Set<String>] = [:]
        var shortfalls: [PublicFundsShortfall] = []
        for (code, schoolRows) in bySchool.sorted(by: { $0.key < $1.key }) {
            guard let school = schools[code] else { continue }
            let compulsory = schoolRows.filter { r in r.stage.map { standard.perStudentYuan[$0] != nil } ?? false }
            guard !compulsory.isEmpty else { continue }
            let students = compulsory.reduce(0) { $0 + $1.students }
            // A small rural school is funded as if it had the floor's students, its stages
            // keeping their shares.
            let scale =
                school.locality == .rural && students > 0 && students < standard.smallRuralSchoolFloor ? standard.smallRuralSchoolFloor / students : 1
            var need = 0.0
            for r in compulsory {
                let disabled = r[.disabledInRegularClasses] ?? 0
                let boarders = r[.boarders] ?? 0
                if school.boarding && r[.boarders] == nil { lacking["boarders", default: []].insert(code) }
                need += standard.perStudentYuan[r.stage!]! * (r.students * scale - disabled)
                need += standard.perDisabledStudentYuan * disabled + standard.perBoarderYuan * boarders
            }
            let given = schoolRows.compactMap { $0[.publicFundsAllocatedYuan] }
            guard !given.isEmpty else {
                lacking[ReturnField.publicFundsAllocatedYuan.rawValue, default: []].insert(code)
                continue
            }
            let got = given.reduce(0, +)
            required += need
            allocated += got
            if !Tolerance.atLeast(got, need) {
                shortfalls.append(PublicFundsShortfall(school: school, requiredYuan: need, allocatedYuan: got))
            }
        }
        var result = DutyIndicatorResult(
            id: indicator.id, numerator: allocated, denominator: required, value: nil, passed: nil, missing: describe(lacking, year: nil), error: nil)
        guard result.missing.isEmpty else {
            result.numerator = nil
            result.denominator = nil
            return (result, [])
        }
        guard required > 0 else {
            result.error = "no compulsory-school students / 无义务教育学生"
            return (result, [])
        }
        result.value = allocated / required
        result.passed = shortfalls.isEmpty
        return (result, shortfalls.sorted { $0.shortfallYuan > $1.shortfallYuan })
    }
}

/// A city's or province's counties on the duty indicators, ranked per indicator.
public struct DutyRollup: Sendable {
    public struct Rank: Sendable, Hashable {
        public var county: Region
        public var value: Double?
        public var passed: Bool?
        /// 1 = best; nil when the county has no value.
        public var rank: Int?
    }

    public var programme: DutyProgramme
    public var region: Region
    public var year: Int
    public var counties: [DutyEvaluation]
    /// Per indicator id, the counties best first (those without a value last).
    public var rankings: [String: [Rank]]

    public static func make(programme: DutyProgramme, region: Region, year: Int, counties: [DutyEvaluation]) -> DutyRollup {
        var rankings: [String: [Rank]] = [:]
        for indicator in programme.indicators {
            let rows = counties.map { c in
                let r = c.result(indicator.id)
                return Rank(county: c.region, value: r?.value, passed: r?.passed, rank: nil)
            }
            let valued = rows.filter { $0.value != nil }.sorted { a, b in
                a.value! == b.value!
                    ? a.county.code < b.county.code
                    : (indicator.direction == .atLeast ? a.value! > b.value! : a.value! < b.value!)
            }
            var ranked: [Rank] = []
            for (i, var row) in valued.enumerated() {
                // Equal values share a rank (1, 2, 2, 4).
                row.rank = i > 0 && valued[i - 1].value == row.value ? ranked[i - 1].rank : i + 1
                ranked.append(row)
            }
            rankings[indicator.id] = ranked + rows.filter { $0.value == nil }.sorted { $0.county.code < $1.county.code }
        }
        return DutyRollup(programme: programme, region: region, year: year, counties: counties, rankings: rankings)
    }
}
