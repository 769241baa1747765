/// 问题整改闭环 (SPEC §4.4): a finding is assigned (交办) to a school or department with a
/// deadline → in progress → evidence submitted → verified by the inspector → closed (销号), or
/// returned. A follow-up check (回头看) can reopen a closed case.
public enum RectificationState: String, Labelled {
    case assigned, inProgress = "in_progress", evidenceSubmitted = "evidence_submitted", closed

    public var zh: String {
        switch self {
        case .assigned: "已交办"
        case .inProgress: "整改中"
        case .evidenceSubmitted: "待复核"
        case .closed: "已销号"
        }
    }

    public var en: String {
        switch self {
        case .assigned: "assigned"
        case .inProgress: "in progress"
        case .evidenceSubmitted: "evidence submitted"
        case .closed: "closed"
        }
    }
}

public enum RectificationAction: Sendable, Hashable {
    /// The assigned unit starts work.
    case start
    /// The assigned unit submits evidence (a description; files are attached separately).
    case submitEvidence(note: String)
    /// The inspector verifies the evidence: the case is closed (销号).
    case verify(note: String)
    /// The inspector finds the evidence insufficient.
    case returnEvidence(reason: String)
    /// A follow-up check (回头看) finds the problem back.
    case reopen(reason: String)
}

public struct RectificationCase: Sendable, Hashable, Codable {
    public var id: String
    public var schoolCode: String
    public var countyCode: String
    public var category: String
    public var description: String
    public var assignedUnit: String
    public var responsiblePerson: String
    /// yyyy-MM-dd, inclusive.
    public var deadline: String
    public var state: RectificationState
    public var openedOn: String
    public var closedOn: String?
    public var reopenCount: Int

    public init(
        id: String, schoolCode: String, countyCode: String, category: String, description: String, assignedUnit: String,
        responsiblePerson: String, deadline: String, openedOn: String
    ) {
        self.id = id
        self.schoolCode = schoolCode
        self.countyCode = countyCode
        self.category = category
        self.description = description
        self.assignedUnit = assignedUnit
        self.responsiblePerson = responsiblePerson
        self.deadline = deadline
        self.state = .assigned
        self.openedOn = openedOn
        self.closedOn = nil
        self.reopenCount = 0
    }

    public func isOverdue(today: String) -> Bool { state != .closed && today > deadline }

    /// Closed on or before the deadline.
    public var closedOnTime: Bool { closedOn.map { $0 <= deadline } ?? false }
}

/// Who may do what: the school (its principal) or its county office works the case; the
/// inspector of the county (or the county office) verifies, returns and reopens.
public enum RectificationRules {
    public static func apply(
        _ action: RectificationAction, to c: RectificationCase, by actor: Identity, today: String
    )
        throws(ReviewRefusal) -> RectificationCase
    {
        var next = c
        let isAssignee = actor.schoolCode == c.schoolCode || (actor.role == .county && actor.regionCode == c.countyCode) || actor.isAdmin
        let isVerifier = (actor.role == .inspector || actor.role == .county) && actor.regionCode == c.countyCode || actor.isAdmin
        func illegal() -> ReviewRefusal {
            ReviewRefusal(code: "illegal_transition", zh: "「\(c.state.zh)」状态下不能执行此操作", en: "not possible while the case is \(c.state.en)")
        }
        func need(_ text: String, _ what: String) throws(ReviewRefusal) {
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ReviewRefusal(
                    code: "\(what)_required", zh: what == "reason" ? "必须填写原因" : "必须填写整改说明",
                    en: what == "reason" ? "a reason is required" : "a description of the evidence is required")
            }
        }
        switch action {
        case .start:
            guard isAssignee else { throw notAllowed("assigned unit") }
            guard c.state == .assigned else { throw illegal() }
            next.state = .inProgress
        case .submitEvidence(let note):
            guard isAssignee else { throw notAllowed("assigned unit") }
            guard c.state == .inProgress || c.state == .assigned else { throw illegal() }
            try need(note, "evidence")
            next.state = .evidenceSubmitted
        case .verify:
            guard isVerifier else { throw notAllowed("inspector") }
            guard c.state == .evidenceSubmitted else { throw illegal() }
            next.state = .closed
            next.closedOn = today
        case .returnEvidence(let reason):
            guard isVerifier else { throw notAllowed("inspector") }
            guard c.state == .evidenceSubmitted else { throw illegal() }
            try need(reason, "reason")
            next.state = .inProgress
        case .reopen(let reason):
            guard isVerifier else { throw notAllowed("inspector") }
            guard c.state == .closed else { throw illegal() }
            try need(reason, "reason")
            next.state = .inProgress
            next.closedOn = nil
            next.reopenCount += 1
        }
        return next
    }

    static func notAllowed(_ who: String) -> ReviewRefusal {
        ReviewRefusal(
            code: "not_allowed", zh: who == "inspector" ? "只有责任督学或县级督导办可以复核" : "只有被交办单位可以办理",
            en: who == "inspector" ? "only the inspector or county office verifies" : "only the assigned unit works the case")
    }
}

