/// 投诉受理 (SPEC §4.8): a complaint reaches the office (the plate phone at the school gate,
/// the 12345 line, a letter, a visit), is registered, assigned with a deadline, followed up,
/// answered, and the complainant called back. 处结率 = closed ÷ received; 回访率 = called back ÷ closed.
public enum ComplaintSource: String, Labelled {
    case platePhone = "plate_phone", hotline = "hotline_12345", letter, visit, online

    public var zh: String {
        switch self {
        case .platePhone: "挂牌督导公示电话"
        case .hotline: "12345热线"
        case .letter: "来信"
        case .visit: "来访"
        case .online: "网上留言"
        }
    }

    public var en: String {
        switch self {
        case .platePhone: "Plate phone"
        case .hotline: "12345 hotline"
        case .letter: "Letter"
        case .visit: "Visit"
        case .online: "Online message"
        }
    }

    public var aliases: [String] {
        switch self {
        case .platePhone: ["督学电话", "公示电话"]
        case .hotline: ["12345", "热线"]
        case .letter: ["信件"]
        case .visit: ["上访"]
        case .online: ["网络", "留言"]
        }
    }
}

public enum ComplaintState: String, Labelled {
    case received, assigned, answered, calledBack = "called_back"

    public var zh: String {
        switch self {
        case .received: "已受理"
        case .assigned: "办理中"
        case .answered: "已办结"
        case .calledBack: "已回访"
        }
    }

    public var en: String {
        switch self {
        case .received: "Received"
        case .assigned: "Being handled"
        case .answered: "Closed"
        case .calledBack: "Called back"
        }
    }

    /// Closed (办结): answered, whether or not called back yet.
    public var isClosed: Bool { self == .answered || self == .calledBack }
}

public struct Complaint: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// The county it concerns.
    public var regionCode: String
    /// 受理编号, e.g. 2026-0012 (per county and year).
    public var number: String
    public var source: ComplaintSource
    public var receivedOn: String
    /// Optional: many complaints are anonymous.
    public var complainant: String
    public var phone: String
    public var content: String
    public var schoolCode: String?
    public var assignedUnit: String?
    public var deadline: String?
    public var state: ComplaintState
    public var reply: String?
    public var answeredOn: String?
    public var calledBackOn: String?
    /// The complainant's verdict on the callback (满意 / 不满意).
    public var satisfied: Bool?
    public var reopenCount: Int
    /// What it led to.
    public var rectificationId: String?
    public var keyTaskId: String?
    public var version: Int

    public init(
        id: String, regionCode: String, number: String, source: ComplaintSource, receivedOn: String, complainant: String = "", phone: String = "",
        content: String, schoolCode: String? = nil
    ) {
        self.id = id
        self.regionCode = regionCode
        self.number = number
        self.source = source
        self.receivedOn = receivedOn
        self.complainant = complainant
        self.phone = phone
        self.content = content
        self.schoolCode = schoolCode
        self.assignedUnit = nil
        self.deadline = nil
        self.state = .received
        self.reply = nil
        self.answeredOn = nil
        self.calledBackOn = nil
        self.satisfied = nil
        self.reopenCount = 0
        self.rectificationId = nil
        self.keyTaskId = nil
        self.version = 1
    }

    /// Being handled past its deadline.
    public func isOverdue(today: String) -> Bool { !state.isClosed && (deadline.map { $0 < today } ?? false) }
}

/// What can be done to a complaint.
public enum ComplaintAction: Sendable, Hashable {
    /// 分派: to a unit (and a school) with a deadline; again to re-assign.
    case assign(unit: String, deadline: String)
    /// 督办: a follow-up note (the state does not change).
    case followUp(String)
    /// 回复 / 办结: the answer given to the complainant.
    case answer(String)
    /// 回访: the complainant called back; not satisfied sends it back to being handled.
    case callBack(satisfied: Bool, note: String)

    public var name: String {
        switch self {
        case .assign: "assign"
        case .followUp: "follow_up"
        case .answer: "answer"
        case .callBack: "call_back"
        }
    }
}

public enum ComplaintRules {
    public static func apply(_ action: ComplaintAction, to c: Complaint, today: String) throws(FieldError) -> Complaint {
        var n = c
        switch action {
        case .assign(let unit, let deadline):
            guard c.state == .received || c.state == .assigned else { throw refused("assign", c.state) }
            guard !unit.isEmpty else { throw FieldError(field: "unit", code: "required", zh: "请填写承办单位", en: "name the unit") }
            guard deadline >= today else {
                throw FieldError(field: "deadline", code: "past", zh: "办理期限不能早于今天（\(today)）", en: "the deadline cannot be before today (\(today))")
            }
            n.assignedUnit = unit
            n.deadline = deadline
            n.state = .assigned
        case .followUp(let note):
            guard c.state != .calledBack else { throw refused("follow_up", c.state) }
            guard !note.isEmpty else { throw FieldError(field: "note", code: "required", zh: "请填写督办意见", en: "write the follow-up") }
        case .answer(let reply):
            guard c.state == .assigned else { throw refused("answer", c.state) }
            guard !reply.isEmpty else { throw FieldError(field: "reply", code: "required", zh: "请填写答复内容", en: "write the answer") }
            n.reply = reply
            n.answeredOn = today
            n.state = .answered
        case .callBack(let satisfied, _):
            guard c.state == .answered else { throw refused("call_back", c.state) }
            n.calledBackOn = today
            n.satisfied = satisfied
            if satisfied {
                n.state = .calledBack
            } else {
                // Not satisfied: handled again (the answer and callback stay in the history).
                n.state = .assigned
                n.answeredOn = nil
                n.reopenCount += 1
            }
        }
        return n
    }

    static func refused(_ action: String, _ state: ComplaintState) -> FieldError {
        FieldError(
            field: "action", code: "wrong_state", zh: "当前状态（\(state.zh)）不能执行此操作",
            en: "\(action) is not possible while the complaint is \(state.en.lowercased())")
    }
}

/// 处结率 and 回访率 of the complaints received in a period, shown to two decimals.
public struct ComplaintRates: Sendable, Hashable, Codable {
    public var received: Int
    public var closed: Int
    public var calledBack: Int
    public var overdue: Int

    /// Complaints received from `from` to `to` (inclusive); closures and callbacks up to `to` count.
    public init(_ complaints: [Complaint], from: String, to: String) {
        let counted = complaints.filter { $0.receivedOn >= from && $0.receivedOn <= to }
        received = counted.count
        let closedByThen = counted.filter { c in c.state.isClosed && (c.answeredOn.map { $0 <= to } ?? false) }
        closed = closedByThen.count
        calledBack = closedByThen.filter { c in c.state == .calledBack && (c.calledBackOn.map { $0 <= to } ?? false) }.count
        overdue = counted.filter { $0.isOverdue(today: to) }.count
    }

    /// 处结率 = closed ÷ received.
    public var closingRate: Double? { received == 0 ? nil : Double(closed) / Double(received) }
    /// 回访率 = called back ÷ closed.
    public var callbackRate: Double? { closed == 0 ? nil : Double(calledBack) / Double(closed) }
}
