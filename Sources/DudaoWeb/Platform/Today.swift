import DudaoCore
import Foundation

/// Times as the offices read them (Asia/Shanghai). "Today" comes from the application's clock
/// (`AppState.today`), never from here.
enum Today {
    /// A stored UTC timestamp as the offices read it: local time to the minute ("2026-11-24 11:51").
    /// Stored timestamps (`2026-11-24T03:51:12.345Z`) are read by hand: China has kept UTC+8
    /// without summer time since 1991, and a page of 50 history rows would otherwise build 150
    /// date formatters. Any other form goes through Foundation.
    static func display(_ iso: String) -> String {
        let b = Array(iso.utf8)
        if b.count >= 17, b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"), b.last == UInt8(ascii: "Z"),
            let day = DateText.ordinal(String(decoding: b[0..<10], as: UTF8.self)), let hour = Int(String(decoding: b[11..<13], as: UTF8.self)),
            let minute = Int(String(decoding: b[14..<16], as: UTF8.self)), (0..<24).contains(hour), (0..<60).contains(minute)
        {
            let local = hour + 8
            let date = DateText.string(fromOrdinal: day + local / 24)
            return date + " " + two(local % 24) + ":" + two(minute)
        }
        let parse = ISO8601DateFormatter()
        parse.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parse.date(from: iso) ?? ISO8601DateFormatter().date(from: iso) else { return iso }
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        return f.string(from: date)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}
