/// One evaluation case: where it is in the chain, its steps, what changed since the last
/// frozen result, and the actions the caller may take.
struct EvaluationPage: Sendable {
    struct Case: Sendable {
        var id: String
        var county: String
        var code: String
        var year: Int
        var programme: String
        var step: String
        var stepId: String
        var version: Int
        /// Empty when no notice period is set (see `hasNotice`).
        var noticeEndsOn: String
        var hasNotice: Bool
    }

    struct Step: Sendable {
        var step: String
        var action: String
        var actor: String
        var at: String
        var comment: String
        var verdict: String
        var passed: Bool
        /// The report frozen at this step (an attachment id), if one was kept.
        var report: String?
    }

    struct ChainStep: Sendable {
        var name: String
        var current: Bool
    }

    /// A document of the library linked to the case (佐证材料).
    struct Evidence: Sendable {
        var id: String
        var title: String
        var filename: String
    }

    struct Change: Sendable {
        var what: String
        var was: String
        var now: String
    }

    var `case`: Case
    var steps: [Step]
    var chain: [ChainStep]
    /// nil when there is nothing to compare (no frozen step, or no data to recompute).
    var diff: [Change]?
    var unchanged: Bool
    var canForward: Bool
    var canSendBack: Bool
    var needsEndDate: Bool
    var forwardLabel: String
    var message: String?
    var evidence: [Evidence]
    var canAddEvidence: Bool
}

/// The public list of evaluation results under notice or certified.
struct NoticesPage: Sendable {
    struct Row: Sendable {
        var id: String
        var county: String
        var year: Int
        var programme: String
        var step: String
        var until: String
    }

    var notices: [Row]
}

/// One published result, as frozen by the step that published it.
struct NoticePage: Sendable {
    struct Heading: Sendable {
        var county: String
        var year: Int
        var programme: String
        var step: String
        var until: String
        var hasUntil: Bool
        var passed: Bool
        var verdict: String
    }

    struct Indicator: Sendable {
        var name: String
        var mean: String
        var cv: String
        var limit: String
        var verdict: String
        var passed: Bool
    }

    struct StageView: Sendable {
        var stage: String
        var id: String
        var indicators: [Indicator]
    }

    var notice: Heading
    var stages: [StageView]
}
