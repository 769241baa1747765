import Crypto
import DudaoCore
import Foundation
import HummingbirdBcrypt
import NIOPosix
import SQLKit

public enum UserError: Error, Sendable, CustomStringConvertible, Equatable {
    case invalid(String)
    case duplicate(String)
    case weakPassword

    public var description: String {
        switch self {
        case .invalid(let why): why
        case .duplicate(let name): "user \(name) already exists / 用户名已存在"
        case .weakPassword: "password needs at least 8 characters / 密码至少8位"
        }
    }
}

/// Users, password checks, sessions and API tokens.
public struct UserRepository: Sendable {
    let db: any SQLDatabase
    /// bcrypt cost: 12 in production (≈0.25 s per check), lower only in tests.
    let cost: UInt8

    public init(_ db: any SQLDatabase, cost: UInt8 = UserRepository.defaultCost) {
        self.db = db
        self.cost = cost
    }

    public static var defaultCost: UInt8 {
        ProcessInfo.processInfo.environment["DUDAO_BCRYPT_COST"].flatMap { UInt8($0) }.map { max(4, $0) } ?? 12
    }

    @discardableResult
    public func create(
        username: String, displayName: String, role: Role, regionCode: String, schoolCode: String?,
        password: String, actor: String, at now: String
    ) async throws -> Identity {
        if let problem = Identity.validate(role: role, regionCode: regionCode, schoolCode: schoolCode) { throw UserError.invalid(problem) }
        guard password.count >= 8 else { throw UserError.weakPassword }
        do { _ = try Checked.text(displayName, field: "name", max: 100) } catch { throw UserError.invalid(error.description) }
        guard (1...64).contains(username.count), username.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw UserError.invalid("a username has 1–64 letters, digits, - _ . / 用户名为1至64个字母、数字或 - _ .")
        }
        if try await find(username: username) != nil { throw UserError.duplicate(username) }
        var region = regionCode
        if let schoolCode {
            guard let school = try await SchoolRepository(db).find(schoolCode) else { throw UserError.invalid("unknown school \(schoolCode)") }
            region = school.countyCode
        }
        let identity = Identity(
            userId: UUID().uuidString, username: username, displayName: displayName, role: role,
            regionCode: region, schoolCode: schoolCode)
        try await db.insert(into: "users")
            .columns("id", "username", "display_name", "role", "region_code", "school_code", "password_hash", "disabled", "created_at")
            .values(
                identity.userId, username, displayName, role.rawValue, region, schoolCode, Bcrypt.hash(password, cost: cost), false, now
            )
            .run()
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: "create", objectType: "user", objectId: username, oldValue: nil,
                newValue: "role=\(role.rawValue); region=\(region); school=\(schoolCode ?? "")", regionCode: region)
        ])
        return identity
    }

    public func find(username: String) async throws -> Identity? {
        try await db.select().columns("*").from("users").where("username", .equal, username).first().map(Self.decode)
    }

    public func find(id: String) async throws -> Identity? {
        try await db.select().columns("*").from("users").where("id", .equal, id).where("disabled", .equal, false).first().map(Self.decode)
    }

    public func list(under regionCode: String) async throws -> [Identity] {
        try await db.select().columns("*").from("users").where("region_code", under: regionCode).orderBy("username").all().map(Self.decode)
    }

    /// The user when the password is right and the account enabled; nil otherwise.
    public func verify(username: String, password: String) async throws -> Identity? {
        guard let row = try await db.select().columns("*").from("users").where("username", .equal, username).first() else {
            // Spend the same time as a real check, so response times do not reveal usernames.
            _ = try await Self.check(password, hash: Self.dummyHash)
            return nil
        }
        let hash = try row.decode(column: "password_hash", as: String.self)
        guard try await Self.check(password, hash: hash), try !row.decode(column: "disabled", as: Bool.self) else { return nil }
        return try Self.decode(row)
    }

    /// bcrypt runs on NIO's blocking thread pool, never on the threads that serve requests.
    static func check(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    static let dummyHash = Bcrypt.hash("not a password", cost: 12)

    /// Sets a new password; every session and token of the user ends. `action` names it in the
    /// audit log (`change_password` by the user, `reset_password` by an administrator).
    public func setPassword(userId: String, to password: String, action: String, actor: String, at now: String) async throws {
        guard password.count >= 8 else { throw UserError.weakPassword }
        guard let row = try await db.select().columns("username", "region_code").from("users").where("id", .equal, userId).first() else {
            throw UserError.invalid("no such user / 用户不存在")
        }
        try await db.update("users").set("password_hash", to: Bcrypt.hash(password, cost: cost)).where("id", .equal, userId).run()
        try await endAccess(userId: userId, at: now)
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: action, objectType: "user",
                objectId: try row.decode(column: "username", as: String.self), oldValue: nil, newValue: nil,
                regionCode: try row.decode(column: "region_code", as: String.self))
        ])
    }

    /// Ends every session and revokes every API token of a user.
    func endAccess(userId: String, at now: String) async throws {
        try await db.delete(from: "sessions").where("user_id", .equal, userId).run()
        try await db.update("api_tokens").set("revoked_at", to: now).where("user_id", .equal, userId)
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).run()
    }

    /// Disables or enables an account; disabling ends its sessions and tokens at once.
    public func setDisabled(_ disabled: Bool, username: String, actor: String, at now: String) async throws {
        guard let row = try await db.select().columns("id", "region_code").from("users").where("username", .equal, username).first() else {
            throw UserError.invalid("no user \(username) / 用户不存在")
        }
        let id = try row.decode(column: "id", as: String.self)
        try await db.update("users").set("disabled", to: disabled).where("id", .equal, id).run()
        if disabled { try await endAccess(userId: id, at: now) }
        try await AuditLog(db).record([
            AuditEntry(
                at: now, actor: actor, action: disabled ? "disable" : "enable", objectType: "user",
                objectId: username, oldValue: nil, newValue: nil, regionCode: try row.decode(column: "region_code", as: String.self))
        ])
    }

    // MARK: sessions

    public struct Session: Sendable {
        public var token: String
        public var csrfToken: String
        public var identity: Identity
        /// When the session ends (stored timestamp).
        public var expiresAt: String

        /// 256 random bits, hex.
        public static func newToken() -> String { UserRepository.randomToken() }
    }

    /// Opens a session; only the token's SHA-256 is stored.
    public func openSession(for identity: Identity, hours: Int = 12, at now: String) async throws -> Session {
        let token = Self.randomToken(), csrf = Self.randomToken()
        let expires = try Timestamp.adding(hours: hours, to: now)
        try await db.insert(into: "sessions").columns("token_hash", "user_id", "csrf_token", "created_at", "expires_at")
            .values(Self.sha256(token), identity.userId, csrf, now, expires).run()
        return Session(token: token, csrfToken: csrf, identity: identity, expiresAt: expires)
    }

    /// The live session of a cookie token at `now`, or nil.
    public func session(token: String, at now: String) async throws -> Session? {
        guard let row = try await db.select().columns("*").from("sessions").where("token_hash", .equal, Self.sha256(token)).first(),
            case let expires = try row.decode(column: "expires_at", as: String.self), expires > now,
            let identity = try await find(id: try row.decode(column: "user_id", as: String.self))
        else { return nil }
        return Session(token: token, csrfToken: try row.decode(column: "csrf_token", as: String.self), identity: identity, expiresAt: expires)
    }

    public func closeSession(token: String) async throws {
        try await db.delete(from: "sessions").where("token_hash", .equal, Self.sha256(token)).run()
    }

    // MARK: API tokens

    /// A new API token for scripts (`Authorization: Bearer …`); shown once, stored as a hash,
    /// valid for `days` days (1…3650).
    public func issueToken(for identity: Identity, name: String, days: Int = 365, at now: String) async throws -> String {
        guard (1...3650).contains(days) else { throw UserError.invalid("token lifetime must be 1–3650 days / 有效期应为1至3650天") }
        let token = "dd_" + Self.randomToken()
        try await db.insert(into: "api_tokens").columns("token_hash", "user_id", "name", "created_at", "expires_at")
            .values(Self.sha256(token), identity.userId, name, now, try Timestamp.adding(hours: days * 24, to: now)).run()
        return token
    }

    /// The caller of a live token (not revoked, not expired, account enabled) and when the token ends.
    public func identity(apiToken: String, at now: String) async throws -> (identity: Identity, expiresAt: String?)? {
        guard
            let row = try await db.select().columns("user_id", "expires_at", "revoked_at").from("api_tokens")
                .where("token_hash", .equal, Self.sha256(apiToken)).first(),
            try row.decode(column: "revoked_at", as: String?.self) == nil,
            case let expires = try row.decode(column: "expires_at", as: String?.self), expires.map({ $0 > now }) ?? true,
            let identity = try await find(id: try row.decode(column: "user_id", as: String.self))
        else { return nil }
        return (identity, expires)
    }

    public struct TokenInfo: Sendable {
        /// The first 12 hex digits of the token's hash: names a token without revealing it.
        public var id: String
        public var name: String
        public var createdAt: String
        public var expiresAt: String?
        public var revokedAt: String?
    }

    public func tokens(username: String) async throws -> [TokenInfo] {
        guard let user = try await find(username: username) else { throw UserError.invalid("no user \(username) / 用户不存在") }
        return try await db.select().columns("*").from("api_tokens").where("user_id", .equal, user.userId).orderBy("created_at").all().map {
            TokenInfo(
                id: String(try $0.decode(column: "token_hash", as: String.self).prefix(12)), name: try $0.decode(column: "name", as: String.self),
                createdAt: try $0.decode(column: "created_at", as: String.self), expiresAt: try $0.decode(column: "expires_at", as: String?.self),
                revokedAt: try $0.decode(column: "revoked_at", as: String?.self))
        }
    }

    /// Revokes a user's token by its id (see `tokens`) or name; returns how many were revoked.
    @discardableResult
    public func revokeToken(username: String, idOrName: String, actor: String, at now: String) async throws -> Int {
        let live = try await tokens(username: username).filter { $0.revokedAt == nil && ($0.id == idOrName.lowercased() || $0.name == idOrName) }
        guard let user = try await find(username: username) else { return 0 }
        for t in live {
            try await db.update("api_tokens").set("revoked_at", to: now).where("user_id", .equal, user.userId)
                .where("token_hash", .like, t.id + "%").run()
            try await AuditLog(db).record([
                AuditEntry(
                    at: now, actor: actor, action: "revoke_token", objectType: "user",
                    objectId: username, oldValue: nil, newValue: "\(t.id) \(t.name)", regionCode: user.regionCode)
            ])
        }
        return live.count
    }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }

    static func sha256(_ s: String) -> String {
        SHA256.hash(data: Data(s.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Sets (or, with nil, removes) the address the daily digest goes to.
    public func setEmail(userId: String, to email: String?, at now: String) async throws {
        try await db.delete(from: "user_emails").where("user_id", .equal, userId).run()
        if let email {
            try await db.insert(into: "user_emails").columns("user_id", "email", "updated_at").values(userId, email, now).run()
        }
    }

    public func email(userId: String) async throws -> String? {
        try await db.select().column("email").from("user_emails").where("user_id", .equal, userId).first()?.decode(column: "email", as: String.self)
    }

    /// Enabled users with an address, by username.
    public func recipients() async throws -> [(identity: Identity, email: String)] {
        try await db.select().column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("users"))).column(SQLColumn("email", table: "user_emails"))
            .from("users").join("user_emails", on: SQLColumn("user_id", table: "user_emails"), .equal, SQLColumn("id", table: "users"))
            .where(SQLColumn("disabled", table: "users"), .equal, SQLBind(false)).orderBy(SQLColumn("username", table: "users")).all()
            .map { (try Self.decode($0), try $0.decode(column: "email", as: String.self)) }
    }

    static func decode(_ row: any SQLRow) throws -> Identity {
        Identity(
            userId: try row.decode(column: "id", as: String.self),
            username: try row.decode(column: "username", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            role: try row.decode(Role.self, column: "role", table: "users"),
            regionCode: try row.decode(column: "region_code", as: String.self),
            schoolCode: try row.decode(column: "school_code", as: String?.self))
    }
}
