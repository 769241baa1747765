import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// A renamed county's page names the place as it was called in the year shown.
@Suite("Division history on the region page")
struct RegionHistoryPageTests {
    @Test func theCountyPageShowsTheOldNameForItsYears() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let header =
                "year,school_code,school_name,county_code,school_type,ownership,locality,stage,students,teachers,teachers_above_degree,teachers_mid_title,key_teachers,pe_art_teachers,teaching_area_m2,sports_area_m2,instrument_value_yuan,computers,multimedia_classrooms,books"
            func row(_ year: Int, _ county: String) -> String {
                "\(year),4110030001,建安区实验小学,\(county),小学,公办,城区,小学,300,20,12,8,4,2,1500,2400,630000,30,9,9000"
            }
            let url = Scratch.file("jianan", "csv")
            try Data([header, row(2016, "411023"), row(2018, "411003")].joined(separator: "\n").utf8).write(to: url)
            _ = try await Services(database: db).returns.importFile(url, year: nil, actor: "t")
            let old = try await client.execute(uri: "/regions/411003?year=2016", method: .get, headers: auth.cookie("xuchang"))
            #expect(old.status == .ok && old.text.contains("建安区") && old.text.contains("2016年时为许昌县"))
            let new = try await client.execute(uri: "/regions/411003?year=2018", method: .get, headers: auth.cookie("xuchang"))
            #expect(new.status == .ok && !new.text.contains("许昌县"))
            // The old code is not a region of its own any more.
            #expect(try await client.execute(uri: "/regions/411023", method: .get, headers: auth.cookie("xuchang")).status == .notFound)
        }
    }

    @Test func schoolsOfATownship() async throws {
        try await withDemoApp { client, auth in
            let db = try #require(TestContext.database)
            let header =
                "year,school_code,school_name,county_code,乡镇,school_type,ownership,locality,stage,students,teachers,teachers_above_degree,teachers_mid_title,key_teachers,pe_art_teachers,teaching_area_m2,sports_area_m2,instrument_value_yuan,computers,multimedia_classrooms,books"
            let line = "2024,1411081001,禹州市实验第一小学,411081,颍川街道,小学,公办,城区,小学,300,20,12,8,4,2,1500,2400,630000,30,9,9000"
            let url = Scratch.file("township", "csv")
            try Data([header, line].joined(separator: "\n").utf8).write(to: url)
            _ = try await Services(database: db).returns.importFile(url, year: nil, actor: "t")
            let page = try await client.execute(uri: "/schools/1411081001", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.text.contains("颍川街道（411081001）"))
            for query in ["%E9%A2%8D%E5%B7%9D%E8%A1%97%E9%81%93", "411081001"] {
                let list = try #require(
                    try await client.execute(uri: "/api/v1/regions/411081/schools?township=\(query)", method: .get, headers: auth.bearer("yuzhou"))
                        .json()
                        as? [[String: Any]])
                #expect(list.map { $0["code"] as? String } == ["1411081001"] && list.first?["township_code"] as? String == "411081001")
            }
        }
    }
}
