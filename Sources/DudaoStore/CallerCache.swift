import DudaoCore
import Foundation
import Synchronization

/// Who is behind a session cookie or an API token, remembered for a second so that a burst of
/// requests does not look the same token up in the database each time.
///
/// A change to accounts made through this process (sign-out, password change or reset,
/// disabling, token revocation: `Accounts` in DudaoApp) empties it at once; another instance
/// sharing the database follows within `lifetime`. Unknown tokens are never remembered (so a
/// stranger cannot fill it), nor is an entry kept past its own session or token expiry.
public final class CallerCache: Sendable {
    public enum Caller: Sendable {
        case session(UserRepository.Session)
        case token(Identity)
    }

    struct Entry: Sendable {
        var caller: Caller
        var until: Date
    }

    /// How long a looked-up caller is trusted without asking the database again.
    public static let lifetime: TimeInterval = 1
    /// Entries kept at most; past it the cache starts again empty.
    static let capacity = 20_000

    private let entries = Mutex<(generation: Int, map: [String: Entry])>((0, [:]))

    public init() {}

    /// The remembered caller of `key` at `now`, if still fresh.
    public func caller(_ key: String, at now: Date) -> Caller? {
        entries.withLock { entries in
            guard let entry = entries.map[key] else { return nil }
            guard entry.until > now else {
                entries.map[key] = nil
                return nil
            }
            return entry.caller
        }
    }

    /// Taken before a database lookup and handed to `remember`, so a lookup that raced with a
    /// change to accounts (`removeAll`) is not remembered.
    public var generation: Int { entries.withLock { $0.generation } }

    /// Remembers a caller found in the database at `now`, no longer than `expires` (its own
    /// session or token expiry).
    public func remember(_ caller: Caller, for key: String, at now: Date, expires: Date?, lookedUpIn generation: Int) {
        let until = min(now.addingTimeInterval(Self.lifetime), expires ?? .distantFuture)
        entries.withLock { entries in
            guard entries.generation == generation else { return }
            if entries.map.count >= Self.capacity { entries.map.removeAll(keepingCapacity: true) }
            entries.map[key] = Entry(caller: caller, until: until)
        }
    }

    /// Forgets everyone: after any change to accounts, sessions or tokens.
    public func removeAll() {
        entries.withLock { entries in
            entries.generation &+= 1
            entries.map.removeAll(keepingCapacity: true)
        }
    }

    public var count: Int { entries.withLock { $0.map.count } }
}
