import Testing

@testable import DudaoCore

@Suite("Rectification: every legal and illegal transition, escalation, rates")
struct RectificationTests {
    let principal = Identity(userId: "p", username: "p", displayName: "", role: .principal, regionCode: "411081", schoolCode: "1411081001")
    let otherPrincipal = Identity(userId: "q", username: "q", displayName: "", role: .principal, regionCode: "411081", schoolCode: "1411081002")
    let county = Identity(userId: "c", username: "c", displayName: "", role: .county, regionCode: "411081")
    let inspector = Identity(userId: "i", username: "i", displayName: "", role: .inspector, regionCode: "411081")
    let otherInspector = Identity(userId: "j", username: "j", displayName: "", role: .inspector, regionCode: "411082")
    let city = Identity(userId: "x", username: "x", displayName: "", role: .city, regionCode: "4110")

    func fresh(deadline: String = "2026-12-31") -> RectificationCase {
        RectificationCase(
            id: "r1", schoolCode: "1411081001", countyCode: "411081", category: "canteen", description: "食堂留样记录不全",
            assignedUnit: "禹州市实验第一小学", responsiblePerson: "王校长", deadline: deadline, openedOn: "2026-11-01")
    }

    func code(_ a: RectificationAction, _ c: RectificationCase, by actor: Identity) -> String? {
        do { _ = try RectificationRules.apply(a, to: c, by: actor, today: "2026-11-24"); return nil } catch { return error.code }
    }

    func at(_ state: RectificationState) -> RectificationCase {
        var c = fresh()
        c.state = state
        if state == .closed { c.closedOn = "2026-11-20" }
        return c
    }

