import DudaoApp
import DudaoCore
import DudaoFiles
import DudaoStore
import DudaoTestSupport
import Foundation
import SQLKit
import Testing

/// Issue 13 on the store (both backends): returns filed under an old county code and under its
/// successor belong to one region with both years; data stored before an upgrade is re-filed;
/// unknown codes are kept under a placeholder an administrator can name.
@Suite("Division changes in imports and stored data")
struct RegionHistoryTests {
    static let header =
        "year,school_code,school_name,county_code,school_type,ownership,locality,stage,students,teachers,teachers_above_degree,teachers_mid_title,key_teachers,pe_art_teachers,teaching_area_m2,sports_area_m2,instrument_value_yuan,computers,multimedia_classrooms,books"

    static func row(year: Int, school: String, county: String) -> String {
        "\(year),\(school),建安区实验小学,\(county),小学,公办,城区,小学,300,20,12,8,4,2,1500,2400,630000,30,9,9000"
    }

    static func write(_ lines: [String]) throws -> URL {
        let url = Scratch.file("regions", "csv")
        try Data(lines.joined(separator: "\r\n").utf8).write(to: url)
        return url
    }

    @Test func returnsUnderTheOldAndTheNewCodeBelongToOneRegion() async throws {
        try await TestDatabase.with { db in
            let services = Services(database: db)
            // The same school: its 2016 return says 411023 (许昌县), its 2018 return 411003 (建安区).
            let file = try Self.write([
                Self.header, Self.row(year: 2016, school: "4110030001", county: "411023"),
                Self.row(year: 2018, school: "4110030001", county: "411003"),
                Self.row(year: 2016, school: "4110030002", county: "411023"),
            ])
            let report = try await services.returns.importFile(file, year: nil, actor: "t")
            #expect(report.inserted == 3)
            // Said once, in words, with the successor and the year.
            let said = report.warnings.filter { $0.code == "county_code_changed" }
            #expect(said.count == 1 && said[0].messageZh.contains("411023（许昌县）自2017年起为411003（建安区）"))
            #expect(try await SchoolRepository(db.sql).find("4110030001")?.countyCode == "411003")
            #expect(try await ReturnRepository(db.sql).years(under: "411003").sorted() == [2016, 2018])
            #expect(try await ReturnRepository(db.sql).rows(under: "411003", year: 2016).count == 2)
            #expect(try await RegionRepository(db.sql).find("411023") == nil)
            #expect(try await RegionRepository(db.sql).find("411003")?.name == "建安区")
            // The city sees one county with both years; the old name is the name of 2016.
            #expect(try await RegionRepository(db.sql).counties(under: "4110").map(\.code) == ["411003"])
            #expect(RegionCatalog.standard.formerNames(of: "411003", in: 2016) == ["许昌县"])
        }
    }

