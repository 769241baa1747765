import DudaoStore

/// One audit entry as the history table shows it (the `history` partial).
struct AuditRow: Sendable, Equatable {
    var at: String
    var actor: String
    var action: String
    var object: String
    var old: String
    var new: String

    init(_ e: AuditEntry) {
        at = Today.display(e.at)
        actor = e.actor
        action = e.action
        object = "\(e.objectType) \(e.objectId)"
        old = e.oldValue ?? ""
        new = e.newValue ?? ""
    }
}

/// The audit page: the filters as entered, the matching entries and the links to the next
/// page and back to the first.
struct AuditPage: Sendable {
    var q: String
    var actor: String
    var type: String
    var from: String
    var to: String
    var types: [SelectOption]
    /// The entries' table rows, each drawn by `audit-row` (`AuditPages.rows`).
    var rowsHTML: String
    var next: String?
    var first: String?
}
