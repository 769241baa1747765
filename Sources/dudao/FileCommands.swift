import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import data files.", subcommands: [ImportReturns.self, ImportInspectors.self, ImportCountyFacts.self])
}

struct ImportInspectors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspectors",
        abstract: "Import inspectors and their responsibility schools (挂牌督导) from CSV or XLSX, all or nothing.")

    @OptionGroup var database: DatabaseOption
    @Argument(help: "A .csv or .xlsx file: id, name, phone, kind, region_code, zone, schools") var file: String
    @Option(help: "Schools per inspector before a warning") var limit = 5

    func run() async throws {
        let parsed = InspectorsFileParser.parse(try Table.read(URL(fileURLWithPath: file)))
        var issues = parsed.issues
        try await database.with { db in
            let known = Set(try await SchoolRepository(db.sql).find(codes: Array(parsed.assignment.keys)).keys)
            for school in parsed.assignment.keys.sorted() where !known.contains(school) {
                issues.append(
                    ImportIssue(
                        .error, code: "unknown_school", file: file, column: "schools", field: "schools",
                        zh: "未知学校\(school)", en: "unknown school \(school)"))
            }
            guard !issues.contains(where: { $0.severity == .error }) else { return }
            try await Services(database: db).inspectors.importRoster(
                parsed.inspectors, assignment: parsed.assignment, usernames: parsed.usernames,
                source: file, actor: "cli")
        }
        for issue in issues { printError(issue.located(.zh)) }
        if issues.contains(where: { $0.severity == .error }) {
            printError("导入被拒绝，未写入任何数据 / import rejected, nothing stored")
            throw ExitCode(2)
        }
        let check = ResponsibilityCheck.check(
            schools: Array(parsed.assignment.keys), inspectors: parsed.inspectors.map(\.id),
            assignment: parsed.assignment, limit: limit)
        for (inspector, n) in check.overloaded.sorted(by: { $0.key < $1.key }) { print("warning: \(inspector) 负责 \(n) 所学校（超过 \(limit)）") }
        print("imported \(parsed.inspectors.count) inspectors, \(parsed.assignment.count) responsibility schools")
    }
}

struct ImportCountyFacts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "county-facts",
        abstract: "Import county facts for the government-duty evaluation (督政) from CSV or XLSX, all or nothing.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var acting: ActingUser
    @Argument(help: "A .csv or .xlsx file: year, county_code, preschool_age_population, education_spending_10k_yuan, …") var file: String
    @Option(help: "Year (when the file has no year column, or to check it)") var year: Int?
    @Option(help: "Who is importing (recorded in the audit log)") var actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
    @Option(help: "Message language: zh or en") var lang = "zh"

    func run() async throws {
        let language = Language(code: lang)
        if let year { _ = try Checked.year(year, field: "year") }
        let parsed = CountyFactsFileParser.parse(try Table.read(URL(fileURLWithPath: file)), year: year)
        for w in parsed.issues where w.severity == .warning { print("warning: " + w.located(language)) }
        let errors = parsed.issues.filter { $0.severity == .error }
        do {
            guard errors.isEmpty else { throw ImportRejected(issues: errors) }
            let counts = try await database.with { db in
                let user = try await acting.identity(db)
                return try await Services(database: db).duty.importFacts(parsed.facts, source: file, by: user, actorName: user?.username ?? actor)
            }
            print(
                language == .zh
                    ? "已导入 \(parsed.facts.count) 个区县年度数据：新增 \(counts.inserted)，更新 \(counts.updated)，未变 \(counts.unchanged)"
                    : "imported \(parsed.facts.count) county rows: \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged")
        } catch let rejected as ImportRejected {
            throw rejected.printed(language)
        }
    }
}

