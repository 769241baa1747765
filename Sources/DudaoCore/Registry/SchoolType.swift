/// 办学类型.
public enum SchoolType: String, Labelled {
    case kindergarten
    case primarySchool = "primary_school"
    case teachingPoint = "teaching_point"
    case juniorSchool = "junior_school"
    case nineYear = "nine_year"
    case twelveYear = "twelve_year"
    case completeMiddle = "complete_middle"
    case seniorSchool = "senior_school"
    case vocational
    case special

    public var zh: String {
        switch self {
        case .kindergarten: "幼儿园"
        case .primarySchool: "小学"
        case .teachingPoint: "教学点"
        case .juniorSchool: "初级中学"
        case .nineYear: "九年一贯制学校"
        case .twelveYear: "十二年一贯制学校"
        case .completeMiddle: "完全中学"
        case .seniorSchool: "高级中学"
        case .vocational: "中等职业学校"
        case .special: "特殊教育学校"
        }
    }

    public var en: String {
        switch self {
        case .kindergarten: "Kindergarten"
        case .primarySchool: "Primary school"
        case .teachingPoint: "Teaching point"
        case .juniorSchool: "Junior secondary school"
        case .nineYear: "Nine-year school"
        case .twelveYear: "Twelve-year school"
        case .completeMiddle: "Complete middle school"
        case .seniorSchool: "Senior secondary school"
        case .vocational: "Secondary vocational school"
        case .special: "Special education school"
        }
    }

    public var aliases: [String] {
        switch self {
        case .kindergarten: ["幼儿园（含附设）"]
        case .primarySchool: ["primary", "完全小学"]
        case .teachingPoint: ["小学教学点"]
        case .juniorSchool: ["初中", "junior"]
        case .nineYear: ["九年一贯制"]
        case .twelveYear: ["十二年一贯制"]
        case .completeMiddle: []
        case .seniorSchool: ["高中", "senior", "普通高中"]
        case .vocational: ["中职", "中职学校", "职业高中"]
        case .special: ["特教", "特殊教育"]
        }
    }

    /// The stages a school of this type normally reports.
    public var stages: [Stage] {
        switch self {
        case .kindergarten: [.preschool]
        case .primarySchool, .teachingPoint: [.primary]
        case .juniorSchool: [.junior]
        case .nineYear: [.primary, .junior]
        case .twelveYear: [.primary, .junior, .senior]
        case .completeMiddle: [.junior, .senior]
        case .seniorSchool: [.senior]
        case .vocational: [.vocational]
        case .special: [.special]
        }
    }
}
