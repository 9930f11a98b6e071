import Foundation
import Testing
import VitalsTestSupport

/// `vitals` under careless input and hostile conditions, with the real binary: durations that
/// overflow, children that must start clean and die whole, and a DNS server that never answers.
@Suite(.serialized) struct HardeningTests {
    static let hugeInterval = """
        name: shop
        defaults: {scrapeInterval: 9999999999h}
        services:
          api: {kind: tcp, endpoints: ["127.0.0.1:1"]}
        """

    @Test func anOverflowingDurationIsAnErrorWithItsPosition() async throws {
        let file = try VitalsCommandLine.writeStack(Self.hugeInterval)
        let (status, output) = try await VitalsCommandLine.run(["validate", file])
        #expect(status == 2, "\(output)")
        #expect(output.contains("\(file):2:28: defaults.scrapeInterval: invalid duration \"9999999999h\": too large"), "\(output)")
        let wait = try await VitalsCommandLine.run(["wait", file, "--timeout", "99999999999999h"])
        #expect(wait.status == 2, "\(wait.output)")
        #expect(wait.output.contains("--timeout"), "\(wait.output)")
    }

    /// A SIGHUP reload of a file whose durations overflow is rejected; serve keeps running.
    @Test func aReloadWithAnOverflowingDurationKeepsServing() async throws {
        let api = try await HealthTargetServer()
        defer { Task { await api.close() } }
        let file = try VitalsCommandLine.writeStack(
            "name: shop\ndefaults: {periodSeconds: 1}\nservices:\n  api: {kind: fastapi, endpoints: [\"127.0.0.1:\(api.port)\"]}\n")
        let (serve, port) = try ServeCommandTests.serve(file)
        defer { serve.stop() }
        try Self.hugeInterval.write(toFile: file, atomically: true, encoding: .utf8)
        serve.signal(SIGHUP)
        #expect(serve.output(contains: "reload rejected; keeping the running stack", within: 10), "\(serve.outputText)")
        #expect(serve.process.isRunning)
        #expect(try await ServeCommandTests.get(port, "/health/live").status == 200)
    }

    /// The command `wait` runs starts with no blocked and no ignored signals, whatever threads
    /// vitals ran on, so that `docker stop` reaches a wrapped entrypoint.
    @Test func waitRunsItsCommandWithACleanSignalState() async throws {
        let api = try await HealthTargetServer()
        defer { Task { await api.close() } }
        let file = try VitalsCommandLine.writeStack(
            "name: shop\nservices:\n  api: {kind: fastapi, endpoints: [\"127.0.0.1:\(api.port)\"]}\n")
        let (status, output) = try await VitalsCommandLine.run(["wait", file, "--", "grep", "^Sig", "/proc/self/status"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("SigBlk:\t0000000000000000"), "\(output)")
        #expect(output.contains("SigIgn:\t0000000000000000"), "\(output)")
    }

    @Test func sigtermReachesTheCommandWaitRuns() async throws {
        let api = try await HealthTargetServer()
        defer { Task { await api.close() } }
        let file = try VitalsCommandLine.writeStack(
            "name: shop\nservices:\n  api: {kind: fastapi, endpoints: [\"127.0.0.1:\(api.port)\"]}\n")
        let wait = try VitalsCommandLine.start(["wait", file, "--", "sleep", "60"])
        defer { wait.stop() }
        #expect(wait.output(contains: "ready: api", within: 15), "\(wait.outputText)")
        // After the exec the process is sleep itself; wait for that before signalling it.
        #expect(
            await eventually(within: 10) {
                (try? String(contentsOfFile: "/proc/\(wait.pid)/comm", encoding: .utf8)) == "sleep\n"
            })
        wait.signal(SIGTERM)
        let status = try await blocking { wait.waitForExit(timeout: 10) }
        #expect(status != nil, "sleep ignored SIGTERM")
        #expect(wait.process.terminationReason == .uncaughtSignal)
        #expect(wait.process.terminationStatus == SIGTERM)
    }

    /// An exec probe killed at its timeout takes its whole process group with it: no orphaned
    /// `sleep` outlives the probe, or serve.
    @Test func execProbesLeaveNoOrphansBehind() async throws {
        let marker = "299.\(Int.random(in: 100...999))"
        let file = try VitalsCommandLine.writeStack(
            """
            name: shop
            services:
              job:
                kind: tcp
                endpoints: ["127.0.0.1:1"]
                probes:
                  readiness:
                    exec: {command: [sh, -c, "sleep \(marker); echo done"]}
                    timeoutSeconds: 1
                    periodSeconds: 1
            """)
        let (serve, _) = try ServeCommandTests.serve(file)
        defer { serve.stop() }
        // Watch four probe runs go by; without group kills their sleeps would pile up.
        var seen: Set<Int32> = []
        var mostAtOnce = 0
        let deadline = Date().addingTimeInterval(30)
        while seen.count < 4, Date() < deadline {
            let running = Self.processes(withArgument: marker)
            seen.formUnion(running)
            mostAtOnce = max(mostAtOnce, running.count)
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(seen.count >= 4, "the exec probe did not run four times: \(serve.outputText)")
        // One running, and perhaps the next starting as the last is killed.
        #expect(mostAtOnce <= 2, "sleeps alive at once: \(mostAtOnce)")
        serve.stop()
        #expect(await eventually(within: 5) { Self.processes(withArgument: marker).isEmpty })
    }

    /// Pids of processes whose command line holds `argument`.
    static func processes(withArgument argument: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return data.split(separator: 0).contains { String(decoding: $0, as: UTF8.self) == argument }
        }
    }
}
