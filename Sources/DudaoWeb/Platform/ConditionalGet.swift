import DudaoFiles
import Hummingbird
import NIOCore
import Synchronization

/// Conditional GET and compression for pages and JSON: every successful GET of HTML or JSON carries an ETag of
/// its bytes and `Cache-Control: private, no-cache` (browsers may keep it but must ask again;
/// shared caches must not keep it); a request whose `If-None-Match` names the same ETag gets
/// 304 and no body. Downloads (with a Content-Disposition), responses that set cookies and
/// other types pass unchanged. The tag is FNV-1a (64 bit) of the body with its length: it
/// tells versions of one page apart, it is not a security check. Bodies of 1 KB or more go out
/// gzip-compressed to clients that accept it (`Vary: Accept-Encoding`; the weak tag stays),
/// except signed-in HTML pages, which carry the CSRF token (BREACH).
struct ConditionalGet<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard request.method == .get, response.status == .ok, response.headers[.contentDisposition] == nil,
            response.headers[.setCookie] == nil, let type = response.headers[.contentType],
            type.hasPrefix("text/html") || type.hasPrefix("application/json")
        else { return response }
        // A handler that serves prepared bytes names their tag (and may have compressed them).
        let prepared = response.headers[.eTag]
        let body = try await Self.collect(response.body)
        let tag = prepared ?? Self.tag(body)
        response.headers[.eTag] = tag
        response.headers[.vary] = "Accept-Encoding"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "private, no-cache" }
        if let asked = request.headers[.ifNoneMatch], asked.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == tag })
        {
            var headers = HTTPFields()
            headers[.eTag] = tag
            headers[.cacheControl] = response.headers[.cacheControl]
            headers[.vary] = "Accept-Encoding"
            return Response(status: .notModified, headers: headers)
        }
        // Signed-in pages carry the session's CSRF token next to text a request can echo (the
        // language link keeps the query): compressing them would let an observer of sizes guess
        // the token (BREACH). JSON carries no such token and is compressed.
        let carriesSecret = type.hasPrefix("text/html") && request.cookies[SessionCookie.name] != nil
        if response.headers[.contentEncoding] == nil, !carriesSecret, body.readableBytes >= 1024, Self.acceptsGzip(request),
            let packed = Gzip.compress(body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? []), packed.count < body.readableBytes
        {
            response.headers[.contentEncoding] = "gzip"
            response.body = ResponseBody(byteBuffer: ByteBuffer(bytes: packed))
            return response
        }
        response.body = ResponseBody(byteBuffer: body)
        return response
    }

    /// `Accept-Encoding` names gzip with a quality above zero.
    static func acceptsGzip(_ request: Request) -> Bool {
        guard let header = request.headers[.acceptEncoding]?.lowercased() else { return false }
        return header.split(separator: ",").contains { part in
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.first == "gzip" || pieces.first == "*" else { return false }
            return !pieces.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "q=0" || $0 == "q=0.0" }
        }
    }

    /// `W/"<16 hex digits>-<length in hex>"`.
    static func tag(_ body: ByteBuffer) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        body.withUnsafeReadableBytes { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01B3
            }
        }
        return "W/\"\(String(hash, radix: 16))-\(String(body.readableBytes, radix: 16))\""
    }

    /// The body's bytes, however it was produced.
    static func collect(_ body: ResponseBody) async throws -> ByteBuffer {
        let sink = Sink()
        try await body.write(Collector(sink: sink))
        return sink.buffer.withLock { $0 }
    }

    final class Sink: Sendable {
        let buffer = Mutex(ByteBuffer())
    }

    struct Collector: ResponseBodyWriter {
        let sink: Sink

        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            sink.buffer.withLock { $0.writeBuffer(&buffer) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
