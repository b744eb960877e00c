// swift-tools-version:6.0
//
// corebench: in-process benchmarks of BlackboardCore (no sockets), after the
// "shims" of the seed paper §5. A separate package so that the root package's
// build and tests never compile it. Build in release with a scratch path of its own:
//
//   swift build -c release --package-path bench/core --scratch-path .build-corebench
//
// (run from the repository root; see README.md).
import PackageDescription

let package = Package(
    name: "CoreBench",
    dependencies: [
        .package(name: "Blackboard", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "corebench",
            dependencies: [.product(name: "BlackboardCore", package: "Blackboard")]
        ),
    ]
)
