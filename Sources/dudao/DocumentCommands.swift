import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoStore
import Foundation

/// `dudao documents`: the document library (政策工具箱) from the command line.
struct DocumentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "documents", abstract: "File documents in the library and search it (Chinese substring search).",
        subcommands: [Add.self, Search.self, Link.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File a document (PDF, DOCX, XLSX, image or UTF-8 text); prints its id.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Argument(help: "The file") var file: String
        @Option(help: "Title") var title: String
        @Option(help: "Region code (\"\" for national)") var region: String
        @Option(help: "policy|plan|bulletin|evidence|template") var kind = "policy"
        @Option(help: "Comma-separated tags") var tags = ""
        @Option(help: "Year") var year: Int?
        @Flag(help: "Readable without signing in") var `public` = false
        @Option(help: "A new version of this document id") var replaces: String?

        func run() async throws {
            guard let k = DocumentKind.parse(kind) else {
                throw ValidationError("--kind is one of \(DocumentKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw ValidationError("cannot read \(file)") }
            let filing = Documents.Filing(
                data: data, filename: URL(fileURLWithPath: file).lastPathComponent, title: title, kind: k, region: region, year: year,
                tags: tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, isPublic: `public`, replaces: replaces)
            let filed = try await database.with { db in
                let actor = try await acting.identity(db) ?? Identity.system("cli")
                return try await Services(database: db).documents.file(filing, by: actor)
            }
            if filed.duplicate { print("same content already filed as \(filed.document.title) / 相同内容已归档") }
            if filed.document.textStatus == .noPDFTool {
                printError("pdftotext (poppler-utils) is not installed: the PDF is found by title and tags only")
            }
            print(filed.document.id)
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Search the library within a user's scope (--as), or the public part.")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Argument(help: "Words (all must occur); \"a phrase\" in quotes") var query: String
        @Option(help: "json or table") var format = "table"
        @Option(help: "At most this many results") var limit = 20

        func run() async throws {
            guard ["json", "table"].contains(format) else { throw ValidationError("--format is json or table") }
            let (query, limit) = (self.query, self.limit)
            let found = try await database.with { db in
                let actor = try await acting.identity(db) ?? Identity.system("cli")
                return try await Services(database: db).documents.search(query, for: actor, limit: min(max(limit, 1), 100))
            }
            let dto = DocumentSearchDTO(found)
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(dto), as: UTF8.self))
                return
            }
            print("\(dto.total) found")
            for r in dto.results {
                let plain = r.snippet.replacingOccurrences(of: "<mark>", with: "【").replacingOccurrences(of: "</mark>", with: "】")
                    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(
                        of: "&quot;", with: "\""
                    )
                    .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
                print("\(r.id)  \(r.title)  [\(r.region)]\n    \(plain)")
            }
        }
    }
}

extension DocumentsCommand {
    /// `dudao documents link ID --to TYPE:ID`: the document supports that thing too.
    struct Link: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link a library document to a score item, an evaluation, a visit or a rectification case (no second upload).")
        @OptionGroup var database: DatabaseOption
        @OptionGroup var acting: ActingUser
        @Argument(help: "Document id") var document: String
        @Option(help: "TYPE:ID, TYPE one of \(Documents.LinkTarget.allCases.map(\.rawValue).joined(separator: ", "))") var to: String

        func run() async throws {
            guard let colon = to.firstIndex(of: ":") else { throw ValidationError("--to is TYPE:ID") }
            let (type, id, document) = (String(to[..<colon]), String(to[to.index(after: colon)...]), self.document)
            try await database.with { db in
                let actor = try await acting.identity(db) ?? Identity.system("cli")
                try await Services(database: db).documents.link(document, to: type, id, by: actor)
            }
            print("linked \(document) → \(to)")
        }
    }
}
