/// One fact of an annual return (年度统计数据). Ids are the canonical file columns.
public enum ReturnField: String, CaseIterable, Sendable, Codable, Hashable {
    case students
    case teachers
    case teachersAboveDegree = "teachers_above_degree"
    case teachersMidTitle = "teachers_mid_title"
    case keyTeachers = "key_teachers"
    case peArtTeachers = "pe_art_teachers"
    case teachingAreaM2 = "teaching_area_m2"
    case sportsAreaM2 = "sports_area_m2"
    case instrumentValueYuan = "instrument_value_yuan"
    case computers
    case multimediaClassrooms = "multimedia_classrooms"
    case books
    case boarders
    case entrants
    case graduates
    case classes

    /// Stable position used for array storage in `StageReturn` (a switch: this is on the hot
    /// path of evaluation, where hashing the raw string would dominate).
    public var index: Int {
        switch self {
        case .students: 0
        case .teachers: 1
        case .teachersAboveDegree: 2
        case .teachersMidTitle: 3
        case .keyTeachers: 4
        case .peArtTeachers: 5
        case .teachingAreaM2: 6
        case .sportsAreaM2: 7
        case .instrumentValueYuan: 8
        case .computers: 9
        case .multimediaClassrooms: 10
        case .books: 11
        case .boarders: 12
        case .entrants: 13
        case .graduates: 14
        case .classes: 15
        }
    }

    /// Canonical Chinese name, as on the national statistical forms.
    public var zh: String {
        switch self {
        case .students: "在校生数"
        case .teachers: "专任教师数"
        case .teachersAboveDegree: "高于规定学历教师数"
        case .teachersMidTitle: "中级及以上职称教师数"
        case .keyTeachers: "县级及以上骨干教师数"
        case .peArtTeachers: "体育艺术专任教师数"
        case .teachingAreaM2: "教学及辅助用房面积"
        case .sportsAreaM2: "体育运动场馆面积"
        case .instrumentValueYuan: "教学仪器设备值"
        case .computers: "学生用计算机台数"
        case .multimediaClassrooms: "网络多媒体教室数"
        case .books: "图书册数"
        case .boarders: "寄宿生数"
        case .entrants: "招生数"
        case .graduates: "毕业生数"
        case .classes: "班级数"
        }
    }

    /// The thing counted, as it reads after a number ("需增加 2 名骨干教师").
    public var nounZh: String {
        switch self {
        case .books: "图书"
        case .computers: "学生用计算机"
        case .instrumentValueYuan: "教学仪器设备值"
        default: zh.hasSuffix("数") ? String(zh.dropLast()) : zh
        }
    }

    public var en: String {
        switch self {
        case .students: "students"
        case .teachers: "full-time teachers"
        case .teachersAboveDegree: "teachers above required degree"
        case .teachersMidTitle: "teachers with mid-level or higher title"
        case .keyTeachers: "county-level or higher key teachers"
        case .peArtTeachers: "PE and art teachers"
        case .teachingAreaM2: "teaching and auxiliary room area"
        case .sportsAreaM2: "sports field and hall area"
        case .instrumentValueYuan: "teaching instrument value"
        case .computers: "student computers"
        case .multimediaClassrooms: "networked multimedia classrooms"
        case .books: "books"
        case .boarders: "boarders"
        case .entrants: "entrants"
        case .graduates: "graduates"
        case .classes: "classes"
        }
    }

    public var unit: MeasureUnit {
        switch self {
        case .students, .boarders, .entrants, .graduates: .students
        case .teachers, .teachersAboveDegree, .teachersMidTitle, .keyTeachers, .peArtTeachers: .teachers
        case .teachingAreaM2, .sportsAreaM2: .squareMetres
        case .instrumentValueYuan: .yuan
        case .computers: .computers
        case .multimediaClassrooms: .classrooms
        case .books: .books
        case .classes: .classes
        }
    }

    /// Whole-school resources that a multi-stage school may report once and have split
    /// between its stages by students (SPEC §2).
    public var isSharedResource: Bool {
        switch self {
        case .teachingAreaM2, .sportsAreaM2, .instrumentValueYuan, .computers, .multimediaClassrooms, .books:
            true
        default:
            false
        }
    }

    /// The largest value any fact may take (counts, m², yuan): far above any real school.
    public static let maxValue = 1e12

    /// The one number parser for returns, used by files, forms and the API alike: decimal
    /// digits (thousands separators allowed), finite, within ±10¹², whole for counted things.
    /// (Negative values are left to the validation rules, which say which fact must not be.)
    public func parse(_ raw: String) throws(FieldError) -> Double {
        try Checked.number(raw, field: rawValue, label: (zh, en), in: -Self.maxValue...Self.maxValue, whole: unit.isCount)
    }

    /// A value already decoded (JSON), under the same rules.
    public func check(_ value: Double) throws(FieldError) -> Double {
        do { return try Checked.number(value, field: rawValue, in: -Self.maxValue...Self.maxValue, whole: unit.isCount) } catch {
            throw FieldError(field: "values.\(rawValue)", code: error.code, zh: "\(zh)\(error.messageZh)", en: "\(en) \(error.messageEn)")
        }
    }

    /// Columns every return row must carry.
    public static let required: [ReturnField] = [.students]
}

/// The unit a shortfall or a fact is counted in.
public enum MeasureUnit: String, Sendable, Codable {
    case students, teachers, squareMetres = "m2", yuan, computers, classrooms, books, classes

    /// Counted things are whole numbers; areas and money may be fractional.
    public var isCount: Bool { self != .squareMetres && self != .yuan }

    public var zh: String {
        switch self {
        case .students: "名"
        case .teachers: "名"
        case .squareMetres: "平方米"
        case .yuan: "元"
        case .computers: "台"
        case .classrooms: "间"
        case .books: "册"
        case .classes: "个"
        }
    }

    public var en: String {
        switch self {
        case .squareMetres: "m²"
        default: rawValue
        }
    }
}
