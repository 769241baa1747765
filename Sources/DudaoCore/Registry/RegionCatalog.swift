import Foundation

/// The GB/T 2260 list of provinces, cities and counties shipped with the product
/// (Resources/regions.tsv; source and date in its header).
public struct RegionCatalog: Sendable {
    public private(set) var regions: [String: Region]

    public init(regions: [Region]) {
        self.regions = Dictionary(regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public static let standard: RegionCatalog = {
        do { return try parse(String(decoding: CoreResources.data("regions.tsv"), as: UTF8.self)) } catch {
            fatalError("shipped regions.tsv is invalid: \(error)")
        }
    }()

    static func parse(_ text: String) throws -> RegionCatalog {
        var list: [Region] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("code\t") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard cols.count >= 3, let level = RegionLevel(rawValue: cols[2]) else { continue }
            let parent = cols.count > 3 && !cols[3].isEmpty ? cols[3] : ""
            list.append(Region(code: cols[0], name: cols[1], level: level, parentCode: parent))
        }
        return RegionCatalog(regions: list)
    }

    public subscript(code: String) -> Region? { code.isEmpty ? .nation : regions[code] }

    /// The region and all its ancestors up to (not including) the nation, creating a
    /// placeholder for codes the list does not know: an unknown county is placed under the
    /// city and province its code prefixes name.
    public func lineage(of code: String) -> [Region] {
        var chain: [Region] = []
        var current: String? = code
        while let c = current, !c.isEmpty {
            let region = self[c] ?? Self.placeholder(code: c)
            chain.append(region)
            current = region.parentCode
        }
        return chain
    }

    static func placeholder(code: String) -> Region {
        let level = RegionCode.level(of: code) ?? .county
        let label =
            switch level {
            case .province: "未知省份"
            case .city: "未知地市"
            default: "未知区县"
            }
        return Region(code: code, name: "\(label)\(code)", level: level, parentCode: RegionCode.ancestors(of: code).first ?? "")
    }
}
