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

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    /// The remembered caller of `key` at `now`, if still fresh.
    public func caller(_ key: String, at now: Date) -> Caller? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.until > now else {
                entries[key] = nil
                return nil
            }
            return entry.caller
        }
    }

    /// Remembers a caller found in the database at `now`, no longer than `expires` (its own
    /// session or token expiry).
    public func remember(_ caller: Caller, for key: String, at now: Date, expires: Date?) {
        let until = min(now.addingTimeInterval(Self.lifetime), expires ?? .distantFuture)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = Entry(caller: caller, until: until)
        }
    }

    /// Forgets everyone: after any change to accounts, sessions or tokens.
    public func removeAll() {
        entries.withLock { $0.removeAll(keepingCapacity: true) }
    }

    public var count: Int { entries.withLock { $0.count } }
}
