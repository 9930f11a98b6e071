import Foundation
import Testing
import VitalsExposition
import VitalsTestSupport
import VitalsTestTraits

/// `vitals serve` as a daemon: its metrics, its aggregated health, reloads and shutdown.
@Suite(.serialized, .blockingWork) struct ServeCommandTests {
    static func stack(api: HealthTargetServer, failureThreshold: Int = 2) -> String {
        """
        name: shop
        defaults: {periodSeconds: 1}
        services:
          api:
            kind: fastapi
            endpoints: ["127.0.0.1:\(api.ports[0])", "127.0.0.1:\(api.ports[1])"]
            probes:
              liveness: {httpGet: {path: /health/live}}
              readiness: {httpGet: {path: /health/ready}, failureThreshold: \(failureThreshold)}
        """
    }

    /// Starts `vitals serve` and waits until it listens.
    static func serve(_ file: String, extra: [String] = []) throws -> (ManagedProcess, Int) {
        let port = freePort()
        let process = try VitalsCommandLine.start(["serve", file, "--web.listen-address", "127.0.0.1:\(port)"] + extra)
        guard process.output(contains: "watching stack", within: 15) else {
            process.stop()
            throw MissingPrerequisite("vitals serve did not start: \(process.outputText)")
        }
        return (process, port)
    }

    static func get(_ port: Int, _ path: String) async throws -> HTTPTestResponse {
        try await blocking { try httpGet(port: port, path: path) }
    }

