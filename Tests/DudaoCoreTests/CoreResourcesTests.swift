import Foundation
import Testing

@testable import DudaoCore

/// The data files ship inside the module's resource bundle (`.copy("Resources")`) and must be
/// found on every platform the product runs on (Linux in production).
@Suite("Core resources")
struct CoreResourcesTests {
    @Test(arguments: [
        "programmes/indicators.json", "programmes/quality-2017.json", "programmes/basic-2012.json",
        "rules/returns.json", "regions.tsv",
    ])
    func shippedFileIsFound(path: String) {
        let url = CoreResources.url(path)
        #expect(FileManager.default.fileExists(atPath: url.path), "not found: \(url.path)")
        #expect((try? CoreResources.data(path))?.isEmpty == false)
    }
}
