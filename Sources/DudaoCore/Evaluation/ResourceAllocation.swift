/// Splits whole-school resources of a multi-stage school between its stages (SPEC §2):
/// in proportion to each stage's students × the programme's stage weight, unless the stage
/// row gives the resource itself.
public enum ResourceAllocation {
    /// - Parameters:
    ///   - rows: one school's rows for one year: stage rows and at most one whole-school row.
    ///   - weights: stage weights (missing stages weigh 1).
    /// - Returns: the stage rows with shared resources filled in.
    public static func allocate(_ rows: [StageReturn], weights: [Stage: Double]) -> [StageReturn] {
        if rows.count == 1, rows[0].stage != nil { return rows }
        let stageRows = rows.filter { $0.stage != nil }
        guard let whole = rows.first(where: { $0.stage == nil }) else { return stageRows }
        let share: [Double] = stageRows.map { row in row.students * (weights[row.stage!] ?? 1) }
        let totalShare = share.reduce(0, +)
        return stageRows.enumerated().map { i, row in
            var row = row
            for field in ReturnField.allCases where field.isSharedResource && row[field] == nil {
                guard let amount = whole[field] else { continue }
                row[field] = totalShare > 0 ? amount * share[i] / totalShare : (stageRows.count == 1 ? amount : 0)
            }
            return row
        }
    }
}
