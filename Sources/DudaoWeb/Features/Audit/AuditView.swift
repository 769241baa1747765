import DudaoStore

enum AuditView {
    static func row(_ e: AuditEntry) -> [String: Any] {
        ["at": Today.display(e.at), "actor": e.actor,
         "action": e.action, "object": "\(e.objectType) \(e.objectId)", "old": e.oldValue ?? "", "new": e.newValue ?? ""]
    }
}
