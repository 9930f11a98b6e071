// swift-tools-version: 6.1
import PackageDescription

/// How the two executables are linked, for a smaller resident footprint (docs/benchmarks.md):
/// lld packs the 63,000 relative relocations of a position-independent binary into a few KiB
/// (DT_RELR, glibc 2.36 and later) instead of 1.5 MB that the loader reads at every start, and the
/// binary exports no dynamic symbols (the static runtime's link options export 20,000 of them,
/// 1.7 MB of tables that nothing looks up: the backtracer reads the symbol table itself).
let lean: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic"],
        .when(platforms: [.linux]))
]

/// Each executable's hot functions (the ones that run to start it and to serve, recorded by
/// scripts/order-hot-text) are placed together at the front of its text. The kernel maps text
/// around every page fault, so code that runs brings its neighbours in with it; grouped, the
/// exporter's resident text is about 2 MB smaller (docs/benchmarks.md).
func linking(hotTextOf executable: String) -> [LinkerSetting] {
    let order = "\(Context.packageDirectory)/Sources/\(executable)/hot-text.order"
    return lean + [
        .unsafeFlags(
            ["-Xlinker", "--symbol-ordering-file=\(order)", "-Xlinker", "--no-warn-symbol-ordering"],
            .when(platforms: [.linux]))
    ]
}

