import ArgumentParser
import DudaoCore
import DudaoStore
import Foundation

struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage users and API tokens.", subcommands: [UserAdd.self, UserList.self, UserToken.self])
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

    func run() async throws {
        guard let role = Role.parse(role) else { throw ValidationError("unknown role '\(role)'; use \(Role.accepted)") }
        guard let password = password ?? ProcessInfo.processInfo.environment["DUDAO_PASSWORD"] else {
            throw ValidationError("give --password or set DUDAO_PASSWORD")
        }
        let user = try await database.with { db in
            try await UserRepository(db.sql).create(username: username, displayName: name ?? username, role: role, regionCode: region,
                                                    schoolCode: school, password: password, actor: "cli")
        }
        print("created \(user.username) (\(user.role.zh) \(user.schoolCode ?? user.regionCode))")
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

    func run() async throws {
        let token = try await database.with { db -> String in
            let users = UserRepository(db.sql)
            guard let user = try await users.find(username: username) else { throw ValidationError("no user \(username)") }
            return try await users.issueToken(for: user, name: name)
        }
        print(token)
    }
}
