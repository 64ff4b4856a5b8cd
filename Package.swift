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
        .library(name: "PetrelTestSupport", targets: ["PetrelTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/fluent-kit", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver", from: "4.9.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
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
            dependencies: ["PetrelRuntime", "PetrelMarketData", "PetrelCore"],
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
            name: "PetrelTestSupport",
            dependencies: ["PetrelRuntime", "PetrelCore", "PetrelMarketData", "PetrelExchanges"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "petrel",
            dependencies: [
                "PetrelCore", "PetrelIndicators", "PetrelRuntime", "PetrelStrategies", "PetrelAnalytics",
                "PetrelMarketData", "PetrelBacktest", "PetrelExchanges", "PetrelPersistence",
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
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PetrelCLITests",
            dependencies: [
                "PetrelCore", "PetrelMarketData", "PetrelIndicators", "PetrelRuntime", "PetrelBacktest",
                "PetrelTestSupport", "PetrelPersistence", "PetrelExchanges",
                "petrel",
            ],
            swiftSettings: strictSettings
        ),
    ]
)
