import DudaoCore
import Foundation
import Testing

@testable import DudaoFiles

@Suite("Returns files: headers, values, row and column errors")
struct ReturnsFileParserTests {
    static let header =
        "year,school_code,school_name,county_code,school_type,ownership,locality,stage,students,teachers,teachers_above_degree,teachers_mid_title,key_teachers,pe_art_teachers,teaching_area_m2,sports_area_m2,instrument_value_yuan,computers,multimedia_classrooms,books"
    static let good = "2024,4110810001,禹州市第一小学,411081,primary_school,public,urban,primary,100,8,5,4,2,1,500,800,210000,10,3,3000"

    func parse(_ lines: [String], year: Int? = 2024) throws -> ReturnBatch {
        ReturnsFileParser.parse(try CSVTable.parse(Data(lines.joined(separator: "\n").utf8), name: "returns.csv"), year: year)
    }

    @Test func canonicalFileParses() throws {
        let batch = try parse([Self.header, Self.good])
        #expect(batch.errors.isEmpty)
        let r = try #require(batch.records.first)
        #expect(
            r.school == School(code: "4110810001", name: "禹州市第一小学", countyCode: "411081", type: .primarySchool, ownership: .public, locality: .urban))
        #expect(r.data.stage == .primary && r.data.year == 2024 && r.sourceRow == 2)
        #expect(r.data[.sportsAreaM2] == 800 && r.data[.instrumentValueYuan] == 210_000 && r.data[.books] == 3000)
    }

    /// Values of a labelled column are remembered per file once parsed: every spelling still
    /// reads as itself, and a value that is not one is refused on every row it stands on, also
    /// after a row of the same column that was right.
    @Test func rememberedValuesReadAsThemselvesAndWrongOnesStayWrong() throws {
        func line(_ n: Int, type: String, ownership: String) -> String {
            "2024,411081\(String(format: "%04d", n)),学校\(n),411081,\(type),\(ownership),urban,primary,100,8,5,4,2,1,500,800,210000,10,3,3000"
        }
        let types = ["小学", "primary_school", "PRIMARY_SCHOOL", "小学", "初级中学", "小学", "九年一贯制学校", "初级中学"]
        var lines = [Self.header] + types.enumerated().map { line($0.offset + 1, type: $0.element, ownership: "公办") }
        lines += [line(9, type: "小学校", ownership: "公办"), line(10, type: "小学", ownership: "公家"), line(11, type: "小学校", ownership: "民办")]
        let batch = try parse(lines)
        #expect(
            batch.records.map(\.school.type) == [
                .primarySchool, .primarySchool, .primarySchool, .primarySchool, .juniorSchool, .primarySchool, .nineYear, .juniorSchool,
            ])
        #expect(batch.errors.map { "\($0.row!):\($0.field!)" } == ["10:school_type", "11:ownership", "12:school_type"])
    }

    @Test func chineseHeadersAndValuesAreAccepted() throws {
        let header =
            "学年,学校标识码,学校名称,区县代码,办学类型,办学性质,城乡分类,学段,在校生数,专任教师数,高于规定学历教师数,中级及以上职称教师数,县级及以上骨干教师数,体育艺术专任教师数,教学及辅助用房面积（平方米）,体育运动场馆面积,教学仪器设备值(元),学生用计算机台数,网络多媒体教室数,图书册数"
        let row = "2024,4110810002,禹州市九年一贯制学校,411081,九年一贯制学校,民办,乡村,初中,\"1,200\",90,80,40,15,12,7000,12000,3000000,150,30,40000"
        let batch = try parse([header, row])
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        let r = try #require(batch.records.first)
        #expect(r.school.type == .nineYear && r.school.ownership == .private && r.school.locality == .rural)
        #expect(r.data.stage == .junior && r.data.students == 1200 && r.data[.teachingAreaM2] == 7000)
        #expect(batch.columnNames["teaching_area_m2"] == "教学及辅助用房面积（平方米）")
    }

    @Test func templateHeadersReadBack() throws {
        let header = ReturnColumns.templateHeader.joined(separator: ",")
        let batch = try parse([header, Self.good])
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.count == 1)
    }

    @Test func missingRequiredColumnIsNamed() throws {
        let header = Self.header.replacingOccurrences(of: "school_code,", with: "")
        let row = Self.good.replacingOccurrences(of: "4110810001,", with: "")
        let batch = try parse([header, row])
        let error = try #require(batch.errors.first)
        #expect(error.code == "missing_column" && error.row == 1 && error.field == "school_code")
        #expect(batch.records.isEmpty)
    }

    @Test func textInNumberColumnNamesRowAndColumn() throws {
        let bad = Self.good.replacingOccurrences(of: ",800,", with: ",八百,")
        let batch = try parse([Self.header, Self.good.replacingOccurrences(of: "0001", with: "0002"), bad])
        let error = try #require(batch.errors.first)
        #expect(error.code == "not_a_number" && error.row == 3 && error.column == "sports_area_m2")
        #expect(error.located(.en).contains("row 3") && error.located(.en).contains("sports_area_m2"))
        #expect(error.located(.zh).contains("第3行"))
    }

    @Test func fractionalTeachersAreRejected() throws {
        let batch = try parse([Self.header, Self.good.replacingOccurrences(of: ",100,8,", with: ",100,8.5,")])
        #expect(batch.errors.first?.code == "not_whole")
        #expect(batch.errors.first?.column == "teachers")
    }

    @Test func duplicateSchoolRowIsRejectedNamingTheFirst() throws {
        let batch = try parse([Self.header, Self.good, Self.good])
        let error = try #require(batch.errors.first)
        #expect(error.code == "duplicate_row" && error.row == 3)
        #expect(error.messageEn.contains("row 2"))
    }

    @Test func unknownSchoolTypeListsAcceptedValues() throws {
        let batch = try parse([Self.header, Self.good.replacingOccurrences(of: "primary_school", with: "大学")])
        let error = try #require(batch.errors.first)
        #expect(error.code == "unknown_value" && error.column == "school_type")
        #expect(error.messageZh.contains("九年一贯制学校"))
    }

    @Test func badCodesAreRejected() throws {
        let batch = try parse([
            Self.header, Self.good.replacingOccurrences(of: "4110810001", with: "41108").replacingOccurrences(of: ",411081,", with: ",4110,"),
        ])
        #expect(Set(batch.errors.map(\.code)) == ["bad_school_code", "bad_county_code"])
    }

    @Test func yearMustAgreeWithCommandLine() throws {
        let batch = try parse([Self.header, Self.good], year: 2023)
        #expect(batch.errors.first?.code == "year_mismatch")
        let noYear = try parse(
            [Self.header.replacingOccurrences(of: "year,", with: ""), Self.good.replacingOccurrences(of: "2024,", with: "")], year: nil)
        #expect(noYear.errors.first?.code == "missing_year")
    }

    @Test func wholeSchoolRowMayLeaveStudentsBlank() throws {
        let row = "2024,4110810003,某九年一贯制学校,411081,nine_year,public,town,全校,,,,,,,9000,15000,4000000,200,40,50000"
        let batch = try parse([Self.header, row])
        #expect(batch.errors.isEmpty, "\(batch.errors)")
        #expect(batch.records.first?.data.stage == nil)
        #expect(batch.records.first?.data[.students] == nil)
    }

    @Test func unknownColumnIsAWarningOnly() throws {
        let batch = try parse([Self.header + ",备注", Self.good + ",无"])
        #expect(batch.errors.isEmpty)
        #expect(batch.warnings.first?.code == "unknown_column")
        #expect(batch.records.count == 1)
    }

    @Test func validationRulesNameTheColumnAsWritten() throws {
        var batch = try parse([Self.header, Self.good.replacingOccurrences(of: ",500,800,", with: ",500,-800,")])
        #expect(batch.errors.isEmpty)
        batch.validate(rules: .standard) { _ in nil }
        let error = try #require(batch.errors.first)
        #expect(error.code == "sports_area_m2_not_negative" && error.row == 2 && error.column == "sports_area_m2")
    }
}

