import Testing

@testable import DudaoCore

@Suite("通报 bulletin contents")
struct BulletinTests {
    func c(_ id: String, county: String, category: String, opened: String, deadline: String, closed: String?) -> RectificationCase {
        var r = RectificationCase(
            id: id, schoolCode: "s-\(id)", countyCode: county, category: category, description: "", assignedUnit: "",
            responsiblePerson: "", deadline: deadline, openedOn: opened)
        if let closed { r.state = .closed; r.closedOn = closed } else { r.state = .inProgress }
        return r
    }

    /// Period 2026-10-01 … 2026-10-31.
    /// County A: 3 visits in period (2 schools) + 1 before; cases opened in period: a1 closed on time,
    /// a2 closed late, a3 open → closing 2/3 = 66.67%, on time 1/3 = 33.33%.
    /// County B: 1 visit; b1 closed on time, b2 closed after the period (open as of 10-31)
    /// → closing 1/2 = 50.00%, on time 50.00%. County C: no findings → ranked last.
    /// A case opened in September does not count.
    @Test func handCountedBulletin() {
        let visits = [
            Bulletin.VisitFact(county: "A", school: "a-x", date: "2026-10-03"), .init(county: "A", school: "a-x", date: "2026-10-20"),
            .init(county: "A", school: "a-y", date: "2026-10-21"), .init(county: "A", school: "a-y", date: "2026-09-30"),
            .init(county: "B", school: "b-x", date: "2026-10-31"),
        ]
        let cases = [
            c("a1", county: "A", category: "safety", opened: "2026-10-03", deadline: "2026-10-20", closed: "2026-10-15"),
            c("a2", county: "A", category: "safety", opened: "2026-10-03", deadline: "2026-10-10", closed: "2026-10-25"),
            c("a3", county: "A", category: "canteen", opened: "2026-10-21", deadline: "2026-11-20", closed: nil),
            c("b1", county: "B", category: "workload", opened: "2026-10-05", deadline: "2026-10-30", closed: "2026-10-30"),
            c("b2", county: "B", category: "workload", opened: "2026-10-06", deadline: "2026-10-30", closed: "2026-11-05"),
            c("old", county: "B", category: "safety", opened: "2026-09-15", deadline: "2026-10-15", closed: nil),
        ]
        let b = Bulletin.make(from: "2026-10-01", to: "2026-10-31", counties: [("A", "甲县"), ("B", "乙县"), ("C", "丙县")], visits: visits, cases: cases)
        #expect(b.lines.map(\.code) == ["A", "B", "C"])
        #expect(b.lines.map(\.rank) == [1, 2, 3])
        let a = b.lines[0], bb = b.lines[1], cc = b.lines[2]
        #expect(a.visits == 3 && a.schoolsVisited == 2 && a.findings == 3)
        #expect(a.byCategory == ["safety": 2, "canteen": 1])
        #expect(a.byState == [.closed: 2, .inProgress: 1])
        #expect(NumberText.percent(a.rates.closingRate!) == "66.67%" && NumberText.percent(a.rates.onTimeRate!) == "33.33%")
        #expect(bb.visits == 1 && bb.findings == 2 && bb.byState == [.closed: 1, .inProgress: 1])
        #expect(NumberText.percent(bb.rates.closingRate!) == "50.00%" && NumberText.percent(bb.rates.onTimeRate!) == "50.00%")
        #expect(cc.findings == 0 && cc.rates.closingRate == nil)
        #expect(b.total.visits == 4 && b.total.findings == 5 && b.total.rates.closed == 3 && b.total.rates.closedOnTime == 2)
    }
}

@Suite("通报 tallies")
struct BulletinTallyTests {
    /// Tallies added county by county give the total; a county without a tally is a line of zeros.
    @Test func talliesAddUpAndRankAsRows() {
        var a = Bulletin.Tally(county: "A")
        a.visits = 3
        a.schoolsVisited = 2
        a.byCategory = ["safety": 2, "canteen": 1]
        a.byState = [.closed: 2, .inProgress: 1]
        a.rates.total = 3
        a.rates.closed = 2
        a.rates.closedOnTime = 1
        var b = Bulletin.Tally(county: "B")
        b.visits = 1
        b.schoolsVisited = 1
        b.byCategory = ["safety": 1]
        b.byState = [.closed: 1]
        b.rates.total = 1
        b.rates.closed = 1
        b.rates.closedOnTime = 1
        let bulletin = Bulletin.make(
            from: "2026-10-01", to: "2026-10-31", counties: [("A", "甲县"), ("B", "乙县"), ("C", "丙县")], tallies: ["A": a, "B": b])
        // B closes 1/1 = 100%, A 2/3: B ranks first; C has no findings and ranks last.
        #expect(bulletin.lines.map(\.code) == ["B", "A", "C"])
        #expect(bulletin.lines[2].visits == 0 && bulletin.lines[2].findings == 0)
        #expect(bulletin.total.visits == 4 && bulletin.total.schoolsVisited == 3 && bulletin.total.findings == 4)
        #expect(bulletin.total.byCategory == ["safety": 3, "canteen": 1] && bulletin.total.byState == [.closed: 3, .inProgress: 1])
        #expect(bulletin.total.rates.closed == 3 && bulletin.total.rates.closedOnTime == 2)
    }
}
