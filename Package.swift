// swift-tools-version:6.2
// DNSCascade: a deterministic simulator of DNS outages cascading through a regional cloud.
// Layers (an arrow means "may import"; nothing points upward) — see docs/architecture.md:
//   SimKernel → DNSModel → CAres/AresShim → WorldModel → ScenarioLoader → Reporting → DNSCascade → dnscascade
//   LiveDNS (SwiftNIO loopback server, c-ares probes) sits beside DNSCascade → dnscascade
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "DNSCascade",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dnscascade", targets: ["DNSCascadeCLI"]),
        .library(name: "DNSCascade", targets: ["DNSCascade"]),
        // The live server's pieces (the pure packet handler, for the fuzzer in Fuzz/ among others).
        .library(name: "LiveDNS", targets: ["LiveDNS"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // 1. Engine: virtual time, event queue, random streams, trace bus. Knows nothing of DNS. CPrefetch is its one
        //    C helper (the compiler's prefetch hint), also used by the world model.
        .target(name: "CPrefetch"),
        .target(name: "SimKernel", dependencies: ["CPrefetch"], swiftSettings: strict),
        // 2. DNS protocol model: names, records, messages, zones, outcomes, wire format.
        .target(name: "DNSModel", swiftSettings: strict),
        // 3. c-ares: the system library and the Swift shim (classifier, stub model, c-ares in the loop).
        .systemLibrary(
            name: "CAres",
            pkgConfig: "libcares",
            providers: [.apt(["libc-ares-dev"]), .brew(["c-ares"])]
        ),
        .target(name: "AresShim", dependencies: ["CAres", "DNSModel", "SimKernel"], swiftSettings: strict),
        // 4. World model: authorities, resolvers, stubs, clients.
        .target(
            name: "WorldModel", dependencies: ["SimKernel", "CPrefetch", "DNSModel", "AresShim"], swiftSettings: strict),
        // 5. Scenario files: YAML → world description, with located errors.
        .target(
            name: "ScenarioLoader",
            dependencies: ["WorldModel", "AresShim", "SimKernel", "DNSModel", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        // 6. Reporting: renderers over observed results; no simulation logic.
        .target(name: "Reporting", dependencies: ["WorldModel", "SimKernel", "DNSModel"], swiftSettings: strict),
        // 7. The pipeline library: load → build → run → observe → render.
        .target(
            name: "DNSCascade",
            dependencies: ["ScenarioLoader", "Reporting", "WorldModel", "AresShim", "SimKernel", "DNSModel"],
            swiftSettings: strict
        ),
        // 8. The thin command-line executable.
        .executableTarget(
            name: "DNSCascadeCLI",
            dependencies: ["DNSCascade", "LiveDNS", "Bench", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict
        ),
        // 9. Live: the scenario's zones served on loopback (SwiftNIO) and real c-ares probes. Beside DNSCascade;
        //    nothing below it imports it.
        .target(
            name: "LiveDNS",
            dependencies: [
                "DNSCascade", "ScenarioLoader", "WorldModel", "AresShim", "CAres", "DNSModel", "SimKernel",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel"], swiftSettings: strict),
        .testTarget(name: "DNSModelTests", dependencies: ["DNSModel"], swiftSettings: strict),
        .testTarget(
            name: "AresShimTests", dependencies: ["AresShim", "CAres", "DNSModel", "SimKernel"], swiftSettings: strict),
        .testTarget(
            name: "WorldModelTests", dependencies: ["WorldModel", "AresShim", "DNSModel", "SimKernel"], swiftSettings: strict),
        .testTarget(
            name: "ScenarioLoaderTests",
            dependencies: ["ScenarioLoader", "WorldModel", "SimKernel"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "WorldModel"], swiftSettings: strict),
        .testTarget(name: "DNSCascadeTests", dependencies: ["DNSCascade"], swiftSettings: strict),
        .testTarget(name: "DNSCascadeCLITests", dependencies: ["DNSCascadeCLI"], swiftSettings: strict),
        .testTarget(
            name: "LiveDNSTests",
            dependencies: [
                "LiveDNS", "AresShim", "WorldModel", "DNSModel", "SimKernel",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // Benchmarks (`dnscascade bench`): the engine against a bare Heap and SimPy, lookups, replay, scaling.
        .target(
            name: "Bench",
            dependencies: [
                "DNSCascade", "ScenarioLoader", "WorldModel", "AresShim", "SimKernel", "DNSModel",
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "BenchTests", dependencies: ["Bench"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
