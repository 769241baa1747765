/// The reporting rounds the caller takes part in, and the form to open one.
struct RoundsPage: Sendable {
    struct Row: Sendable {
        var id: String
        var title: String
        var year: Int
        var region: String
        var by: String
    }

    var rounds: [Row]
    var canOpen: Bool
    var thisYear: Int
}

/// One round's progress: counts per state, the caller's own level, one row per unit below it.
struct RoundPage: Sendable {
    struct Heading: Sendable {
        var id: String
        var title: String
        var year: Int
        var region: String
    }

    struct Count: Sendable {
        var label: String
        var n: Int
        /// A `SubmissionState` raw value, or `approved`.
        var state: String
    }

    /// A school or a region under the caller, with the buttons the chain allows them.
    struct Unit: Sendable {
        var code: String
        var name: String
        var href: String
        var status: String
        var state: String
        var canSubmit = false
        var canReturn = false
        var canApprove = false
        var canEdit = false
        /// Schools only.
        var editHref: String?
    }

    /// The caller's own level: approve it, or see that it is approved.
    struct Own: Sendable {
        var code: String
        var approved: Bool
        var canApprove: Bool
    }

    var round: Heading
    var counts: [Count]
    var units: [Unit]
    var message: String?
    var own: Own?
}
