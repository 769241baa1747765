import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import Foundation

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a region against a programme (county: full result; city/province: its counties).")

    @OptionGroup var database: DatabaseOption
    @OptionGroup var acting: ActingUser
    @Option(help: "Region code, e.g. 411081 (county), 4110 (city), 41 (province)") var region: String
    @Option(help: "School year (default: newest with data)") var year: Int?
    @Option(
        help:
            "Programme id (\((ProgrammeCatalog.builtIn.map(\.id) + DutyProgramme.builtIn.map(\.id)).joined(separator: ", "))) or the path of an adjusted copy of a programme file"
    )
    var programme = ProgrammeCatalog.defaultId
    @Option(help: "table, json or xlsx") var format = "table"
    @Option(help: "Output file (required for xlsx; json defaults to stdout)") var out: String?
    @Option(help: "Language of names and gap texts: zh or en") var lang = "zh"

    func validate() throws {
        guard ["table", "json", "xlsx"].contains(format) else { throw ValidationError("--format must be table, json or xlsx") }
        if format == "xlsx" && out == nil { throw ValidationError("--format xlsx needs --out FILE") }
    }

    func run() async throws {
        let language = Language(code: lang)
        if let duty = DutyProgramme.programme(id: programme) {
            try await runDuty(duty, language)
            return
        }
        let chosen: Programme
        do { chosen = try ProgrammeChoice.resolve(programme) } catch let e as ServiceError { throw ValidationError(e.en) }
        let result: RegionEvaluation
        // A county's scored parts, read with the evaluation (in the scope checked here).
        var parts: [EvaluationPart] = []
        do {
            (result, parts) = try await database.with { db in
                if let user = try await acting.identity(db), !user.canRead(region: region) { throw OutOfScope(what: "region \(region)") }
                let result = try await EvaluationService(db.sql).evaluate(region: region, year: year, programme: chosen)
                guard case .county(let e) = result else { return (result, []) }
                return (result, try await Services(database: db).evaluations.parts(of: e))
            }
        } catch let failure as EvaluationFailure {
            printError(failure.description)
            throw ExitCode(2)
        }
        switch (format, result) {
        case ("json", .county(let e)):
            var dto = CountyEvaluationDTO(e, language: language)
            dto.complete(with: parts, language: language)
            try emit(try encode(dto))
        case ("json", .rollup(let r)): try emit(try encode(RegionRollupDTO(r, language: language)))
        case ("xlsx", .county(let e)): try emit(try XLSXWriter.write(EvaluationWorkbook.sheets(e, language: language)))
        case ("xlsx", .rollup(let r)): try emit(try XLSXWriter.write([RollupText.table(r, language)]))
        case (_, .county(let e)): print(EvaluationText.render(e, language))
        case (_, .rollup(let r)): print(CSVTableText.render(RollupText.table(r, language)))
        }
    }

    /// A government-duty programme (督政): indicators per county, or counties ranked.
    func runDuty(_ duty: DutyProgramme, _ language: Language) async throws {
        let result: DutyEvaluationService.Result
        do {
            result = try await database.with { db in
                if let user = try await acting.identity(db), !user.canRead(region: region) { throw OutOfScope(what: "region \(region)") }
                return try await Services(database: db).duty.evaluate(region: region, year: year, programme: duty)
            }
        } catch let failure as EvaluationFailure {
            printError(failure.description)
            throw ExitCode(2)
        }
        switch (format, result) {
        case ("json", .county(let e)): try emit(try encode(DutyEvaluationDTO(e, language: language)))
        case ("json", .rollup(let r)): try emit(try encode(DutyRollupDTO(r, language: language)))
        case ("xlsx", .county(let e)): try emit(try XLSXWriter.write([DutyText.table(e, language)]))
        case ("xlsx", .rollup(let r)): try emit(try XLSXWriter.write([DutyText.rankings(r, language)]))
        case (_, .county(let e)):
            print(CSVTableText.render(DutyText.table(e, language)))
            for s in e.shortfalls { print(DutyText.shortfall(s, language)) }
        case (_, .rollup(let r)): print(CSVTableText.render(DutyText.rankings(r, language)))
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
