/// 办学性质.
public enum Ownership: String, Labelled {
    case `public`, `private`

    public var zh: String { self == .public ? "公办" : "民办" }
    public var en: String { self == .public ? "Public" : "Private" }
    public var aliases: [String] { self == .public ? ["公立"] : ["私立"] }
}

/// 城乡分类.
public enum Locality: String, Labelled {
    case urban, town, rural

    public var zh: String {
        switch self {
        case .urban: "城区"
        case .town: "镇区"
        case .rural: "乡村"
        }
    }

    public var en: String {
        switch self {
        case .urban: "Urban"
        case .town: "Town"
        case .rural: "Rural"
        }
    }

    public var aliases: [String] {
        switch self {
        case .urban: ["城市", "主城区"]
        case .town: ["镇", "县镇"]
        case .rural: ["农村", "乡"]
        }
    }
}
