import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoStore
import Foundation

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users and API tokens.",
        subcommands: [
            UserAdd.self, UserList.self, UserToken.self, UserTokens.self, UserRevoke.self, UserDisable.self, UserEnable.self,
            UserResetPassword.self, UserEmail.self,
        ])
}

struct UserAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Create a user.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String
    @Option(help: "Name shown in the UI") var name: String?
    @Option(help: "Role: \(Role.allCases.map(\.rawValue).joined(separator: ", "))") var role: String
    @Option(help: "Region code of the office (2, 4 or 6 digits; none for national/admin)") var region: String = ""
    @Option(help: "School code (principals)") var school: String?
    @Option(help: "Password (or set DUDAO_PASSWORD; at least 8 characters)") var password: String?
    @Option(help: "Inspector id (督学编号) this account signs in as (role inspector)") var inspector: String?

    func run() async throws {
        guard let role = Role.parse(role) else { throw ValidationError("unknown role '\(role)'; use \(Role.accepted)") }
        guard let password = password ?? ProcessInfo.processInfo.environment["DUDAO_PASSWORD"] else {
            throw ValidationError("give --password or set DUDAO_PASSWORD")
        }
        if inspector != nil && role != .inspector { throw ValidationError("--inspector is for role inspector") }
        let user = try await database.with { db in
            try await Services(database: db).accounts.create(
                username: username, displayName: name ?? username, role: role, regionCode: region,
                schoolCode: school, password: password, inspectorId: inspector, actor: "cli")
        }
        print("created \(user.username) (\(user.role.zh) \(user.schoolCode ?? user.regionCode))\(inspector.map { ", inspector \($0)" } ?? "")")
        if role == .inspector && inspector == nil {
            print("note: link the account to an inspector with a username column in the inspectors file, or re-create with --inspector ID")
        }
    }
}

struct UserList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users in a region's subtree.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Region code (default: all)") var region: String = ""

    func run() async throws {
        let users = try await database.with { try await UserRepository($0.sql).list(under: region) }
        for u in users { print("\(u.username)\t\(u.role.rawValue)\t\(u.regionCode)\t\(u.schoolCode ?? "")\t\(u.displayName)") }
    }
}

struct UserToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Issue an API token (Authorization: Bearer) for a user.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String
    @Option(help: "What the token is for") var name = "script"
    @Option(help: "Days until the token expires (1–3650)") var days = 365

    func run() async throws {
        let token = try await database.with { db -> String in
            try await Services(database: db).accounts.issueToken(username: username, name: name, days: days)
        }
        print(token)
    }
}

struct UserTokens: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokens", abstract: "List a user's API tokens (id, name, created, expires, revoked).")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String

    func run() async throws {
        let tokens = try await database.with { try await UserRepository($0.sql).tokens(username: username) }
        for t in tokens { print("\(t.id)\t\(t.name)\t\(t.createdAt)\t\(t.expiresAt ?? "never")\t\(t.revokedAt.map { "revoked " + $0 } ?? "live")") }
    }
}

struct UserRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an API token of a user by its id or name.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String
    @Option(help: "Token id (from `dudao user tokens`) or name") var token: String

    func run() async throws {
        let n = try await database.with { try await Services(database: $0).accounts.revokeToken(username: username, idOrName: token, actor: "cli") }
        guard n > 0 else { throw ValidationError("no live token '\(token)' for \(username)") }
        print("revoked \(n) token\(n == 1 ? "" : "s")")
    }
}

struct UserDisable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disable", abstract: "Disable an account: it cannot sign in; its sessions and tokens end.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String

    func run() async throws {
        try await database.with { try await Services(database: $0).accounts.setDisabled(true, username: username, actor: "cli") }
        print("disabled \(username)")
    }
}

struct UserEnable: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled account again.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String

    func run() async throws {
        try await database.with { try await Services(database: $0).accounts.setDisabled(false, username: username, actor: "cli") }
        print("enabled \(username)")
    }
}

struct UserResetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password", abstract: "Set a new password; the user's sessions and tokens end.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String
    @Option(help: "New password (or set DUDAO_PASSWORD; at least 8 characters)") var password: String?

    func run() async throws {
        guard let password = password ?? ProcessInfo.processInfo.environment["DUDAO_PASSWORD"] else {
            throw ValidationError("give --password or set DUDAO_PASSWORD")
        }
        try await database.with { try await Services(database: $0).accounts.resetPassword(username: username, to: password, actor: "cli") }
        print("password reset for \(username); sessions and tokens ended")
    }
}

struct UserEmail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "email", abstract: "Set (or with --clear remove) the address the daily digest of what is due goes to.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Login name") var username: String
    @Option(help: "E-mail address") var email: String?
    @Flag(help: "Remove the address (no digest)") var clear = false

    func run() async throws {
        guard (email == nil) == clear else { throw ValidationError("give --email ADDRESS or --clear") }
        try await database.with { try await Services(database: $0).accounts.setEmail(username: username, to: email, actor: "cli") }
        print(clear ? "\(username): no digest" : "\(username): digest to \(email!)")
    }
}

/// `dudao digest`: e-mail every user with an address what is due from them (run it daily, e.g. from cron).
struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "Send the daily digest of what is due (待办事项) by e-mail through an SMTP relay.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "SMTP relay, host or host:port (no TLS or authentication: the office's own relay)") var smtp: String
    @Option(help: "Sender address") var from: String
    @Option(help: "Where Dudao is served, for the links") var baseURL = "http://localhost:8080"

    func run() async throws {
        let mailer = try SMTPMailer.parse(smtp, from: from)
        let outcome = try await database.with { try await Services(database: $0).digest.send(with: mailer, baseURL: baseURL) }
        print("sent \(outcome.sent.count) (\(outcome.sent.joined(separator: ", "))); nothing due for \(outcome.nothingDue.count)")
        for f in outcome.failed { FileHandle.standardError.write(Data("\(f.username): \(f.reason)\n".utf8)) }
        if !outcome.failed.isEmpty { throw ExitCode.failure }
    }
}
