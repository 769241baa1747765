import Testing

@testable import DudaoCore

/// The generator of national-scale supervision activity (`dudao generate activity`).
@Suite("National activity generator")
struct NationalActivityTests {
    /// Three counties of 3, 4 and 5 schools.
    let schools: [NationalActivity.SchoolRef] = [("410101", 3), ("410102", 4), ("411081", 5)].flatMap { county, n in
        (1...n).map { NationalActivity.SchoolRef(code: "1\(county)\(String(format: "%03d", $0))", county: county, name: "\(county)第\($0)校") }
    }

    @Test func totalsAreExactAndInspectorsServeTheirCounty() {
        let activity = NationalActivity(inspectors: 5, visits: 100, cases: 30, years: 2, until: "2026-11-30", seed: 3)
        let (inspectors, responsible) = activity.staff(for: schools)
        // 5 inspectors over 12 schools by cumulative rounding: 3·5/12 → 1, 7·5/12 → 2 (1 more), 12·5/12 → 5 (3 more).
        #expect(inspectors.count == 5)
        #expect(inspectors.map(\.regionCode) == ["410101", "410102", "411081", "411081", "411081"])
        for (school, id) in zip(schools, responsible) {
            #expect(inspectors.first { $0.id == id }?.regionCode == school.county, "\(school.code) is served by an inspector of its county")
        }
        var visits: [NationalActivity.Visit] = []
        var cases: [(visit: String?, rectification: RectificationCase)] = []
        activity.activity(for: schools, responsible: responsible) { school in
            visits += school.visits
            cases += school.cases
        }
        // 100 visits over 12 schools: the first 4 get 9, the others 8; 30 cases: the first 6 get 3, the others 2.
        #expect(visits.count == 100 && cases.count == 30)
        #expect(visits.filter { $0.school == schools[0].code }.count == 9 && visits.filter { $0.school == schools[11].code }.count == 8)
        #expect(Set(visits.map(\.id)).count == 100 && Set(cases.map(\.rectification.id)).count == 30)
        // Dates within the two years before the last day, none in July or August.
        #expect(visits.allSatisfy { $0.date <= "2026-11-30" && $0.date > "2024-11-30" })
        #expect(!visits.contains { ["07", "08"].contains($0.date.dropFirst(5).prefix(2)) })
        // A case from a visit is opened on the visit's day at its school; each from a different visit.
        let byId = Dictionary(uniqueKeysWithValues: visits.map { ($0.id, $0) })
        for (visit, c) in cases {
            let v = try! #require(visit.flatMap { byId[$0] })
            #expect(v.date == c.openedOn && v.school == c.schoolCode)
            #expect(DateText.days(from: c.openedOn, to: c.deadline) == 30)
            #expect(c.state == .closed ? c.closedOn != nil && c.closedOn! <= "2026-11-30" : c.closedOn == nil)
        }
        #expect(Set(cases.compactMap(\.visit)).count == 30)
    }

    /// A writer takes the nation a slice at a time: the slices give the same activity as one pass.
    @Test func slicesGiveTheSameActivityAsOnePass() {
        let activity = NationalActivity(inspectors: 4, visits: 70, cases: 25, years: 3, until: "2026-06-30", seed: 9)
        let responsible = activity.staff(for: schools).responsible
        var whole: [String] = []
        activity.activity(for: schools, responsible: responsible) { s in
            whole += s.visits.map { "\($0.id) \($0.date)" } + s.cases.map { "\($0.rectification.id) \($0.rectification.state)" }
        }
        var sliced: [String] = []
        for range in [0..<5, 5..<6, 6..<12] {
            activity.slice(range, of: schools, responsible: responsible) { s in
                sliced += s.visits.map { "\($0.id) \($0.date)" } + s.cases.map { "\($0.rectification.id) \($0.rectification.state)" }
            }
        }
        #expect(whole == sliced && whole.count == 95)
    }
}
