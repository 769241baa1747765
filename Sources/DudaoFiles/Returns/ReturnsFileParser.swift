import DudaoCore
import Foundation

/// Turns a sheet of text cells into return records, naming the row and column of every
/// problem. Registry columns are checked here; the data-driven rules run afterwards
/// (`ReturnBatch.validate`).
public enum ReturnsFileParser {
    /// - Parameters:
    ///   - year: the school year given on the command line; a `year` column must agree with it.
    public static func parse(_ table: Table, year: Int?) -> ReturnBatch {
        var reader = ReturnsFileReader(header: table.header, file: table.name, year: year)
        reader.expect(rows: table.rows.count)
        var records: [ReturnRecord] = []
        records.reserveCapacity(table.rows.count)
        if reader.acceptsRows {
            for (offset, cells) in table.rows.enumerated() where !cells.isEmpty {
                if let record = reader.read(cells, row: offset + 2) { records.append(record) }
            }
        }
        return reader.finish(records)
    }
}

/// Reads a returns file one row at a time (the streaming import keeps only what it needs to
/// catch a repeated row or a school described two ways). The header's problems come first;
/// when one of them is an error no row is read.
public struct ReturnsFileReader: Sendable {
    public let file: String
    public let year: Int?
    /// Problems found so far (header first, then rows in order).
    public private(set) var issues: [ImportIssue] = []
    /// How many of `issues` are errors.
    public private(set) var errorCount = 0
    /// The header text of each recognised column, by column id.
    public private(set) var columnNames: [String: String] = [:]
    /// How many rows became records.
    public private(set) var count = 0
    private var columns: [String: Int] = [:]
    /// Column index of each `ReturnField`, in `ReturnField.allCases` order.
    private var fieldColumns: [Int?] = []
    /// Where each of the other columns (registry, year, stage) stands, by `RowReader.Column`.
    private var otherColumns: [Int?] = []
    /// Values of the labelled columns already read (a national file says 小学 200,000 times).
    private var labels = RowReader.Labels()
    private var seen: [ReturnKey: Int] = [:]
    /// Each school's description as first read (a fingerprint, not the text: this index lives as
    /// long as the import) and its row.
    private var registry: [String: (fingerprint: Int, row: Int)] = [:]
    /// County codes already reported as changed or unknown (once per file, not per row).
    private var reportedCounties: Set<String> = []
    /// Where each county code of the file is filed (looked up in the division history once per code).
    private var filedCounties: [String: String] = [:]

    public init(header: [String], file: String, year: Int?) {
        self.file = file
        self.year = year
        for (index, header) in header.enumerated() {
            let trimmed = header.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let id = ReturnColumns.id(forHeader: trimmed) else {
                note(
                    ImportIssue(
                        .warning, code: "unknown_column", file: file, row: 1, column: trimmed,
                        zh: "无法识别的列，已忽略", en: "unknown column, ignored"))
                continue
            }
            if let earlier = columns[id] {
                note(
                    ImportIssue(
                        .error, code: "duplicate_column", file: file, row: 1, column: trimmed, field: id,
                        zh: "与第\(earlier + 1)列重复", en: "same column as column \(earlier + 1)"))
                continue
            }
            columns[id] = index
            columnNames[id] = trimmed
        }
        for column in ReturnColumns.all where column.required && columns[column.id] == nil {
            note(
                ImportIssue(
                    .error, code: "missing_column", file: file, row: 1, column: column.zh, field: column.id,
                    zh: "缺少必需的列「\(column.zh)」(\(column.id))",
                    en: "required column \(column.id) (\(column.zh)) is missing"))
        }
        if columns["year"] == nil && year == nil {
            note(
                ImportIssue(
                    .error, code: "missing_year", file: file, row: 1, column: "学年", field: "year",
                    zh: "文件没有「学年」列，请用 --year 指定学年", en: "no year column; give the school year with --year"))
        }
        fieldColumns = ReturnField.allCases.map { columns[$0.rawValue] }
        otherColumns = RowReader.Column.allCases.map { columns[$0.id] }
        acceptsRows = !issues.contains { $0.severity == .error }
    }

    /// Makes room for about this many rows in the indexes of keys and schools (a national file
    /// would otherwise grow them twenty times over, copying every entry each time); at most a
    /// million, so that a wrong guess for a huge file costs tens of megabytes, not hundreds.
    public mutating func expect(rows: Int) {
        let rows = min(max(rows, 0), 1_000_000)
        seen.reserveCapacity(rows)
        registry.reserveCapacity(rows)
    }

