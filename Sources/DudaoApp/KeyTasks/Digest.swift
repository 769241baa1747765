import DudaoCore
import DudaoStore
import Foundation

/// The daily digest (issue 12, part 7): to every enabled user with an e-mail address and
/// something due, one message listing it (late first) with a link into Dudao. Off unless an
/// SMTP server is given (`dudao digest --smtp …`).
public struct Digest: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    public struct Outcome: Sendable {
        public var sent: [String] = []
        public var nothingDue: [String] = []
        public var failed: [(username: String, reason: String)] = []
    }

    /// The subject and text of one user's digest; nil when nothing is due.
    public func message(for user: Identity, baseURL: String) async throws -> (subject: String, body: String)? {
        let items = try await services.agenda.items(for: user)
        guard !items.isEmpty else { return nil }
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        let late = items.filter(\.overdue).count
        let today = services.clock.moment.today
        var lines = ["\(user.displayName)：", "", "截至\(DateText.chinese(today))，您有\(items.count)项待办事项" + (late > 0 ? "，其中\(late)项已逾期" : "") + "：", ""]
        for i in items {
            var when = ""
            if let d = i.days { when = d > 0 ? "【逾期\(d)天】" : d == 0 ? "【今日到期】" : "【\(-d)天后到期】" }
            lines.append("\(when)\(i.kind.zh)：\(i.title)")
            lines.append("  \(base)\(i.href)")
        }
        lines += ["", "全部待办：\(base)/agenda", "", "（本邮件由督导平台自动发送，请勿回复。）"]
        return ("督导平台待办事项：\(items.count)项" + (late > 0 ? "（逾期\(late)项）" : ""), lines.joined(separator: "\n"))
    }

    /// Sends each digest; a failure for one user is reported and the others still go.
    public func send(with mailer: SMTPMailer, baseURL: String) async throws -> Outcome {
        var outcome = Outcome()
        for (user, email) in try await UserRepository(services.reads).recipients() {
            guard let m = try await message(for: user, baseURL: baseURL) else {
                outcome.nothingDue.append(user.username)
                continue
            }
            do {
                try mailer.send(to: email, subject: m.subject, body: m.body, date: services.clock.now())
                outcome.sent.append(user.username)
            } catch {
                outcome.failed.append((user.username, "\(error)"))
            }
        }
        return outcome
    }
}
