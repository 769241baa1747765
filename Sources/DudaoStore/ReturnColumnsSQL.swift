import DudaoCore
import SQLKit

/// Mapping between `StageReturn` and the `stage_returns` table.
enum ReturnColumnsSQL {
    static let fields = ReturnField.allCases
    static let allStagesMarker = "all"

    static func stageText(_ stage: Stage?) -> String { stage?.rawValue ?? allStagesMarker }

    static func decode(_ row: any SQLRow) throws -> StageReturn {
        let stageText = try row.decode(column: "stage", as: String.self)
        var data = StageReturn(
            schoolCode: try row.decode(column: "school_code", as: String.self),
            year: try row.decode(column: "year", as: Int.self),
            stage: stageText == allStagesMarker ? nil : Stage(rawValue: stageText))
        for field in fields {
            data[field] = try row.decode(column: field.rawValue, as: Double?.self)
        }
        return data
    }
}
