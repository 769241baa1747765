import Foundation

/// The checklists shipped with the product (Resources/checklists/*.json).
public enum ChecklistCatalog {
    public static let builtIn: [Checklist] = {
        let dir = CoreResources.url("checklists")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().map { file in
            do { return try Checklist.decode(Data(contentsOf: dir.appendingPathComponent(file))) } catch {
                fatalError("shipped checklist \(file) is invalid: \(error)")
            }
        }
    }()

    public static func checklist(id: String) -> Checklist? { builtIn.first { $0.id == id } }

    /// The default checklist of routine visits (SPEC §4.3).
    public static let routineId = "routine"

    public static var routine: Checklist? { checklist(id: routineId) }

    public static var special: [Checklist] { builtIn.filter { $0.kind == .special } }
}
