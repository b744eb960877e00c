// swift-tools-version:6.0
//
// The module graph, bottom to top. Imports point down only:
//
//   BlackboardCore       pure: concepts, profiles, subscription store, lookup index,
//                        aggregate profile, publisher store, separation. No I/O.
//   BlackboardProtocol   pure: the wire codec (single-step decoders, encoders). No I/O.
//   CZlib                the system zlib (crc32, compress2, uncompress), for BlackboardStorage only.
//   BlackboardStorage    the data directory: pure codecs for the journal and snapshot formats
//                        and their recovery rules, and a separate Glibc file layer.
//   BlackboardAccess     pure: the access file (roles, permissions over concepts), the
//                        credentials file and token formats. No I/O, no crypto.
//   BlackboardConfig     pure: the configuration file (TOML subset), the one table
//                        of keys, validation, change lists, generated docs. No I/O.
//   BlackboardTransport  sockets: syscall wrappers, listener, the Transport interface.
//   COpenSSL             the system OpenSSL 3 (libssl, libcrypto), for BlackboardTLS only.
//   BlackboardTLS        TLS contexts and the TLS Transport over a non-blocking socket, and
//                        the hashing of secrets (PBKDF2, HMAC, random bytes);
//                        the only module that imports OpenSSL.
//   BlackboardHTTP       pure: the HTTP/1.1 request-head and query parsers shared by the
//                        admin port and the monitor's HTTP port. No I/O.
//   BlackboardServer     the broker: sessions, dispatch, limits, liveness, leases,
//                        persistence (through BlackboardStorage), admin port, stats.
//   BlackboardClient     the client library: publisher and subscriber (plain TCP or TLS).
//   BlackboardWorkflow   pure: workflow files (YAML via Yams), validation, the DAG planner,
//                        instance state, the event model and its concepts. No I/O.
//   BlackboardWorkflowEngine  child processes, resource sampling, the engine loop and the
//                        tracking service that publishes through BlackboardClient.
//   CSQLite              the system SQLite, for BlackboardMonitor only.
//   BlackboardMonitor    the monitoring service: event store (SQLite), statistics, ETA, and its
//                        HTTP port (on BlackboardTransport's sockets).
//   blackboardd          the daemon (thin main).
//   blackboard           the command-line client (thin main).
import PackageDescription

/// Release builds of the modules on the publish path skip Swift's dynamic
/// exclusivity checks: measured at about 8% of the broker's CPU under load
/// (docs/PERFORMANCE.md). Debug builds, and so every test run, keep them.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Blackboard",
    products: [
        .executable(name: "blackboardd", targets: ["blackboardd"]),
        .executable(name: "blackboard", targets: ["blackboard"]),
        .library(name: "BlackboardClient", targets: ["BlackboardClient"]),
        .library(name: "BlackboardCore", targets: ["BlackboardCore"]),
        // The pure codecs and parsers, for the fuzz package in fuzz/ (which depends on this one by path).
        .library(name: "BlackboardProtocol", targets: ["BlackboardProtocol"]),
        .library(name: "BlackboardStorage", targets: ["BlackboardStorage"]),
        .library(name: "BlackboardConfig", targets: ["BlackboardConfig"]),
        .library(name: "BlackboardWorkflow", targets: ["BlackboardWorkflow"]),
        .library(name: "BlackboardAccess", targets: ["BlackboardAccess"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        .target(name: "BlackboardCore", swiftSettings: hotPath),
        .target(name: "BlackboardProtocol", dependencies: ["BlackboardCore"], swiftSettings: hotPath),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "BlackboardStorage", dependencies: ["BlackboardCore", "CZlib"]),
        .target(name: "BlackboardAccess", dependencies: ["BlackboardCore"]),
        .target(name: "BlackboardConfig"),
        .target(name: "BlackboardTransport"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "BlackboardTLS", dependencies: ["BlackboardTransport", "BlackboardAccess", "COpenSSL"]),
        .target(name: "BlackboardHTTP"),
        .target(
            name: "BlackboardServer",
            dependencies: [
                "BlackboardCore", "BlackboardProtocol", "BlackboardTransport", "BlackboardTLS", "BlackboardStorage",
                "BlackboardHTTP", "BlackboardAccess", .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPath
        ),
        .target(
            name: "BlackboardClient",
            dependencies: ["BlackboardCore", "BlackboardProtocol", "BlackboardTransport", "BlackboardTLS"]
        ),
        // Issue 5: the workflow engine and the services that consume its events (docs/WORKFLOWS.md).
        .target(name: "BlackboardWorkflow", dependencies: ["BlackboardCore", .product(name: "Yams", package: "Yams")]),
        .target(
            name: "BlackboardWorkflowEngine",
            dependencies: ["BlackboardWorkflow", "BlackboardClient", "BlackboardProtocol", "BlackboardCore"]
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "BlackboardMonitor",
            dependencies: ["BlackboardClient", "BlackboardCore", "BlackboardTransport", "BlackboardHTTP", "BlackboardWorkflow", "CSQLite"]
        ),
        .executableTarget(
            name: "blackboardd",
            dependencies: [
                "BlackboardServer", "BlackboardStorage", "BlackboardConfig", "BlackboardTLS", "BlackboardAccess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "blackboard",
            dependencies: [
                "BlackboardClient", "BlackboardTransport", "BlackboardWorkflow", "BlackboardWorkflowEngine",
                "BlackboardMonitor", "BlackboardAccess", "BlackboardTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Test helpers shared by the test targets (a seeded generator, a strict
        // Prometheus text parser); never in a product.
        .target(name: "BlackboardTestSupport", path: "Tests/BlackboardTestSupport"),
        .testTarget(name: "BlackboardCoreTests", dependencies: ["BlackboardCore", "BlackboardTestSupport"]),
        .testTarget(name: "BlackboardProtocolTests", dependencies: ["BlackboardProtocol"]),
        .testTarget(name: "BlackboardConfigTests", dependencies: ["BlackboardConfig"]),
        .testTarget(name: "BlackboardAccessTests", dependencies: ["BlackboardAccess", "BlackboardCore"]),
        .testTarget(
            name: "BlackboardTLSTests",
            dependencies: ["BlackboardTLS", "BlackboardTransport", "BlackboardAccess", "BlackboardTestSupport"]
        ),
        .testTarget(
            name: "BlackboardServerTests",
            dependencies: ["BlackboardServer", "BlackboardHTTP", "BlackboardProtocol", "BlackboardTransport", "BlackboardTestSupport"]
        ),
        .testTarget(
            name: "BlackboardStorageTests", dependencies: ["BlackboardStorage", "BlackboardCore", "BlackboardTestSupport"]
        ),
        .testTarget(name: "BlackboardClientTests", dependencies: ["BlackboardClient", "BlackboardTestSupport"]),
        .testTarget(name: "BlackboardWorkflowTests", dependencies: ["BlackboardWorkflow"]),
        .testTarget(
            name: "BlackboardWorkflowEngineTests",
            dependencies: ["BlackboardWorkflowEngine", "BlackboardWorkflow", "BlackboardTestSupport"]
        ),
        .testTarget(
            name: "BlackboardMonitorTests",
            dependencies: ["BlackboardMonitor", "BlackboardWorkflow", "BlackboardClient", "BlackboardTestSupport"]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "BlackboardClient", "BlackboardProtocol", "BlackboardTransport", "BlackboardTLS", "BlackboardStorage",
                "BlackboardAccess", "BlackboardTestSupport",
            ]
        ),
    ]
)
