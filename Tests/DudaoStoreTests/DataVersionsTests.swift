import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

/// A region's two counters (evaluation inputs, supervision work), read in one query for the pages
/// kept per both: each the sum of its counties' counters below the region.
@Suite("Data versions")
struct DataVersionsTests {
    @Test func bothCountersOfARegionInOneQuery() async throws {
        try await TestDatabase.with { db in
            let data = DataVersions(db.sql), supervision = DataVersions(db.sql, .supervision)
            try await data.bump(["411081"], at: "2026-12-07T00:00:00Z")
            try await data.bump(["411081", "410102"], at: "2026-12-07T00:00:01Z")
            try await supervision.bump(["411002"], at: "2026-12-07T00:00:02Z")
            // By hand: 411081 has data 2; 410102 data 1; 411002 supervision 1.
            let expected: [(String, Int, Int)] = [
                ("411081", 2, 0), ("410102", 1, 0), ("411002", 0, 1), ("4110", 2, 1), ("41", 3, 1), ("", 3, 1), ("42", 0, 0),
            ]
            for (region, d, s) in expected {
                let both = try await DataVersions.both(of: region, on: db.sql)
                #expect(both.data == d && both.supervision == s, "\(region)")
                let separately = (try await data.version(of: region), try await supervision.version(of: region))
                #expect(separately.0 == d && separately.1 == s, "\(region)")
            }
        }
    }
}
