import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

/// `dudao keytasks`: key targets, their breakdown from a spreadsheet, progress, the dispatch
/// ranking and escalation letters (the same use cases as the web).
struct KeyTasksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keytasks", abstract: "Key-task supervision (重点工作督办): targets, breakdown, progress, ranking, letters.",
        subcommands: [Target.self, Import.self, Report.self, Refresh.self, Dispatch.self, Letter.self])

    static func print(json value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    struct Target: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a yearly target of a region's office; prints its id.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Region code of the office setting it (e.g. 4110)") var region: String
        @Option(help: "Year") var year: Int
        @Option(help: "Title, e.g. 2026年学位建设") var title: String
        @Option(help: "Description") var description = ""

        func run() async throws {
            let target = try await database.with { db in
                try await Services(database: db).keyTasks.createTarget(
                    region: region, year: year, title: title, description: description, by: try await acting.identity(db) ?? .system("cli"))
            }
            Swift.print(target.id)
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a target's tasks from an XLSX or CSV outline (序号 1/1.2 or 一、/（一）/1., or indentation); all or nothing.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Target id") var target: String
        @Argument(help: "The outline file (.xlsx or .csv)") var file: String

        func run() async throws {
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            do {
                let tasks = try await database.with { db in
                    try await Services(database: db).keyTasks.importOutline(
                        file: data, filename: URL(fileURLWithPath: file).lastPathComponent, to: target,
                        by: try await acting.identity(db) ?? .system("cli"))
                }
                Swift.print("\(tasks.count) tasks added")
            } catch let rejected as ImportRejected {
                for issue in rejected.issues { FileHandle.standardError.write(Data((issue.located(.zh) + "\n").utf8)) }
                throw ExitCode.failure
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Report progress on a leaf task (the owner's office: awaits review; the supervising office: accepted at once).")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Task id") var task: String
        @Option(help: "The value now (number tasks)") var value: Double?
        @Option(help: "Done: yes or no (checkbox tasks)") var done: String?
        @Option(help: "The day the value holds for (default today)") var day: String?
        @Option(help: "What was done") var narrative = ""
        @Option(help: "Evidence file (repeat for several)") var file: [String] = []

        func run() async throws {
            let isDone: Bool? = try done.map {
                guard ["yes", "no", "1", "0", "是", "否"].contains($0) else { throw ValidationError("--done is yes or no") }
                return ["yes", "1", "是"].contains($0)
            }
            let files = try file.map { (URL(fileURLWithPath: $0).lastPathComponent, try Data(contentsOf: URL(fileURLWithPath: $0))) }
            let report = try await database.with { db in
                try await Services(database: db).keyTasks.report(
                    .init(taskId: task, day: day, value: value, done: isDone, narrative: narrative, files: files),
                    by: try await acting.identity(db) ?? .system("cli"))
            }
            Swift.print("\(report.id) \(report.status.rawValue)")
        }
    }

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record today's values of the target's tasks that Dudao computes from its data.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Target id") var target: String

        func run() async throws {
            let changed = try await database.with { db in
                try await Services(database: db).keyTasks.refreshComputed(target, by: try await acting.identity(db) ?? .system("cli"))
            }
            Swift.print("\(changed) values changed")
        }
    }

    struct Dispatch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The ranking of a region's units on a day with the change since an earlier one (json, table, or --out .xlsx/.docx).")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Region code") var region: String
        @Option(help: "Year of the targets") var year: Int
        @Option(help: "Meeting day (default today)") var date: String?
        @Option(help: "Earlier day compared with (default a month before)") var since: String?
        @Option(help: "json or table") var format = "table"
        @Option(help: "Write the published version to this .xlsx or .docx file") var out: String?

        func run() async throws {
            guard ["json", "table"].contains(format) else { throw ValidationError("--format is json or table") }
            let (dto, office) = try await database.with { db in
                let services = Services(database: db)
                let (targets, view) = try await services.keyTasks.dispatch(
                    region: region, year: year, day: date, since: since, for: try await acting.identity(db) ?? .system("cli"))
                let name = try await RegionRepository(db.sql).find(region)?.name ?? ""
                return (DispatchDTO(region: region, year: year, targets: targets, view: view), EscalationLetter.officeName(region: name))
            }
            if let out {
                let data = out.hasSuffix(".docx") ? try dto.document(office: office) : try XLSXWriter.write(dto.tables())
                try data.write(to: URL(fileURLWithPath: out))
                Swift.print("→ \(out)")
            } else if format == "json" {
                try KeyTasksCommand.print(json: dto)
            } else {
                Swift.print(CSVTableText.render(dto.tables()[0]))
            }
        }
    }

    struct Letter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a reminder, supervision letter or early warning; prints its number and writes the Word letter with --out.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "reminder, supervision or warning") var kind: String
        @Option(help: "key_task, rectification or ranking") var trigger: String
        @Option(help: "Task id, rectification case id, or REGION/YEAR for a ranking") var object: String
        @Option(help: "The unit written to (ranking)") var unit: String?
        @Option(help: "Reply by, YYYY-MM-DD") var replyDue: String
        @Option(help: "Write the letter to this .docx file") var out: String?

        func run() async throws {
            guard let k = LetterKind.parse(kind) else { throw ValidationError("--kind is reminder, supervision or warning") }
            guard let t = LetterTrigger.parse(trigger) else { throw ValidationError("--trigger is key_task, rectification or ranking") }
            let (letter, docx) = try await database.with { db in
                let services = Services(database: db)
                let letter = try await services.escalations.issue(
                    .init(kind: k, trigger: t, objectId: object, unit: unit, replyDue: replyDue), by: try await acting.identity(db) ?? .system("cli"))
                return (letter, try await services.escalations.document(letter))
            }
            if let out { try docx.write(to: URL(fileURLWithPath: out)) }
            Swift.print("\(letter.number) \(letter.title) → \(letter.unit)")
            Swift.print(letter.id)
        }
    }
}
