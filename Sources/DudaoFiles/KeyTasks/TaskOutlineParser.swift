import DudaoCore
import Foundation

/// A key target's breakdown as offices write it in Excel: one row per task, the outline given
/// by a number column (1 / 1.2 / 1.2.3, or 一、 / （一） / 1. / （1）) or, without numbers, by
/// the indentation of the task's text. Columns (Chinese or English headers): 序号 number,
/// 工作任务 title, 责任单位 unit, 区划代码 region (optional), 第一责任人, 直接责任人,
/// 完成时限 deadline (2026-06-30, 2026/6/30, 2026年6月30日, 2026年6月底, an Excel date),
/// 权重 weight, 目标值 target value (blank: done or not), 基数 baseline, 计量单位, 自动计算指标
/// metric (a `KeyMetric`), 报送频次 cadence (每周/每月).
public enum TaskOutlineParser {
    public struct Result: Sendable {
        public var drafts: [KeyTaskDraft]
        public var issues: [ImportIssue]
    }

    static let aliases: [(id: String, names: [String])] = [
        ("number", ["序号", "编号", "任务编号", "no"]),
        ("title", ["工作任务", "任务", "任务内容", "工作内容", "重点任务", "任务名称", "task"]),
        ("unit", ["责任单位", "牵头单位", "承办单位", "owner"]),
        ("region", ["区划代码", "所属区划", "region_code"]),
        ("first_responsible", ["第一责任人"]),
        ("direct_responsible", ["直接责任人", "分管责任人", "责任人"]),
        ("deadline", ["完成时限", "时限", "截止日期", "完成时间", "时间节点"]),
        ("weight", ["权重", "分值"]),
        ("target_value", ["目标值", "目标数", "target"]),
        ("baseline", ["基数", "基期值", "起始值"]),
        ("measure_unit", ["计量单位"]),
        ("metric", ["自动计算指标", "系统指标"]),
        ("cadence", ["报送频次", "调度频次", "频次"]),
    ]

    /// The header a field is read from (its first Chinese name).
    public static func header(_ field: String) -> String { aliases.first { $0.id == field }?.names.first ?? field }

