import DudaoCore
import Foundation
import Testing

@testable import DudaoFiles

@Suite("Inspectors file")
struct InspectorsFileParserTests {
    func parse(_ lines: [String]) throws -> InspectorsFileParser.Result {
        InspectorsFileParser.parse(try CSVTable.parse(Data(lines.joined(separator: "\n").utf8), name: "inspectors.csv"))
    }

    @Test func chineseHeadersAndSchoolLists() throws {
        let r = try parse([
            "督学编号,姓名,联系电话,专兼职,所属区划,责任区,责任学校",
            "YZ-01,王督学,13903741234,专职,411081,第1责任区,1411081001;1411081002",
            "YZ-02,李督学,139-0374-5678,,411081,,1411081003、1411081004 1411081005",
        ])
        #expect(r.issues.isEmpty)
        #expect(r.inspectors.map(\.id) == ["YZ-01", "YZ-02"] && r.inspectors[0].kind == .fullTime && r.inspectors[1].kind == .partTime)
        #expect(r.assignment == ["1411081001": "YZ-01", "1411081002": "YZ-01", "1411081003": "YZ-02", "1411081004": "YZ-02", "1411081005": "YZ-02"])
    }

    @Test func errorsNameRowAndColumn() throws {
        let r = try parse([
            "id,name,phone,kind,region_code,schools",
            "A,甲,1390,full_time,411081,1411081001",
            "B,乙,电话,兼职,411081,1411081001",
            "A,丙,1391,勤杂,41108,123",
        ])
        let found = r.issues.map { "\($0.row!):\($0.field!):\($0.code)" }
        #expect(
            found == [
                "3:phone:bad_phone", "3:schools:two_inspectors", "4:region_code:bad_region", "4:kind:unknown_value",
                "4:id:duplicate_row", "4:schools:bad_school_code",
            ])
    }

    @Test func missingColumnsStopEarly() throws {
        let r = try parse(["id,name", "A,甲"])
        #expect(Set(r.issues.map(\.field!)) == ["phone", "region_code"] && r.inspectors.isEmpty)
    }
}
