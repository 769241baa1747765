import DudaoCore

/// The inspectors file: one row per inspector with the schools they are responsible for.
/// Columns (Chinese or English headers): id/督学编号, name/姓名, phone/联系电话,
/// kind/专兼职 (专职/兼职), region_code/所属区划, zone/责任区, schools/责任学校 (school codes
/// separated by ; 、 or spaces), username/用户名 (optional: the inspector's sign-in account).
public enum InspectorsFileParser {
    public struct Result: Sendable {
        public var inspectors: [Inspector]
        /// School → inspector.
        public var assignment: [String: String]
        /// Inspector id → the username of their account, where the file gives one.
        public var usernames: [String: String] = [:]
        public var issues: [ImportIssue]
    }

    static let aliases: [String: [String]] = [
        "id": ["督学编号", "编号"], "name": ["姓名", "督学姓名"], "phone": ["联系电话", "电话", "手机"],
        "kind": ["专兼职", "类别"], "region_code": ["所属区划", "区划代码", "区县代码"], "zone": ["责任区"],
        "schools": ["责任学校", "学校标识码", "负责学校"], "username": ["用户名", "登录账号", "账号"],
    ]

    public static func parse(_ table: Table) -> Result {
        var issues: [ImportIssue] = []
        var column: [String: Int] = [:]
        for (i, header) in table.header.enumerated() {
            let h = header.trimmingCharacters(in: .whitespaces)
            if let id = aliases.first(where: { $0.key == h || $0.value.contains(h) })?.key { column[id] = i }
        }
        for required in ["id", "name", "phone", "region_code"] where column[required] == nil {
            issues.append(
                ImportIssue(
                    .error, code: "missing_column", file: table.name, row: 1, column: aliases[required]![0], field: required,
                    zh: "缺少必需的列「\(aliases[required]![0])」(\(required))", en: "required column \(required) is missing"))
        }
        guard issues.isEmpty else { return Result(inspectors: [], assignment: [:], issues: issues) }
        var inspectors: [Inspector] = []
        var assignment: [String: String] = [:]
        var usernames: [String: String] = [:]
        var firstRow: [String: Int] = [:]
        for (offset, cells) in table.rows.enumerated() where !cells.isEmpty {
            let row = offset + 2
            let cell = TableRow(cells: cells, row: row, columns: column, table: table)
            func fail(_ id: String, _ code: String, _ zh: String, _ en: String) { issues.append(cell.issue(id, code, zh: zh, en: en)) }
            let id = cell("id"), name = cell("name"), phone = cell("phone")
            if id.isEmpty { fail("id", "missing_value", "不能为空", "must not be blank") }
            if name.isEmpty { fail("name", "missing_value", "不能为空", "must not be blank") }
            if !phone.isEmpty && !phone.allSatisfy({ $0.isNumber || $0 == "-" }) {
                fail("phone", "bad_phone", "电话号码只能包含数字和-：「\(phone)」", "phone may hold digits and - only: '\(phone)'")
            }
            let region = RegionCode.normalize(cell("region_code"))
            if region == nil { fail("region_code", "bad_region", "区划代码无效：「\(cell("region_code"))」", "invalid region code '\(cell("region_code"))'") }
            let kindText = cell("kind")
            let kind = kindText.isEmpty ? Inspector.Kind.partTime : Inspector.Kind.parse(kindText)
            if kind == nil { fail("kind", "unknown_value", "应为 专职 或 兼职：「\(kindText)」", "must be full_time or part_time: '\(kindText)'") }
            if let first = firstRow[id], !id.isEmpty { fail("id", "duplicate_row", "与第\(first)行重复", "repeats row \(first)") }
            firstRow[id] = firstRow[id] ?? row
            for school in cell("schools").split(whereSeparator: { ";；、, ".contains($0) }).map(String.init) {
                if !School.isValidCode(school) {
                    fail("schools", "bad_school_code", "学校标识码应为10位数字：「\(school)」", "school code must be 10 digits: '\(school)'"); continue
                }
                if let other = assignment[school], other != id {
                    fail(
                        "schools", "two_inspectors", "学校\(school)已由\(other)负责（每校只能有一名责任督学）",
                        "school \(school) already has inspector \(other) (one per school)")
                    continue
                }
                assignment[school] = id
            }
            let username = cell("username")
            if !username.isEmpty {
                if !username.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) || username.count > 64 {
                    fail(
                        "username", "bad_username", "用户名只能包含字母、数字和 - _ .：「\(username)」", "a username holds letters, digits, - _ . only: '\(username)'"
                    )
                } else if let other = usernames.first(where: { $0.value == username && $0.key != id })?.key {
                    fail(
                        "username", "duplicate_username", "用户名\(username)已用于督学\(other)", "username \(username) is already used by inspector \(other)")
                } else if !id.isEmpty {
                    usernames[id] = username
                }
            }
            if let region, let kind, !id.isEmpty, !name.isEmpty {
                inspectors.append(
                    Inspector(id: id, name: name, phone: phone, kind: kind, regionCode: region, zone: cell("zone").isEmpty ? nil : cell("zone")))
            }
        }
        return Result(inspectors: inspectors, assignment: assignment, usernames: usernames, issues: issues)
    }
}
