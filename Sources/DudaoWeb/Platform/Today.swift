import Foundation

/// Times as the offices read them (Asia/Shanghai). "Today" comes from the application's clock
/// (`AppState.today`), never from here.
enum Today {
    /// A stored UTC timestamp as the offices read it: local time to the minute ("2026-11-24 11:51").
    static func display(_ iso: String) -> String {
        let parse = ISO8601DateFormatter()
        parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parse.date(from: iso) ?? ISO8601DateFormatter().date(from: iso) else { return iso }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: date)
    }
}
