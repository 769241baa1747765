/// A problem found in supplied data, as a value: a code, zh-CN and English messages, and the
/// place it concerns (file, row, column, field).
public struct ImportIssue: Sendable, Hashable, Codable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// Blocks the whole import.
        case error
        /// Imported, reported, needs a written reason.
        case warning
    }

    public var severity: Severity
    public var code: String
    public var file: String?
    /// 1-based spreadsheet row (the header is row 1); nil for file-level problems.
    public var row: Int?
    /// The column as it is headed in the file.
    public var column: String?
    public var field: String?
    public var messageZh: String
    public var messageEn: String

    public init(
        _ severity: Severity, code: String, file: String? = nil, row: Int? = nil, column: String? = nil,
        field: String? = nil, zh: String, en: String
    ) {
        self.severity = severity
        self.code = code
        self.file = file
        self.row = row
        self.column = column
        self.field = field
        self.messageZh = zh
        self.messageEn = en
    }

    public func message(_ language: Language) -> String { language == .zh ? messageZh : messageEn }

    /// A broken validation rule: blocking rules are errors, the rest warnings; the message
    /// shows the two sides compared ("…（12 对 10）").
    public init(_ violation: RuleViolation, file: String? = nil, row: Int? = nil, column: String? = nil) {
        self.init(
            violation.importance == .blocking ? .error : .warning, code: violation.ruleId, file: file, row: row,
            column: column ?? violation.field.rawValue, field: violation.field.rawValue,
            zh: "\(violation.messageZh)（\(NumberText.short(violation.left)) 对 \(NumberText.short(violation.right))）",
            en: "\(violation.messageEn) (\(NumberText.short(violation.left)) vs \(NumberText.short(violation.right)))")
    }

    /// "returns.csv row 7, column 体育运动场馆面积: …"
    public func located(_ language: Language) -> String {
        var place: [String] = []
        if let file { place.append(file) }
        if let row { place.append(language == .zh ? "第\(row)行" : "row \(row)") }
        if let column { place.append(language == .zh ? "列「\(column)」" : "column \(column)") }
        let prefix = place.isEmpty ? "" : place.joined(separator: language == .zh ? "，" : ", ") + ": "
        return prefix + message(language) + " [\(code)]"
    }

    public var description: String { located(.en) }
}

/// Parsed return rows ready for validation and storage, with the problems found so far and
/// the file's own column names (so later errors name the column as the user wrote it).
public struct ReturnBatch: Sendable {
    public var source: String
    public var records: [ReturnRecord]
    public var issues: [ImportIssue]
    /// Canonical column id → header as written in the file.
    public var columnNames: [String: String]
    /// The facts the source supplies; stored facts it does not mention are kept. nil: all.
    public var suppliedFields: Set<ReturnField>?

    public init(
        source: String, records: [ReturnRecord], issues: [ImportIssue], columnNames: [String: String],
        suppliedFields: Set<ReturnField>? = nil
    ) {
        self.source = source
        self.records = records
        self.issues = issues
        self.columnNames = columnNames
        self.suppliedFields = suppliedFields
    }

    public var errors: [ImportIssue] { issues.filter { $0.severity == .error } }
    public var warnings: [ImportIssue] { issues.filter { $0.severity == .warning } }

    /// Runs the data-driven validation rules on every row; `previous` gives last year's row
    /// of the same school and stage.
    public mutating func validate(rules: ValidationRuleSet, previous: (ReturnKey) -> StageReturn?) {
        for record in records {
            let lastYear = ReturnKey(schoolCode: record.data.schoolCode, year: record.data.year - 1, stage: record.data.stage)
            for violation in rules.check(record.data, previous: previous(lastYear)) {
                issues.append(
                    ImportIssue(
                        violation, file: source, row: record.sourceRow,
                        column: columnNames[violation.field.rawValue] ?? violation.field.rawValue))
            }
        }
    }
}
