// swift-tools-version: 6.1
// libFuzzer targets for Vitals' parsers and its HTTP server, built apart from the main package with
// the fuzzer's instrumentation. scripts/fuzz builds and runs them; their seed corpora are in
// Fuzz/Corpus/<target>/, and every crash or timeout found becomes a regression test in Tests/.
import PackageDescription

/// SwiftPM names a path dependency after its directory, which is the checkout's, whatever it is.
let vitals = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "vitals").lowercased()

func fuzzTarget(_ name: String, _ products: [String], extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: vitals) } + extra)
}

let package = Package(
    name: "vitals-fuzz",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        fuzzTarget("fuzz-duration", ["VitalsDuration"]),
        fuzzTarget("fuzz-stack-file", ["VitalsStack", "VitalsStackFile"]),
        fuzzTarget("fuzz-compose", ["VitalsCompose", "VitalsStackFile"]),
        fuzzTarget("fuzz-web-config", ["VitalsWebConfig"]),
        fuzzTarget("fuzz-text-format", ["VitalsExposition"]),
        fuzzTarget("fuzz-regex", ["VitalsRegex"]),
        fuzzTarget("fuzz-procfs", ["VitalsProcFS"]),
        fuzzTarget("fuzz-json", ["VitalsDocuments"]),
        fuzzTarget("fuzz-http", ["VitalsHTTP"], extra: [.product(name: "Logging", package: "swift-log")]),
    ]
)
