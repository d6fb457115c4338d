// swift-tools-version: 6.1
import PackageDescription

let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "LLMServingSim",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PerfKit", targets: ["PerfKit"]),
        .library(name: "SimEngine", targets: ["SimEngine"]),
        .executable(name: "perfkit", targets: ["perfkit"]),
        .executable(name: "simulate", targets: ["simulate"]),
        .library(name: "Repl", targets: ["Repl"]),
        .executable(name: "repl", targets: ["repl"]),
        .library(name: "Serve", targets: ["Serve"]),
        .executable(name: "serve", targets: ["serve"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .target(name: "PerfKit", swiftSettings: upcomingFeatures),
        .executableTarget(
            name: "perfkit",
            dependencies: [
                "PerfKit",
                "SimEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/perfkit",
            swiftSettings: upcomingFeatures
        ),
        .target(
            name: "SimEngine",
            dependencies: [
                "PerfKit",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(
            name: "simulate",
            dependencies: [
                "SimEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/simulate",
            swiftSettings: upcomingFeatures
        ),
        .systemLibrary(name: "CReadline", pkgConfig: "readline", providers: [.apt(["libreadline-dev"])]),
        .target(name: "CReadlineShim", dependencies: ["CReadline"]),
        .target(name: "Repl", dependencies: ["SimEngine", "CReadline", "CReadlineShim"], swiftSettings: upcomingFeatures),
        .executableTarget(
            name: "repl",
            dependencies: [
                "Repl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/repl",
            swiftSettings: upcomingFeatures
        ),
        .target(
            name: "Serve",
            dependencies: [
                "PerfKit",
                "SimEngine",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(
            name: "serve",
            dependencies: [
                "Serve",
                "PerfKit",
                "SimEngine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/serve",
            swiftSettings: upcomingFeatures
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: upcomingFeatures),
        .testTarget(name: "PerfKitTests", dependencies: ["PerfKit", "TestSupport"], swiftSettings: upcomingFeatures),
        .testTarget(name: "SimEngineTests", dependencies: ["SimEngine", "TestSupport"], swiftSettings: upcomingFeatures),
        .testTarget(name: "ReplTests", dependencies: ["Repl", "TestSupport"], swiftSettings: upcomingFeatures),
        .testTarget(
            name: "ServeTests",
            dependencies: [
                "Serve",
                "PerfKit",
                "SimEngine",
                "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Python"],
            swiftSettings: upcomingFeatures
        ),
    ]
)

// Benchmarks stay out of the normal build and of CI: `BENCHMARKS=1 swift package benchmark`.
if Context.environment["BENCHMARKS"] != nil {
    package.dependencies += [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ]
    package.targets += [
        .executableTarget(
            name: "PerfKitBenchmarks",
            dependencies: [
                "PerfKit",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PerfKitBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "ProfileBenchmarks",
            dependencies: [
                "PerfKit",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ProfileBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SimEngineBenchmarks",
            dependencies: [
                "SimEngine",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/SimEngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "SearchBenchmarks",
            dependencies: ["SimEngine", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/SearchBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
}
