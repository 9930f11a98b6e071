import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// `vitals` under careless input and hostile conditions, with the real binary: durations that
/// overflow, children that must start clean and die whole, and a DNS server that never answers.
@Suite(.serialized, .blockingWork) struct HardeningTests {
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
        #expect(
            output.contains("\(file):2:28: defaults.scrapeInterval: invalid duration \"9999999999h\": too large"),
            "\(output)")
        let wait = try await VitalsCommandLine.run(["wait", file, "--timeout", "99999999999999h"])
        #expect(wait.status == 2, "\(wait.output)")
        #expect(wait.output.contains("--timeout"), "\(wait.output)")
    }

    /// A SIGHUP reload of a file whose durations overflow is rejected; serve keeps running.
    @Test func aReloadWithAnOverflowingDurationKeepsServing() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            let file = try VitalsCommandLine.writeStack(
                "name: shop\ndefaults: {periodSeconds: 1}\nservices:\n  api: {kind: fastapi, endpoints: [\"127.0.0.1:\(api.port)\"]}\n"
            )
            let (serve, port) = try ServeCommandTests.serve(file)
            defer { serve.stop() }
            try Self.hugeInterval.write(toFile: file, atomically: true, encoding: .utf8)
            serve.signal(SIGHUP)
            #expect(
                serve.output(contains: "reload rejected; keeping the running stack", within: 10), "\(serve.outputText)")
            #expect(serve.process.isRunning)
            #expect(try await ServeCommandTests.get(port, "/health/live").status == 200)
        }
    }

    /// The command `wait` runs starts with no blocked and no ignored signals, whatever threads
    /// vitals ran on, so that `docker stop` reaches a wrapped entrypoint.
    @Test func waitRunsItsCommandWithACleanSignalState() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            let file = try VitalsCommandLine.writeStack(
                "name: shop\nservices:\n  api: {kind: fastapi, endpoints: [\"127.0.0.1:\(api.port)\"]}\n")
            let (status, output) = try await VitalsCommandLine.run([
                "wait", file, "--", "grep", "^Sig", "/proc/self/status",
            ])
            #expect(status == 0, "\(output)")
            #expect(output.contains("SigBlk:\t0000000000000000"), "\(output)")
            #expect(output.contains("SigIgn:\t0000000000000000"), "\(output)")
        }
    }

    @Test func sigtermReachesTheCommandWaitRuns() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
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
    }

    /// Exec probe commands start with an empty signal mask and none of the standard signals (1–31)
    /// ignored: the probe below succeeds only when its own process sees that. (glibc's posix_spawn
    /// always leaves its two reserved real-time signals, 32 and 33, ignored in the child.)
    @Test func execProbesStartWithACleanSignalState() async throws {
        let check =
            #"grep -Eq '^SigBlk:\s+0+$' /proc/self/status && [ $(( 0x$(awk '/^SigIgn/ {print $2}' /proc/self/status) & 0x7fffffff )) -eq 0 ]"#
        let file = try VitalsCommandLine.writeStack(
            """
            name: shop
            services:
              job:
                kind: tcp
                endpoints: ["127.0.0.1:1"]
                probes:
                  readiness:
                    exec: {command: [sh, -c, '\(check.replacingOccurrences(of: "'", with: "''"))']}
            """)
        let (status, output) = try await VitalsCommandLine.run(["check", file])
        #expect(status == 0, "\(output)")
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

    /// A DNS server that takes queries and never answers, as a dead resolver does.
    final class SilentDNSServer {
        let descriptor: Int32

        init(address: String) throws {
            descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_addr.s_addr = inet_addr(address)
            socketAddress.sin_port = UInt16(53).bigEndian
            let bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                close(descriptor)
                throw MissingPrerequisite("cannot bind UDP \(address):53 (the test needs root): errno \(errno)")
            }
        }

        deinit { close(descriptor) }
    }

    /// One host name whose DNS server never answers must not delay the probes of other names:
    /// `vitals check` runs in a mount namespace of its own whose /etc/resolv.conf points at a
    /// silent server, so names in /etc/hosts (localhost) resolve and every other name hangs.
    @Test func aSilentDNSServerDelaysOnlyTheNamesItServes() async throws {
        guard let unshare = TestPaths.tool("unshare") else {
            throw MissingPrerequisite("unshare (util-linux) is missing")
        }
        let dns = try SilentDNSServer(address: "127.0.0.2")
        let directory = try TestPaths.temporaryDirectory("dns")
        try "nameserver 127.0.0.2\noptions timeout:10 attempts:1\n".write(
            toFile: directory + "/resolv.conf", atomically: true, encoding: .utf8)
        let api = try await HealthTargetServer(ports: 3)
        try await withTeardown({ await api.close() }) {
            let file = try VitalsCommandLine.writeStack(
                """
                name: shop
                services:
                  lost:
                    kind: fastapi
                    endpoints: ["lost-1.invalid.example:80", "lost-2.invalid.example:80", "lost-3.invalid.example:80"]
                  api:
                    kind: fastapi
                    endpoints: [\(api.ports.map { "\"localhost:\($0)\"" }.joined(separator: ", "))]
                """)
            let script = "mount --bind '\(directory)/resolv.conf' /etc/resolv.conf && exec \"$@\""
            let (status, output) = try await blocking {
                try runCommand(
                    unshare,
                    ["-m", "sh", "-c", script, "sh", VitalsCommandLine.executable, "check", file, "--output", "json"])
            }
            withExtendedLifetime(dns) {}
            #expect(status == 1, "\(output)")
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
            let services = try #require(document["services"] as? [[String: Any]])
            let ready = Dictionary(
                uniqueKeysWithValues: services.map { ($0["name"] as? String ?? "", $0["ready"] as? Bool) })
            #expect(ready["api"] == true, "\(output)")
            #expect(ready["lost"] == false, "\(output)")
            #expect(output.contains("lookup lost-1.invalid.example: timeout"), "\(output)")
        }
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
