import DudaoApp
import DudaoFiles
import Hummingbird
import NIOCore

/// The evaluation API's answers as bytes, ready to send (plain and gzip, with their ETag), per
/// region, asked year, programme and language and data version. The stored result
/// (`StoredEvaluations`) is the truth; this spares a read of its 50 KB body, its compression
/// and its hash on every request.
enum EvaluationResponse {
    struct Key: Hashable, Sendable {
        var region: String
        var year: Int?
        var programme: String
        var language: String
    }

    struct Prepared: Sendable {
        var computedAt: String
        var body: ByteBuffer
        var gzip: ByteBuffer?
        var eTag: String

        init(body: String, computedAt: String) {
            self.computedAt = computedAt
            self.body = ByteBuffer(string: body)
            gzip = Gzip.compress(Array(body.utf8)).map { ByteBuffer(bytes: $0) }
            eTag = ConditionalGet<AppContext>.tag(self.body)
        }
    }

    typealias Cache = VersionedCache<Key, Prepared>
}
