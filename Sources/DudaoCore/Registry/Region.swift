/// 行政区划 level, by the length of its GB/T 2260 code (2, 4 or 6 digits).
public enum RegionLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case nation, province, city, county

    public var zh: String {
        switch self {
        case .nation: "全国"
        case .province: "省级"
        case .city: "市级"
        case .county: "县级"
        }
    }

    public var en: String { rawValue.capitalized }

    public static func < (lhs: RegionLevel, rhs: RegionLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// 行政区划: a node of the region tree. The nation is the root with the empty code.
public struct Region: Sendable, Hashable, Codable {
    public var code: String
    public var name: String
    public var level: RegionLevel
    public var parentCode: String?

    public init(code: String, name: String, level: RegionLevel, parentCode: String?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }

    public static let nation = Region(code: "", name: "全国", level: .nation, parentCode: nil)
}

extension StringProtocol {
    /// Whether every character is an ASCII digit 0–9 (true for ""). Read as bytes: a file's
    /// codes are checked on every row, and `Character.isNumber` asks Unicode tables each time.
    public var isASCIIDigits: Bool { utf8.allSatisfy { $0 &- 0x30 < 10 } }
}

/// Rules of GB/T 2260 codes as the platform uses them: `41` province, `4110` city, `411081` county.
public enum RegionCode {
    public static func level(of code: String) -> RegionLevel? {
        guard code.isASCIIDigits else { return nil }
        switch code.utf8.count {
        case 0: return .nation
        case 2: return .province
        case 4: return .city
        case 6: return .county
        default: return nil
        }
    }

    /// Accepts 2/4/6-digit codes and the 6/9/12-digit padded forms (`410000`, `411000000000`).
    public static func normalize(_ raw: String) -> String? {
        var code = raw
        // A code that starts and ends with a digit has no blank to trim (the usual case, asked
        // of every row of a file: without Unicode property look-ups).
        if let first = raw.utf8.first, let last = raw.utf8.last, first &- 0x30 >= 10 || last &- 0x30 >= 10,
            raw.first?.isWhitespace == true || raw.last?.isWhitespace == true
        {
            code = raw.trimmingCharacters(in: .whitespaces)
        }
        guard !code.isEmpty, code.isASCIIDigits else { return nil }
        if code.utf8.count == 12 || code.utf8.count == 9 { code = String(code.prefix(6)) }
        if code.utf8.count == 6 {
            if code.hasSuffix("0000") { return String(code.prefix(2)) }
            if code.hasSuffix("00") { return String(code.prefix(4)) }
        }
        return level(of: code) == nil || code.isEmpty ? nil : code
    }

    /// The code prefixes above this one, nearest first (`411081` → `4110`, `41`).
    public static func ancestors(of code: String) -> [String] {
        switch code.count {
        case 6: [String(code.prefix(4)), String(code.prefix(2))]
        case 4: [String(code.prefix(2))]
        default: []
        }
    }

    /// True when `code` lies in the subtree of `root` (the nation's empty code contains all).
    public static func contains(_ root: String, _ code: String) -> Bool {
        code.hasPrefix(root)
    }
}
