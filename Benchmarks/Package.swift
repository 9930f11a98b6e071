// swift-tools-version: 6.1
// Benchmark helpers, built apart from the main package as swift-nio keeps its Benchmarks/, so that
// the shipped manifest holds only what ships. scripts/bench-serve builds and runs them.
import PackageDescription

/// SwiftPM names a path dependency after its directory, which is the checkout's, whatever it is.
let vitals = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "vitals").lowercased()

let package = Package(
    name: "vitals-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The load side of scripts/bench-serve: endpoints for `vitals serve` to probe, and a
        // fixed-rate driver of blackbox_exporter's /probe for the comparison.
        .executableTarget(
            name: "vitals-probe-load",
            dependencies: [
                .product(name: "VitalsStack", package: vitals),
                .product(name: "VitalsStackFile", package: vitals),
                .product(name: "VitalsTestSupport", package: vitals),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "ProbeLoad"
        )
    ]
)
