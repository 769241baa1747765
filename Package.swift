// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Dudao",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dudao", targets: ["dudao"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/async-kit", from: "1.22.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
    ],
    targets: [
        .target(
            name: "DudaoCore",
            resources: [.copy("Resources")]
        ),
        .target(
            name: "DudaoFiles",
            dependencies: [
                "DudaoCore",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "DudaoStore",
            dependencies: [
                "DudaoCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Use cases: each owns one transaction and its audit rows; web and CLI both call them.
        .target(
            name: "DudaoApp",
            dependencies: ["DudaoCore", "DudaoStore", "DudaoFiles", .product(name: "SQLKit", package: "sql-kit")]
        ),
        .target(
            name: "DudaoWeb",
            dependencies: [
                "DudaoCore", "DudaoStore", "DudaoFiles", "DudaoApp",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/strings.json")]
        ),
        .executableTarget(
            name: "dudao",
            dependencies: [
                "DudaoCore", "DudaoFiles", "DudaoStore", "DudaoApp", "DudaoWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared fixtures: a fresh database per test on the backend CI chose.
        .target(name: "DudaoTestSupport", dependencies: ["DudaoCore", "DudaoStore"], path: "Tests/DudaoTestSupport"),
        .testTarget(name: "DudaoCoreTests", dependencies: ["DudaoCore"]),
        .testTarget(
            name: "DudaoFilesTests",
            dependencies: ["DudaoCore", "DudaoFiles", "DudaoTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "DudaoStoreTests", dependencies: ["DudaoCore", "DudaoStore", "DudaoApp", "DudaoTestSupport"]),
        .testTarget(
            name: "DudaoAppTests",
            dependencies: ["DudaoCore", "DudaoFiles", "DudaoStore", "DudaoApp", "DudaoTestSupport", .product(name: "SQLKit", package: "sql-kit")]),
        // Generated and mutated input for every reader of client bytes (docs/SECURITY.md).
        .testTarget(
            name: "DudaoFuzzTests",
            dependencies: ["DudaoCore", "DudaoFiles", "DudaoApp", "DudaoWeb", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(
            name: "DudaoWebTests",
            dependencies: [
                "DudaoCore", "DudaoFiles", "DudaoStore", "DudaoApp", "DudaoWeb", "DudaoTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ],
            exclude: ["__Snapshots__"]
        ),
    ]
)