    /// Whether rows are worth reading: the header has no error.
    public private(set) var acceptsRows = false

    /// The facts the file has a column for (a fact without one keeps its stored value).
    public var suppliedFields: Set<ReturnField> { Set(ReturnField.allCases.filter { columns[$0.rawValue] != nil }) }

    /// One data row (`row` is its CSV/sheet row number); nil when it has a problem, which is
    /// added to `issues`.
    public mutating func read(_ cells: [String], row rowNumber: Int) -> ReturnRecord? {
        var row = RowReader(
            cells: cells, columns: otherColumns, fieldColumns: fieldColumns, names: columnNames, file: file, row: rowNumber,
            labels: labels)
        let parsed = row.record(year: year)
        labels = row.labels
        for issue in row.issues { note(issue) }
        guard var record = parsed else { return nil }
        record.school.countyCode = county(record.school.countyCode, row: rowNumber)
        // One hash of the key for a row seen first (nearly every row); a repeat puts the first row back.
        if let first = seen.updateValue(rowNumber, forKey: record.data.key) {
            seen[record.data.key] = first
            note(
                ImportIssue(
                    .error, code: "duplicate_row", file: file, row: rowNumber, column: columnNames["school_code"],
                    field: "school_code",
                    zh: "学校\(record.school.code)的\(record.data.stage?.zh ?? "全校")数据与第\(first)行重复",
                    en: "school \(record.school.code) \(record.data.stage?.rawValue ?? "whole-school") row repeats row \(first)"))
            return nil
        }
        let fingerprint = record.school.hashValue
        if let (known, first) = registry.updateValue((fingerprint, rowNumber), forKey: record.school.code), known != fingerprint {
            registry[record.school.code] = (known, first)
            let code = record.school.code
            note(
                ImportIssue(
                    .error, code: "inconsistent_school", file: file, row: rowNumber, column: columnNames["school_name"],
                    field: "school_name",
                    zh: "学校\(code)的名称、区县或类型与第\(first)行不一致",
                    en: "school \(code) name, county or type differs from row \(first)"))
            return nil
        }
        count += 1
        return record
    }

    /// Where a county code's schools belong: an old code is filed under its successor, and an
    /// unknown one under a placeholder region; each said once per file as a warning.
    private mutating func county(_ code: String, row: Int) -> String {
        if let filed = filedCounties[code] { return filed }
        let filed = resolveCounty(code, row: row)
        filedCounties[code] = filed
        return filed
    }

    private mutating func resolveCounty(_ code: String, row: Int) -> String {
        let catalog = RegionCatalog.standard
        if let change = catalog.successor(of: code) {
            if reportedCounties.insert(code).inserted {
                note(
                    ImportIssue(
                        .warning, code: "county_code_changed", file: file, row: row, column: columnNames["county_code"], field: "county_code",
                        zh: "区县代码\(code)（\(change.oldName)）自\(change.year)年起为\(change.newCode)（\(change.newName)），本文件中该代码的学校已归入\(change.newCode)",
                        en:
                            "county code \(code) (\(change.oldName)) is \(change.newCode) (\(change.newName)) since \(change.year); its schools in this file were filed under \(change.newCode)"
                    ))
            }
            return change.newCode
        }
        if catalog[code] == nil, let gone = catalog.abolition(of: code) {
            if reportedCounties.insert(code).inserted {
                let when = gone.year > 0 ? "\(gone.year)年起" : ""
                note(
                    ImportIssue(
                        .warning, code: "county_code_abolished", file: file, row: row, column: columnNames["county_code"], field: "county_code",
                        zh: "区县代码\(code)（\(gone.oldName)）\(when)已撤销，其辖区分属多个区县，没有唯一的继承区县；该代码的学校已暂存为“未知区县\(code)”，请按学校所在地改填现行区县代码",
                        en:
                            "county code \(code) (\(gone.oldName)) was abolished\(gone.year > 0 ? " from \(gone.year)" : ""), its area now in several counties; its schools were filed under a placeholder; give each school its current county code"
                    ))
            }
            return code
        }
        if catalog[code] == nil, reportedCounties.insert(code).inserted {
            note(
                ImportIssue(
                    .warning, code: "county_code_unknown", file: file, row: row, column: columnNames["county_code"], field: "county_code",
                    zh: "区县代码\(code)不在现行行政区划表中，已暂存为“未知区县\(code)”；若代码无误，请管理员为其命名（dudao regions name --code \(code) --name …）",
                    en:
                        "county code \(code) is not in the current division list; its schools were filed under a placeholder \"未知区县\(code)\"; if the code is right, an administrator names it (dudao regions name --code \(code) --name …)"
                ))
        }
        return code
    }

