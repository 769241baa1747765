import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

/// `dudao survey`: campaigns of anonymous questionnaires and their results.
struct SurveyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey", abstract: "Anonymous survey campaigns (问卷调查): create links, read results, close.",
        subcommands: [Campaign.self, Results.self, Close.self])

    /// `dudao survey campaign`: links for every school of a county (or one school), as a CSV.
    struct Campaign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Create a campaign (or add links to the open one with the same survey, county and closing day); write one answering URL per row.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Survey id (\(SurveyCatalog.builtIn.map(\.id).joined(separator: ", ")))") var survey: String
        @Option(help: "County code, e.g. 411081") var region: String
        @Option(help: "Only these schools (10-digit code; repeat the option for a sample)") var school: [String] = []
        @Option(help: "Respondent group: \(RespondentGroup.allCases.map(\.rawValue).joined(separator: "|"))") var group: String
        @Option(help: "Links per school (1…5000)") var links: Int
        @Option(help: "Last day answers are taken, YYYY-MM-DD") var closes: String
        @Option(help: "Campaign title (default: year and survey name)") var title: String?
        @Option(help: "Year the results count for (default: the closing day's)") var year: Int?
        @Option(help: "Where the answering pages are served") var baseURL = "http://localhost:8080"
        @Option(help: "CSV file to write (columns school_code, school, group, url)") var out: String

        func run() async throws {
            guard let g = RespondentGroup.parse(group) else {
                throw ValidationError("unknown group \(group): one of \(RespondentGroup.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let request = Surveys.LinkRequest(
                surveyId: survey, region: region, schools: school, group: g, perSchool: links, closesOn: closes, title: title, year: year)
            let (created, names) = try await database.with { db in
                let actor = try await acting.identity(db) ?? Identity.system("cli")
                let created = try await Services(database: db).surveys.createLinks(request, by: actor)
                let names = try await SchoolRepository(db.sql).find(codes: Array(Set(created.links.map(\.schoolCode))))
                return (created, names.mapValues(\.name))
            }
            let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            let table = Table(
                name: "links", header: ["school_code", "school", "group", "url"],
                rows: created.links.map { [$0.schoolCode, names[$0.schoolCode] ?? "", $0.group.rawValue, "\(base)/s/\($0.token)"] }, textColumns: [0])
            try CSVTable.write(table).write(to: URL(fileURLWithPath: out))
            print("\(created.links.count) links → \(out)")
            print(created.campaign.id)
        }
    }

    /// `dudao survey results`: invited, responses, rates and distributions.
    struct Results: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a campaign's results (json, or a table).")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Campaign id") var campaign: String
        @Option(help: "json or table") var format = "table"

        func run() async throws {
            guard ["json", "table"].contains(format) else { throw ValidationError("--format is json or table") }
            let dto = try await database.with { db in
                let services = Services(database: db)
                let actor = try await acting.identity(db) ?? Identity.system("cli")
                let (c, survey) = try await services.surveys.campaign(campaign, for: actor)
                return SurveyResultsDTO(try await services.surveys.results(c, survey), today: services.clock.moment.today)
            }
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(dto), as: UTF8.self))
            } else {
                for table in dto.tables() { print(CSVTableText.render(table)) }
            }
        }
    }

    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop taking answers now (the satisfaction part counts the campaign from then).")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Option(help: "Campaign id") var campaign: String

        func run() async throws {
            try await database.with { db in
                let actor = try await acting.identity(db) ?? Identity.system("cli")
                try await Services(database: db).surveys.close(campaign, by: actor)
            }
            print("closed \(campaign)")
        }
    }
}
