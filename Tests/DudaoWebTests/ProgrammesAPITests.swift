import DudaoCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// `/api/v1/programmes` answers from JSON made once (the programmes ship with the server):
/// the official thresholds of the 2017 quality programme (SPEC §3.2: 4.2 / 5.3 teachers above
/// the required degree per 100 students), the same bytes on every call and to every caller.
@Suite("Programmes API")
struct ProgrammesAPITests {
    @Test func theProgrammesAreTheShippedOnesOnEveryCall() async throws {
        try await withDemoApp { client, auth in
            var bodies: [String] = []
            for user in ["yuzhou", "henan", "yuzhou"] {
                let r = try await client.execute(uri: "/api/v1/programmes", method: .get, headers: auth.bearer(user))
                #expect(r.status == .ok && r.headers[.contentType] == "application/json; charset=utf-8")
                bodies.append(String(buffer: r.body))
            }
            #expect(Set(bodies).count == 1)
            let programmes = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].utf8)) as? [[String: Any]])
            #expect(programmes.compactMap { $0["id"] as? String } == ["basic-2012", "quality-2017"])
            let quality = try #require(programmes.first { $0["id"] as? String == "quality-2017" })
            let indicators = try #require(quality["indicators"] as? [[String: Any]])
            #expect(indicators.count == 7)
            let degree = try #require(indicators.first { $0["id"] as? String == "teachers_above_degree_per100" })
            let thresholds = try #require(degree["thresholds"] as? [String: Double])
            #expect(thresholds == ["primary": 4.2, "junior": 5.3])
        }
    }
}
