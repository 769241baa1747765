import DudaoCore
import DudaoStore
import Foundation
import Testing

@testable import DudaoWeb

/// Page models built from known inputs, checked against values worked out by hand.
@Suite("Page models")
struct PageModelTests {
    @Test func auditRowFromAnEntry() {
        let entry = AuditEntry(
            at: "2026-11-24T02:30:00Z", actor: "yuzhou", action: "edit", objectType: "stage_return",
            objectId: "1411081001", oldValue: nil, newValue: "books=5")
        let row = AuditRow(entry)
        // 02:30 UTC is 10:30 in Beijing; a missing old value shows as empty.
        #expect(row.at == "2026-11-24 10:30")
        #expect(row.actor == "yuzhou" && row.action == "edit")
        #expect(row.object == "stage_return 1411081001")
        #expect(row.old == "" && row.new == "books=5")
    }

    /// Demo county 禹州市 2024 fails the quality programme: primary sports area spreads too much.
    @Test func countyModelOfTheDemoCounty() async throws {
        try await withDemoApp { _, _ in
            let db = try #require(TestContext.database)
            guard case .county(let e) = try await EvaluationService(db.sql).evaluate(region: "411081", year: 2024, programme: "quality-2017") else {
                Issue.record("411081 is a county")
                return
            }
            let view = CountyView(e, lang: .zh)
            #expect(view.passed == false)
            #expect(view.year == 2024 && view.programmeId == "quality-2017")
            #expect(view.stages.map(\.id) == ["primary", "junior"])
            let primary = try #require(view.stages.first)
            #expect(primary.evaluated && !primary.passed && primary.verdict == "未达标")
            #expect(primary.schools == 69 && primary.schoolsPassed == 55)
            #expect(primary.limit == "0.50")
            let sports = try #require(primary.indicators.first { $0.id == "sports_area_per_student" })
            #expect(sports.cv == "0.560" && sports.limit == "0.50" && sports.mean == "9.77" && sports.threshold == "7.5")
            #expect(!sports.passed && sports.passedText == "false" && sports.verdict == "未达标")
            #expect(primary.indicators.filter { !$0.passed }.map(\.id) == ["sports_area_per_student"])
            #expect(primary.hasFailing && primary.failing.count == 69 - 55)
            let second = try #require(primary.failing.first { $0.code == "1411081002" })
            #expect(second.name == "禹州市实验第二小学" && second.met == 6)
            #expect(second.gaps.map(\.text) == ["需增加 2482 平方米体育运动场馆面积，或减少 331 名学生"])
            #expect(primary.charts.count == primary.indicators.count)
            #expect(primary.indicatorHeads.count == primary.indicators.count)
        }
    }

    /// Two counties over one quarter: 甲 3 findings (one closed on time, one closed late, one
    /// overdue), 乙 one closed on time; 乙 ranks first on closing rate.
    @Test func bulletinRowsFromAHandMadeBulletin() {
        func closed(_ c: RectificationCase, on day: String) -> RectificationCase {
            var c = c
            c.state = .closed
            c.closedOn = day
            return c
        }
        func finding(_ id: String, county: String, _ category: String, opened: String, deadline: String) -> RectificationCase {
            RectificationCase(
                id: id, schoolCode: "1\(county)001", countyCode: county, category: category, description: id,
                assignedUnit: "", responsiblePerson: "", deadline: deadline, openedOn: opened)
        }
        let cases = [
            closed(finding("c1", county: "411001", "safety", opened: "2026-01-10", deadline: "2026-02-10"), on: "2026-02-01"),
            finding("c2", county: "411001", "safety", opened: "2026-02-10", deadline: "2026-02-20"),
            closed(finding("c3", county: "411001", "canteen", opened: "2026-03-01", deadline: "2026-03-10"), on: "2026-03-20"),
            closed(finding("c4", county: "411002", "canteen", opened: "2026-01-05", deadline: "2026-02-05"), on: "2026-01-20"),
        ]
        let visits = [
            Bulletin.VisitFact(county: "411001", school: "s1", date: "2026-01-10"),
            Bulletin.VisitFact(county: "411001", school: "s1", date: "2026-02-10"),
            Bulletin.VisitFact(county: "411001", school: "s2", date: "2026-03-01"),
            Bulletin.VisitFact(county: "411001", school: "s2", date: "2026-04-10"),  // after the period
            Bulletin.VisitFact(county: "411002", school: "s3", date: "2026-01-05"),
        ]
        let b = Bulletin.make(
            from: "2026-01-01", to: "2026-03-31", counties: [("411001", "甲县"), ("411002", "乙县")],
            visits: visits, cases: cases, totalName: "合计")
        let page = BulletinPage(b, region: RegionRef(code: "4110", name: "某市"), lang: .zh)
        #expect(page.from == "2026-01-01" && page.to == "2026-03-31")
        #expect(page.lines.map(\.code) == ["411002", "411001"])
        let yi = page.lines[0], jia = page.lines[1]
        #expect(yi.rank == "1" && yi.name == "乙县" && yi.visits == 1 && yi.schools == 1 && yi.findings == 1)
        #expect(yi.closed == 1 && yi.onTime == 1 && yi.overdue == 0 && yi.closingRate == "100.00%" && yi.onTimeRate == "100.00%")
        #expect(jia.rank == "2" && jia.visits == 3 && jia.schools == 2 && jia.findings == 3)
        #expect(jia.closed == 2 && jia.onTime == 1 && jia.overdue == 1 && jia.closingRate == "66.67%" && jia.onTimeRate == "33.33%")
        let total = page.total
        #expect(total.rank == "" && total.name == "合计" && total.code == "")
        #expect(total.visits == 4 && total.schools == 3 && total.findings == 4)
        #expect(total.closed == 3 && total.onTime == 2 && total.overdue == 1 && total.closingRate == "75.00%" && total.onTimeRate == "50.00%")
        // Equal counts are ordered by category id.
        #expect(page.categories == [.init(name: "食堂饮水", n: 2), .init(name: "校园安全", n: 2)])
    }

