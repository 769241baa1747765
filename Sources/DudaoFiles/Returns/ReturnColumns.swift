import DudaoCore

/// The columns of the canonical returns file and the headers accepted for each: the English
/// id, the official Chinese name, and spellings seen in real spreadsheets.
public enum ReturnColumns {
    public struct Column: Sendable {
        public var id: String
        public var zh: String
        public var aliases: [String]
        public var required: Bool
    }

    /// Registry columns, then one column per return fact, in canonical order.
    public static let all: [Column] =
        [
            Column(id: "year", zh: "学年", aliases: ["年度", "统计年度", "学年度"], required: false),
            Column(id: "school_code", zh: "学校标识码", aliases: ["学校代码", "标识码", "学校识别码"], required: true),
            Column(id: "school_name", zh: "学校名称", aliases: ["校名", "学校"], required: true),
            Column(id: "county_code", zh: "区县代码", aliases: ["县区代码", "行政区划代码", "所在区县代码", "区划代码", "县代码"], required: true),
            Column(id: "school_type", zh: "办学类型", aliases: ["学校类型", "学校类别"], required: true),
            Column(id: "ownership", zh: "办学性质", aliases: ["举办性质", "公办民办"], required: true),
            Column(id: "locality", zh: "城乡分类", aliases: ["城乡类型", "城乡属性", "所在地城乡分类"], required: true),
            Column(id: "boarding", zh: "寄宿制学校", aliases: ["是否寄宿制学校", "寄宿制"], required: false),
            Column(id: "township", zh: "乡镇（街道）", aliases: ["乡镇", "乡镇街道", "乡镇/街道", "所在乡镇", "所在乡镇（街道）", "街道"], required: false),
            Column(id: "stage", zh: "学段", aliases: ["教育阶段"], required: true),
        ]
        + ReturnField.allCases.map { field in
            Column(id: field.rawValue, zh: field.zh, aliases: extraAliases[field] ?? [], required: field == .students)
        }

    /// The canonical columns of issue #2, in file order (the optional extras follow them).
    public static let canonical: [String] = [
        "year", "school_code", "school_name", "county_code", "school_type", "ownership", "locality", "stage",
        "students", "teachers", "teachers_above_degree", "teachers_mid_title", "key_teachers", "pe_art_teachers",
        "teaching_area_m2", "sports_area_m2", "instrument_value_yuan", "computers", "multimedia_classrooms", "books",
    ]

    static let extraAliases: [ReturnField: [String]] = [
        .students: ["在校学生数", "学生数", "在校生"],
        .teachers: ["专任教师", "教师数"],
        .teachersAboveDegree: ["高于规定学历的专任教师数", "高学历教师数"],
        .teachersMidTitle: ["中级及以上职称专任教师数", "中高级职称教师数"],
        .keyTeachers: ["骨干教师数", "县级以上骨干教师数"],
        .peArtTeachers: ["体育、艺术专任教师数", "体艺教师数", "体育艺术教师数"],
        .teachingAreaM2: ["教学及辅助用房面积(平方米)", "教辅用房面积"],
        .sportsAreaM2: ["体育运动场馆面积(平方米)", "运动场馆面积"],
        .instrumentValueYuan: ["教学仪器设备值(元)", "教学仪器设备资产值", "仪器设备值"],
        .computers: ["计算机台数", "学生用计算机"],
        .multimediaClassrooms: ["网络多媒体教室", "多媒体教室数"],
        .books: ["图书", "藏书册数", "图书(册)"],
        .boarders: ["寄宿生"],
        .entrants: ["招生人数"],
        .graduates: ["毕业生", "毕业人数"],
        .classes: ["班数", "教学班数"],
        .disabledInRegularClasses: ["随班就读", "随班就读残疾学生数", "随班就读人数"],
        .classes56Plus: ["大班额班级数", "56人以上班级数", "56人及以上大班额数"],
        .classes66Plus: ["超大班额班级数", "66人以上班级数", "66人及以上超大班额数"],
        .nurseryChildren: ["托班人数", "托班幼儿", "托班"],
        .inclusive: ["是否普惠性幼儿园", "普惠性", "普惠园"],
        .lunchNeeding: ["需午餐服务学生数", "午餐需求学生数", "有午餐需求学生数"],
        .lunchServed: ["午餐服务学生数", "享受午餐服务学生数", "在校午餐学生数"],
        .afterSchoolNeeding: ["课后服务需求学生数", "有课后服务需求学生数"],
        .afterSchoolServed: ["课后服务学生数", "参加课后服务学生数", "享受课后服务学生数"],
        .safeCampus: ["是否平安校园", "平安校园创建"],
        .legalVicePrincipal: ["是否配备法治副校长", "法治副校长配备"],
        .streams: ["年级轨数", "每年级轨数"],
        .siteAreaM2: ["学校占地面积", "占地面积(平方米)"],
        .buildingAreaM2: ["校舍面积", "建筑面积", "校舍建筑面积(平方米)"],
        .publicFundsAllocatedYuan: ["公用经费拨付额", "实拨公用经费", "生均公用经费拨付总额(元)"],
        .largestClass: ["最大班级人数", "最大班额人数"],
    ]

    /// Normalises a header for matching: no blanks, no unit in brackets, lower case,
    /// full-width brackets treated as ASCII.
    static func normalize(_ header: String) -> String {
        var s = header.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
        s = s.filter { !$0.isWhitespace && $0 != "\u{FEFF}" }.lowercased()
        return s
    }

    static let lookup: [String: String] = {
        var map: [String: String] = [:]
        for column in all {
            for name in [column.id, column.zh] + column.aliases { map[normalize(name)] = column.id }
        }
        return map
    }()

    /// The canonical id for a header as written, or nil when unknown.
    public static func id(forHeader header: String) -> String? {
        let key = normalize(header)
        if let id = lookup[key] { return id }
        if let bracket = key.firstIndex(of: "(") { return lookup[String(key[..<bracket])] }
        return nil
    }

    /// Template headers carry both names, "学校标识码(school_code)": the Chinese name is read,
    /// the bracket is ignored like a unit would be.
    public static var templateHeader: [String] {
        canonical.map { id in "\(all.first { $0.id == id }!.zh)(\(id))" }
    }
}
