import DudaoFiles
import Hummingbird
import NIOCore
import Synchronization

/// The evaluation API's answers as bytes, ready to send (plain and gzip, with their ETag), per
/// region, asked year, programme and language, each marked with the data version and day it
/// was computed for. The stored result (`StoredEvaluations`) is the truth; this spares a read of
/// its 50 KB body, its compression and its hash on every request. Every request still reads the
/// region's data version, so a change made on another instance is followed at once.
final class EvaluationResponseCache: Sendable {
    struct Key: Hashable, Sendable {
        var region: String
        var year: Int?
        var programme: String
        var language: String
    }

    struct Entry: Sendable {
        var dataVersion: Int
        var day: String
        var computedAt: String
        var body: ByteBuffer
        var gzip: ByteBuffer?
        var eTag: String
    }

    /// Past this many answers the cache starts again empty (a few MB at most).
    static let limit = 2000
    private let entries = Mutex<[Key: Entry]>([:])

    func entry(_ key: Key, dataVersion: Int, day: String) -> Entry? {
        entries.withLock { $0[key] }.flatMap { $0.dataVersion == dataVersion && $0.day == day ? $0 : nil }
    }

    func store(_ key: Key, body: String, dataVersion: Int, day: String, computedAt: String) -> Entry {
        let buffer = ByteBuffer(string: body)
        let packed = Gzip.compress(Array(body.utf8)).map { ByteBuffer(bytes: $0) }
        let entry = Entry(
            dataVersion: dataVersion, day: day, computedAt: computedAt, body: buffer, gzip: packed,
            eTag: ConditionalGet<AppContext>.tag(buffer))
        entries.withLock {
            if $0.count >= Self.limit { $0.removeAll(keepingCapacity: true) }
            $0[key] = entry
        }
        return entry
    }
}
