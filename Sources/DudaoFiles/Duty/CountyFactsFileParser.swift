import DudaoCore

/// The county-facts file (SPEC §3.5): one row per county and year. Columns (Chinese or
/// English headers): year/年度 (or `--year`), county_code/区县代码, and any of the
/// `CountyFact` columns; a blank cell is unknown, never zero.
public enum CountyFactsFileParser {
    public struct Result: Sendable {
        public var facts: [(row: Int, facts: CountyFacts)]
        public var issues: [ImportIssue]
    }

    static let aliases: [String: [String]] = {
        var a: [String: [String]] = [
            "year": ["年度", "学年", "统计年度"], "county_code": ["区县代码", "县区代码", "行政区划代码", "区划代码"],
        ]
        let extra: [CountyFact: [String]] = [
            .preschoolAgePopulation: ["学前三年适龄人口", "适龄幼儿数", "学前适龄人口"],
            .educationSpending: ["一般公共预算教育支出", "教育支出(万元)", "本年一般公共预算教育支出"],
            .educationSpendingPrev: ["上年一般公共预算教育支出", "上年教育支出(万元)"],
            .perStudentSpending: ["生均一般公共预算教育支出", "生均教育支出"],
            .perStudentSpendingPrev: ["上年生均一般公共预算教育支出", "上年生均教育支出"],
            .teacherAveragePay: ["教师平均工资收入", "中小学教师平均工资", "教师平均工资"],
            .civilServantAveragePay: ["公务员平均工资收入", "当地公务员平均工资", "公务员平均工资"],
        ]
        for fact in CountyFact.allCases { a[fact.rawValue] = [fact.zh] + (extra[fact] ?? []) }
        return a
    }()

    static func normalize(_ header: String) -> String {
        var s = header.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
        s = s.filter { !$0.isWhitespace && $0 != "\u{FEFF}" }.lowercased()
        return s
    }

    static func id(of header: String) -> String? {
        let h = normalize(header)
        let bare = h.replacingOccurrences(of: #"\(.*\)$"#, with: "", options: .regularExpression)
        for (id, names) in aliases where id == h || names.contains(where: { normalize($0) == h || normalize($0) == bare }) {
            return id
        }
        return nil
    }

    public static func parse(_ table: Table, year defaultYear: Int?) -> Result {
        var issues: [ImportIssue] = []
        var column: [String: Int] = [:]
        for (i, header) in table.header.enumerated() {
            guard let id = id(of: header) else {
                issues.append(
                    ImportIssue(
                        .warning, code: "unknown_column", file: table.name, row: 1, column: header, field: nil,
                        zh: "未识别的列「\(header)」，已忽略", en: "unknown column '\(header)' ignored"))
                continue
            }
            if column[id] != nil {
                issues.append(
                    ImportIssue(
                        .error, code: "duplicate_column", file: table.name, row: 1, column: header, field: id,
                        zh: "列「\(header)」重复", en: "column \(header) appears twice"))
            }
            column[id] = i
        }
        if column["county_code"] == nil {
            issues.append(
                ImportIssue(
                    .error, code: "missing_column", file: table.name, row: 1, column: "区县代码", field: "county_code",
                    zh: "缺少必需的列「区县代码」(county_code)", en: "required column county_code is missing"))
        }
        if column["year"] == nil && defaultYear == nil {
            issues.append(
                ImportIssue(
                    .error, code: "missing_column", file: table.name, row: 1, column: "年度", field: "year",
                    zh: "缺少列「年度」(year)，或请用 --year 指定", en: "column year is missing; give --year"))
        }
        guard !issues.contains(where: { $0.severity == .error }) else { return Result(facts: [], issues: issues) }
        var out: [(Int, CountyFacts)] = []
        var firstRow: [String: Int] = [:]
        for (offset, cells) in table.rows.enumerated() where cells.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let row = offset + 2
            let cell = TableRow(cells: cells, row: row, columns: column, table: table)
            func fail(_ id: String, _ code: String, _ zh: String, _ en: String) { issues.append(cell.issue(id, code, zh: zh, en: en)) }
            var year = defaultYear
            if column["year"] != nil {
                do { year = try Checked.year(cell("year"), field: "year") } catch { fail("year", error.code, error.messageZh, error.messageEn) }
                if let y = year, let d = defaultYear, y != d {
                    fail("year", "year_mismatch", "年度\(y)与 --year \(d) 不一致", "year \(y) differs from --year \(d)")
                }
            }
            let raw = cell("county_code")
            guard let code = RegionCode.normalize(raw), code.count == 6 else {
                fail("county_code", "bad_region", "区县代码应为6位数字：「\(raw)」", "county_code must be 6 digits: '\(raw)'")
                continue
            }
            guard let year else { continue }
            var facts = CountyFacts(countyCode: code, year: year)
            for fact in CountyFact.allCases where column[fact.rawValue] != nil {
                let text = cell(fact.rawValue)
                guard !text.isEmpty else { continue }
                do { facts[fact] = try fact.parse(text) } catch { fail(fact.rawValue, error.code, error.messageZh, error.messageEn) }
            }
            let key = "\(code)/\(year)"
            if let first = firstRow[key] { fail("county_code", "duplicate_row", "与第\(first)行重复", "repeats row \(first)") }
            firstRow[key] = firstRow[key] ?? row
            out.append((row, facts))
        }
        return Result(facts: out, issues: issues)
    }
}
