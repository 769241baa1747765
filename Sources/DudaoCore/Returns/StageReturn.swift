/// One row of an annual return: the facts of one school, one stage, one school year.
/// Missing facts are `nil` (left blank in the file), which is not the same as zero.
/// A multi-stage school may also send one `wholeSchool` row (stage `nil`) carrying shared
/// resources, which evaluation splits between its stages (see `ResourceAllocation`).
public struct StageReturn: Sendable, Hashable, Codable {
    public var schoolCode: String
    public var year: Int
    /// `nil` for a whole-school row of shared resources (全校).
    public var stage: Stage?
    private var storage: [Double?]

    public init(schoolCode: String, year: Int, stage: Stage?, values: [ReturnField: Double] = [:]) {
        self.schoolCode = schoolCode
        self.year = year
        self.stage = stage
        self.storage = Array(repeating: nil, count: ReturnField.allCases.count)
        for (field, value) in values { storage[field.index] = value }
    }

    public subscript(field: ReturnField) -> Double? {
        get { storage[field.index] }
        set { storage[field.index] = newValue }
    }

    public var students: Double { self[.students] ?? 0 }

    public var values: [ReturnField: Double] {
        Dictionary(uniqueKeysWithValues: ReturnField.allCases.compactMap { f in self[f].map { (f, $0) } })
    }

    /// The natural key of a return row.
    public var key: ReturnKey { ReturnKey(schoolCode: schoolCode, year: year, stage: stage) }
}

public struct ReturnKey: Sendable, Hashable, Codable {
    public var schoolCode: String
    public var year: Int
    public var stage: Stage?

    public init(schoolCode: String, year: Int, stage: Stage?) {
        self.schoolCode = schoolCode
        self.year = year
        self.stage = stage
    }
}