    public static func parse(_ table: Table) -> Result {
        var issues: [ImportIssue] = []
        var column: [String: Int] = [:]
        for (i, raw) in table.header.enumerated() {
            let h = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if let id = aliases.first(where: { $0.id == h || $0.names.contains(h) })?.id, column[id] == nil { column[id] = i }
        }
        for required in ["title", "unit", "deadline"] where column[required] == nil {
            issues.append(
                ImportIssue(
                    .error, code: "missing_column", file: table.name, row: 1, column: header(required), field: required,
                    zh: "缺少必需的列「\(header(required))」", en: "required column \(required) (\(header(required))) is missing"))
        }
        guard issues.isEmpty else { return Result(drafts: [], issues: issues) }

        struct Line {
            var row: Int
            var cells: [String]
            var depth: Int?
            var explicit: String?
        }
        var lines: [Line] = []
        for (offset, cells) in table.rows.enumerated() {
            let row = offset + 2
            func raw(_ id: String) -> String {
                guard let i = column[id], i < cells.count else { return "" }
                return cells[i]
            }
            if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            lines.append(Line(row: row, cells: cells, depth: nil, explicit: nil))
            let number = raw("number").trimmingCharacters(in: .whitespaces)
            let title = raw("title")
            if KeyTask.isOutlineNumber(number) && (number.contains(".") || column["number"] != nil && Self.dotted(table, column["number"]!)) {
                lines[lines.count - 1].explicit = number
            } else if let style = Self.style(number.isEmpty ? title.trimmingCharacters(in: .whitespaces) : number) {
                lines[lines.count - 1].depth = -style  // resolved below
            } else {
                // Indentation of the task's text: leading blanks (a full-width one counts 2).
                let indent = title.prefix { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }.reduce(0) {
                    $0 + ($1 == "\u{3000}" ? 2 : $1 == "\t" ? 4 : 1)
                }
                lines[lines.count - 1].depth = 1000 + indent
            }
        }

        // Styles and indents present, shallowest first, become depths 1, 2, 3, …
        let styles = Set(lines.compactMap { $0.depth.flatMap { $0 < 0 ? -$0 : nil } }).sorted()
        let indents = Set(lines.compactMap { $0.depth.flatMap { $0 >= 1000 ? $0 : nil } }).sorted()
        var counters: [Int] = []
        var drafts: [KeyTaskDraft] = []
        for line in lines {
            let cell = TableRow(
                cells: line.cells, row: line.row, columns: column, table: table,
                trimming: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{3000}")))
            func fail(_ id: String, _ zh: String, _ en: String) { issues.append(cell.issue(id, "invalid", zh: zh, en: en, column: header(id))) }
            var number: String
            if let explicit = line.explicit {
                number = explicit
                counters = explicit.split(separator: ".").compactMap { Int($0) }
            } else {
                let d = line.depth!
                let depth = d < 0 ? styles.firstIndex(of: -d)! + 1 : indents.firstIndex(of: d)! + 1
                if depth > counters.count + 1 {
                    fail("number", "层级跳跃：上一行是第\(counters.count)级，本行是第\(depth)级", "skips a level: level \(depth) after level \(counters.count)")
                    continue
                }
                counters = Array(counters.prefix(depth))
                if counters.count == depth { counters[depth - 1] += 1 } else { counters.append(1) }
                number = counters.map(String.init).joined(separator: ".")
            }
            var title = cell("title")
            if line.explicit == nil, cell("number").isEmpty, let style = style(title) { title = Self.strip(style, from: title) }
            var deadline = ""
            let deadlineText = cell("deadline")
            if let d = Self.date(deadlineText) {
                deadline = d
            } else {
                fail(
                    "deadline", "完成时限应为日期（如 2026-06-30、2026年6月30日、2026年6月底）：「\(deadlineText)」",
                    "the deadline must be a date (2026-06-30, 2026年6月30日, 2026年6月底): '\(deadlineText)'")
            }
            func numeric(_ id: String, label: String) -> Double? {
                let text = cell(id).replacingOccurrences(of: "%", with: "")
                guard !text.isEmpty else { return nil }
                do { return try Checked.number(text, field: id, label: (label, id), in: -1e12...1e12, whole: false) } catch {
                    fail(id, error.messageZh, error.messageEn)
                    return nil
                }
            }
            let weight = numeric("weight", label: "权重")
            if let w = weight, w < 0 { fail("weight", "权重不能为负数", "the weight cannot be negative") }
            let target = numeric("target_value", label: "目标值")
            let baseline = numeric("baseline", label: "基数") ?? 0
            var measure = KeyTaskMeasure.checkbox
            let metricText = cell("metric")
            if !metricText.isEmpty {
                if let metric = KeyMetric.parse(metricText), let target {
                    measure = .computed(metric: metric, target: target, baseline: baseline)
                } else if KeyMetric.parse(metricText) == nil {
                    fail(
                        "metric", "未知的自动计算指标「\(metricText)」（可用：\(KeyMetric.allCases.map(\.zh).joined(separator: "、"))）",
                        "unknown metric '\(metricText)' (one of \(KeyMetric.allCases.map(\.rawValue).joined(separator: ", ")))")
                } else {
                    fail("target_value", "自动计算的任务须填写目标值", "a computed task needs a target value")
                }
            } else if let target {
                measure = .number(target: target, baseline: baseline, unit: cell("measure_unit"))
            }
            var cadence = ReportCadence.monthly
            let cadenceText = cell("cadence")
            if !cadenceText.isEmpty {
                if let c = ReportCadence.parse(cadenceText) {
                    cadence = c
                } else {
                    fail("cadence", "报送频次应为 每周 或 每月：「\(cadenceText)」", "the cadence must be weekly or monthly: '\(cadenceText)'")
                }
            }
            var region: String?
            let regionText = cell("region")
            if !regionText.isEmpty {
                region = RegionCode.normalize(regionText)
                if region == nil { fail("region", "区划代码无效：「\(regionText)」", "invalid region code '\(regionText)'") }
            }
            drafts.append(
                KeyTaskDraft(
                    number: number, title: title, unit: cell("unit"), region: region, firstResponsible: cell("first_responsible"),
                    directResponsible: cell("direct_responsible"), deadline: deadline, weight: weight, measure: measure, cadence: cadence,
                    row: line.row))
        }
        return Result(drafts: drafts, issues: issues)
    }

    /// Whether the number column holds dotted outline numbers anywhere (then plain "1", "2" are top-level numbers too).
    static func dotted(_ table: Table, _ index: Int) -> Bool {
        table.rows.contains { $0.count > index && $0[index].contains(".") && KeyTask.isOutlineNumber($0[index].trimmingCharacters(in: .whitespaces)) }
    }

    /// Chinese official numbering: 一、 (1), （一） (2), 1. or 1、 (3), （1） (4).
    static func style(_ text: String) -> Int? {
        let numerals = "一二三四五六七八九十百"
        let t = text.trimmingCharacters(in: .whitespaces)
        if let first = t.first, numerals.contains(first) {
            let head = t.prefix { numerals.contains($0) }
            if t.dropFirst(head.count).first.map({ "、．.".contains($0) }) ?? (head.count == t.count) { return 1 }
        }
        if t.hasPrefix("（") || t.hasPrefix("(") {
            let inner = t.dropFirst().prefix { $0 != "）" && $0 != ")" }
            if !inner.isEmpty && inner.allSatisfy({ numerals.contains($0) }) { return 2 }
            if !inner.isEmpty && inner.isASCIIDigits { return 4 }
        }
        let digits = t.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty && (digits.count == t.count || t.dropFirst(digits.count).first.map({ "、．.".contains($0) }) == true) {
            // "1.2" is a dotted number, not a style.
            let rest = t.dropFirst(digits.count).dropFirst()
            if rest.first.map({ $0.isASCII && $0.isNumber }) != true { return 3 }
        }
        return nil
    }

    /// The task's text without a numbering prefix written into it ("一、控辍保学" → "控辍保学").
    static func strip(_ style: Int, from text: String) -> String {
        var t = Substring(text.trimmingCharacters(in: .whitespaces))
        switch style {
        case 2, 4: t = t.drop { $0 != "）" && $0 != ")" }.dropFirst()
        default:
            t = t.drop { !"、．.".contains($0) }
            t = t.dropFirst()
        }
        let out = t.trimmingCharacters(in: .whitespaces)
        return out.isEmpty ? text.trimmingCharacters(in: .whitespaces) : out
    }

    /// A day from the ways offices write deadlines; nil when it is not one.
    public static func date(_ raw: String) -> String? {
        let t = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "前", with: "")
        if let d = try? Checked.date(t, field: "deadline") { return d }
        // An Excel serial day (days since 1899-12-30), as a date cell arrives from XLSX.
        if let serial = Int(t), (20_000...80_000).contains(serial) { return DateText.string(fromOrdinal: serial - 25_569) }
        var parts: [Int] = []
        var current = ""
        var endOfMonth = false, endOfYear = false
        for ch in t {
            if ch.isASCII && ch.isNumber { current.append(ch); continue }
            if !current.isEmpty { parts.append(Int(current)!); current = "" }
            if ch == "底" || ch == "末" { if parts.count == 1 { endOfYear = true } else { endOfMonth = true } }
        }
        if !current.isEmpty { parts.append(Int(current)!) }
        guard let y = parts.first, Checked.years.contains(y) else { return nil }
        if parts.count == 1 { return endOfYear || t.hasSuffix("年") ? "\(y)-12-31" : nil }
        let m = parts[1]
        guard (1...12).contains(m) else { return nil }
        let day = parts.count >= 3 ? parts[2] : (endOfMonth || parts.count == 2 ? DateText.daysIn(month: m, year: y) : 0)
        return try? Checked.date(String(format: "%04d-%02d-%02d", y, m, day), field: "deadline")
    }
}
