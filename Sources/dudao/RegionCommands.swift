import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoStore
import Foundation

/// `dudao regions`: the division list's history (changes), re-filing data stored under old
/// codes, and naming placeholder regions.
struct RegionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "regions", abstract: "Administrative divisions: their changes, applying them to stored data, naming placeholders.",
        subcommands: [Changes.self, Apply.self, Name.self])

    struct Changes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List division changes (new code, new name, merge) from a year on.")
        @Option(help: "From this year (inclusive)") var since: Int = 1949

        func run() throws {
            for c in RegionCatalog.standardChanges.filter({ $0.year >= since }).sorted(by: { ($0.year, $0.oldCode) < ($1.year, $1.oldCode) }) {
                let to = c.kind == .abolish ? "(撤销 abolished: split or merged into several)" : "\(c.newCode) \(c.newName)"
                print("\(c.year == 0 ? "-" : String(c.year))\t\(c.kind.rawValue)\t\(c.oldCode) \(c.oldName)\t→\t\(to)")
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move schools, visits and cases stored under changed county codes to their successors (after upgrading).")
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let applied = try await database.with { try await Services(database: $0).regions.applyChanges(by: .system("cli")) }
            if applied.isEmpty { print("nothing stored under changed codes") }
            for a in applied { print("\(a.change.description): \(a.schools) schools moved") }
        }
    }

    struct Name: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Name a stored region (a placeholder an import made for an unknown code).")
        @OptionGroup var database: DatabaseOption
        @Option(help: "Region code") var code: String
        @Option(help: "Its name") var name: String

        func run() async throws {
            try await database.with { try await Services(database: $0).regions.name(code, as: name, by: .system("cli")) }
            print("\(code) \(name)")
        }
    }
}
