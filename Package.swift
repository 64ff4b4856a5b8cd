// swift-tools-version: 6.1
import PackageDescription

/// Settings every Petrel target shares: Swift 6 mode with the upcoming features CONVENTIONS.md asks for.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Petrel",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "petrel", targets: ["petrel"]),
        .library(name: "PetrelCore", targets: ["PetrelCore"]),
        .library(name: "PetrelIndicators", targets: ["PetrelIndicators"]),
        .library(name: "PetrelRuntime", targets: ["PetrelRuntime"]),
        .library(name: "PetrelStrategies", targets: ["PetrelStrategies"]),
        .library(name: "PetrelAnalytics", targets: ["PetrelAnalytics"]),
        .library(name: "PetrelMarketData", targets: ["PetrelMarketData"]),
        .library(name: "PetrelBacktest", targets: ["PetrelBacktest"]),
        .library(name: "PetrelExchanges", targets: ["PetrelExchanges"]),
        .library(name: "PetrelPersistence", targets: ["PetrelPersistence"]),
        .library(name: "PetrelNotifications", targets: ["PetrelNotifications"]),
        .library(name: "PetrelServer", targets: ["PetrelServer"]),
        .library(name: "PetrelTestSupport", targets: ["PetrelTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "PetrelCore", swiftSettings: strictSettings),
        .target(name: "PetrelIndicators", dependencies: ["PetrelCore"], swiftSettings: strictSettings),
        .target(
            name: "PetrelRuntime",
            dependencies: ["PetrelCore", "PetrelIndicators", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelStrategies",
            dependencies: ["PetrelRuntime", "PetrelIndicators", "PetrelCore"],
            swiftSettings: strictSettings
        ),
        .target(name: "PetrelAnalytics", dependencies: ["PetrelCore"], swiftSettings: strictSettings),
        .target(
            name: "PetrelMarketData",
            dependencies: ["PetrelCore", "CZlib"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelBacktest",
            dependencies: ["PetrelRuntime", "PetrelStrategies", "PetrelAnalytics", "PetrelMarketData", "PetrelCore"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelExchanges",
            dependencies: [
                "PetrelRuntime", "PetrelMarketData", "PetrelCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "WSClient", package: "swift-websocket"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelPersistence",
            dependencies: [
                "PetrelRuntime", "PetrelCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelNotifications",
            dependencies: [
                "PetrelRuntime", "PetrelCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelServer",
            dependencies: [
                "PetrelCore", "PetrelRuntime", "PetrelStrategies", "PetrelMarketData", "PetrelExchanges",
                "PetrelPersistence", "PetrelAnalytics", "PetrelBacktest", "PetrelNotifications",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources/dashboard"), .copy("Resources/openapi.json")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelTestSupport",
            dependencies: [
                "PetrelRuntime", "PetrelCore", "PetrelMarketData", "PetrelExchanges",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PetrelSQLiteTestSupport",
            dependencies: [.product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "petrel",
            dependencies: [
                "PetrelCore", "PetrelIndicators", "PetrelRuntime", "PetrelStrategies", "PetrelAnalytics",
                "PetrelMarketData", "PetrelBacktest", "PetrelExchanges", "PetrelPersistence", "PetrelServer",
                "PetrelNotifications",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelCoreTests",
            dependencies: ["PetrelCore", "PetrelTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelIndicatorsTests",
            dependencies: ["PetrelIndicators", "PetrelCore", "PetrelTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelRuntimeTests",
            dependencies: ["PetrelRuntime", "PetrelCore", "PetrelExchanges", "PetrelTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelStrategiesTests",
            dependencies: [
                "PetrelStrategies", "PetrelRuntime", "PetrelIndicators", "PetrelBacktest", "PetrelCore",
                "PetrelTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelAnalyticsTests",
            dependencies: ["PetrelAnalytics", "PetrelCore", "PetrelTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelMarketDataTests",
            dependencies: ["PetrelMarketData", "PetrelCore", "PetrelTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelBacktestTests",
            dependencies: [
                "PetrelBacktest", "PetrelRuntime", "PetrelStrategies", "PetrelMarketData", "PetrelAnalytics",
                "PetrelCore", "PetrelTestSupport",
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelExchangesTests",
            dependencies: ["PetrelExchanges", "PetrelRuntime", "PetrelMarketData", "PetrelCore", "PetrelTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelPersistenceTests",
            dependencies: [
                "PetrelPersistence", "PetrelRuntime", "PetrelExchanges", "PetrelCore", "PetrelTestSupport",
                "PetrelSQLiteTestSupport", .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelNotificationsTests",
            dependencies: [
                "PetrelNotifications", "PetrelRuntime", "PetrelCore", "PetrelTestSupport", "petrel", "PetrelServer",
                "PetrelPersistence",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelServerTests",
            dependencies: [
                "PetrelServer", "PetrelPersistence", "PetrelRuntime", "PetrelCore", "PetrelTestSupport",
                "PetrelMarketData",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "WSClient", package: "swift-websocket"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelCLITests",
            dependencies: [
                "PetrelCore", "PetrelMarketData", "PetrelIndicators", "PetrelRuntime", "PetrelBacktest",
                "PetrelTestSupport", "PetrelPersistence", "PetrelExchanges", "PetrelSQLiteTestSupport",
                "petrel",
            ],
            swiftSettings: strictSettings
        ),
    ]
)
