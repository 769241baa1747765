import DudaoStore

enum AuditView {
    static func row(_ e: AuditEntry) -> [String: Any] {
        ["at": e.at.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: ""), "actor": e.actor,
         "action": e.action, "object": "\(e.objectType) \(e.objectId)", "old": e.oldValue ?? "", "new": e.newValue ?? ""]
    }
}
