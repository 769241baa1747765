import Foundation
import SQLKit

/// UTC timestamps as ISO 8601 text with milliseconds (they sort as strings).
public enum Timestamp {
    public static func now() -> String { format(Date()) }

    /// `hours` after a stored timestamp (session and token expiry from the use case's moment).
    public static func adding(hours: Int, to timestamp: String) throws -> String {
        guard let date = date(timestamp) else { throw StoreInvariant("not a timestamp: \(timestamp)") }
        return format(date.addingTimeInterval(Double(hours) * 3600))
    }

    /// A stored timestamp as a date (nil when it is not one).
    public static func date(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    public static func format(_ date: Date) -> String {
        date.formatted(style)
    }

    /// `2026-11-25T17:48:34.645Z` (a value type: no formatter is built per call).
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

/// A stored value that is none of its enum's cases (corrupted, or written by a newer
/// version): reading it is an error naming the table, column and value, never a default.
public struct UnknownStoredValue: Error, Sendable, CustomStringConvertible {
    public var table: String
    public var column: String
    public var value: String
    public var description: String { "\(table).\(column) holds '\(value)', which this version does not know" }
}

/// A write was asked for something its caller should have made sure of (a bug, not bad input).
public struct StoreInvariant: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension SQLRow {
    /// A text column as one of an enum's cases; anything else is `UnknownStoredValue`.
    func decode<E: RawRepresentable>(_ type: E.Type, column: String, table: String) throws -> E where E.RawValue == String {
        let raw = try decode(column: column, as: String.self)
        guard let value = E(rawValue: raw) else { throw UnknownStoredValue(table: table, column: column, value: raw) }
        return value
    }
}