    /// The row each key was read on.
    public var rows: [ReturnKey: Int] { seen }

    /// How many schools the rows describe.
    public var schools: Int { registry.count }

    /// Adds a problem found outside the file's own checks (scope, rules).
    public mutating func add(_ issue: ImportIssue) { note(issue) }

    private mutating func note(_ issue: ImportIssue) {
        issues.append(issue)
        if issue.severity == .error { errorCount += 1 }
    }

    /// The empty file's error, once every row is read.
    public mutating func finishRows() {
        if count == 0 && !issues.contains(where: { $0.severity == .error }) {
            note(ImportIssue(.error, code: "no_rows", file: file, zh: "文件没有数据行", en: "the file has no data rows"))
        }
    }

    /// A batch of the given records with every problem found.
    public mutating func finish(_ records: [ReturnRecord]) -> ReturnBatch {
        finishRows()
        return ReturnBatch(
            source: file, records: records, issues: issues, columnNames: columnNames,
            suppliedFields: acceptsRows ? suppliedFields : nil)
    }
}

/// Reads one data row, collecting its problems.
struct RowReader {
    let cells: [String]
    /// Where each column other than the facts stands, by `Column` (`ReturnsFileReader.otherColumns`).
    let columns: [Int?]
    let fieldColumns: [Int?]
    let names: [String: String]
    let file: String
    let row: Int
    var labels = Labels()
    var issues: [ImportIssue] = []

    /// The columns a row reads besides the facts.
    enum Column: Int, CaseIterable {
        case year, schoolCode, schoolName, countyCode, schoolType, ownership, locality, township, boarding, stage

        /// The column's id (`ReturnColumns`).
        var id: String {
            switch self {
            case .year: "year"
            case .schoolCode: "school_code"
            case .schoolName: "school_name"
            case .countyCode: "county_code"
            case .schoolType: "school_type"
            case .ownership: "ownership"
            case .locality: "locality"
            case .township: "township"
            case .boarding: "boarding"
            case .stage: "stage"
            }
        }
    }

    /// Labelled values already parsed, by the cell's text (a value: a row adds to its copy, the
    /// reader keeps the copy; the dictionaries are copied only when a new spelling is added).
    struct Labels: Sendable {
        var types: [String: SchoolType] = [:]
        var ownerships: [String: Ownership] = [:]
        var localities: [String: Locality] = [:]
        /// Spellings remembered per column at the most: a file cannot grow these without end
        /// by writing one accepted value in ever new upper and lower case.
        static let limit = 64
    }

    func text(_ column: Column) -> String? {
        guard column.rawValue < columns.count, let index = columns[column.rawValue] else { return nil }
        return text(at: index)
    }