    @Test func metricsPassPromtoolAndCarryTheBlackboxNames() async throws {
        guard let promtool = TestPaths.tool("promtool") else {
            throw MissingPrerequisite("promtool is not installed; run scripts/test, which installs Debian's prometheus")
        }
        let api = try await HealthTargetServer(ports: 2)
        try await withTeardown({ await api.close() }) {
            let (serve, port) = try Self.serve(try VitalsCommandLine.writeStack(Self.stack(api: api)))
            defer { serve.stop() }
            // Every probe of both replicas has run once: four probe_success series.
            #expect(
                try await eventually(within: 10) {
                    try httpGet(port: port, path: "/metrics").bodyText.components(separatedBy: "\nprobe_success{").count
                        == 5
                })

            let response = try await Self.get(port, "/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.bodyText
            let families = try TextFormatParser().parse(text).families
            func value(_ name: String, _ labels: [String: String]) -> Double? {
                guard let family = families.first(where: { $0.name == name }) else { return nil }
                for metric in family.metrics {
                    let matches = labels.allSatisfy { key, value in metric.labels.contains(Label(key, value)) }
                    if matches, case .sample(let sample) = metric.value { return sample }
                }
                return nil
            }
            let instance = "127.0.0.1:\(api.ports[0])"
            for probe in ["liveness", "readiness"] {
                let labels = ["stack": "shop", "service": "api", "instance": instance, "probe": probe]
                #expect(value("probe_success", labels) == 1, "\(probe)")
                #expect(value("probe_http_status_code", labels) == 200)
                #expect((value("probe_duration_seconds", labels) ?? -1) > 0)
            }
            #expect(value("vitals_service_ready", ["stack": "shop", "service": "api"]) == 1)
            #expect(value("vitals_service_live", ["stack": "shop", "service": "api"]) == 1)
            #expect(value("vitals_stack_ready", ["stack": "shop"]) == 1)
            #expect(value("vitals_probe_transitions_total", ["instance": instance, "probe": "readiness"]) == 1)
            #expect(families.contains { $0.name == "process_resident_memory_bytes" })

            let file = try TestPaths.temporaryDirectory("promtool") + "/metrics.txt"
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let lint = try await blocking {
                try runCommand("/bin/sh", ["-c", "\(promtool) check metrics < '\(file)'"])
            }
            #expect(lint.status == 0, "promtool check metrics: \(lint.output)")
            #expect(
                lint.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool findings: \(lint.output)"
            )
        }
    }

    @Test func readinessFlipsWithinTheFailureThresholdAndBack() async throws {
        let api = try await HealthTargetServer(ports: 2)
        try await withTeardown({ await api.close() }) {
            let (serve, port) = try Self.serve(
                try VitalsCommandLine.writeStack(Self.stack(api: api, failureThreshold: 2)))
            defer { serve.stop() }
            #expect(try await eventually(within: 10) { try httpGet(port: port, path: "/health/ready").status == 200 })
            let passing = try await Self.get(port, "/health/ready")
            #expect(passing.header("Content-Type") == "application/health+json")
            #expect(passing.bodyText.contains("\"status\":\"pass\""))
            #expect(passing.bodyText.contains("\"api:ready\""))

            api.set("/health/ready", status: 503)
            // failureThreshold × periodSeconds, plus one probe timeout and scheduling slack.
            let bound = 2.0 * 1 + 1 + 1.0
            #expect(
                try await eventually(within: bound) { try httpGet(port: port, path: "/health/ready").status == 503 })
            // Not a timing check (probes run on fixed slots, so a late first probe puts the second
            // less than a period after it): the flip came only once a replica had failed twice.
            let failures = api.failures("/health/ready")
            #expect(
                failures.max() ?? 0 >= 2, "flipped after fewer than failureThreshold failures: \(failures) per replica")
            let failing = try await Self.get(port, "/health/ready")
            #expect(failing.bodyText.contains("\"status\":\"fail\""))
            // The replicas are probed out of phase (jitter), so the second one may follow a moment later.
            #expect(
                try await eventually(within: 2) {
                    try httpGet(port: port, path: "/health/ready").bodyText.contains("0/2 replicas ready")
                })
            let overall = try await Self.get(port, "/health")
            #expect(overall.status == 503, "no replica ready is a failing service: \(overall.bodyText)")
            #expect(overall.bodyText.contains("\"status\":\"fail\""))
            #expect(try await Self.get(port, "/health/live").status == 200, "the daemon itself stays live")

            api.set("/health/ready", status: 200)
            #expect(
                try await eventually(within: 1 + 1 + 1.0) {
                    try httpGet(port: port, path: "/health/ready").status == 200
                })
            #expect(serve.process.isRunning)
        }
    }

    @Test func perServiceReadinessAndBadRequests() async throws {
        let api = try await HealthTargetServer(ports: 2)
        try await withTeardown({ await api.close() }) {
            let (serve, port) = try Self.serve(try VitalsCommandLine.writeStack(Self.stack(api: api)))
            defer { serve.stop() }
            #expect(
                try await eventually(within: 10) { try httpGet(port: port, path: "/health/ready/api").status == 200 })
            let unknown = try await Self.get(port, "/health/ready/nope")
            #expect(unknown.status == 404)
            #expect(unknown.bodyText.contains("unknown service \"nope\""))
            #expect(serve.output(contains: "rejected request", within: 5), "a 4xx must be logged: \(serve.outputText)")
            let post = try await blocking { () -> HTTPTestResponse? in
                let connection = try RawConnection(port: port)
                try connection.send(
                    "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                return try connection.readResponse()
            }
            #expect(post?.status == 405)
        }
    }

    @Test func sighupWithABrokenFileKeepsTheRunningStackAndAGoodOneIsApplied() async throws {
        let api = try await HealthTargetServer(ports: 2)
        let web = try await HealthTargetServer()
        try await withTeardown({
            await api.close()
            await web.close()
        }) {
            let file = try VitalsCommandLine.writeStack(Self.stack(api: api))
            let (serve, port) = try Self.serve(file)
            defer { serve.stop() }
            #expect(try await eventually(within: 10) { try httpGet(port: port, path: "/health/ready").status == 200 })

            try "name: shop\nservices:\n  api: {kind: fastapi, endpoints: [\"127.0.0.1:0\"]\n".write(
                toFile: file, atomically: true, encoding: .utf8)
            serve.signal(SIGHUP)
            #expect(
                serve.output(contains: "reload rejected; keeping the running stack", within: 5), "\(serve.outputText)")
            #expect(serve.outputText.contains(file))
            let kept = try await Self.get(port, "/health/ready")
            #expect(kept.status == 200, "a broken reload must not disturb the running stack: \(kept.bodyText)")
            #expect(try await Self.get(port, "/metrics").bodyText.contains("service=\"api\""))

            let extended =
                Self.stack(api: api) + """

                      web:
                        kind: http
                        endpoints: ["127.0.0.1:\(web.port)"]
                    """
            try extended.write(toFile: file, atomically: true, encoding: .utf8)
            serve.signal(SIGHUP)
            #expect(serve.output(contains: "reloaded stack", within: 5), "\(serve.outputText)")
            #expect(serve.process.isRunning, "a second SIGHUP must not end the daemon")
            #expect(
                try await eventually(within: 10) { try httpGet(port: port, path: "/health/ready/web").status == 200 })
            // Unchanged probes keep their state through the reload: api never drops to not-ready.
            #expect(try await Self.get(port, "/health/ready/api").status == 200)
        }
    }

    @Test func sigtermStopsItCleanly() async throws {
        let api = try await HealthTargetServer(ports: 2)
        try await withTeardown({ await api.close() }) {
            let (serve, _) = try Self.serve(try VitalsCommandLine.writeStack(Self.stack(api: api)))
            serve.signal(SIGTERM)
            let status = try await blocking { serve.waitForExit(timeout: 10) }
            #expect(status == 0, "\(serve.outputText)")
            #expect(serve.output(contains: "shutting down"))
        }
    }

    @Test func anAddressInUseIsAClearError() async throws {
        let api = try await HealthTargetServer(ports: 2)
        try await withTeardown({ await api.close() }) {
            let file = try VitalsCommandLine.writeStack(Self.stack(api: api))
            let (status, output) = try await VitalsCommandLine.run(
                ["serve", file, "--web.listen-address", "127.0.0.1:\(api.port)"], timeout: 20)
            #expect(status == 1)
            #expect(output.contains("could not listen"), "\(output)")
        }
    }
}
