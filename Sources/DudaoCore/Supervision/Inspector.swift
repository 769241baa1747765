/// 督学: full-time (专职) or part-time (兼职), at a level, with a phone for the school-gate plate.
public struct Inspector: Sendable, Hashable, Codable {
    public enum Kind: String, Labelled {
        case fullTime = "full_time", partTime = "part_time"
        public var zh: String { self == .fullTime ? "专职" : "兼职" }
        public var en: String { self == .fullTime ? "full-time" : "part-time" }
    }

    public var id: String
    public var name: String
    public var phone: String
    public var kind: Kind
    /// The office the inspector belongs to (national, province, city or county level).
    public var regionCode: String
    public var zone: String?

    public init(id: String, name: String, phone: String, kind: Kind, regionCode: String, zone: String? = nil) {
        self.id = id
        self.name = name
        self.phone = phone
        self.kind = kind
        self.regionCode = regionCode
        self.zone = zone
    }
}

/// 挂牌督导: every school has exactly one responsible inspector; an inspector usually covers
/// about five schools (configurable).
public struct ResponsibilityCheck: Sendable, Hashable {
    public var schoolsWithoutInspector: [String]
    /// Inspector → number of schools, for those above the limit.
    public var overloaded: [String: Int]
    /// Assignments naming an unknown school or inspector.
    public var dangling: [String]

    public static func check(schools: [String], inspectors: [String], assignment: [String: String], limit: Int = 5) -> ResponsibilityCheck {
        let known = Set(inspectors), schoolSet = Set(schools)
        var counts: [String: Int] = [:]
        var dangling: [String] = []
        for (school, inspector) in assignment.sorted(by: { $0.key < $1.key }) {
            guard schoolSet.contains(school), known.contains(inspector) else { dangling.append(school); continue }
            counts[inspector, default: 0] += 1
        }
        return ResponsibilityCheck(
            schoolsWithoutInspector: schools.filter { assignment[$0].map { !known.contains($0) } ?? true }.sorted(),
            overloaded: counts.filter { $0.value > limit },
            dangling: dangling)
    }
}

/// Where a visit record stands: a draft (still being entered, kept so nothing typed is lost)
/// or signed off by the inspector (findings opened as rectification cases).
public enum VisitStatus: String, Sendable, Hashable, Codable {
    case draft, signed
}

/// A routine visit (经常性督导, the nine areas) or a special one (专项督导: a checklist of its own).
public enum VisitKind: String, Sendable, Hashable, Codable {
    case routine, special
}
