import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// Issue 10: the school page shows the school's place in its county's stored evaluation, with
/// the data version it was computed from, and follows a change at once.
@Suite("School page from the stored evaluation")
struct SchoolStandingTests {
    @Test func aSchoolSeesItsGapsFromTheStoredResultAndFollowsAChange() async throws {
        try await withDemoApp { client, auth in
            // A school of 禹州市 with gaps in the county's evaluation (the API's answer).
            let evaluation = try #require(
                try await client.execute(uri: "/api/v1/regions/411081/evaluation", method: .get, headers: auth.bearer("yuzhou")).json()
                    as? [String: Any])
            let version = try #require(
                Int(
                    try await client.execute(uri: "/api/v1/regions/411081/evaluation", method: .get, headers: auth.bearer("yuzhou")).headers[
                        .init("Dudao-Data-Version")!] ?? ""))
            let schools = try #require(evaluation["schools"] as? [[String: Any]])
            let failing = try #require(
                schools.first {
                    ($0["passed"] as? Bool) == false
                        && !(($0["gaps"] as? [[String: Any]]) ?? []).filter { $0["within_tolerance"] as? Bool == false }.isEmpty
                })
            let code = try #require(failing["code"] as? String)
            let gap = try #require((failing["gaps"] as? [[String: Any]])?.first { $0["within_tolerance"] as? Bool == false }?["text"] as? String)
            let page = try await client.execute(uri: "/schools/\(code)", method: .get, headers: auth.cookie("yuzhou"))
            #expect(page.status == .ok && page.text.contains("未达标") && page.text.contains(gap) && page.text.contains("数据版本 \(version)"))
            // A return of the county changes: the next page shows the new version.
            let row = try #require(
                (try await client.execute(uri: "/api/v1/schools/1411081001", method: .get, headers: auth.bearer("admin")).json() as? [String: Any])
                    .flatMap { ($0["returns"] as? [[String: Any]])?.first { $0["year"] as? Int == 2024 && $0["stage"] as? String == "primary" } })
            let put = try await client.execute(
                uri: "/api/v1/schools/1411081001/returns/2024/primary", method: .put, headers: auth.bearer("yuzhou"),
                body: jsonBody(["version": row["version"] as! Int, "values": ["books": 20000]]))
            #expect(put.status == .ok)
            let again = try await client.execute(uri: "/schools/\(code)", method: .get, headers: auth.cookie("yuzhou"))
            #expect(again.text.contains("数据版本 \(version + 1)"))
            // A kindergarten is in no compulsory-education evaluation: no such section.
            let db = try #require(TestContext.database)
            let kindergarten = try #require(try await SchoolRepository(db.sql).list(under: "411081").first { $0.type == .kindergarten })
            #expect(
                !(try await client.execute(uri: "/schools/\(kindergarten.code)", method: .get, headers: auth.cookie("yuzhou")).text.contains(
                    "id=\"standing\"")))
        }
    }
}
