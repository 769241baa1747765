/// What a user is (SPEC §5). Office staff work on their region's subtree; an inspector on
/// their county's schools; a principal on their own school; an administrator manages users.
public enum Role: String, Labelled {
    case admin, national, province, city, county, inspector, principal

    public var zh: String {
        switch self {
        case .admin: "系统管理员"
        case .national: "国家督导办"
        case .province: "省级督导办"
        case .city: "市级督导办"
        case .county: "县级督导办"
        case .inspector: "督学"
        case .principal: "校长"
        }
    }

    public var en: String {
        switch self {
        case .admin: "Administrator"
        case .national: "National office"
        case .province: "Province office"
        case .city: "City office"
        case .county: "County office"
        case .inspector: "Inspector"
        case .principal: "Principal"
        }
    }

    /// The region level an office role sits at (nil for roles tied to schools or to nothing).
    public var officeLevel: RegionLevel? {
        switch self {
        case .national: .nation
        case .province: .province
        case .city: .city
        case .county: .county
        default: nil
        }
    }

    /// The region level the role's scope code must have.
    public var scopeLevel: RegionLevel? {
        switch self {
        case .admin: .nation
        case .inspector: .county
        case .principal: nil
        default: officeLevel
        }
    }
}
