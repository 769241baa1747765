import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Sends plain-text mail through an SMTP relay (the office's own, typically on the same host or
/// network): EHLO, MAIL FROM, RCPT TO, DATA, QUIT, without TLS or authentication
/// (docs/DECISIONS.md). UTF-8 subject and body (RFC 2047 and base64), dot-stuffing by encoding.
public struct SMTPMailer: Sendable {
    public var host: String
    public var port: Int
    public var from: String
    public var timeoutSeconds: Int = 20

    public init(host: String, port: Int, from: String) {
        self.host = host
        self.port = port
        self.from = from
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// "host:port" (port 25 when absent).
    public static func parse(_ server: String, from: String) throws -> SMTPMailer {
        let parts = server.split(separator: ":", maxSplits: 1).map(String.init)
        guard let host = parts.first, !host.isEmpty, parts.count == 1 || Int(parts[1]).map({ (1...65535).contains($0) }) == true else {
            throw Failure(description: "the SMTP server must be host or host:port, e.g. 127.0.0.1:25")
        }
        return SMTPMailer(host: host, port: parts.count == 2 ? Int(parts[1])! : 25, from: from)
    }

    /// The message as it goes after DATA (headers, blank line, base64 body), CRLF line ends.
    static func message(from: String, to: String, subject: String, body: String, date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let encodedSubject = "=?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?="
        let text = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let base64 = Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(from)", "To: \(to)", "Subject: \(encodedSubject)", "Date: \(f.string(from: date))", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", base64,
        ].joined(separator: "\r\n")
    }

    /// Sends one message; throws with the server's answer when it refuses.
    public func send(to: String, subject: String, body: String, date: Date = Date()) throws {
        let fd = try connect()
        defer { close(fd) }
        var reader = LineReader(fd: fd)
        func expect(_ codes: Set<Int>, after command: String?) throws {
            if let command { try write(fd, command + "\r\n") }
            // Multi-line answers ("250-…") end with a line "250 …".
            while true {
                let line = try reader.line()
                guard line.count >= 3, let code = Int(line.prefix(3)) else { throw Failure(description: "unexpected SMTP answer: \(line)") }
                if line.count > 3 && line[line.index(line.startIndex, offsetBy: 3)] == "-" { continue }
                guard codes.contains(code) else { throw Failure(description: "SMTP server refused \(command ?? "the connection"): \(line)") }
                return
            }
        }
        try expect([220], after: nil)
        try expect([250], after: "EHLO dudao")
        try expect([250], after: "MAIL FROM:<\(from)>")
        try expect([250, 251], after: "RCPT TO:<\(to)>")
        try expect([354], after: "DATA")
        // Base64 lines never start with a dot; the header lines are ours.
        try expect([250], after: Self.message(from: from, to: to, subject: subject, body: body, date: date) + "\r\n.")
        try? expect([221], after: "QUIT")
    }

    func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let first = result else {
            throw Failure(description: "cannot resolve SMTP server \(host)")
        }
        defer { freeaddrinfo(result) }
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let ai = cursor {
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd >= 0 {
                var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            cursor = ai.pointee.ai_next
        }
        throw Failure(description: "cannot connect to SMTP server \(host):\(port)")
    }

    func write(_ fd: Int32, _ text: String) throws {
        let bytes = Array(text.utf8)
        let count = bytes.count
        var offset = 0
        while offset < count {
            let start = offset
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + start, count - start, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure(description: "the SMTP connection was closed while sending") }
            offset += n
        }
    }

    /// Reads CRLF-terminated lines from a socket.
    struct LineReader {
        let fd: Int32
        var buffer: [UInt8] = []

        init(fd: Int32) { self.fd = fd }

        mutating func line() throws -> String {
            while true {
                if let i = buffer.firstIndex(of: 10) {
                    let line = buffer[..<i].filter { $0 != 13 }
                    buffer.removeFirst(i + 1)
                    return String(decoding: line, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, 4096, 0) }
                guard n > 0 else { throw Failure(description: "the SMTP server closed the connection or did not answer in time") }
                buffer += chunk[..<n]
                guard buffer.count < 1 << 20 else { throw Failure(description: "the SMTP server's answer is too long") }
            }
        }
    }
}
