import Synchronization

/// Values derived from a region's data, each kept with the data version and day it was made
/// for (`DataVersions`): a lookup with another version or day misses, so a change anywhere is
/// seen on the next request. Bounded: past `limit` entries it starts again empty.
public final class VersionedCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct Entry: Sendable {
        var dataVersion: Int
        var day: String
        var value: Value
    }

    public let limit: Int
    private let entries = Mutex<[Key: Entry]>([:])

    public init(limit: Int) { self.limit = limit }

    public func value(_ key: Key, dataVersion: Int, day: String) -> Value? {
        entries.withLock { $0[key] }.flatMap { $0.dataVersion == dataVersion && $0.day == day ? $0.value : nil }
    }

    @discardableResult
    public func store(_ key: Key, _ value: Value, dataVersion: Int, day: String) -> Value {
        entries.withLock {
            if $0.count >= limit { $0.removeAll(keepingCapacity: true) }
            $0[key] = Entry(dataVersion: dataVersion, day: day, value: value)
        }
        return value
    }
}
