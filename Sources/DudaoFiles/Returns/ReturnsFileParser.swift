import DudaoCore
import Foundation

/// Turns a sheet of text cells into return records, naming the row and column of every
/// problem. Registry columns are checked here; the data-driven rules run afterwards
/// (`ReturnBatch.validate`).
public enum ReturnsFileParser {
    /// - Parameters:
    ///   - year: the school year given on the command line; a `year` column must agree with it.
    public static func parse(_ table: Table, year: Int?) -> ReturnBatch {
        let file = table.name
        var issues: [ImportIssue] = []
        var columns: [String: Int] = [:]
        var names: [String: String] = [:]
        for (index, header) in table.header.enumerated() {
            let trimmed = header.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            guard let id = ReturnColumns.id(forHeader: trimmed) else {
                issues.append(
                    ImportIssue(
                        .warning, code: "unknown_column", file: file, row: 1, column: trimmed,
                        zh: "无法识别的列，已忽略", en: "unknown column, ignored"))
                continue
            }
            if let earlier = columns[id] {
                issues.append(
                    ImportIssue(
                        .error, code: "duplicate_column", file: file, row: 1, column: trimmed, field: id,
                        zh: "与第\(earlier + 1)列重复", en: "same column as column \(earlier + 1)"))
                continue
            }
            columns[id] = index
            names[id] = trimmed
        }
        for column in ReturnColumns.all where column.required && columns[column.id] == nil {
            issues.append(
                ImportIssue(
                    .error, code: "missing_column", file: file, row: 1, column: column.zh, field: column.id,
                    zh: "缺少必需的列「\(column.zh)」(\(column.id))",
                    en: "required column \(column.id) (\(column.zh)) is missing"))
        }
        if columns["year"] == nil && year == nil {
            issues.append(
                ImportIssue(
                    .error, code: "missing_year", file: file, row: 1, column: "学年", field: "year",
                    zh: "文件没有「学年」列，请用 --year 指定学年", en: "no year column; give the school year with --year"))
        }
        if issues.contains(where: { $0.severity == .error }) {
            return ReturnBatch(source: file, records: [], issues: issues, columnNames: names)
        }

        var records: [ReturnRecord] = []
        var seen: [ReturnKey: Int] = [:]
        var registry: [String: (School, Int)] = [:]
        for (offset, cells) in table.rows.enumerated() where !cells.isEmpty {
            let rowNumber = offset + 2
            var row = RowReader(cells: cells, columns: columns, names: names, file: file, row: rowNumber)
            guard let record = row.record(year: year) else { issues += row.issues; continue }
            issues += row.issues
            if let first = seen[record.data.key] {
                issues.append(
                    ImportIssue(
                        .error, code: "duplicate_row", file: file, row: rowNumber, column: names["school_code"],
                        field: "school_code",
                        zh: "学校\(record.school.code)的\(record.data.stage?.zh ?? "全校")数据与第\(first)行重复",
                        en: "school \(record.school.code) \(record.data.stage?.rawValue ?? "whole-school") row repeats row \(first)"))
                continue
            }
            seen[record.data.key] = rowNumber
            if let (school, first) = registry[record.school.code], school != record.school {
                issues.append(
                    ImportIssue(
                        .error, code: "inconsistent_school", file: file, row: rowNumber, column: names["school_name"],
                        field: "school_name",
                        zh: "学校\(school.code)的名称、区县或类型与第\(first)行不一致",
                        en: "school \(school.code) name, county or type differs from row \(first)"))
                continue
            }
            registry[record.school.code] = (record.school, rowNumber)
            records.append(record)
        }
        if records.isEmpty && !issues.contains(where: { $0.severity == .error }) {
            issues.append(ImportIssue(.error, code: "no_rows", file: file, zh: "文件没有数据行", en: "the file has no data rows"))
        }
        let supplied = Set(ReturnField.allCases.filter { columns[$0.rawValue] != nil })
        return ReturnBatch(source: file, records: records, issues: issues, columnNames: names, suppliedFields: supplied)
    }
}

/// Reads one data row, collecting its problems.
struct RowReader {
    let cells: [String]
    let columns: [String: Int]
    let names: [String: String]
    let file: String
    let row: Int
    var issues: [ImportIssue] = []

    func text(_ id: String) -> String? {
        guard let index = columns[id], index < cells.count else { return nil }
        var value = cells[index]
        if value.first?.isWhitespace == true || value.last?.isWhitespace == true {
            value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return value.isEmpty ? nil : value
    }

    mutating func fail(_ id: String, _ code: String, zh: String, en: String) {
        issues.append(ImportIssue(.error, code: code, file: file, row: row, column: names[id] ?? id, field: id, zh: zh, en: en))
    }

    mutating func required(_ id: String) -> String? {
        if let value = text(id) { return value }
        fail(id, "missing_value", zh: "不能为空", en: "must not be blank")
        return nil
    }

    mutating func labelled<T: Labelled>(_ id: String, _ type: T.Type) -> T? {
        guard let value = required(id) else { return nil }
        if let parsed = T.parse(value) { return parsed }
        fail(id, "unknown_value", zh: "无法识别「\(value)」，可填：\(T.accepted)", en: "unknown value '\(value)'; accepted: \(T.accepted)")
        return nil
    }

    mutating func record(year defaultYear: Int?) -> ReturnRecord? {
        let before = issues.count
        var year = defaultYear
        if let raw = text("year") {
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
        let code = required("school_code")
        if let code, !School.isValidCode(code) {
            fail("school_code", "bad_school_code", zh: "学校标识码应为10位数字：「\(code)」", en: "school code must be 10 digits: '\(code)'")
        }
        let name = required("school_name")
        var county: String?
        if let raw = required("county_code") {
            county = RegionCode.normalize(raw)
            if county.map({ RegionCode.level(of: $0) != .county }) ?? true {
                fail("county_code", "bad_county_code", zh: "区县代码应为6位行政区划代码：「\(raw)」", en: "county code must be a 6-digit GB/T 2260 code: '\(raw)'")
                county = nil
            }
        }
        let type = labelled("school_type", SchoolType.self)
        let ownership = labelled("ownership", Ownership.self)
        let locality = labelled("locality", Locality.self)
        var boarding = false
        if let raw = text("boarding") {
            boarding = ["1", "是", "yes", "true", "y", "寄宿"].contains(raw.lowercased())
        }
        var stage: Stage?
        var wholeSchool = false
        if let raw = required("stage") {
            if ["all", "school", "全校", "合计"].contains(raw.lowercased()) {
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
        for field in ReturnField.allCases {
            guard let raw = text(field.rawValue) else { continue }
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
            locality: locality, boarding: boarding)
        return ReturnRecord(school: school, data: data, sourceRow: row)
    }
}
