/// A change of a county-level division (Resources/region-changes.tsv): a new code, a new name,
/// or the division merged into another. Returns filed under the old code belong to the new
/// region; the old name is what the place was called before `year`.
public struct RegionChange: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// `abolish`: gone without one successor (split, or merged into several); no new code.
        case recode, rename, merge, abolish
    }

    public var year: Int
    public var kind: Kind
    public var oldCode: String
    public var oldName: String
    public var newCode: String
    public var newName: String

    public init(year: Int, kind: Kind, oldCode: String, oldName: String, newCode: String, newName: String) {
        self.year = year
        self.kind = kind
        self.oldCode = oldCode
        self.oldName = oldName
        self.newCode = newCode
        self.newName = newName
    }

    /// "411023 许昌县 → 411003 建安区 (2017)".
    public var description: String { "\(oldCode) \(oldName) → \(newCode) \(newName) (\(year))" }
}

extension RegionCatalog {
    /// The shipped changes.
    public static let standardChanges: [RegionChange] = {
        do { return try parseChanges(String(decoding: CoreResources.data("region-changes.tsv"), as: UTF8.self)) } catch {
            fatalError("shipped region-changes.tsv is invalid: \(error)")
        }
    }()

    struct BadChange: Error, CustomStringConvertible {
        var line: String
        var description: String { "bad region change line: \(line)" }
    }

    static func parseChanges(_ text: String) throws -> [RegionChange] {
        try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("year\t") && !$0.isEmpty }.map { line in
            let c = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard c.count == 6, let year = Int(c[0]), let kind = RegionChange.Kind(rawValue: c[1]), RegionCode.level(of: c[2]) == .county,
                kind == .abolish ? c[4].isEmpty : RegionCode.level(of: c[4]) == .county
            else { throw BadChange(line: String(line)) }
            return RegionChange(year: year, kind: kind, oldCode: c[2], oldName: c[3], newCode: c[4], newName: c[5])
        }
    }

    /// Where a code's returns belong now: the last change in the chain from `code` that gave
    /// it another code (nil when the code is current or unknown, or only its name changed).
    public func successor(of code: String, changes: [RegionChange] = RegionCatalog.standardChanges) -> RegionChange? {
        var current: RegionChange?
        var code = code
        var seen: Set<String> = []
        while let next = changes.first(where: { $0.oldCode == code && $0.newCode != $0.oldCode && $0.kind != .abolish }), seen.insert(code).inserted {
            current =
                current.map {
                    RegionChange(
                        year: next.year, kind: next.kind, oldCode: $0.oldCode, oldName: $0.oldName, newCode: next.newCode, newName: next.newName)
                } ?? next
            code = next.newCode
        }
        return current
    }

    /// The change that ended a code without one successor (a split), when it is one.
    public func abolition(of code: String, changes: [RegionChange] = RegionCatalog.standardChanges) -> RegionChange? {
        changes.first { $0.oldCode == code && $0.kind == .abolish }
    }

    /// The names the place now called `code` had in `year`, when they differ from today's (a
    /// merge gives several): 411003 in 2016 → [许昌县].
    public func formerNames(of code: String, in year: Int, changes: [RegionChange] = RegionCatalog.standardChanges) -> [String] {
        var names: [String] = []
        for c in changes where c.newCode == code && year < c.year && c.oldName != self[code]?.name {
            if !names.contains(c.oldName) { names.append(c.oldName) }
        }
        return names
    }

    /// The code the place now called `code` had in `year` (411003 in 2016: 411023; 370116 in
    /// 2018: 371202, then under 莱芜市 3712). A rename keeps the code.
    public func divisionCode(of code: String, in year: Int, changes: [RegionChange] = RegionCatalog.standardChanges) -> String {
        var code = code
        var seen: Set<String> = []
        while let c = changes.first(where: { $0.newCode == code && $0.oldCode != code && year < $0.year }), seen.insert(code).inserted {
            code = c.oldCode
        }
        return code
    }

    /// A county's name as it applied in `year`: today's, or "许昌县（今建安区）" before a change.
    public func name(of region: Region, in year: Int) -> String {
        let former = formerNames(of: region.code, in: year)
        return former.isEmpty ? region.name : "\(former.joined(separator: "、"))（今\(region.name)）"
    }
}
