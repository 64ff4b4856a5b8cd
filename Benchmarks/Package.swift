// swift-tools-version: 6.1
import PackageDescription

/// Petrel's benchmarks (ordo-one package-benchmark): `swift package benchmark` in this folder.
let package = Package(
    name: "PetrelBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(name: "Petrel", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "IndicatorBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "PetrelIndicators", package: "Petrel"),
                .product(name: "PetrelCore", package: "Petrel"),
            ],
            path: "Benchmarks/IndicatorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "MarketDataBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "PetrelMarketData", package: "Petrel"),
                .product(name: "PetrelCore", package: "Petrel"),
            ],
            path: "Benchmarks/MarketDataBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "BacktestBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "PetrelBacktest", package: "Petrel"),
                .product(name: "PetrelStrategies", package: "Petrel"),
                .product(name: "PetrelMarketData", package: "Petrel"),
                .product(name: "PetrelRuntime", package: "Petrel"),
                .product(name: "PetrelCore", package: "Petrel"),
            ],
            path: "Benchmarks/BacktestBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "PersistenceBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "PetrelPersistence", package: "Petrel"),
                .product(name: "PetrelRuntime", package: "Petrel"),
                .product(name: "PetrelCore", package: "Petrel"),
            ],
            path: "Benchmarks/PersistenceBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "FleetBenchmark",
            dependencies: [
                .product(name: "PetrelRuntime", package: "Petrel"),
                .product(name: "PetrelExchanges", package: "Petrel"),
                .product(name: "PetrelStrategies", package: "Petrel"),
                .product(name: "PetrelMarketData", package: "Petrel"),
                .product(name: "PetrelCore", package: "Petrel"),
            ],
            path: "Sources/FleetBenchmark"
        ),
    ]
)
