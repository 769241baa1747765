import DudaoCore
import DudaoStore
import Foundation

/// Accounts (use cases `CreateUser`, `ChangePassword`, `ResetPassword`, `DisableUser`,
/// `SignIn`, `IssueToken`, `RevokeToken`): each change with its audit entry in one transaction,
/// at the injected clock's moment. Password checks (bcrypt)
/// run before the transaction, so no transaction waits on one.
public struct Accounts: Sendable {
    let services: Services

    public init(_ services: Services) { self.services = services }

    var cost: UInt8 { services.passwordCost }

    /// Creates a user; an inspector account may be linked to its inspector record at once.
    @discardableResult
    public func create(
        username: String, displayName: String, role: Role, regionCode: String, schoolCode: String?, password: String,
        inspectorId: String? = nil, actor: String
    ) async throws -> Identity {
        let cost = self.cost
        return try await services.transaction { tx, now in
            if let inspectorId {
                guard role == .inspector else { throw UserError.invalid("only inspector accounts link to an inspector / 只有督学账号可关联督学") }
                guard let record = try await InspectorRepository(tx).find(id: inspectorId) else {
                    throw UserError.invalid("no inspector \(inspectorId) (import inspectors first) / 未找到督学 \(inspectorId)")
                }
                guard RegionCode.contains(regionCode, record.regionCode) else {
                    throw UserError.invalid("inspector \(inspectorId) belongs to \(record.regionCode), not \(regionCode)")
                }
            }
            let user = try await UserRepository(tx, cost: cost).create(
                username: username, displayName: displayName, role: role, regionCode: regionCode,
                schoolCode: schoolCode, password: password, actor: actor, at: now.timestamp)
            if let inspectorId { _ = try await InspectorRepository(tx).link(inspectorId: inspectorId, username: username) }
            return user
        }
    }

    /// The user's own change: the current password must be right. Sessions and tokens end.
    public func changePassword(userId: String, current: String, new: String) async throws -> Bool {
        let users = UserRepository(services.reads, cost: cost)
        guard let user = try await users.find(id: userId), try await users.verify(username: user.username, password: current) != nil else {
            return false
        }
        let cost = self.cost
        try await services.transaction { tx, now in
            try await UserRepository(tx, cost: cost).setPassword(
                userId: userId, to: new, action: "change_password", actor: user.username, at: now.timestamp)
        }
        services.database.callers.removeAll()
        return true
    }

    /// An administrator's reset. Sessions and tokens end.
    public func resetPassword(username: String, to password: String, actor: String) async throws {
        guard let user = try await UserRepository(services.reads).find(username: username) else {
            throw UserError.invalid("no user \(username) / 用户不存在")
        }
        let cost = self.cost
        try await services.transaction { tx, now in
            try await UserRepository(tx, cost: cost).setPassword(
                userId: user.userId, to: password, action: "reset_password", actor: actor, at: now.timestamp)
        }
        services.database.callers.removeAll()
    }

    /// Sets the address a user's daily digest goes to (nil: no digest), audited.
    public func setEmail(username: String, to email: String?, actor: String) async throws {
        guard let user = try await UserRepository(services.reads).find(username: username) else {
            throw UserError.invalid("no user \(username) / 用户不存在")
        }
        let checked = try email.map(Self.checkedEmail)
        try await services.transaction { tx, now in
            try await UserRepository(tx).setEmail(userId: user.userId, to: checked, at: now.timestamp)
            try await AuditLog(tx).record([
                AuditEntry(
                    at: now.timestamp, actor: actor, action: checked == nil ? "remove_email" : "set_email", objectType: "user",
                    objectId: user.username,
                    oldValue: nil, newValue: checked, regionCode: user.regionCode)
            ])
        }
    }

    /// One address (local@domain), no blanks or line breaks (it goes into a mail header), ≤ 254 characters.
    static func checkedEmail(_ raw: String) throws -> String {
        let e = raw.trimmingCharacters(in: .whitespaces)
        let parts = e.split(separator: "@", omittingEmptySubsequences: false)
        guard e.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            e.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0 != "<" && $0 != ">" && $0 != "," && $0 != ";" })
        else {
            throw FieldError(field: "email", code: "invalid", zh: "电子邮箱地址无效：「\(raw.prefix(60))」", en: "not an e-mail address: '\(raw.prefix(60))'")
        }
        return e
    }

    /// Disabling ends the account's sessions and tokens at once.
    public func setDisabled(_ disabled: Bool, username: String, actor: String) async throws {
        try await services.transaction { tx, now in
            try await UserRepository(tx).setDisabled(disabled, username: username, actor: actor, at: now.timestamp)
        }
        services.database.callers.removeAll()
    }

    @discardableResult
    public func revokeToken(username: String, idOrName: String, actor: String) async throws -> Int {
        let revoked = try await services.transaction { tx, now in
            try await UserRepository(tx).revokeToken(username: username, idOrName: idOrName, actor: actor, at: now.timestamp)
        }
        services.database.callers.removeAll()
        return revoked
    }

    /// Opens a session for a user whose password was checked (twelve hours from now).
    public func openSession(for identity: Identity) async throws -> UserRepository.Session {
        try await services.transaction { tx, now in try await UserRepository(tx).openSession(for: identity, at: now.timestamp) }
    }

    /// A new API token, shown once.
    public func issueToken(username: String, name: String, days: Int) async throws -> String {
        try await services.transaction { tx, now in
            let users = UserRepository(tx)
            guard let user = try await users.find(username: username) else { throw UserError.invalid("no user \(username) / 用户不存在") }
            return try await users.issueToken(for: user, name: name, days: days, at: now.timestamp)
        }
    }

    /// The caller behind a session cookie, now: from `CallerCache` when looked up within the
    /// last second, else from the database (and remembered).
    public func caller(sessionToken: String) async throws -> UserRepository.Session? {
        let cache = services.database.callers, key = "s:" + sessionToken, now = services.clock.now()
        if case .session(let s)? = cache.caller(key, at: now) { return s }
        let generation = cache.generation
        guard let session = try await UserRepository(services.reads).session(token: sessionToken, at: Timestamp.format(now)) else { return nil }
        cache.remember(.session(session), for: key, at: now, expires: Timestamp.date(session.expiresAt), lookedUpIn: generation)
        return session
    }

    /// The caller behind an API token, now (cached like sessions).
    public func caller(apiToken: String) async throws -> Identity? {
        let cache = services.database.callers, key = "t:" + apiToken, now = services.clock.now()
        if case .token(let identity)? = cache.caller(key, at: now) { return identity }
        let generation = cache.generation
        guard let found = try await UserRepository(services.reads).identity(apiToken: apiToken, at: Timestamp.format(now)) else { return nil }
        cache.remember(.token(found.identity), for: key, at: now, expires: found.expiresAt.flatMap(Timestamp.date), lookedUpIn: generation)
        return found.identity
    }

    /// Signs out: the session ends here at once (and on other instances within a second).
    public func closeSession(token: String) async throws {
        try await services.transaction { tx, _ in try await UserRepository(tx).closeSession(token: token) }
        services.database.callers.removeAll()
    }
}
