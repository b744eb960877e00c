// swift-tools-version:6.0
//
// libFuzzer targets over Blackboard's hostile-input surfaces (issue 6, "Hostile input").
// A package of its own so that `make test` never builds them; `make fuzz` builds it with
// `-sanitize=fuzzer,address` and runs each target for a bounded time (fuzz/README.md).
//
//   CFuzzerDriver        the declaration of libFuzzer's LLVMFuzzerRunDriver.
//   FuzzerEntry          runs libFuzzer from the `<module>_main` each target defines.
//   FuzzSupport          what the targets and make-seeds share: the input, data-derived
//                        choices, CRC-32, a stored-block zlib writer, journal and
//                        snapshot files around arbitrary payloads.
//   fuzz-command         CommandDecoder (the broker's frame decoder)
//   fuzz-reply           ReplyDecoder (the client library's)
//   fuzz-journal         JournalFormat.scan
//   fuzz-snapshot        SnapshotFormat.decode
//   fuzz-recovery        Recovery.load
//   fuzz-config          Settings.parse(text:) (the TOML subset and the key table)
//   fuzz-workflow        Workflow.parse(bytes:)
//   fuzz-trackline       TrackLine.parse
//   fuzz-access          AccessPolicy(parsing:) and CredentialsFile(parsing:) (auth files)
//   make-seeds           writes the generated seeds (journals, snapshots) under corpus/
import PackageDescription

/// Each fuzz target is an executable whose entry points are `LLVMFuzzerTestOneInput` and
/// the `<module>_main` that SwiftPM's link expects (FuzzerEntry/FuzzerMain.swift).
func fuzzTarget(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzerEntry", "FuzzSupport"] + dependencies,
        swiftSettings: [.unsafeFlags(["-parse-as-library"])]
    )
}

let package = Package(
    name: "BlackboardFuzz",
    dependencies: [.package(name: "Blackboard", path: "..")],
    targets: [
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzerEntry", dependencies: ["CFuzzerDriver"]),
        .target(name: "FuzzSupport"),
        fuzzTarget("fuzz-command", [.product(name: "BlackboardProtocol", package: "Blackboard")]),
        fuzzTarget("fuzz-reply", [.product(name: "BlackboardProtocol", package: "Blackboard")]),
        fuzzTarget("fuzz-journal", [.product(name: "BlackboardStorage", package: "Blackboard")]),
        fuzzTarget("fuzz-snapshot", [.product(name: "BlackboardStorage", package: "Blackboard")]),
        fuzzTarget("fuzz-recovery", [.product(name: "BlackboardStorage", package: "Blackboard")]),
        fuzzTarget("fuzz-config", [.product(name: "BlackboardConfig", package: "Blackboard")]),
        fuzzTarget("fuzz-workflow", [.product(name: "BlackboardWorkflow", package: "Blackboard")]),
        fuzzTarget("fuzz-trackline", [.product(name: "BlackboardWorkflow", package: "Blackboard")]),
        fuzzTarget("fuzz-access", [
            .product(name: "BlackboardAccess", package: "Blackboard"),
            .product(name: "BlackboardCore", package: "Blackboard"),
        ]),
        .executableTarget(
            name: "make-seeds",
            dependencies: [
                "FuzzSupport",
                .product(name: "BlackboardStorage", package: "Blackboard"),
                .product(name: "BlackboardCore", package: "Blackboard"),
            ]
        ),
    ]
)
