import Foundation

/// 乡镇/街道 of the current division list (Resources/townships.tsv, 9-digit codes whose first six
/// digits are the county's), to name a township from its code and find the code of a name.
public struct TownshipCatalog: Sendable {
    public let names: [String: String]
    /// County → township name → code (names unique within a county only).
    let byCounty: [String: [String: String]]

    public init(_ names: [String: String]) {
        self.names = names
        var index: [String: [String: String]] = [:]
        var duplicate: Set<String> = []
        for (code, name) in names {
            let county = String(code.prefix(6))
            if index[county]?[name] != nil { duplicate.insert(county + name) }
            index[county, default: [:]][name] = code
        }
        for key in duplicate { index[String(key.prefix(6))]?[String(key.dropFirst(6))] = nil }
        byCounty = index
    }

    public static let standard: TownshipCatalog = {
        var names: [String: String] = [:]
        let text = String(decoding: (try? CoreResources.data("townships.tsv")) ?? Data(), as: UTF8.self)
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("code\t") {
            let cols = line.split(separator: "\t")
            if cols.count == 2 { names[String(cols[0])] = String(cols[1]) }
        }
        return TownshipCatalog(names)
    }()

    public subscript(code: String) -> String? { names[code] }

    /// The code of a township named so in the county, when exactly one is.
    public func code(named name: String, in county: String) -> String? { byCounty[county]?[name] }

    /// A township as a file gives it — a name, a 9- or 12-digit code, or a code and a name —
    /// resolved against the list for a county: (name, code), or a message saying what is wrong.
    public func resolve(_ raw: String, county: String) -> Result<(name: String, code: String?), FieldError> {
        let tokens = raw.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
        guard let first = tokens.first else { return .failure(FieldError(field: "township", code: "empty", zh: "乡镇为空", en: "empty township")) }
        if first.isASCIIDigits {
            guard first.count == 9 || first.count == 12 else {
                return .failure(
                    FieldError(
                        field: "township", code: "bad_township_code", zh: "乡镇代码应为9位：「\(first)」", en: "a township code has 9 digits: '\(first)'"))
            }
            let code = String(first.prefix(9))
            guard code.hasPrefix(county) else {
                return .failure(
                    FieldError(
                        field: "township", code: "township_outside_county", zh: "乡镇代码\(code)不属于区县\(county)",
                        en: "township code \(code) is not in county \(county)"))
            }
            let given = tokens.dropFirst().joined(separator: " ")
            guard let name = self[code] ?? (given.isEmpty ? nil : given) else {
                return .failure(
                    FieldError(
                        field: "township", code: "unknown_township", zh: "现行区划表中没有乡镇代码\(code)，请同时填写名称",
                        en: "township code \(code) is not in the current list; give its name too"))
            }
            return .success((name, code))
        }
        let name = tokens.joined(separator: " ")
        return .success((name, code(named: name, in: county)))
    }
}
