import ArgumentParser
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoWeb
import Foundation

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a region against a programme (county: full result; city/province: its counties).")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var acting: ActingUser
    @Option(help: "Region code, e.g. 411081 (county), 4110 (city), 41 (province)") var region: String
    @Option(help: "School year (default: newest with data)") var year: Int?
    @Option(help: "Programme id (\(ProgrammeCatalog.builtIn.map(\.id).joined(separator: ", "))) or the path of an adjusted copy of a programme file") var programme = ProgrammeCatalog.defaultId
    @Option(help: "table, json or xlsx") var format = "table"
    @Option(help: "Output file (required for xlsx; json defaults to stdout)") var out: String?
    @Option(help: "Language of names and gap texts: zh or en") var lang = "zh"

    func validate() throws {
        guard ["table", "json", "xlsx"].contains(format) else { throw ValidationError("--format must be table, json or xlsx") }
        if format == "xlsx" && out == nil { throw ValidationError("--format xlsx needs --out FILE") }
    }

    func run() async throws {
        let language = Language(code: lang)
        let chosen = try ProgrammeChoice.resolve(programme)
        let result: RegionEvaluation
        do {
            result = try await database.with { db in
                if let user = try await acting.identity(db), !user.canRead(region: region) { throw OutOfScope(what: "region \(region)") }
                return try await EvaluationService(db.sql).evaluate(region: region, year: year, programme: chosen)
            }
        } catch let failure as EvaluationFailure {
            printError(failure.description)
            throw ExitCode(2)
        }
        switch (format, result) {
        case ("json", .county(let e)): try emit(try encode(CountyEvaluationDTO(e, language: language)))
        case ("json", .rollup(let r)): try emit(try encode(RegionRollupDTO(r, language: language)))
        case ("xlsx", .county(let e)): try emit(try XLSXWriter.write(EvaluationWorkbook.sheets(e, language: language)))
        case ("xlsx", .rollup(let r)): try emit(try XLSXWriter.write([RollupText.table(r, language)]))
        case (_, .county(let e)): print(EvaluationText.render(e, language))
        case (_, .rollup(let r)): print(CSVTableText.render(RollupText.table(r, language)))
        }
    }

    func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    func emit(_ data: Data) throws {
        if let out {
            try data.write(to: URL(fileURLWithPath: out))
            print("wrote \(out)")
        } else {
            FileHandle.standardOutput.write(data)
            print()
        }
    }
}

/// The county result as a terminal report.
enum EvaluationText {
    static func render(_ e: CountyEvaluation, _ lang: Language) -> String {
        let zh = lang == .zh
        var out = "\(e.region.name) \(e.region.code) · \(e.programme.name(lang)) · \(e.year)\n"
        out += (zh ? "结论（可由统计数据判定部分）：" : "Verdict (parts computable from returns): ") + (e.passed ? (zh ? "达标" : "PASS") : (zh ? "未达标" : "FAIL")) + "\n"
        out += (zh ? "待补充：" : "Pending: ") + e.pending.map { $0.name(lang) }.joined(separator: zh ? "；" : "; ") + "\n"
        for s in e.stages {
            out += "\n== \(s.stage.label(lang)) == "
            guard let passed = s.passed else { out += zh ? "无参评学校\n" : "no participating schools\n"; continue }
            out += "\(passed ? (zh ? "达标" : "PASS") : (zh ? "未达标" : "FAIL"))  "
            out += zh ? "参评学校 \(s.schools.count)，达标 \(s.schoolsPassed)" : "schools \(s.schools.count), passing \(s.schoolsPassed)"
            if let m = s.cvMean, s.cvMode == .mean { out += zh ? "，综合差异系数 \(NumberText.fixed(m, 3))" : ", overall CV \(NumberText.fixed(m, 3))" }
            out += "\n"
            var rows = [[zh ? "指标" : "indicator", zh ? "标准" : "threshold", zh ? "均值" : "mean", zh ? "标准差" : "sd", zh ? "差异系数" : "cv", zh ? "限值" : "limit", ""]]
            for i in s.indicators {
                rows.append([i.id, i.threshold.map(NumberText.plain) ?? "-", i.dispersion.map { NumberText.fixed($0.mean, 2) } ?? "-",
                             i.dispersion.map { NumberText.fixed($0.standardDeviation, 2) } ?? "-",
                             i.dispersion.map { NumberText.fixed($0.cv, 3) } ?? (i.error?.code ?? "-"), NumberText.fixed(i.cvLimit, 2),
                             i.passed ? "ok" : "FAIL"])
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

enum RollupText {
    static func table(_ r: RegionRollup, _ lang: Language) -> Table {
        let zh = lang == .zh
        return Table(
            name: zh ? "区县评估汇总" : "Counties",
            header: zh ? ["区县代码", "区县", "结论", "参评学校", "未达标学校", "最大差异系数"] : ["code", "county", "verdict", "schools", "failing", "worst CV"],
            rows: r.counties.map { c in
                [c.region.code, c.region.name, c.passed ? (zh ? "达标" : "pass") : (zh ? "未达标" : "fail"), String(c.schools), String(c.failingSchools),
                 c.worst.map { "\($0.stage.rawValue):\($0.indicator)=\(NumberText.fixed($0.cv, 3))" }.joined(separator: " ")]
            },
            textColumns: [0])
    }
}

/// Aligned plain-text columns (CJK characters count double width).
enum CSVTableText {
    static func render(_ table: Table) -> String { columns([table.header] + table.rows) }

    static func columns(_ rows: [[String]]) -> String {
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
enum ProgrammeChoice {
    static func resolve(_ value: String) throws -> Programme {
        if let shipped = ProgrammeCatalog.programme(id: value) { return shipped }
        guard FileManager.default.fileExists(atPath: value) else {
            throw ValidationError("unknown programme '\(value)': use one of \(ProgrammeCatalog.builtIn.map(\.id).joined(separator: ", ")) or a programme file")
        }
        do { return try Programme.decode(Data(contentsOf: URL(fileURLWithPath: value))) } catch {
            throw ValidationError("programme file \(value) is invalid: \(error)")
        }
    }
}
