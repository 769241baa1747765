import DudaoStore
import Foundation

/// The application's only source of "now". Production uses the system clock; tests inject a
/// fixed or stepping clock, so dates in tests are real dates, not ones far in the future.
public protocol AppClock: Sendable {
    func now() -> Date
}

public struct SystemClock: AppClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Always the same instant (tests).
public struct FixedClock: AppClock {
    public let instant: Date
    public init(_ instant: Date) { self.instant = instant }
    /// Noon in China on `day` (yyyy-MM-dd).
    public init(day: String) {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm"
        f.timeZone = Moment.officeTimeZone
        self.instant = f.date(from: day + " 12:00")!
    }
    public func now() -> Date { instant }
}

/// One use case's "now", read once: the timestamp of every row it writes and the office's day.
public struct Moment: Sendable {
    /// Deadlines, notice periods and rates are counted in days where the offices are.
    public static let officeTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    public let date: Date
    /// UTC, ISO 8601 with milliseconds (sorts as text).
    public let timestamp: String
    /// yyyy-MM-dd in China.
    public let today: String

    public init(_ date: Date) {
        self.date = date
        timestamp = Timestamp.format(date)
        today = date.formatted(Self.day)
    }

    private static let day = Date.ISO8601FormatStyle(timeZone: officeTimeZone).year().month().day()
}

extension AppClock {
    public var moment: Moment { Moment(now()) }
}
