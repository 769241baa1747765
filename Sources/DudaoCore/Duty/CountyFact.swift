/// One fact a county reports per year for the government-duty evaluation (SPEC §3.5), beside
/// its schools' returns. Ids are the canonical file columns; absent means unknown, never zero.
public enum CountyFact: String, CaseIterable, Sendable, Codable, Hashable {
    /// 学前三年适龄人口: children of kindergarten age (three year groups).
    case preschoolAgePopulation = "preschool_age_population"
    /// 一般公共预算教育支出 this year and last year, in 10,000 yuan (万元).
    case educationSpending = "education_spending_10k_yuan"
    case educationSpendingPrev = "education_spending_prev_10k_yuan"
    /// 生均一般公共预算教育支出 this year and last year, in yuan.
    case perStudentSpending = "per_student_education_spending_yuan"
    case perStudentSpendingPrev = "per_student_education_spending_prev_yuan"
    /// 教师平均工资收入 and 当地公务员平均工资收入, yuan per year.
    case teacherAveragePay = "teacher_average_pay_yuan"
    case civilServantAveragePay = "civil_servant_average_pay_yuan"

    public var zh: String {
        switch self {
        case .preschoolAgePopulation: "学前三年适龄人口"
        case .educationSpending: "一般公共预算教育支出（万元）"
        case .educationSpendingPrev: "上年一般公共预算教育支出（万元）"
        case .perStudentSpending: "生均一般公共预算教育支出（元）"
        case .perStudentSpendingPrev: "上年生均一般公共预算教育支出（元）"
        case .teacherAveragePay: "中小学教师平均工资收入（元）"
        case .civilServantAveragePay: "当地公务员平均工资收入（元）"
        }
    }

    public var en: String {
        switch self {
        case .preschoolAgePopulation: "children of preschool age (three years)"
        case .educationSpending: "budget education spending (10k yuan)"
        case .educationSpendingPrev: "budget education spending last year (10k yuan)"
        case .perStudentSpending: "per-student budget education spending (yuan)"
        case .perStudentSpendingPrev: "per-student budget education spending last year (yuan)"
        case .teacherAveragePay: "teachers' average pay (yuan)"
        case .civilServantAveragePay: "local civil servants' average pay (yuan)"
        }
    }

    /// Population is a count; money may have decimals.
    public var isCount: Bool { self == .preschoolAgePopulation }

    /// The one parser for a county fact from a file, form or JSON: finite, 0…10¹², whole for counts.
    public func parse(_ raw: String) throws(FieldError) -> Double {
        try Checked.number(raw, field: rawValue, label: (zh, en), in: 0...ReturnField.maxValue, whole: isCount)
    }

    public func check(_ value: Double) throws(FieldError) -> Double {
        try Checked.number(value, field: rawValue, in: 0...ReturnField.maxValue, whole: isCount)
    }
}

/// A county's facts for one year.
public struct CountyFacts: Sendable, Hashable, Codable {
    public var countyCode: String
    public var year: Int
    public var values: [CountyFact: Double]

    public init(countyCode: String, year: Int, values: [CountyFact: Double] = [:]) {
        self.countyCode = countyCode
        self.year = year
        self.values = values
    }

    public subscript(fact: CountyFact) -> Double? {
        get { values[fact] }
        set { values[fact] = newValue }
    }
}