    @Test func storedDataIsRefiledAfterAnUpgrade() async throws {
        try await TestDatabase.with { db in
            let services = Services(database: db)
            // As an older version stored it: a school under 411023, written without the file reader.
            let school = School(code: "4110030009", name: "许昌县第一小学", countyCode: "411023", type: .primarySchool)
            var data = StageReturn(schoolCode: school.code, year: 2016, stage: .primary)
            data[.students] = 250
            _ = try await services.returns.importBatch(
                ReturnBatch(source: "old.csv", records: [ReturnRecord(school: school, data: data, sourceRow: 2)], issues: [], columnNames: [:]),
                actor: "t")
            #expect(try await SchoolRepository(db.sql).find(school.code)?.countyCode == "411023")
            let before = try await DataVersions(db.sql).version(of: "411003")
            await #expect(throws: ServiceError.self) {
                try await services.regions.applyChanges(
                    by: Identity(userId: "u", username: "xuchang", displayName: "", role: .city, regionCode: "4110"))
            }
            let applied = try await services.regions.applyChanges(by: .system("t"))
            #expect(applied.map(\.change.newCode) == ["411003"] && applied[0].schools == 1)
            #expect(try await SchoolRepository(db.sql).find(school.code)?.countyCode == "411003")
            #expect(try await ReturnRepository(db.sql).years(under: "411003") == [2016])
            #expect(try await DataVersions(db.sql).version(of: "411003") == before + 1)
            // Applying again finds nothing to move.
            #expect(try await services.regions.applyChanges(by: .system("t")).isEmpty)
        }
    }

    @Test func anUnknownCodeIsKeptUnderAPlaceholderAndNamedLater() async throws {
        try await TestDatabase.with { db in
            let services = Services(database: db)
            let report = try await services.returns.importFile(
                try Self.write([Self.header, Self.row(year: 2024, school: "4110990001", county: "411099")]), year: nil, actor: "t")
            #expect(report.inserted == 1)
            let said = try #require(report.warnings.first { $0.code == "county_code_unknown" })
            #expect(said.messageZh.contains("未知区县411099") && said.column == "county_code")
            #expect(try await RegionRepository(db.sql).find("411099")?.name == "未知区县411099")
            // An abolished code with no single successor is said so, not called unknown.
            let split = try await services.returns.importFile(
                try Self.write([Self.header, Self.row(year: 2015, school: "1304210001", county: "130421")]), year: nil, actor: "t")
            #expect(split.warnings.first { $0.code == "county_code_abolished" }?.messageZh.contains("130421（邯郸县）2016年起已撤销") == true)
            try await services.regions.name("411099", as: "许昌市示范区", by: .system("t"))
            #expect(try await RegionRepository(db.sql).find("411099")?.name == "许昌市示范区")
            await #expect(throws: ServiceError.self) {
                try await services.regions.name(
                    "411099", as: "x", by: Identity(userId: "u", username: "c", displayName: "", role: .county, regionCode: "411099"))
            }
        }
    }

    @Test func schoolsCarryTheirTownshipAndKeepItWhenAFileHasNoColumn() async throws {
        try await TestDatabase.with { db in
            let services = Services(database: db)
            let withTownship = Self.header.replacingOccurrences(of: "county_code,", with: "county_code,乡镇（街道）,")
            func row(_ school: String, _ township: String) -> String {
                Self.row(year: 2024, school: school, county: "411081").replacingOccurrences(of: "411081,", with: "411081,\(township),")
            }
            let report = try await services.returns.importFile(
                try Self.write([withTownship, row("4110810901", "颍川街道"), row("4110810902", "411081002"), row("4110810903", "")]), year: nil,
                actor: "t")
            #expect(report.inserted == 3)
            let a = try #require(try await SchoolRepository(db.sql).find("4110810901"))
            #expect(a.township == "颍川街道" && a.townshipCode == "411081001")
            let b = try #require(try await SchoolRepository(db.sql).find("4110810902"))
            #expect(b.township == "夏都街道" && b.townshipCode == "411081002")
            #expect(try await SchoolRepository(db.sql).find("4110810903")?.township == nil)
            // A file without the column (and a changed enrolment) keeps what is stored.
            let again = Self.row(year: 2024, school: "4110810901", county: "411081").replacingOccurrences(of: ",300,", with: ",310,")
            _ = try await services.returns.importFile(try Self.write([Self.header, again]), year: nil, actor: "t")
            #expect(try await SchoolRepository(db.sql).find("4110810901")?.townshipCode == "411081001")
            // A code of another county is refused, naming the row and column.
            await #expect {
                try await services.returns.importFile(try Self.write([withTownship, row("4110810904", "411082001")]), year: nil, actor: "t")
            } throws: { error in
                let issue = (error as? ImportRejected)?.errors.first
                return issue?.code == "township_outside_county" && issue?.row == 2 && issue?.column == "乡镇（街道）"
            }
        }
    }

    /// 莱芜市 3712 was merged into 济南市 3701 in 2019 (莱城区 371202 → 莱芜区 370116): 济南's
    /// 2018 evaluation has only the counties that were 济南's then; its 2019 one has 莱芜区 too;
    /// a county's evaluation of a year carries the name of that year.
    @Test func aYearsEvaluationUsesThatYearsDivisions() async throws {
        try await TestDatabase.with { db in
            let services = Services(database: db)
            func jinan(_ year: Int, _ school: String, _ county: String) -> String {
                Self.row(year: year, school: school, county: county).replacingOccurrences(of: "建安区实验小学", with: "学校\(school.suffix(3))")
            }
            let file = try Self.write([
                Self.header, jinan(2018, "3701020001", "370102"), jinan(2019, "3701020001", "370102"),
                jinan(2018, "3712020001", "371202"), jinan(2019, "3712020001", "370116"),
            ])
            _ = try await services.returns.importFile(file, year: nil, actor: "t")
            #expect(try await SchoolRepository(db.sql).find("3712020001")?.countyCode == "370116")
            func counties(_ year: Int) async throws -> [String] {
                guard case .rollup(let r) = try await EvaluationService(db.sql).evaluate(region: "3701", year: year, programme: "quality-2017") else {
                    Issue.record("not a roll-up")
                    return []
                }
                return r.counties.map(\.region.code)
            }
            #expect(try await counties(2018) == ["370102"])
            #expect(try await counties(2019).sorted() == ["370102", "370116"])
            guard case .county(let then) = try await EvaluationService(db.sql).evaluate(region: "370116", year: 2018, programme: "quality-2017"),
                case .county(let now) = try await EvaluationService(db.sql).evaluate(region: "370116", year: 2019, programme: "quality-2017")
            else {
                Issue.record("not county evaluations")
                return
            }
            #expect(then.region.name == "莱城区（今莱芜区）" && now.region.name == "莱芜区")
        }
    }
}