/// `dudao generate` writes one header for the whole file: every generated row must fit it.
@Suite("National data set file")
struct NationalDatasetFileTests {
    @Test func generatedRowsCarryOnlyTheHeadersColumns() throws {
        let allowed = Set(ReturnColumns.canonical).union(NationalDataset.extraFields.map(\.rawValue))
        var rows = 0
        try NationalDataset.generate(schools: 3000, kindergartens: 400, counties: 40, seed: 7) { record in
            let carried = ReturnField.allCases.filter { record.data[$0] != nil }.map(\.rawValue)
            #expect(Set(carried).isSubset(of: allowed), "\(record.school.code) carries \(Set(carried).subtracting(allowed).sorted())")
            let table = ReturnsTemplate.table([record], extras: NationalDataset.extraFields)
            #expect(table.rows[0].count == ReturnColumns.canonical.count + NationalDataset.extraFields.count)
            rows += 1
        }
        #expect(rows >= 3400)
    }

    /// Five years of the same schools: every year's file parses without an error, the schools
    /// are the same each year, and each kindergarten reports one 学前 row.
    @Test func consecutiveYearsDescribeTheSameSchools() throws {
        var schoolsByYear: [Int: Set<String>] = [:]
        var kindergartens = 0
        for year in 2020...2024 {
            var records: [ReturnRecord] = []
            NationalDataset.generate(schools: 600, kindergartens: 90, counties: 12, year: year, seed: 3) { records.append($0) }
            let table = ReturnsTemplate.table(records, extras: NationalDataset.extraFields)
            let batch = ReturnsFileParser.parse(table, year: year)
            #expect(batch.errors.isEmpty, "\(year): \(batch.errors.prefix(3))")
            schoolsByYear[year] = Set(records.map(\.school.code))
            if year == 2024 {
                let preschool = records.filter { $0.school.type == .kindergarten }
                kindergartens = preschool.count
                #expect(preschool.allSatisfy { $0.data.stage == .preschool && $0.school.code.hasPrefix("2") })
            }
        }
        #expect(kindergartens == 90)
        #expect(Set(schoolsByYear.values).count == 1)
        #expect(schoolsByYear[2024]?.count == 690)
    }
}
