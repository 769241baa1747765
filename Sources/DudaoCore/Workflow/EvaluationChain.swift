/// 评估流程 (SPEC §4.2): county self-evaluation (自评) → city review (复核) → province
/// evaluation (督评) → public notice (公示, with an end date) → national certification (认定).
/// Every step freezes the computed result it judged; a later recomputation is compared with
/// that snapshot, never written over it.
public enum EvaluationStep: String, Labelled {
    case selfEvaluation = "self_evaluation"
    case cityReview = "city_review"
    case provinceEvaluation = "province_evaluation"
    case publicNotice = "public_notice"
    case certified

    public var zh: String {
        switch self {
        case .selfEvaluation: "县级自评"
        case .cityReview: "市级复核"
        case .provinceEvaluation: "省级督评"
        case .publicNotice: "公示"
        case .certified: "国家认定"
        }
    }

    public var en: String {
        switch self {
        case .selfEvaluation: "County self-evaluation"
        case .cityReview: "City review"
        case .provinceEvaluation: "Province evaluation"
        case .publicNotice: "Public notice"
        case .certified: "National certification"
        }
    }

    /// The office that acts at this step.
    public var actingLevel: RegionLevel {
        switch self {
        case .selfEvaluation: .county
        case .cityReview: .city
        case .provinceEvaluation: .province
        case .publicNotice, .certified: .nation
        }
    }

    public var next: EvaluationStep? {
        switch self {
        case .selfEvaluation: .cityReview
        case .cityReview: .provinceEvaluation
        case .provinceEvaluation: .publicNotice
        case .publicNotice: .certified
        case .certified: nil
        }
    }

    public var previous: EvaluationStep? {
        switch self {
        case .selfEvaluation: nil
        case .cityReview: .selfEvaluation
        case .provinceEvaluation: .cityReview
        case .publicNotice: .provinceEvaluation
        case .certified: nil
        }
    }

    /// Shown on the public page without login.
    public var isPublic: Bool { self == .publicNotice || self == .certified }
}

public enum EvaluationAction: Sendable, Hashable {
    /// Pass the case to the next step (with the notice's end date when publishing).
    case forward(comment: String, noticeEndsOn: String?)
    /// Send it back one step, with a mandatory comment.
    case sendBack(comment: String)
}

public enum EvaluationChain {
    /// The step after `action`, or why it is refused. `today` and `noticeEndsOn` are ISO dates (yyyy-MM-dd).
    public static func apply(
        _ action: EvaluationAction, at step: EvaluationStep, county: String, noticeEndsOn current: String?,
        by actor: Identity, today: String
    ) throws(ReviewRefusal) -> (step: EvaluationStep, noticeEndsOn: String?) {
        let acting = actingOffice(for: step, county: county)
        guard actor.isAdmin || (actor.role.officeLevel == step.actingLevel && actor.regionCode == acting) else {
            throw ReviewRefusal(code: "not_allowed", zh: "本环节由\(step.zh)所在督导办办理", en: "this step belongs to the \(step.en.lowercased()) office")
        }
        switch action {
        case .forward(_, let endsOn):
            guard let next = step.next else { throw ReviewRefusal(code: "finished", zh: "已完成认定", en: "already certified") }
            if next == .publicNotice {
                guard let endsOn, isDate(endsOn), endsOn > today else {
                    throw ReviewRefusal(code: "notice_end_required", zh: "公示需要一个晚于今天的截止日期", en: "a public notice needs an end date after today")
                }
                return (next, endsOn)
            }
            if step == .publicNotice, let current, today <= current {
                throw ReviewRefusal(
                    code: "notice_running", zh: "公示期至\(current)，期满后方可认定", en: "the public notice runs until \(current); certify after it ends")
            }
            return (next, current)
        case .sendBack(let comment):
            guard let previous = step.previous else { throw ReviewRefusal(code: "cannot_return", zh: "本环节不能退回", en: "this step cannot be sent back") }
            guard !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ReviewRefusal(code: "comment_required", zh: "退回必须填写意见", en: "sending back needs a comment")
            }
            return (previous, previous == .provinceEvaluation ? nil : current)
        }
    }

    /// The region whose office acts at a step of a county's case.
    public static func actingOffice(for step: EvaluationStep, county: String) -> String {
        switch step.actingLevel {
        case .county: county
        case .city: String(county.prefix(4))
        case .province: String(county.prefix(2))
        case .nation: ""
        }
    }

    static func isDate(_ s: String) -> Bool {
        s.count == 10 && s.enumerated().allSatisfy { i, c in (i == 4 || i == 7) ? c == "-" : c.isNumber }
    }
}
