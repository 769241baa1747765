import Foundation

/// Data files shipped with the domain (programmes, rules, regions). Read-only.
public enum CoreResources {
    public static func url(_ relativePath: String) -> URL {
        Bundle.module.url(forResource: "Resources", withExtension: nil)!.appendingPathComponent(relativePath)
    }

    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }
}
