/// A school's registry facts together with one return row, as a file or form supplies them.
public struct ReturnRecord: Sendable, Hashable {
    public var school: School
    public var data: StageReturn
    /// 1-based data row in the source (header is row 1), for error messages.
    public var sourceRow: Int

    public init(school: School, data: StageReturn, sourceRow: Int) {
        self.school = school
        self.data = data
        self.sourceRow = sourceRow
    }
}
