import Foundation

/// 督导类型: routine visits (挂牌督导例行督导) or a special supervision round (专项督导).
public enum ChecklistKind: String, Labelled {
    case routine, special

    public var zh: String { self == .routine ? "例行督导" : "专项督导" }
    public var en: String { self == .routine ? "Routine supervision" : "Special supervision" }
}

/// 问题类别: what a finding is about; the nine areas of the routine checklist, dropout
/// control and a catch-all.
public enum FindingCategory: String, Labelled {
    case management
    case enrolmentFees = "enrolment_fees"
    case curriculum, workload
    case healthPE = "health_pe"
    case teacherEthics = "teacher_ethics"
    case safety, canteen, ethos, dropout, other

    public var zh: String {
        switch self {
        case .management: "学校管理与制度执行"
        case .enrolmentFees: "招生、收费与择校"
        case .curriculum: "课程开设与课堂教学"
        case .workload: "学生课业负担"
        case .healthPE: "学生体质健康与体育"
        case .teacherEthics: "教师师德与专业发展"
        case .safety: "校园及周边安全"
        case .canteen: "食堂、食品与饮用水"
        case .ethos: "校风、教风与学风"
        case .dropout: "控辍保学"
        case .other: "其他"
        }
    }

    public var en: String {
        switch self {
        case .management: "School management and rules"
        case .enrolmentFees: "Enrolment, fees and school choice"
        case .curriculum: "Courses and teaching"
        case .workload: "Student workload"
        case .healthPE: "Student health and PE"
        case .teacherEthics: "Teacher ethics and development"
        case .safety: "Campus and surroundings safety"
        case .canteen: "Canteen, food and drinking water"
        case .ethos: "School ethos"
        case .dropout: "Dropout control"
        case .other: "Other"
        }
    }
}
