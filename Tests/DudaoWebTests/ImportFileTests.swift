import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// From a file on disk to the store, as `dudao import returns` does it.
@Suite("Importing returns files end to end")
struct ImportFileTests {
    static let header =
        "year,school_code,school_name,county_code,school_type,ownership,locality,stage,students,teachers,teachers_above_degree,teachers_mid_title,key_teachers,pe_art_teachers,teaching_area_m2,sports_area_m2,instrument_value_yuan,computers,multimedia_classrooms,books"

    func write(_ lines: [String], ext: String = "csv") throws -> URL {
        let url = Scratch.file("returns", ext)
        try Data(lines.joined(separator: "\n").utf8).write(to: url)
        return url
    }

    func row(_ code: String, sports: String = "800", books: String = "3000") -> String {
        "2024,\(code),学校\(code.suffix(3)),411081,小学,公办,乡村,小学,100,8,5,4,2,1,500,\(sports),210000,10,3,\(books)"
    }

    @Test func badFileReportsEveryProblemAndStoresNothing() async throws {
        try await TestDatabase.with { db in
            let url = try write([Self.header, row("4110810001"), row("4110810002", sports: "-5"), row("4110810003", books: "很多"), row("4110810001")])
            let batch = ReturnsFileParser.parse(try Table.read(url), year: 2024)
            let rejected = await #expect(throws: ImportRejected.self) { try await Services(database: db).returns.importBatch(batch, actor: "t") }
            let found = (rejected?.errors ?? []).map { "\($0.row!):\($0.column!):\($0.code)" }
            #expect(found == ["3:sports_area_m2:sports_area_m2_not_negative", "4:books:not_a_number", "5:school_code:duplicate_row"])
            // Streamed from the file, the same problems (good rows were written and rolled back).
            let streamed = await #expect(throws: ImportRejected.self) {
                try await Services(database: db).returns.importFile(url, year: 2024, actor: "t")
            }
            #expect((streamed?.errors ?? []).map { "\($0.row!):\($0.column!):\($0.code)" } == found)
            #expect(try await TestDatabase.count(db, "stage_returns") == 0)
            #expect(try await TestDatabase.count(db, "schools") == 0)
        }
    }

    @Test func exportedFileReimportsUnchanged() async throws {
        try await TestDatabase.with { db in
            let records = DemoCounty.records().filter { $0.data.year == 2024 && $0.school.countyCode == "411081" }
            _ = try await Services(database: db).returns.importBatch(
                ReturnBatch(source: "demo", records: records, issues: [], columnNames: [:]), actor: "t")
            for format in ["csv", "xlsx"] {
                let table = ReturnsTemplate.table(records)
                let data = format == "xlsx" ? try XLSXWriter.write([table]) : CSVTable.write(table)
                let url = Scratch.file("export", format)
                try data.write(to: url)
                let report = try await Services(database: db).returns.importBatch(
                    ReturnsFileParser.parse(try Table.read(url), year: 2024), actor: "t")
                #expect(report.unchanged == records.count && report.updated == 0 && report.inserted == 0, "\(format)")
            }
        }
    }
}
