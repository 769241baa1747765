import Foundation

/// Data files shipped with the domain (programmes, rules, regions). Read-only.
public enum CoreResources {
    public static func url(_ relativePath: String) -> URL {
        Bundle.module.url(forResource: "Resources", withExtension: nil)!.appendingPathComponent(relativePath)
    }

    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// Every shipped `.json` file of a folder (in name order, `except` left out), decoded by
    /// `decode`. A shipped file that does not load is a bug in the release: it stops the
    /// program at once, naming the file (tests load every shipped file).
    public static func loadAll<T>(_ folder: String, except: Set<String> = [], _ decode: (Data) throws -> T) -> [T] {
        let dir = url(folder)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".json") && !except.contains($0) }.sorted().map { file in
            do { return try decode(Data(contentsOf: dir.appendingPathComponent(file))) } catch {
                fatalError("shipped \(folder)/\(file) is invalid: \(error)")
            }
        }
    }
}