struct ImportReturns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "returns",
        abstract: "Import annual returns from CSV or XLSX, all or nothing.")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var acting: ActingUser
    @Argument(help: "A .csv or .xlsx file in the canonical returns format") var file: String
    @Option(help: "School year (first calendar year, e.g. 2024)") var year: Int?
    @Option(help: "Who is importing (recorded in the audit log)") var actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
    @Option(help: "Message language: zh or en") var lang = "zh"

    func run() async throws {
        let language = Language(code: lang)
        do {
            let url = URL(fileURLWithPath: file)
            let (year, actor) = (self.year, self.actor)
            let report: ImportReport = try await database.with { db in
                let user: Identity? = try await acting.identity(db)
                // Every row must be a school the acting user may enter returns for.
                var scope: (@Sendable (School) -> Bool)? = nil
                if let user { scope = { school in user.canEnterReturns(for: school) } }
                return try await Services(database: db).returns.importFile(url, year: year, actor: user?.username ?? actor, scope: scope)
            }
            for w in report.warnings { print("warning: " + w.located(language)) }
            print(
                language == .zh
                    ? "已导入 \(report.rows) 行（\(report.schools) 所学校）：新增 \(report.inserted)，更新 \(report.updated)，未变 \(report.unchanged)，提示 \(report.warnings.count)"
                    : "imported \(report.rows) rows (\(report.schools) schools): \(report.inserted) new, \(report.updated) updated, \(report.unchanged) unchanged, \(report.warnings.count) warnings"
            )
        } catch let rejected as ImportRejected {
            throw rejected.printed(language)
        }
    }
}

struct Template: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write empty templates.", subcommands: [TemplateReturns.self])
}

struct TemplateReturns: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "returns", abstract: "Empty returns template with Chinese and English headers.")
    @Option(help: "xlsx or csv") var format = "xlsx"
    @Option(help: "Output file (default: returns-template.FORMAT)") var out: String?

    func run() throws {
        let path = out ?? "returns-template.\(format)"
        let sheets = ReturnsTemplate.sheets()
        let data: Data
        switch format {
        case "xlsx": data = try XLSXWriter.write(sheets)
        case "csv": data = CSVTable.write(sheets[0])
        default: throw ValidationError("--format must be xlsx or csv")
        }
        try data.write(to: URL(fileURLWithPath: path))
        print("wrote \(path)")
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export stored data.", subcommands: [ExportReturns.self])
}

struct ExportReturns: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "returns", abstract: "Export a region's returns for a year in the canonical format.")
    @OptionGroup var database: DatabaseOption
    @OptionGroup var acting: ActingUser
    @Option(help: "Region code (county, city or province)") var region: String
    @Option(help: "School year") var year: Int
    @Option(help: "csv or xlsx") var format = "csv"
    @Option(help: "Output file") var out: String

    func run() async throws {
        let (schools, rows) = try await database.with { db in
            if let user = try await acting.identity(db), !user.canRead(region: region) { throw OutOfScope(what: "region \(region)") }
            return (try await SchoolRepository(db.sql).list(under: region), try await ReturnRepository(db.sql).rows(under: region, year: year))
        }
        let byCode = Dictionary(uniqueKeysWithValues: schools.map { ($0.code, $0) })
        let records = rows.compactMap { r in byCode[r.schoolCode].map { ReturnRecord(school: $0, data: r, sourceRow: 0) } }
            .sorted { ($0.school.code, $0.data.stage?.rawValue ?? "") < ($1.school.code, $1.data.stage?.rawValue ?? "") }
        let table = ReturnsTemplate.table(records)
        let data = format == "xlsx" ? try XLSXWriter.write([table]) : CSVTable.write(table)
        try data.write(to: URL(fileURLWithPath: out))
        print("wrote \(records.count) rows to \(out)")
    }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

extension ImportRejected {
    /// Prints every issue with its place and the verdict; the exit code of a rejected import.
    func printed(_ language: Language) -> ExitCode {
        for issue in issues { printError("\(issue.severity == .error ? "error" : "warning"): " + issue.located(language)) }
        printError(language == .zh ? "导入被拒绝：\(errors.count) 个错误，未写入任何数据" : "import rejected: \(errors.count) error(s), nothing stored")
        return ExitCode(2)
    }
}
