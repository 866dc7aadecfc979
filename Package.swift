// swift-tools-version: 6.2
import Foundation
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "yiye",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "yiye", targets: ["yiye"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.1.4"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-openapi-generator", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird", from: "2.1.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", "5.0.1"..<"7.0.0"),
    ],
    targets: [
        /// C shim over OpenSSL 3 libcrypto: SM3 (and, later, HMAC-SM3, PBKDF2-SM3, SM2).
        .target(
            name: "CNationalCrypto",
            linkerSettings: [.linkedLibrary("crypto")]
        ),
        /// The domain, pure Swift, no I/O.
        .target(
            name: "YiyeCore",
            dependencies: ["CNationalCrypto"],
            swiftSettings: swiftSettings
        ),
        /// PostgreSQL: embedded cluster, migrations, repositories.
        .target(
            name: "YiyeStore",
            dependencies: [
                "YiyeCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Only for its error type: a connection the pool could not give is "database unavailable".
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        /// The OpenAPI document and the types and server protocol generated from it (`package` access, so that the
        /// API tests decode answers into the same `Components.Schemas` the handlers write).
        .target(
            name: "YiyeContract",
            dependencies: [.product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")],
            resources: [.copy("openapi.yaml")],
            // The generated code imports with `package import`; plain imports here (and SwiftPM's resource accessor)
            // then mean `internal` rather than an ambiguous mix.
            swiftSettings: swiftSettings + [.enableUpcomingFeature("InternalImportsByDefault")],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        /// HTTP: handlers, access, the request contract, request context, errors; the web pages (templates, assets).
        .target(
            name: "YiyeAPI",
            dependencies: [
                "YiyeContract",
                "YiyeCore",
                "YiyeStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Web/Templates"), .copy("Web/Static")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "yiye",
            dependencies: [
                "YiyeAPI",
                "YiyeStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        /// A throwaway PostgreSQL for tests: one cluster per test process, a template database, a clone per suite.
        .target(
            name: "YiyeTestSupport",
            dependencies: [
                "YiyeStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/YiyeTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "YiyeCoreTests",
            dependencies: ["YiyeCore", "YiyeTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "YiyeStoreTests",
            dependencies: ["YiyeStore", "YiyeTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "YiyeAPITests",
            dependencies: [
                "YiyeAPI",
                "YiyeContract",
                "YiyeTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)

// Benchmarks (bench/README.md) exist only when asked, as Hummingbird does with its own: `YIYE_BENCH=1 swift build`.
// Every other build, the tests and the Docker image leave them out (and need no `bench/` folder).
if ProcessInfo.processInfo.environment["YIYE_BENCH"] == "1" {
    package.products += [
        .executable(name: "audit-bench", targets: ["AuditBench"]),
        .executable(name: "object-import-bench", targets: ["ObjectImportBench"]),
        .executable(name: "draw-bench", targets: ["DrawBench"]),
        .executable(name: "notify-bench", targets: ["NotifyBench"]),
        .executable(name: "result-bench", targets: ["ResultBench"]),
        .executable(name: "dashboard-bench", targets: ["DashboardBench"]),
        .executable(name: "grading-bench", targets: ["GradingBench"]),
        .executable(name: "load-ceiling", targets: ["LoadCeiling"]),
    ]
    package.targets += [
        .target(
            name: "BenchSupport",
            dependencies: ["YiyeStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "bench/BenchSupport",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "AuditBench",
            dependencies: ["BenchSupport", "YiyeStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "bench/AuditBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ObjectImportBench",
            dependencies: ["BenchSupport", "YiyeStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "bench/ObjectImportBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DrawBench",
            dependencies: ["BenchSupport", "YiyeStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "bench/DrawBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "NotifyBench",
            dependencies: [
                "BenchSupport", "YiyeAPI", "YiyeStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "bench/NotifyBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "ResultBench",
            dependencies: ["BenchSupport", "YiyeStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "bench/ResultBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "DashboardBench",
            dependencies: [
                "BenchSupport", "YiyeAPI", "YiyeStore", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "bench/DashboardBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "GradingBench",
            dependencies: ["BenchSupport", "YiyeStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            path: "bench/GradingBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "LoadCeiling",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "bench/LoadCeiling",
            swiftSettings: swiftSettings
        ),
    ]
}
