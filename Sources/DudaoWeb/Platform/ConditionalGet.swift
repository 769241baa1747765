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
        // A weak validator: any change of content must change it, forgery need not be resisted.
        // FNV-1a's prime over 8-byte words in four independent lanes, each product folded down
        // (a multiply only carries bits upwards), then the tail a byte at a time. A byte at a
        // time over a 127 KB county page was 7.5% of the server's time on that page.
        let prime: UInt64 = 0x0000_0100_0000_01B3
        let basis: UInt64 = 0xcbf2_9ce4_8422_2325
        var hash = basis
        body.withUnsafeReadableBytes { bytes in
            var a = basis, b = basis ^ 0x9E37_79B9_7F4A_7C15, c = basis ^ 0xC2B2_AE3D_27D4_EB4F, d = basis ^ 0x1656_67B1_9E37_79F9
            var offset = 0
            while offset + 32 <= bytes.count {
                a = (a ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* prime
                b = (b ^ bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)) &* prime
                c = (c ^ bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)) &* prime
                d = (d ^ bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self)) &* prime
                a ^= a >> 32
                b ^= b >> 32
                c ^= c >> 32
                d ^= d >> 32
                offset += 32
            }
            hash = (a ^ (b << 17 | b >> 47) ^ (c << 31 | c >> 33) ^ (d << 47 | d >> 17)) &* prime
            while offset < bytes.count {
                hash = (hash ^ UInt64(bytes[offset])) &* prime
                offset += 1
            }
            hash ^= hash >> 32
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
            _ = sink.buffer.withLock { $0.writeBuffer(&buffer) }
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
