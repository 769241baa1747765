import Foundation

/// An indicator of the catalogue: a school's value is `numerator / students × scale`.
public struct IndicatorDefinition: Sendable, Hashable, Decodable {
    public var id: String
    public var numerator: ReturnField
    /// 1 for per-student values, 100 for per-100-students values.
    public var scale: Double
    public var nameZh: String
    public var nameEn: String
    public var unitZh: String
    public var unitEn: String

    enum CodingKeys: String, CodingKey {
        case id, numerator, scale
        case nameZh = "name_zh", nameEn = "name_en", unitZh = "unit_zh", unitEn = "unit_en"
    }

    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }

    /// The school's value, or nil when it has no students or the fact is blank.
    public func value(of row: StageReturn) -> Double? {
        let students = row.students
        guard students > 0, let amount = row[numerator] else { return nil }
        return amount / students * scale
    }

    /// The shared catalogue (Resources/programmes/indicators.json).
    public static let catalogue: [String: IndicatorDefinition] = {
        struct File: Decodable { var indicators: [IndicatorDefinition] }
        do {
            let file = try JSONDecoder().decode(File.self, from: CoreResources.data("programmes/indicators.json"))
            return Dictionary(uniqueKeysWithValues: file.indicators.map { ($0.id, $0) })
        } catch {
            fatalError("shipped indicators.json is invalid: \(error)")
        }
    }()
}