    func text(at index: Int) -> String? {
        guard index < cells.count else { return nil }
        var value = cells[index]
        // Most cells are plain ASCII digits: look at the end bytes before asking about white space.
        if let first = value.utf8.first, let last = value.utf8.last,
            first <= 0x20 || first >= 0x80 || last <= 0x20 || last >= 0x80,
            Self.isWhiteSpace(value.unicodeScalars.first!) || Self.isWhiteSpace(value.unicodeScalars.last!)
        {
            value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return value.isEmpty ? nil : value
    }

    /// Unicode's White_Space (`Character.isWhitespace`), decided without Unicode table look-ups:
    /// every Chinese cell asks, on every row.
    static func isWhiteSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// The text with ASCII capitals lowered, as `lowercased()` would for the words compared with
    /// it here (no allocation when there is nothing to lower: Chinese cells, digits).
    static func asciiLowered(_ text: String) -> String {
        text.utf8.contains { $0 &- 0x41 < 26 } ? text.lowercased() : text
    }

    mutating func fail(_ id: String, _ code: String, zh: String, en: String) {
        issues.append(ImportIssue(.error, code: code, file: file, row: row, column: names[id] ?? id, field: id, zh: zh, en: en))
    }

    mutating func required(_ column: Column) -> String? {
        if let value = text(column) { return value }
        fail(column.id, "missing_value", zh: "不能为空", en: "must not be blank")
        return nil
    }

    /// A labelled value, looked up in `known` first (and added to it once parsed).
    mutating func labelled<T: Labelled>(_ column: Column, _ known: WritableKeyPath<Labels, [String: T]>) -> T? {
        guard let value = required(column) else { return nil }
        if let seen = labels[keyPath: known][value] { return seen }
        if let parsed = T.parse(value) {
            if labels[keyPath: known].count < Labels.limit { labels[keyPath: known][value] = parsed }
            return parsed
        }
        fail(column.id, "unknown_value", zh: "无法识别「\(value)」，可填：\(T.accepted)", en: "unknown value '\(value)'; accepted: \(T.accepted)")
        return nil
    }

    mutating func record(year defaultYear: Int?) -> ReturnRecord? {
        let before = issues.count
        var year = defaultYear
        if let raw = text(.year) {
            // "2024", "2024-2025" and "2024学年" all mean the school year starting 2024.
            let digits = Int(raw) != nil ? raw : String(raw.prefix { $0.isNumber })
            if let y = Int(digits), digits.count == 4 {
                if let defaultYear, defaultYear != y {
                    fail("year", "year_mismatch", zh: "学年\(y)与指定的\(defaultYear)不一致", en: "year \(y) differs from --year \(defaultYear)")
                }
                year = y
            } else {
                fail("year", "not_a_year", zh: "「\(raw)」不是学年", en: "'\(raw)' is not a school year")
            }
        }
        let code = required(.schoolCode)
        if let code, !School.isValidCode(code) {
            fail("school_code", "bad_school_code", zh: "学校标识码应为10位数字：「\(code)」", en: "school code must be 10 digits: '\(code)'")
        }
        let name = required(.schoolName)
        var county: String?
        if let raw = required(.countyCode) {
            county = RegionCode.normalize(raw)
            if county.map({ RegionCode.level(of: $0) != .county }) ?? true {
                fail("county_code", "bad_county_code", zh: "区县代码应为6位行政区划代码：「\(raw)」", en: "county code must be a 6-digit GB/T 2260 code: '\(raw)'")
                county = nil
            }
        }
        let type = labelled(.schoolType, \.types)
        let ownership = labelled(.ownership, \.ownerships)
        let locality = labelled(.locality, \.localities)
        var township: (name: String, code: String?)?
        if let raw = text(.township), let county {
            switch TownshipCatalog.standard.resolve(raw, county: county) {
            case .success(let t): township = t
            case .failure(let e): fail("township", e.code, zh: e.messageZh, en: e.messageEn)
            }
        }
        var boarding = false
        if let raw = text(.boarding) {
            boarding = ["1", "是", "yes", "true", "y", "寄宿"].contains(Self.asciiLowered(raw))
        }
        var stage: Stage?
        var wholeSchool = false
        if let raw = required(.stage) {
            if ["all", "school", "全校", "合计"].contains(Self.asciiLowered(raw)) {
                wholeSchool = true
            } else if let parsed = Stage.parse(raw) {
                stage = parsed
            } else {
                fail(
                    "stage", "unknown_value", zh: "无法识别学段「\(raw)」，可填：\(Stage.accepted)、全校",
                    en: "unknown stage '\(raw)'; accepted: \(Stage.accepted), all")
            }
        }
        var data = StageReturn(schoolCode: code ?? "", year: year ?? 0, stage: stage)
        for (field, column) in zip(ReturnField.allCases, fieldColumns) {
            guard let column, let raw = text(at: column) else { continue }
            // One parser for files, forms and the API (thousands separators allowed).
            do { data[field] = try field.parse(raw) } catch {
                fail(field.rawValue, error.code, zh: error.messageZh, en: error.messageEn)
            }
        }
        if !wholeSchool && data[.students] == nil && issues.count == before {
            fail("students", "missing_value", zh: "在校生数不能为空", en: "students must not be blank")
        }
        guard issues.count == before, year != nil, let code, let name, let county, let type, let ownership, let locality,
            stage != nil || wholeSchool
        else { return nil }
        let school = School(
            code: code, name: name, countyCode: county, type: type, ownership: ownership,
            locality: locality, boarding: boarding, township: township?.name, townshipCode: township?.code)
        return ReturnRecord(school: school, data: data, sourceRow: row)
    }
}
