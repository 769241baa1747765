import DudaoApp
import DudaoCore
import DudaoStore
import DudaoTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The daily digest through a real SMTP conversation with a local sink: who gets one, what it
/// says (UTF-8 subject and body), and that one refused address does not stop the others.
@Suite("Daily digest by e-mail")
struct DigestTests {
    /// A minimal SMTP server on 127.0.0.1 that records what it is sent; refuses RCPT for `refuse`.
    final class Sink: @unchecked Sendable {
        struct Mail {
            var to: String
            var data: String
        }

        let fd: Int32
        let port: Int
        let refuse: String
        private let lock = NSLock()
        private var _mails: [Mail] = []
        var mails: [Mail] { lock.withLock { _mails } }

        init(refuse: String = "") throws {
            self.refuse = refuse
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            addr.sin_port = 0
            var len = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, len) } }
            listen(listener, 16)
            _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) } }
            fd = listener
            port = Int(UInt16(bigEndian: addr.sin_port))
            let thread = Thread { [self] in serve() }
            thread.start()
        }

        func serve() {
            while true {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                converse(client)
                close(client)
            }
        }

        func converse(_ c: Int32) {
            func say(_ s: String) { _ = Array((s + "\r\n").utf8).withUnsafeBytes { send(c, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) } }
            var buffer: [UInt8] = []
            func line() -> String? {
                while true {
                    if let i = buffer.firstIndex(of: 10) {
                        let l = String(decoding: buffer[..<i].filter { $0 != 13 }, as: UTF8.self)
                        buffer.removeFirst(i + 1)
                        return l
                    }
                    var chunk = [UInt8](repeating: 0, count: 4096)
                    let n = chunk.withUnsafeMutableBytes { recv(c, $0.baseAddress!, 4096, 0) }
                    guard n > 0 else { return nil }
                    buffer += chunk[..<n]
                }
            }
            say("220 sink ESMTP")
            var to = ""
            while let l = line() {
                let upper = l.uppercased()
                if upper.hasPrefix("EHLO") {
                    say("250-sink")
                    say("250 8BITMIME")
                } else if upper.hasPrefix("MAIL FROM") {
                    say("250 OK")
                } else if upper.hasPrefix("RCPT TO") {
                    to = String(l.drop { $0 != "<" }.dropFirst().prefix { $0 != ">" })
                    say(to == refuse ? "550 no such mailbox" : "250 OK")
                } else if upper == "DATA" {
                    say("354 go ahead")
                    var data: [String] = []
                    while let d = line(), d != "." { data.append(d) }
                    lock.withLock { _mails.append(Mail(to: to, data: data.joined(separator: "\n"))) }
                    say("250 queued")
                } else if upper == "QUIT" {
                    say("221 bye")
                    return
                } else {
                    say("500 what")
                }
            }
        }
    }

    /// The decoded subject and text of a message as the sink received it.
    static func decode(_ data: String) -> (subject: String, body: String) {
        let parts = data.components(separatedBy: "\n\n")
        let head = parts.first ?? "", body = parts.dropFirst().joined(separator: "\n\n")
        let encoded = head.split(separator: "\n").first { $0.hasPrefix("Subject: ") }?.dropFirst("Subject: =?UTF-8?B?".count).dropLast(2) ?? ""
        let subject = Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let text = Data(base64Encoded: body.replacingOccurrences(of: "\n", with: "")).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (subject, text)
    }

    @Test func everyoneWithAnAddressAndSomethingDueGetsTheirList() async throws {
        let sink = try Sink(refuse: "broken@example.cn")
        try await TestDatabase.with { db in
            try await DemoLoader.load(into: db, passwordCost: 4, log: { _ in })
            let services = Services(database: db, passwordCost: 4)
            // An address cannot smuggle a header.
            await #expect(throws: FieldError.self) {
                try await services.accounts.setEmail(username: "henan", to: "a@b.cn\r\nBcc: x@y.cn", actor: "test")
            }
            for (user, email) in [
                ("yuzhou", "yuzhou@example.cn"), ("xuchang", "xuchang@example.cn"), ("changge", "changge@example.cn"), ("henan", "broken@example.cn"),
            ] {
                try await services.accounts.setEmail(username: user, to: email, actor: "test")
            }
            let outcome = try await services.digest.send(
                with: SMTPMailer(host: "127.0.0.1", port: sink.port, from: "dudao@example.cn"), baseURL: "http://dudao.test/")
            // 长葛 has nothing due within 14 days; the province office's address is refused, the others still go.
            #expect(outcome.sent.sorted() == ["xuchang", "yuzhou"])
            #expect(outcome.nothingDue == ["changge"])
            #expect(outcome.failed.map(\.username) == ["henan"] && outcome.failed[0].reason.contains("550"))
            let mail = try #require(sink.mails.first { $0.to == "yuzhou@example.cn" })
            let (subject, body) = Self.decode(mail.data)
            let items = try await services.agenda.items(for: try #require(try await UserRepository(db.sql).find(username: "yuzhou")))
            let late = items.filter(\.overdue).count
            #expect(subject == "督导平台待办事项：\(items.count)项（逾期\(late)项）")
            #expect(body.contains("禹州市新建城区学校") && body.contains("http://dudao.test/key-tasks/") && body.contains("http://dudao.test/agenda"))
            #expect(body.contains("【逾期30天】重点任务"))
            #expect(mail.data.contains("Content-Type: text/plain; charset=UTF-8"))
        }
    }
}
