/// 学校: one school of the registry. The 10-digit national identification code is the natural key.
public struct School: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var countyCode: String
    public var type: SchoolType
    public var ownership: Ownership
    public var locality: Locality
    public var boarding: Bool
    /// 乡镇/街道 the school is in (what sampling by township draws from), when known.
    public var township: String?
    /// Its 9-digit code (民政部 list), when known.
    public var townshipCode: String?

    public init(
        code: String, name: String, countyCode: String, type: SchoolType,
        ownership: Ownership = .public, locality: Locality = .urban, boarding: Bool = false, township: String? = nil, townshipCode: String? = nil
    ) {
        self.code = code
        self.name = name
        self.countyCode = countyCode
        self.type = type
        self.ownership = ownership
        self.locality = locality
        self.boarding = boarding
        self.township = township
        self.townshipCode = townshipCode
    }

    /// 学校标识码: exactly ten digits.
    public static func isValidCode(_ code: String) -> Bool {
        code.utf8.count == 10 && code.isASCIIDigits
    }
}
