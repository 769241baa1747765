import DudaoCore
import SQLKit

/// Mapping between `StageReturn` and the `stage_returns` table.
enum ReturnColumnsSQL {
    static let fields = ReturnField.allCases
    /// The fields the first schema created (migration 1); later ones are added by migrations.
    static let firstSchemaFieldCount = 16
    /// The fields after migration 8 (the duty columns); later fields have their own migrations.
    static let dutySchemaFieldCount = 31
    static let allStagesMarker = "all"

    static func stageText(_ stage: Stage?) -> String { stage?.rawValue ?? allStagesMarker }

    /// Every column of a row, in insert order, and the key columns.
    static let columns = ["school_code", "year", "stage"] + fields.map(\.rawValue) + ["version", "updated_at", "updated_by"]
    static let key = ["school_code", "year", "stage"]

    /// The values of `columns` for one row.
    static func values(_ data: StageReturn, version: Int, at now: String, by actor: String) -> [any Encodable & Sendable] {
        var values: [any Encodable & Sendable] = [data.schoolCode, data.year, stageText(data.stage)]
        values += fields.map { data[$0] }
        values += [version, now, actor]
        return values
    }

    /// Inserting or replacing rows by key, many at a time.
    static let bulk = BulkInsert(table: "stage_returns", columns: columns, conflict: BulkInsert.replacing("stage_returns", key: key, of: columns))

    static func decode(_ row: any SQLRow) throws -> StageReturn {
        let stageText = try row.decode(column: "stage", as: String.self)
        var data = StageReturn(
            schoolCode: try row.decode(column: "school_code", as: String.self),
            year: try row.decode(column: "year", as: Int.self),
            stage: stageText == allStagesMarker ? nil : try row.decode(Stage.self, column: "stage", table: "stage_returns"))
        for field in fields {
            // `Double` rather than `Double?`: the drivers read a plain number directly, an optional
            // one through the whole Decodable machinery (most of the cost of reading returns).
            let column = field.rawValue
            data[field] = try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Double.self)
        }
        return data
    }
}