let package = Package(
    name: "vitals",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vitals-exporter", targets: ["vitals-exporter"]),
        .executable(name: "vitals", targets: ["vitals"]),
        .library(name: "VitalsProcFS", targets: ["VitalsProcFS"]),
        .library(name: "VitalsExposition", targets: ["VitalsExposition"]),
        // For the fuzz targets in Fuzz/, a package of their own.
        .library(name: "VitalsStack", targets: ["VitalsStack"]),
        .library(name: "VitalsStackFile", targets: ["VitalsStackFile"]),
        .library(name: "VitalsCompose", targets: ["VitalsCompose"]),
        .library(name: "VitalsDocuments", targets: ["VitalsDocuments"]),
        .library(name: "VitalsWebConfig", targets: ["VitalsWebConfig"]),
        .library(name: "VitalsRegex", targets: ["VitalsRegex"]),
        .library(name: "VitalsDuration", targets: ["VitalsDuration"]),
        .library(name: "VitalsHTTP", targets: ["VitalsHTTP"]),
        // For the benchmark helpers in Benchmarks/, a package of their own: the loopback health server.
        .library(name: "VitalsTestSupport", targets: ["VitalsTestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        // The stack model: services, endpoints, probes, dependencies, alerting. No YAML, no I/O.
        .target(name: "VitalsStack"),
        // The stack file: reading YAML into the model with file:line:column errors (used by `vitals`).
        .target(
            name: "VitalsStackFile",
            dependencies: ["VitalsStack", "VitalsSystem", "VitalsDuration", .product(name: "Yams", package: "Yams")]
        ),
        // Kubernetes-style probes (HTTP, TCP, exec, Redis) on SwiftNIO, and the kubelet's result tracking.
        .target(
            name: "VitalsProbe",
            dependencies: [
                "VitalsStack", "VitalsSystem", "VitalsDocuments",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // The Kubernetes API, as far as vitals serve needs it: the ready pods behind a Service, from its EndpointSlices.
        .target(
            name: "VitalsKubernetes",
            dependencies: [
                "VitalsStack", "VitalsSystem", "VitalsDocuments",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        // Judges stacks from probes: readiness by dependency, the continuous monitor, reports, health and metrics.
        .target(
            name: "VitalsOrchestrator",
            dependencies: [
                "VitalsStack", "VitalsProbe", "VitalsExposition", "VitalsDocuments",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Linux calls Swift's Glibc module lacks (adjtimex).
        .target(name: "CVitalsSystem"),
        // Process-level system calls every part shares: file reads, descriptor limits, signals, malloc tuning.
        .target(name: "VitalsSystem", dependencies: ["CVitalsSystem"]),
        // Parsing of /proc and /sys into typed snapshots. Knows nothing about Prometheus.
        .target(name: "VitalsProcFS", dependencies: ["CVitalsSystem", "VitalsSystem"]),
        // Go RE2-syntax regular expressions over bytes, for node_exporter's filter flags.
        .target(name: "VitalsRegex"),
        // Metric families, the text exposition format 0.0.4 writer and parser.
        .target(name: "VitalsExposition"),
        // A daemon's metrics about itself: process_* and build info, shared by both daemons.
        .target(name: "VitalsProcessMetrics", dependencies: ["VitalsExposition", "VitalsProcFS"]),
        // node_exporter-compatible collectors and the scrape registry.
        .target(
            name: "VitalsExporter",
            dependencies: [
                "VitalsDuration",
                "VitalsProcessMetrics",
                "VitalsProcFS",
                "VitalsSystem",
                "VitalsRegex",
                "VitalsDBus",
                "VitalsDocuments",
                "VitalsExposition",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // logfmt logging, shared by the daemons.
        .target(name: "VitalsLogging", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // A small production HTTP/1.1 server on SwiftNIO, shared by the exporter and `vitals serve`.
        .target(
            name: "VitalsHTTP",
            dependencies: [
                "VitalsSystem",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // node_exporter's --web.config.file: TLS and basic auth, reloaded on change.
        .target(
            name: "VitalsWebConfig",
            dependencies: [
                "VitalsHTTP",
                "VitalsSystem",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What every daemon shares at start: web flags, logging, descriptor limits.
        .target(
            name: "VitalsDaemon",
            dependencies: [
                "VitalsDuration", "VitalsHTTP", "VitalsLogging", "VitalsSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // The exporter's command line and HTTP endpoints.
        .target(
            name: "VitalsExporterApp",
            dependencies: [
                "VitalsDaemon",
                "VitalsPageStyle",
                "VitalsExporter",
                "VitalsDuration",
                "VitalsExposition",
                "VitalsHTTP",
                "VitalsLogging",
                "VitalsProcFS",
                "VitalsWebConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "vitals-exporter", dependencies: ["VitalsExporterApp"], exclude: ["hot-text.order"],
            linkerSettings: linking(hotTextOf: "vitals-exporter")),
        // Go's duration syntax, shared by every command line and the stack file.
        .target(name: "VitalsDuration"),
        // A small blocking D-Bus client (no Foundation), for the systemd collector.
        .target(name: "VitalsDBus"),
        // Deterministic YAML and JSON writers for generated files and health answers.
        .target(name: "VitalsDocuments"),
        // docker-compose files read and turned into a stack file (`vitals import compose`).
        .target(
            name: "VitalsCompose",
            dependencies: [
                "VitalsStack", "VitalsStackFile", "VitalsSystem", "VitalsDuration", "VitalsDocuments",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The look Vitals' HTML pages share: palette (WCAG AA), base stylesheet, escaping. No Foundation.
        .target(name: "VitalsPageStyle"),
        // The status page of `vitals serve`: its JSON document, HTML, stylesheet and script.
        .target(
            name: "VitalsStatusPage",
            dependencies: ["VitalsOrchestrator", "VitalsProbe", "VitalsStack", "VitalsDocuments", "VitalsPageStyle"]
        ),
        // The provisioner: Prometheus, Alertmanager and Grafana configuration from a stack.
        .target(name: "VitalsProvision", dependencies: ["VitalsStack", "VitalsDocuments", "VitalsSystem"]),
        // The `vitals` command line: validate, check, wait, serve, provision.
        .target(
            name: "VitalsCLI",
            dependencies: [
                "VitalsStack", "VitalsStackFile", "VitalsCompose", "VitalsProbe", "VitalsOrchestrator", "VitalsHTTP",
                "VitalsLogging", "VitalsStatusPage",
                "VitalsExposition",
                "VitalsProcessMetrics", "VitalsWebConfig", "VitalsProvision", "VitalsDuration",
                "VitalsDocuments",
                "VitalsSystem", "VitalsDaemon", "VitalsKubernetes",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "vitals", dependencies: ["VitalsCLI"], exclude: ["hot-text.order"],
            linkerSettings: linking(hotTextOf: "vitals")),

        // Helpers for tests only: real processes, raw sockets, fixture trees.
        .target(
            name: "VitalsTestSupport",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Tests/VitalsTestSupport"
        ),

        // The `.blockingWork` test trait: tests that block run on threads of their own.
        .target(name: "VitalsTestTraits", dependencies: ["VitalsTestSupport"], path: "Tests/VitalsTestTraits"),

        .testTarget(name: "VitalsProcFSTests", dependencies: ["VitalsProcFS", "VitalsTestSupport"]),
        .testTarget(name: "VitalsExpositionTests", dependencies: ["VitalsExposition"]),
        .testTarget(
            name: "VitalsExporterTests",
            dependencies: [
                "VitalsExporter", "VitalsExposition", "VitalsProcFS", "VitalsExporterApp", "VitalsHTTP",
                "VitalsTestSupport", "VitalsTestTraits",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VitalsHTTPTests",
            dependencies: [
                "VitalsHTTP",
                "VitalsTestSupport",
                "VitalsTestTraits",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VitalsWebConfigTests",
            dependencies: [
                "VitalsWebConfig", "VitalsSystem", "VitalsTestSupport",
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        .testTarget(name: "VitalsRegexTests", dependencies: ["VitalsRegex"]),
        .testTarget(name: "VitalsSystemTests", dependencies: ["VitalsSystem", "VitalsTestSupport"]),
        .testTarget(
            name: "VitalsDocumentsTests",
            dependencies: ["VitalsDocuments", "VitalsTestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "VitalsStatusPageTests",
            dependencies: [
                "VitalsStatusPage", "VitalsPageStyle", "VitalsOrchestrator", "VitalsProbe", "VitalsStack",
                "VitalsDocuments", "VitalsTestSupport", "VitalsTestTraits",
            ]
        ),
        .testTarget(name: "VitalsLoggingTests", dependencies: ["VitalsLogging"]),
        .testTarget(name: "VitalsDurationTests", dependencies: ["VitalsDuration"]),
        .testTarget(
            name: "VitalsStackTests",
            dependencies: ["VitalsStack", "VitalsStackFile", "VitalsSystem", "VitalsTestTraits"]),
        .testTarget(
            name: "VitalsProbeTests",
            dependencies: [
                "VitalsProbe", "VitalsStack", "VitalsDocuments", "VitalsTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VitalsOrchestratorTests",
            dependencies: [
                "VitalsOrchestrator", "VitalsProbe", "VitalsStack", "VitalsStackFile", "VitalsTestSupport",
                "VitalsTestTraits",
                "VitalsExposition", "VitalsCLI", "VitalsHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VitalsComposeTests",
            dependencies: ["VitalsCompose", "VitalsStack", "VitalsStackFile", "VitalsSystem", "VitalsTestSupport"]
        ),
        .testTarget(
            name: "VitalsProvisionTests",
            dependencies: [
                "VitalsProvision", "VitalsStack", "VitalsStackFile", "VitalsExposition", "VitalsHTTP",
                "VitalsTestSupport",
                "VitalsTestTraits", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VitalsKubernetesTests",
            dependencies: [
                "VitalsKubernetes", "VitalsStack", "VitalsTestSupport", "VitalsTestTraits",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "VitalsContainerTests", dependencies: ["VitalsTestSupport", "VitalsTestTraits"]
        ),
        .testTarget(
            name: "VitalsExporterIntegrationTests",
            dependencies: ["VitalsExposition", "VitalsTestSupport", "VitalsTestTraits"]
        ),
    ]
)

for target in package.targets where target.name != "CVitalsSystem" {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    target.swiftSettings = settings
}
