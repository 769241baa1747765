import ArgumentParser
import DudaoApp
import DudaoCore
import DudaoStore
import DudaoWeb
import Foundation
import Hummingbird
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server.")

    @OptionGroup var database: DatabaseOption
    @Option(help: "Address to listen on") var host = "127.0.0.1"
    @Option(help: "Port to listen on") var port = 8080
    @Flag(help: "Load the demo county first (idempotent)") var demo = false
    @Option(
        name: .customLong("trusted-proxy"),
        help: "Address of a reverse proxy whose X-Forwarded-For is believed (repeatable; also DUDAO_TRUSTED_PROXIES, comma-separated)")
    var trustedProxies: [String] = []

    func run() async throws {
        var logger = Logger(label: "dudao")
        logger.logLevel = .info
        try await database.with { db in
            if demo { try await DemoLoader.load(into: db, log: { logger.info("\($0)") }) }
            let fromEnv = (ProcessInfo.processInfo.environment["DUDAO_TRUSTED_PROXIES"] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            let app = try await buildApplication(
                database: db, host: host, port: port, trustedProxies: Set(trustedProxies + fromEnv).subtracting([""]),
                logger: logger)
            print("Dudao listening on http://\(host):\(port)/  (demo county: http://\(host):\(port)/regions/\(DemoCounty.mainCounty))")
            try await app.runService()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let backend = try await database.with { $0.backend }
        print("schema at version \(Migrations.latestVersion) (\(backend.rawValue))")
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the demo county (禹州市) and two neighbours.")
    @OptionGroup var database: DatabaseOption

    func run() async throws {
        try await database.with { db in try await DemoLoader.load(into: db, log: { print($0) }) }
    }
}
