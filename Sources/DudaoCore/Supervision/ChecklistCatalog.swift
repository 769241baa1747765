import Foundation

/// The checklists shipped with the product (Resources/checklists/*.json).
public enum ChecklistCatalog {
    public static let builtIn: [Checklist] = CoreResources.loadAll("checklists", Checklist.decode)

    public static func checklist(id: String) -> Checklist? { builtIn.first { $0.id == id } }

    /// The default checklist of routine visits (SPEC §4.3).
    public static let routineId = "routine"

    public static var routine: Checklist? { checklist(id: routineId) }

    public static var special: [Checklist] { builtIn.filter { $0.kind == .special } }
}