    /// The full table: for each state, each action either moves to the expected state or is illegal.
    @Test func transitionTable() throws {
        let actions: [(RectificationAction, Identity)] = [
            (.start, principal), (.submitEvidence(note: "已整改，附照片"), principal), (.verify(note: "现场核实"), inspector),
            (.returnEvidence(reason: "照片不清"), inspector), (.reopen(reason: "回头看发现反弹"), inspector),
        ]
        let expected: [RectificationState: [RectificationState?]] = [
            .assigned: [.inProgress, .evidenceSubmitted, nil, nil, nil],
            .inProgress: [nil, .evidenceSubmitted, nil, nil, nil],
            .evidenceSubmitted: [nil, nil, .closed, .inProgress, nil],
            .closed: [nil, nil, nil, nil, .inProgress],
        ]
        for (state, outcomes) in expected {
            for ((action, actor), outcome) in zip(actions, outcomes) {
                if let outcome {
                    #expect(
                        try RectificationRules.apply(action, to: at(state), by: actor, today: "2026-11-24").state == outcome, "\(state) \(action)")
                } else {
                    #expect(code(action, at(state), by: actor) == "illegal_transition", "\(state) \(action)")
                }
            }
        }
    }

    @Test func closingRecordsTheDayAndReopeningCounts() throws {
        let closed = try RectificationRules.apply(.verify(note: "ok"), to: at(.evidenceSubmitted), by: inspector, today: "2026-11-24")
        #expect(closed.closedOn == "2026-11-24" && closed.closedOnTime)
        let reopened = try RectificationRules.apply(.reopen(reason: "回头看"), to: closed, by: county, today: "2026-12-10")
        #expect(reopened.closedOn == nil && reopened.reopenCount == 1 && reopened.state == .inProgress)
    }

    @Test func onlyTheRightPeopleAct() {
        #expect(code(.start, fresh(), by: otherPrincipal) == "not_allowed")
        #expect(code(.start, fresh(), by: inspector) == "not_allowed")
        #expect(code(.start, fresh(), by: city) == "not_allowed")
        #expect(code(.start, fresh(), by: county) == nil)
        #expect(code(.verify(note: ""), at(.evidenceSubmitted), by: principal) == "not_allowed")
        #expect(code(.verify(note: ""), at(.evidenceSubmitted), by: otherInspector) == "not_allowed")
        #expect(code(.verify(note: ""), at(.evidenceSubmitted), by: county) == nil)
        #expect(code(.reopen(reason: "x"), at(.closed), by: principal) == "not_allowed")
    }

    @Test func textsAreRequired() {
        #expect(code(.submitEvidence(note: " "), at(.inProgress), by: principal) == "evidence_required")
        #expect(code(.returnEvidence(reason: ""), at(.evidenceSubmitted), by: inspector) == "reason_required")
        #expect(code(.reopen(reason: "\n"), at(.closed), by: inspector) == "reason_required")
    }

    /// Deadline 2026-11-01: on 11-01 not overdue; 11-02 overdue → county; 12-01 (30 days late) still
    /// county; 12-02 (31) → city; 2027-01-30 (90 days) city; 2027-01-31 (91) → province.
    @Test func escalationByDaysLate() {
        let c = fresh(deadline: "2026-11-01")
        let policy = EscalationPolicy.standard
        #expect(policy.level(of: c, today: "2026-11-01") == nil)
        #expect(policy.level(of: c, today: "2026-11-02") == .county)
        #expect(policy.level(of: c, today: "2026-12-01") == .county)
        #expect(policy.level(of: c, today: "2026-12-02") == .city)
        #expect(policy.level(of: c, today: "2027-01-30") == .city)
        #expect(policy.level(of: c, today: "2027-01-31") == .province)
        var closed = c
        closed.state = .closed
        #expect(policy.level(of: closed, today: "2027-06-01") == nil)
    }

    @Test func dayCounting() {
        #expect(DateText.days(from: "2026-11-01", to: "2026-12-01") == 30)
        #expect(DateText.days(from: "2024-02-28", to: "2024-03-01") == 2)  // leap year
        #expect(DateText.days(from: "2023-02-28", to: "2023-03-01") == 1)
        #expect(DateText.days(from: "2026-12-31", to: "2027-01-01") == 1)
        #expect(DateText.days(from: "1970-01-01", to: "2000-01-01") == 10957)
        #expect(DateText.days(from: "2026-13-01", to: "2027-01-01") == nil)
    }

    /// Eight cases as of 2026-11-30: five closed by then (three on time), one closed later,
    /// two open (one past its deadline). 办结率 5/8 = 62.50%, 按期办结率 3/8 = 37.50%.
    @Test func ratesAgainstHandCount() {
        func c(_ id: String, opened: String, deadline: String, closed: String?) -> RectificationCase {
            var r = fresh(deadline: deadline)
            r.id = id
            r.openedOn = opened
            if let closed { r.state = .closed; r.closedOn = closed }
            return r
        }
        let cases = [
            c("1", opened: "2026-10-01", deadline: "2026-10-31", closed: "2026-10-20"),  // on time
            c("2", opened: "2026-10-01", deadline: "2026-10-31", closed: "2026-10-31"),  // on time (deadline day)
            c("3", opened: "2026-10-05", deadline: "2026-10-31", closed: "2026-11-05"),  // late
            c("4", opened: "2026-11-01", deadline: "2026-11-15", closed: "2026-11-16"),  // late
            c("5", opened: "2026-11-01", deadline: "2026-12-15", closed: "2026-11-29"),  // on time
            c("6", opened: "2026-11-02", deadline: "2026-11-20", closed: "2026-12-03"),  // closed after asOf: open then, overdue
            c("7", opened: "2026-11-10", deadline: "2026-12-10", closed: nil),  // open, not due
            c("8", opened: "2026-11-10", deadline: "2026-11-25", closed: nil),  // open, overdue
            c("9", opened: "2026-12-01", deadline: "2026-12-20", closed: nil),  // opened after asOf: not counted
        ]
        let rates = RectificationRates(cases, asOf: "2026-11-30")
        #expect(rates.total == 8 && rates.closed == 5 && rates.closedOnTime == 3 && rates.overdue == 2)
        #expect(NumberText.percent(rates.closingRate!) == "62.50%")
        #expect(NumberText.percent(rates.onTimeRate!) == "37.50%")
        #expect(RectificationRates([], asOf: "2026-11-30").closingRate == nil)
    }
}
