import DudaoCore
import Foundation
import Testing

@testable import DudaoFiles

@Suite("XLSX writing and reading")
struct XLSXTests {
    @Test func roundTripKeepsTextNumbersAndCodes() throws {
        let table = Table(
            name: "数据", header: ["学校标识码", "学校名称", "在校生数", "面积"],
            rows: [["0110810001", "禹州市第一小学 & <附属>", "1200", "7.25"], ["4110810002", "", "30", ""]],
            textColumns: [0])
        let data = try XLSXWriter.write([table, Table(name: "说明", header: ["a"], rows: [])])
        let back = try XLSXReader.read(data, name: "t.xlsx")
        #expect(back.header == table.header)
        #expect(back.rows[0] == table.rows[0])
        #expect(back.rows[1] == ["4110810002", "", "30"])
    }

    @Test func templateHasBothHeaderNamesAndReadsBack() throws {
        let data = try XLSXWriter.write(ReturnsTemplate.sheets())
        let sheet = try XLSXReader.read(data, name: "template.xlsx")
        #expect(sheet.header.first == "学年(year)")
        #expect(sheet.header.contains("体育运动场馆面积(sports_area_m2)"))
        #expect(sheet.rows.isEmpty)
        let batch = ReturnsFileParser.parse(sheet, year: 2024)
        // Every canonical column is recognised; an empty template only lacks rows.
        #expect(batch.errors.map(\.code) == ["no_rows"])
    }

    @Test func garbageIsAClearError() {
        #expect(throws: FileError.self) { try XLSXReader.read(Data("not a zip".utf8), name: "bad.xlsx") }
    }

    @Test func columnNames() {
        #expect(XLSXWriter.columnName(0) == "A" && XLSXWriter.columnName(25) == "Z" && XLSXWriter.columnName(26) == "AA")
        #expect(XLSXReader.columnIndex("AB12") == 27)
    }
}
