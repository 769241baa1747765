import DudaoCore
import Foundation

/// UI strings, Chinese first and English second (Resources/strings.json).
public struct Strings: Sendable {
    let table: [String: [String: String]]

    public static let shared: Strings = {
        let url = Bundle.module.url(forResource: "strings", withExtension: "json")!
        let table = try! JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: url))
        return Strings(table: table)
    }()

    public func all(_ language: Language) -> [String: String] { table[language.rawValue] ?? [:] }

    public func callAsFunction(_ key: String, _ language: Language) -> String { table[language.rawValue]?[key] ?? key }
}
