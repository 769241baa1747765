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
    case disabledInRegularClasses = "disabled_in_regular_classes"
    case classes56Plus = "classes_56_plus"
    case classes66Plus = "classes_66_plus"
    case nurseryChildren = "nursery_children"
    case inclusive
    case lunchNeeding = "lunch_students_needing"
    case lunchServed = "lunch_students_served"
    case afterSchoolNeeding = "after_school_students_needing"
    case afterSchoolServed = "after_school_students_served"
    case safeCampus = "safe_campus"
    case legalVicePrincipal = "legal_vice_principal"
    case streams
    case siteAreaM2 = "site_area_m2"
    case buildingAreaM2 = "building_area_m2"
    case publicFundsAllocatedYuan = "public_funds_allocated_yuan"
    /// Students in the stage's largest class (最大班额).
    case largestClass = "largest_class"

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
        case .disabledInRegularClasses: 16
        case .classes56Plus: 17
        case .classes66Plus: 18
        case .nurseryChildren: 19
        case .inclusive: 20
        case .lunchNeeding: 21
        case .lunchServed: 22
        case .afterSchoolNeeding: 23
        case .afterSchoolServed: 24
        case .safeCampus: 25
        case .legalVicePrincipal: 26
        case .streams: 27
        case .siteAreaM2: 28
        case .buildingAreaM2: 29
        case .publicFundsAllocatedYuan: 30
        case .largestClass: 31
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
        case .disabledInRegularClasses: "随班就读学生数"
        case .classes56Plus: "56人及以上班级数"
        case .classes66Plus: "66人及以上班级数"
        case .nurseryChildren: "托班幼儿数"
        case .inclusive: "普惠性民办幼儿园"
        case .lunchNeeding: "需课后午餐服务学生数"
        case .lunchServed: "已享受午餐服务学生数"
        case .afterSchoolNeeding: "需课后服务学生数"
        case .afterSchoolServed: "已享受课后服务学生数"
        case .safeCampus: "平安校园"
        case .legalVicePrincipal: "法治副校长"
        case .streams: "轨数"
        case .siteAreaM2: "占地面积"
        case .buildingAreaM2: "校舍建筑面积"
        case .publicFundsAllocatedYuan: "实际拨付生均公用经费总额"
        case .largestClass: "最大班额"
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
        case .disabledInRegularClasses: "students with disabilities in regular classes"
        case .classes56Plus: "classes of 56 or more"
        case .classes66Plus: "classes of 66 or more"
        case .nurseryChildren: "children in nursery classes"
        case .inclusive: "certified inclusive (private kindergarten)"
        case .lunchNeeding: "students needing the lunch service"
        case .lunchServed: "students served lunch"
        case .afterSchoolNeeding: "students needing after-school service"
        case .afterSchoolServed: "students served after school"
        case .safeCampus: "safe campus created"
        case .legalVicePrincipal: "legal vice-principal in place"
        case .streams: "streams per grade"
        case .siteAreaM2: "site area"
        case .buildingAreaM2: "building area"
        case .publicFundsAllocatedYuan: "public funds allocated"
        case .largestClass: "students in the largest class"
        }
    }

    public var unit: MeasureUnit {
        switch self {
        case .students, .boarders, .entrants, .graduates, .disabledInRegularClasses, .nurseryChildren, .lunchNeeding, .lunchServed,
            .afterSchoolNeeding, .afterSchoolServed, .largestClass:
            .students
        case .teachers, .teachersAboveDegree, .teachersMidTitle, .keyTeachers, .peArtTeachers: .teachers
        case .teachingAreaM2, .sportsAreaM2, .siteAreaM2, .buildingAreaM2: .squareMetres
        case .instrumentValueYuan, .publicFundsAllocatedYuan: .yuan
        case .computers: .computers
        case .multimediaClassrooms: .classrooms
        case .books: .books
        case .classes, .classes56Plus, .classes66Plus: .classes
        case .inclusive, .safeCampus, .legalVicePrincipal: .flag
        case .streams: .streams
        }
    }

    /// The stages a fact is asked of (the return form shows only these; files may carry any).
    /// nil: every stage and the whole-school row.
    public var stages: Set<Stage>? {
        switch self {
        case .nurseryChildren, .inclusive: [.preschool]
        case .streams: [.senior]
        case .lunchNeeding, .lunchServed, .afterSchoolNeeding, .afterSchoolServed, .classes56Plus, .classes66Plus, .largestClass: [.primary, .junior]
        default: nil
        }
    }

    /// Whether the return form asks this fact for `stage` (nil: the whole-school row).
    public func applies(to stage: Stage?) -> Bool {
        guard let stages else { return true }
        return stage.map(stages.contains) ?? false
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
    case students, teachers, squareMetres = "m2", yuan, computers, classrooms, books, classes, streams
    /// 1 (yes) or 0 (no).
    case flag

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
        case .streams: "轨"
        case .flag: ""
        }
    }

    public var en: String {
        switch self {
        case .squareMetres: "m²"
        default: rawValue
        }
    }
}
