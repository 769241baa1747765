import Foundation
import NIOCore

/// Login throttling, per account and per client address.
///
/// - An account gets `freeFailures` wrong passwords within `window`; after that each further
///   attempt waits `baseDelay × 2^(extra failures)`, at most `maxDelay`. A stranger can thus
///   slow a named account down but never lock its owner out for longer than `maxDelay`.
/// - An address gets `addressLimit` failures within `window`, then waits until the oldest
///   leaves the window (this only ever stops the address that is guessing).
actor LoginThrottle {
    struct Policy: Sendable {
        var freeFailures = 5
        var baseDelay: TimeInterval = 15
        var maxDelay: TimeInterval = 300
        var addressLimit = 20
        var window: TimeInterval = 15 * 60
    }

    let policy: Policy
    private var accounts: [String: (failures: Int, last: Date)] = [:]
    private var addresses: [String: [Date]] = [:]

    init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// Seconds until another attempt is allowed, or nil when it is allowed now.
    func retryAfter(account: String, address: String, now: Date) -> Int? {
        var wait: TimeInterval = 0
        if let a = accounts[account] {
            if now.timeIntervalSince(a.last) >= policy.window {
                accounts[account] = nil
            } else if a.failures >= policy.freeFailures {
                let delay = min(policy.maxDelay, policy.baseDelay * pow(2, Double(min(a.failures - policy.freeFailures, 30))))
                wait = max(wait, delay - now.timeIntervalSince(a.last))
            }
        }
        let recent = (addresses[address] ?? []).filter { now.timeIntervalSince($0) < policy.window }
        addresses[address] = recent.isEmpty ? nil : recent
        if recent.count >= policy.addressLimit, let oldest = recent.first { wait = max(wait, policy.window - now.timeIntervalSince(oldest)) }
        return wait > 0 ? Int(wait.rounded(.up)) : nil
    }

    func failed(account: String, address: String, now: Date) {
        accounts[account] = ((accounts[account]?.failures ?? 0) + 1, now)
        var list = addresses[address] ?? []
        list.append(now)
        // Memory stays bounded whatever an address sends.
        if list.count > policy.addressLimit * 2 { list.removeFirst(list.count - policy.addressLimit * 2) }
        addresses[address] = list
        if accounts.count > 100_000 { prune(now) }
    }

    func succeeded(account: String) {
        accounts[account] = nil
    }

    private func prune(_ now: Date) {
        accounts = accounts.filter { now.timeIntervalSince($0.value.last) < policy.window }
        addresses = addresses.filter { ($0.value.last.map { now.timeIntervalSince($0) < policy.window }) ?? false }
    }
}

/// At most `limit` password checks (bcrypt, ~0.25 s of CPU each) run at once and at most
/// `queue` wait; beyond that a login is answered "busy" at once, so a login flood cannot take
/// the CPU from every other request.
actor PasswordCheckGate {
    let limit: Int
    let queue: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int = max(1, System.coreCount / 2), queue: Int = 16) {
        self.limit = limit
        self.queue = queue
    }

    /// Runs `body` when a slot is free; nil when too many checks are already waiting.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T? {
        if running >= limit {
            guard waiting.count < queue else { return nil }
            await withCheckedContinuation { waiting.append($0) }
        } else {
            running += 1
        }
        defer {
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}

/// The client's address: the socket's peer, unless that peer is a configured trusted proxy;
/// then the right-most address in `X-Forwarded-For` that is not a trusted proxy. Without a
/// trusted-proxy list the header is ignored (anyone can write it).
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: String?, trusted: Set<String>) -> String {
        let peer = peer ?? "unknown"
        guard trusted.contains(peer), let header = forwardedFor else { return peer }
        let hops = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !trusted.contains(hop) { return String(hop.prefix(64)) }
        return hops.first.map { String($0.prefix(64)) } ?? peer
    }
}
