/// 学段: the stage of schooling a return row describes.
public enum Stage: String, Labelled {
    case preschool, primary, junior, senior, vocational, special

    public var zh: String {
        switch self {
        case .preschool: "学前"
        case .primary: "小学"
        case .junior: "初中"
        case .senior: "高中"
        case .vocational: "中职"
        case .special: "特教"
        }
    }

    public var en: String {
        switch self {
        case .preschool: "Preschool"
        case .primary: "Primary"
        case .junior: "Junior secondary"
        case .senior: "Senior secondary"
        case .vocational: "Vocational"
        case .special: "Special education"
        }
    }

    public var aliases: [String] {
        switch self {
        case .preschool: ["学前教育", "幼儿园", "kindergarten"]
        case .primary: ["小学阶段"]
        case .junior: ["初中阶段", "初级中学", "junior_secondary"]
        case .senior: ["高中阶段", "普通高中", "senior_secondary"]
        case .vocational: ["中等职业教育"]
        case .special: ["特殊教育", "special_education"]
        }
    }

    /// Compulsory education (义务教育) covers primary and junior stages.
    public var isCompulsory: Bool { self == .primary || self == .junior }
}
