import Testing

@testable import DudaoCore

/// Projects move forward only and are summarised per county; complaints follow their workflow
/// and their rates are counted as published (处结率, 回访率), against hand-counted figures.
@Suite("Projects register and complaints")
struct ProjectComplaintTests {
    static func project(_ id: String, stage: ProjectStage = .planned, start: String, completion: String, places: Int = 0) -> Project {
        Project(
            id: id, regionCode: "411081", name: id, kind: .newSchool, budget: 1000, placesAdded: places, stage: stage, plannedStart: start,
            plannedCompletion: completion)
    }

    @Test func projectsMoveForwardOnly() throws {
        let p = Self.project("a", start: "2026-03-01", completion: "2026-08-31")
        let done = try p.advanced(to: .completed, on: "2026-09-10")
        #expect(done.stage == .completed && done.startedOn == "2026-09-10" && done.completedOn == "2026-09-10" && done.inUseOn == nil)
        let inUse = try done.advanced(to: .inUse, on: "2026-09-15")
        #expect(inUse.inUseOn == "2026-09-15" && inUse.completedOn == "2026-09-10")
        #expect(throws: FieldError.self) { try done.advanced(to: .started, on: "2026-09-20") }
        #expect(throws: FieldError.self) { try done.advanced(to: .inUse, on: "2026-09-01") }
    }

    /// Four projects on 2026-07-01: A planned, start 06-01 (late to start); B started, due 06-30
    /// (late to complete); C completed with 900 places; D in use with 600 places, budget 1000 each.
    @Test func aCountySummary() {
        let projects = [
            Self.project("A", start: "2026-06-01", completion: "2026-12-31"),
            Self.project("B", stage: .started, start: "2026-01-01", completion: "2026-06-30"),
            Self.project("C", stage: .completed, start: "2026-01-01", completion: "2026-06-30", places: 900),
            Self.project("D", stage: .inUse, start: "2025-01-01", completion: "2025-12-31", places: 600),
        ]
        let s = ProjectSummary(regionCode: "411081", projects: projects, today: "2026-07-01")
        #expect(s.total == 4 && s.started == 3 && s.completed == 2 && s.lateToStart == 1 && s.lateToComplete == 1)
        #expect(s.placesAdded == 1500 && s.budget == 4000)
    }

    static func complaint(_ n: Int, received: String) -> Complaint {
        Complaint(id: "c\(n)", regionCode: "411081", number: "2026-\(n)", source: .hotline, receivedOn: received, content: "投诉\(n)")
    }

    @Test func theWorkflow() throws {
        let c = Self.complaint(1, received: "2026-11-01")
        #expect(throws: FieldError.self) { try ComplaintRules.apply(.answer("已处理"), to: c, today: "2026-11-02") }
        #expect(throws: FieldError.self) { try ComplaintRules.apply(.assign(unit: "实验一小", deadline: "2026-11-01"), to: c, today: "2026-11-02") }
        let assigned = try ComplaintRules.apply(.assign(unit: "实验一小", deadline: "2026-11-10"), to: c, today: "2026-11-02")
        #expect(assigned.state == .assigned && assigned.isOverdue(today: "2026-11-11") && !assigned.isOverdue(today: "2026-11-10"))
        let followed = try ComplaintRules.apply(.followUp("请加快办理"), to: assigned, today: "2026-11-05")
        #expect(followed.state == .assigned)
        let answered = try ComplaintRules.apply(.answer("已退还违规收费"), to: followed, today: "2026-11-08")
        #expect(answered.state == .answered && answered.answeredOn == "2026-11-08" && !answered.isOverdue(today: "2026-12-01"))
        // Not satisfied: handled again; satisfied: closed for good.
        let reopened = try ComplaintRules.apply(.callBack(satisfied: false, note: "未全部退还"), to: answered, today: "2026-11-09")
        #expect(reopened.state == .assigned && reopened.reopenCount == 1 && reopened.answeredOn == nil)
        let again = try ComplaintRules.apply(.answer("已全部退还"), to: reopened, today: "2026-11-12")
        let closed = try ComplaintRules.apply(.callBack(satisfied: true, note: ""), to: again, today: "2026-11-13")
        #expect(closed.state == .calledBack && closed.satisfied == true)
        #expect(throws: FieldError.self) { try ComplaintRules.apply(.followUp("x"), to: closed, today: "2026-11-14") }
    }

    /// November: 8 received (one more in October, not counted). 5 closed by 11-30, one of them
    /// answered only on 12-02 (so 4 by the end of the period); 3 of the 4 called back by 11-30.
    /// 处结率 4 ÷ 8 = 50.00%; 回访率 3 ÷ 4 = 75.00%; one still open past its deadline.
    @Test func ratesOfAPeriod() {
        var list = (1...8).map { Self.complaint($0, received: "2026-11-0\($0)") }
        list.append(Self.complaint(9, received: "2026-10-31"))
        func close(_ i: Int, on day: String, callBack: String? = nil) {
            list[i].state = callBack == nil ? .answered : .calledBack
            list[i].answeredOn = day
            list[i].calledBackOn = callBack
        }
        close(0, on: "2026-11-10", callBack: "2026-11-12")
        close(1, on: "2026-11-11", callBack: "2026-11-15")
        close(2, on: "2026-11-20", callBack: "2026-11-25")
        close(3, on: "2026-11-28")
        close(4, on: "2026-12-02", callBack: "2026-12-03")
        list[5].state = .assigned
        list[5].deadline = "2026-11-20"
        list[6].state = .assigned
        list[6].deadline = "2026-12-10"
        let r = ComplaintRates(list, from: "2026-11-01", to: "2026-11-30")
        #expect(r.received == 8 && r.closed == 4 && r.calledBack == 3 && r.overdue == 1)
        #expect(NumberText.percent(r.closingRate!) == "50.00%" && NumberText.percent(r.callbackRate!) == "75.00%")
        #expect(ComplaintRates([], from: "2026-11-01", to: "2026-11-30").closingRate == nil)
    }
}