/// Overdue cases escalate to the next level (SPEC §4.4): past the deadline to the county
/// office, then to the city and the province after the given number of days.
public struct EscalationPolicy: Sendable, Hashable, Codable {
    public var daysToCity: Int
    public var daysToProvince: Int

    public static let standard = EscalationPolicy(daysToCity: 30, daysToProvince: 90)

    /// The level the case is escalated to, or nil when it is not overdue.
    public func level(of c: RectificationCase, today: String) -> RegionLevel? {
        guard c.isOverdue(today: today), let late = DateText.days(from: c.deadline, to: today) else { return nil }
        if late > daysToProvince { return .province }
        if late > daysToCity { return .city }
        return .county
    }
}

/// 办结率 and 按期办结率 of a set of cases, as bulletins publish them.
public struct RectificationRates: Sendable, Hashable, Codable {
    public var total: Int
    public var closed: Int
    public var closedOnTime: Int
    public var overdue: Int

    /// Cases counted are those opened up to `asOf`; closures after `asOf` do not count.
    public init(_ cases: [RectificationCase], asOf: String) {
        let counted = cases.filter { $0.openedOn <= asOf }
        total = counted.count
        let closedByThen = counted.filter { c in c.closedOn.map { $0 <= asOf } ?? false }
        closed = closedByThen.count
        closedOnTime = closedByThen.filter(\.closedOnTime).count
        overdue = counted.filter { c in c.closedOn.map { $0 > asOf } ?? true && asOf > c.deadline }.count
    }

    /// 办结率 = closed / total.
    public var closingRate: Double? { total == 0 ? nil : Double(closed) / Double(total) }
    /// 按期办结率 = closed on or before the deadline / total.
    public var onTimeRate: Double? { total == 0 ? nil : Double(closedOnTime) / Double(total) }
}

/// ISO dates (yyyy-MM-dd) as plain text, compared as strings; day differences by the civil calendar.
public enum DateText {
    /// "2026年11月25日", as official documents date themselves (the text itself when it is not a date).
    public static func chinese(_ s: String) -> String {
        guard ordinal(s) != nil, let y = Int(s.prefix(4)), let m = Int(s.dropFirst(5).prefix(2)), let d = Int(s.suffix(2)) else { return s }
        return "\(y)年\(m)月\(d)日"
    }

    public static func days(from a: String, to b: String) -> Int? {
        guard let x = ordinal(a), let y = ordinal(b) else { return nil }
        return y - x
    }

    /// Days since 1970-01-01 (proleptic Gregorian), without Foundation, for a real calendar
    /// date written exactly `yyyy-MM-dd` (years 0001–9999); nil for anything else, so no
    /// arithmetic below can overflow whatever text it is given.
    public static func ordinal(_ s: String) -> Int? {
        let b = Array(s.utf8)
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard (48...57).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard var y = digits(0..<4), var m = digits(5..<7), let d = digits(8..<10), y >= 1, (1...12).contains(m),
            (1...daysIn(month: m, year: y)).contains(d)
        else { return nil }
        if m <= 2 { y -= 1; m += 12 }
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m - 3) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
