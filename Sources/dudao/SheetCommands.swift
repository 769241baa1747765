import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

/// `dudao sheet`: a county's score sheet for a year, as a table or JSON.
struct SheetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "Show a county's score sheet (\(ScoreSheet.builtIn.map(\.id).joined(separator: ", "))): items, answers, total, verdict.")
    @OptionGroup var database: DatabaseOption
    @OptionGroup var acting: ActingUser
    @Option(help: "County code, e.g. 411081") var region: String
    @Option(help: "Sheet id") var sheet: String
    @Option(help: "Year") var year: Int

    func run() async throws {
        guard let s = ScoreSheet.sheet(id: sheet) else { throw ValidationError("unknown sheet \(sheet)") }
        let result = try await database.with { db in
            if let user = try await acting.identity(db), !user.canRead(region: region) { throw OutOfScope(what: "region \(region)") }
            return try await Services(database: db).sheets.result(sheet: s, region: region, year: year)
        }
        let rows = zip(s.items, result.items).map { item, r -> [String] in
            [item.id, item.textZh, SelfEvaluationReport.answer(item, r, s), (r.computed?.details ?? []).joined(separator: "；")]
        }
        print(CSVTableText.render(Table(name: s.id, header: ["项", "内容", "结果", "数据"], rows: rows)))
        let verdict = result.passed.map { $0 ? "达标" : "未达标" } ?? "尚未评完"
        print(
            "合计 \(NumberText.fixed(result.total, 1)) · 已评 \(result.answered)/\(result.items.count) · \(verdict)\(result.grade.map { " · " + $0.zh } ?? "")"
        )
    }
}

/// `dudao report`: the self-evaluation report as text or as a Word document.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a county's self-evaluation report (自评报告) for a programme and year.")
    @OptionGroup var database: DatabaseOption
    @OptionGroup var acting: ActingUser
    @Option(help: "County code") var region: String
    @Option(help: "Year") var year: Int
    @Option(help: "Programme id") var programme = ProgrammeCatalog.defaultId
    @Option(help: "A .docx file to write (default: print the text)") var out: String?

    func run() async throws {
        let report = try await database.with { db -> SelfEvaluationReport? in
            if let user = try await acting.identity(db), !user.canRead(region: region) { throw OutOfScope(what: "region \(region)") }
            return try await Services(database: db).evaluations.report(county: region, year: year, programme: programme)
        }
        guard let report else {
            printError("no returns for \(region) in \(year) / 无统计数据")
            throw ExitCode(2)
        }
        if let out {
            try report.docx().write(to: URL(fileURLWithPath: out))
            print("wrote \(out)")
            return
        }
        print(report.title)
        for s in report.sections {
            print("\n" + s.title)
            for p in s.paragraphs { print("  " + p) }
            for t in s.tables { print(CSVTableText.render(t)) }
        }
    }
}
