import Foundation
import Testing

@testable import DudaoStore

/// The change log's ids (UUID version 7, RFC 9562): the entry's millisecond first, so new
/// entries land at the end of the primary-key index.
@Suite("Change-log ids")
struct AuditIdTests {
    @Test func idsAreVersionSevenUUIDsInTheirTimesOrder() throws {
        // 2026-12-07T12:00:00.123Z in milliseconds (worked out with Python's datetime): 0x1a25060067b.
        let milliseconds: UInt64 = 1_796_644_800_123
        let ids = (0..<1000).map { _ in AuditLog.timeOrderedId(milliseconds) }
        for id in ids {
            let uuid = try #require(UUID(uuidString: id), "\(id)")
            #expect(uuid.uuidString.lowercased() == id)
            let parts = id.split(separator: "-").map(String.init)
            #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
            // 48 bits of milliseconds, then the version 7 nibble and the RFC variant (8…b).
            #expect(parts[0] + parts[1] == "01a25060067b")
            #expect(parts[2].first == "7")
            #expect("89ab".contains(parts[3].first!))
        }
        // One process's ids of one millisecond come in order (a counter follows the time).
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(AuditLog.timeOrderedId(milliseconds + 1) > ids.last!)
    }
}
