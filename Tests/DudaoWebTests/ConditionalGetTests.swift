import DudaoApp
import DudaoCore
import DudaoStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DudaoWeb

/// Issue 10 §3: a browser revisiting an unchanged page or JSON gets 304 and no body; a change
/// gives a new tag; downloads are not tagged.
@Suite("Conditional GET")
struct ConditionalGetTests {
    /// Decompresses with the system's gzip, an implementation independent of ours.
    static func gunzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(data)
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return out
    }

    /// The tag is a weak validator: every change of one byte anywhere (in the 8-byte words of
    /// any of the four lanes or in the tail), of the length, or of two words' order, changes it.
    @Test func everyChangeOfABodyChangesItsTag() {
        typealias Tagger = ConditionalGet<AppRequestContext>
        let base = (0..<203).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let tag = Tagger.tag(ByteBuffer(bytes: base))
        #expect(Tagger.tag(ByteBuffer(bytes: base)) == tag)
        var tags: Set<String> = [tag]
        for position in base.indices {
            for delta: UInt8 in [1, 0x80, 0xFF] {
                var changed = base
                changed[position] &+= delta
                tags.insert(Tagger.tag(ByteBuffer(bytes: changed)))
            }
        }
        #expect(tags.count == 1 + base.count * 3)
        var swapped = base
        swapped.swapAt(0, 8)
        for k in 1..<8 { swapped.swapAt(k, 8 + k) }
        #expect(Tagger.tag(ByteBuffer(bytes: swapped)) != tag)
        let lengths = Set((0...70).map { Tagger.tag(ByteBuffer(bytes: [UInt8](repeating: 0, count: $0))) })
        #expect(lengths.count == 71)
    }

    @Test func unchangedPagesAnswer304AndChangedOnesAFreshBody() async throws {
        try await withDemoApp { client, auth in
            let first = try await client.execute(uri: "/regions/411081/duty?year=2024", method: .get, headers: auth.cookie("yuzhou"))
            let tag = try #require(first.headers[.eTag])
            #expect(first.status == .ok && tag.hasPrefix("W/\"") && first.headers[.cacheControl] == "private, no-cache")
            var again = auth.cookie("yuzhou")
            again[.ifNoneMatch] = tag
            let cached = try await client.execute(uri: "/regions/411081/duty?year=2024", method: .get, headers: again)
            #expect(cached.status == .notModified && cached.body.readableBytes == 0 && cached.headers[.eTag] == tag)
            // The same JSON for a token: tagged too; another tag is not a match.
            var api = auth.bearer("yuzhou")
            let json = try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: api)
            api[.ifNoneMatch] = "W/\"0-0\", " + (json.headers[.eTag] ?? "")
            #expect(try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: api).status == .notModified)
            api[.ifNoneMatch] = "W/\"0-0\""
            #expect(try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: api).status == .ok)
            // A change to the county's facts changes the page, so the old tag no longer matches.
            let form: HTTPFields = auth.cookie("yuzhou").merging([.contentType: "application/x-www-form-urlencoded"])
            let body = "csrf=\(auth.csrf("yuzhou"))&year=2024&version=1&teacher_average_pay_yuan=90000"
            #expect(
                try await client.execute(uri: "/regions/411081/facts", method: .post, headers: form, body: ByteBuffer(string: body)).status
                    == .seeOther)
            let changed = try await client.execute(uri: "/regions/411081/duty?year=2024", method: .get, headers: again)
            #expect(changed.status == .ok && changed.headers[.eTag] != tag && changed.body.readableBytes > 1000)
            // Signed-in pages carry the CSRF token beside echoed text: never compressed (BREACH).
            var gz = auth.cookie("yuzhou")
            gz[.acceptEncoding] = "gzip, deflate, br"
            let page = try await client.execute(uri: "/regions/411081/duty?year=2024", method: .get, headers: gz)
            #expect(page.headers[.contentEncoding] == nil && page.headers[.vary] == "Accept-Encoding")
            // JSON for clients that accept gzip: the same bytes compressed (checked with gzip(1)).
            var token = auth.bearer("yuzhou")
            let plain = try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: token)
            token[.acceptEncoding] = "gzip, deflate, br"
            let packed = try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: token)
            #expect(packed.headers[.contentEncoding] == "gzip" && packed.headers[.vary] == "Accept-Encoding")
            #expect(packed.body.getBytes(at: 0, length: 2) == [0x1F, 0x8B] && packed.body.readableBytes * 3 < plain.body.readableBytes)
            #expect(try Self.gunzip(Data(buffer: packed.body)) == Data(buffer: plain.body))
            token[.acceptEncoding] = "gzip;q=0, identity"
            #expect(
                try await client.execute(uri: "/api/v1/regions/411081/duty?year=2024", method: .get, headers: token).headers[.contentEncoding] == nil)
            // Downloads are not tagged.
            let xlsx = try await client.execute(uri: "/regions/411081/duty?year=2024&format=xlsx", method: .get, headers: auth.cookie("yuzhou"))
            #expect(xlsx.status == .ok && xlsx.headers[.eTag] == nil)
        }
    }
}
