// swift-tools-version:6.2
// libFuzzer targets for DNSCascade, kept out of the main package so a normal `swift build` there is unaffected.
// Build and run with scripts/fuzz (it passes `-sanitize=fuzzer,address`); see docs/reliability.md.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "DNSCascadeFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "DNSCascade", path: "..")],
    targets: [
        // The declaration of libFuzzer's LLVMFuzzerRunDriver (the symbol comes with -sanitize=fuzzer).
        .target(name: "CFuzzerDriver"),
        // Scenario text → loaded scenario (or located errors) → built World (or a build error).
        .executableTarget(
            name: "FuzzScenarioLoader", dependencies: ["CFuzzerDriver", .product(name: "DNSCascade", package: "DNSCascade")],
            swiftSettings: strict),
        // DNS reply bytes → WireDecoder, SwiftResponseClassifier and AresResponseClassifier (which must agree).
        .executableTarget(
            name: "FuzzWire", dependencies: ["CFuzzerDriver", .product(name: "DNSCascade", package: "DNSCascade")],
            swiftSettings: strict),
        // DNS query bytes → the live server's pure packet handler (LiveResponder) over a healthy zone and one with
        // behaviour faults in force.
        .executableTarget(
            name: "FuzzLive",
            dependencies: [
                "CFuzzerDriver", .product(name: "DNSCascade", package: "DNSCascade"),
                .product(name: "LiveDNS", package: "DNSCascade"),
            ],
            swiftSettings: strict),
        // Not a fuzzer: the c-ares shim's C paths run synchronously over a reply corpus, for valgrind memcheck
        // (built without sanitizers; see docs/reliability.md).
        .executableTarget(
            name: "ShimMemcheck", dependencies: [.product(name: "DNSCascade", package: "DNSCascade")], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
