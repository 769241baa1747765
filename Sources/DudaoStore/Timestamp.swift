import Foundation

/// UTC timestamps as ISO 8601 text with milliseconds (they sort as strings).
public enum Timestamp {
    public static func now() -> String { format(Date()) }
    static func `in`(hours: Int) -> String { format(Date().addingTimeInterval(Double(hours) * 3600)) }

    public static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