    /// A bulletin with no findings shows dashes for the rates.
    @Test func bulletinWithoutFindings() {
        let b = Bulletin.make(from: "2026-01-01", to: "2026-01-31", counties: [("411001", "甲县")], visits: [], cases: [])
        let page = BulletinPage(b, region: RegionRef(code: "411001", name: "甲县"), lang: .en)
        #expect(page.lines.count == 1 && page.lines[0].closingRate == "—" && page.lines[0].onTimeRate == "—")
        #expect(page.categories.isEmpty)
    }

    /// Templates see the model first, then the layout; nil optionals read as absent.
    @Test func pageLooksUpModelThenLayout() {
        let layout = Layout(
            lang: "zh-CN", title: "账户", switchLink: "/account?lang=en", crumbs: [], user: nil,
            csrf: "layout-token", canAudit: false)
        let quiet = Page(layout: layout, model: AccountPage(message: nil))
        #expect(quiet.child(named: "message") == nil)
        #expect(quiet.child(named: "user") == nil)
        #expect(quiet.child(named: "title") as? String == "账户")
        let login = Page(layout: layout, model: LoginPage(csrf: "login-token", next: "/", error: "wrong"))
        #expect(login.child(named: "csrf") as? String == "login-token")
        #expect(login.child(named: "error") as? String == "wrong")
        #expect(login.child(named: "nothing") == nil)
    }
}

@Suite("Office time")
struct OfficeTimeTests {
    /// Hand-converted to Beijing time (UTC+8): across midnight, a leap day and a year's end;
    /// another offset through Foundation; text that is no time is shown as it is.
    @Test func storedTimestampsInBeijingTime() {
        #expect(Today.display("2026-11-24T03:51:12.345Z") == "2026-11-24 11:51")
        #expect(Today.display("2026-12-31T16:30:00.000Z") == "2027-01-01 00:30")
        #expect(Today.display("2024-02-28T20:05:59Z") == "2024-02-29 04:05")
        #expect(Today.display("2026-11-24T15:59:00.000Z") == "2026-11-24 23:59")
        #expect(Today.display("2026-11-24T11:51:12+08:00") == "2026-11-24 11:51")
        #expect(Today.display("2026-13-24T03:51:12.345Z") == "2026-13-24T03:51:12.345Z")
        #expect(Today.display("yesterday") == "yesterday")
    }
}

@Suite("Interface strings in templates")
struct InterfaceStringTests {
    /// Written in at load, escaped as a mustache variable is (`'` too), in each language; the
    /// rest of the template is left as it was.
    @Test func stringsAreWrittenInEscaped() throws {
        let text = "<th>{{t.charts}}</th>{{#rows}}<td>{{name}}</td>{{/rows}}<p>{{t.docSearchHelp}}</p>"
        #expect(
            try Renderer.interfaceStrings(in: text, of: "x", .en)
                == "<th>Each school&#39;s value against the threshold</th>{{#rows}}<td>{{name}}</td>{{/rows}}"
                + "<p>Searches titles, tags and text; two-character words such as 督导 work too. Several words: documents holding all of them; &quot;quotes&quot;: the exact phrase.</p>"
        )
        #expect(try Renderer.interfaceStrings(in: "{{t.charts}}", of: "x", .zh) == Strings.shared("charts", .zh))
        #expect(try Renderer.interfaceStrings(in: "{{title}} {{ta.x}}", of: "x", .zh) == "{{title}} {{ta.x}}")
    }

    /// A misspelt key stops the server at start, naming the template and the key.
    @Test func anUnknownKeyIsRefused() {
        let e = #expect(throws: Renderer.MissingString.self) { try Renderer.interfaceStrings(in: "<b>{{t.chrats}}</b>", of: "county", .en) }
        #expect(e?.template == "county" && e?.key == "chrats" && e?.language == .en)
    }
}
