import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// The images of containers/*.Containerfile, built by scripts/build-images with the Docker engine
/// from the local static build (scripts/test builds it first), then run: the exporter with the
/// host's / at /host, scraped; `vitals serve` watching a real service on the host.
@Suite(.serialized, .blockingWork) struct ContainerImageTests {
    static let tag = "test"

    /// Builds both images once per run and returns what scripts/build-images printed.
    static let built: Result<String, any Error> = Result {
        try DockerEngine.require()
        let result = try runCommand(
            "/bin/bash", [TestPaths.packageRoot + "/scripts/build-images", tag], timeout: 1800)
        guard result.status == 0 else { throw ImageBuildFailed(output: result.output) }
        return result.output
    }

    struct ImageBuildFailed: Error, CustomStringConvertible {
        var output: String
        var description: String { "scripts/build-images failed:\n\(output)" }
    }

    static func inspect(_ image: String, _ format: String) throws -> String {
        try DockerEngine.docker(["image", "inspect", "--format", format, image]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theImagesHoldOnlyTheBinaryItsLibrariesCertificatesAndANonRootUser() throws {
        let output = try Self.built.get()
        // The sizes, for docs/benchmarks.md.
        print(output)
        for image in ["vitals-exporter:\(Self.tag)", "vitals:\(Self.tag)"] {
            #expect(try Self.inspect(image, "{{.Config.User}}") == "65532:65532")
            #expect(try Self.inspect(image, "{{len .RootFS.Layers}}") == "1", "one layer, from scratch")
            // No shell to run: nothing but the binary can be executed.
            let shell = try DockerEngine.docker(["run", "--rm", "--entrypoint", "/bin/sh", image, "-c", "true"])
            #expect(shell.status != 0, "\(image) has a shell")
        }
        let version = try DockerEngine.docker(["run", "--rm", "vitals:\(Self.tag)", "--version"])
        #expect(version.status == 0, "\(version.output)")
        #expect(version.output.contains("0.1.0"), "\(version.output)")
    }

    /// The arguments of the generated DaemonSet, as the kubelet would pass them, listening on
    /// 127.0.0.1:`port` for the node's address.
    static func daemonSetArguments(port: Int) throws -> [String] {
        let daemonSet = try String(
            contentsOfFile: TestPaths.packageRoot + "/provisioning/chat-cluster/kubernetes/exporter/daemonset.yaml",
            encoding: .utf8)
        let lines = daemonSet.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let arguments = lines.filter { $0.hasPrefix("- --") || $0.hasPrefix("- \"--") }.map { line -> String in
            var argument = String(line.dropFirst(2))
            if argument.hasPrefix("\"") {
                // A double-quoted YAML scalar: only \\ and \" occur in these.
                argument = String(argument.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\\", with: "\u{0}").replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\u{0}", with: "\\")
            }
            return argument.replacingOccurrences(of: "$(HOST_IP):9100", with: "127.0.0.1:\(port)")
        }
        #expect(arguments.contains("--path.rootfs=/host"))
        #expect(arguments.contains("--web.listen-address=127.0.0.1:\(port)"))
        return arguments
    }

    @Test func theExporterImageScrapesTheHostFromHost() async throws {
        _ = try Self.built.get()
        let port = freePort()
        let name = "vitals-exporter-image-test-\(port)"
        // Run as the generated DaemonSet runs it: its arguments, the host's / read-only at /host.
        let run = try DockerEngine.docker(
            [
                "run", "-d", "--name", name, "--pid", "host", "--network", "host", "--read-only", "--cap-drop", "ALL",
                // The DaemonSet adds mountPropagation: HostToContainer (rslave); this test machine's
                // / is not a shared mount, which rslave needs.
                "--security-opt", "no-new-privileges", "-v", "/:/host:ro", "vitals-exporter:\(Self.tag)",
            ] + (try Self.daemonSetArguments(port: port)))
        #expect(run.status == 0, "\(run.output)")
        defer { _ = try? DockerEngine.docker(["rm", "-f", name]) }
        var metrics = ""
        #expect(
            await eventually(within: 30) {
                metrics = (try? httpGet(port: port, path: "/metrics").bodyText) ?? ""
                return metrics.contains("node_uname_info")
            }, "\((try? DockerEngine.docker(["logs", name]).output) ?? "")")
        // The host's root filesystem, reported as the host sees it (the /host prefix stripped).
        #expect(metrics.contains("node_filesystem_size_bytes{") && metrics.contains("mountpoint=\"/\""))
        #expect(!metrics.contains("mountpoint=\"/host"))
        // The host's processes and boot time, through its PID namespace and /proc.
        let hostBoot = try String(contentsOfFile: "/proc/stat", encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("btime ") }.map { String($0.dropFirst(6)) }
        let reported = metrics.split(separator: "\n").first { $0.hasPrefix("node_boot_time_seconds ") }
        #expect(reported.flatMap { Double($0.split(separator: " ")[1]) } == hostBoot.flatMap(Double.init))
        #expect(metrics.contains("node_scrape_collector_success{collector=\"cpu\"} 1"))
    }

    @Test func theVitalsImageServesAStack() async throws {
        _ = try Self.built.get()
        let target = try await HealthTargetServer()
        defer { Task { await target.close() } }
        let directory = try TestPaths.temporaryDirectory("image-stack")
        try """
        name: imaged
        services:
          web:
            kind: http
            endpoints: ["127.0.0.1:\(target.port)"]
            probes: {readiness: {httpGet: {path: /health/ready}, periodSeconds: 1}}
        """.write(toFile: directory + "/stack.yaml", atomically: true, encoding: .utf8)
        _ = chmod(directory, 0o755)
        _ = chmod(directory + "/stack.yaml", 0o644)
        let port = freePort()
        let name = "vitals-image-test-\(port)"
        let run = try DockerEngine.docker([
            "run", "-d", "--name", name, "--network", "host", "--read-only", "--cap-drop", "ALL",
            "-v", "\(directory):/etc/vitals:ro", "vitals:\(Self.tag)",
            "serve", "/etc/vitals/stack.yaml", "--web.listen-address", "127.0.0.1:\(port)",
        ])
        #expect(run.status == 0, "\(run.output)")
        defer { _ = try? DockerEngine.docker(["rm", "-f", name]) }
        #expect(
            await eventually(within: 30) {
                let metrics = (try? httpGet(port: port, path: "/metrics").bodyText) ?? ""
                return metrics.contains("vitals_service_ready{service=\"web\",stack=\"imaged\"} 1")
            }, "\((try? DockerEngine.docker(["logs", name]).output) ?? "")")
        target.set("/health/ready", status: 503)
        #expect(
            await eventually(within: 30) {
                let metrics = (try? httpGet(port: port, path: "/metrics").bodyText) ?? ""
                return metrics.contains("vitals_service_ready{service=\"web\",stack=\"imaged\"} 0")
            })
    }
}
