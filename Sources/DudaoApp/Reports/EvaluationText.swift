import DudaoCore
import DudaoFiles
import Foundation

/// The county result as a terminal report.
public enum EvaluationText {
    public static func render(_ e: CountyEvaluation, _ lang: Language) -> String {
        let zh = lang == .zh
        var out = "\(e.region.name) \(e.region.code) · \(e.programme.name(lang)) · \(e.year)\n"
        out +=
            (zh ? "结论（可由统计数据判定部分）：" : "Verdict (parts computable from returns): ") + (e.passed ? (zh ? "达标" : "PASS") : (zh ? "未达标" : "FAIL")) + "\n"
        out += (zh ? "待补充：" : "Pending: ") + e.pending.map { $0.name(lang) }.joined(separator: zh ? "；" : "; ") + "\n"
        for s in e.stages {
            out += "\n== \(s.stage.label(lang)) == "
            guard let passed = s.passed else { out += zh ? "无参评学校\n" : "no participating schools\n"; continue }
            out += "\(passed ? (zh ? "达标" : "PASS") : (zh ? "未达标" : "FAIL"))  "
            out += zh ? "参评学校 \(s.schools.count)，达标 \(s.schoolsPassed)" : "schools \(s.schools.count), passing \(s.schoolsPassed)"
            if let m = s.cvMean, s.cvMode == .mean { out += zh ? "，综合差异系数 \(NumberText.fixed(m, 3))" : ", overall CV \(NumberText.fixed(m, 3))" }
            out += "\n"
            var rows = [
                [
                    zh ? "指标" : "indicator", zh ? "标准" : "threshold", zh ? "均值" : "mean", zh ? "标准差" : "sd", zh ? "差异系数" : "cv", zh ? "限值" : "limit",
                    "",
                ]
            ]
            for i in s.indicators {
                rows.append([
                    i.id, i.threshold.map(NumberText.plain) ?? "-", i.dispersion.map { NumberText.fixed($0.mean, 2) } ?? "-",
                    i.dispersion.map { NumberText.fixed($0.standardDeviation, 2) } ?? "-",
                    i.dispersion.map { NumberText.fixed($0.cv, 3) } ?? (i.error?.code ?? "-"), NumberText.fixed(i.cvLimit, 2),
                    i.passed ? "ok" : "FAIL",
                ])
            }
            out += CSVTableText.columns(rows)
            let failing = s.failingSchools
            if !failing.isEmpty {
                out += zh ? "未达标学校（\(failing.count)）：\n" : "failing schools (\(failing.count)):\n"
                for c in failing {
                    out += "  \(c.school.code) \(c.school.name) [\(zh ? "达标" : "met") \(c.met)/\(e.programme.indicators.count)]\n"
                    for g in c.gaps { out += "    - \(g.text(lang))\n" }
                }
            }
        }
        if !e.excluded.isEmpty { out += "\n" + (zh ? "未参评：\(e.excluded.count) 个学校学段" : "not taking part: \(e.excluded.count) school stages") + "\n" }
        return out
    }
}

public enum RollupText {
    public static func table(_ r: RegionRollup, _ lang: Language) -> Table {
        let zh = lang == .zh
        return Table(
            name: zh ? "区县评估汇总" : "Counties",
            header: zh ? ["区县代码", "区县", "结论", "参评学校", "未达标学校", "最大差异系数"] : ["code", "county", "verdict", "schools", "failing", "worst CV"],
            rows: r.counties.map { c in
                [
                    c.region.code, c.region.name, c.passed ? (zh ? "达标" : "pass") : (zh ? "未达标" : "fail"), String(c.schools),
                    String(c.failingSchools),
                    c.worst.map { "\($0.stage.rawValue):\($0.indicator)=\(NumberText.fixed($0.cv, 3))" }.joined(separator: " "),
                ]
            },
            textColumns: [0])
    }
}

/// Aligned plain-text columns (CJK characters count double width).
public enum CSVTableText {
    public static func render(_ table: Table) -> String { columns([table.header] + table.rows) }

    public static func columns(_ rows: [[String]]) -> String {
        func width(_ s: String) -> Int { s.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 2 : 1) } }
        let n = rows.map(\.count).max() ?? 0
        let widths = (0..<n).map { i in rows.map { i < $0.count ? width($0[i]) : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in cell + String(repeating: " ", count: max(0, widths[i] - width(cell))) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

/// `--programme`: a shipped id, or a JSON file in the same format (an office's adjusted copy).
public enum ProgrammeChoice {
    public static func resolve(_ value: String) throws -> Programme {
        if let shipped = ProgrammeCatalog.programme(id: value) { return shipped }
        guard FileManager.default.fileExists(atPath: value) else {
            let known = ProgrammeCatalog.builtIn.map(\.id).joined(separator: ", ")
            throw ServiceError(
                .invalid, code: "unknown_programme", field: "programme", zh: "未知评估方案「\(value)」：可用 \(known) 或方案文件路径",
                en: "unknown programme '\(value)': use one of \(known) or a programme file")
        }
        do { return try Programme.decode(Data(contentsOf: URL(fileURLWithPath: value))) } catch {
            throw ServiceError(
                .invalid, code: "invalid_programme", field: "programme", zh: "方案文件 \(value) 无效：\(error)",
                en: "programme file \(value) is invalid: \(error)")
        }
    }
}
