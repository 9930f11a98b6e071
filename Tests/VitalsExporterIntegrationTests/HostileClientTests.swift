import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// The exporter binary against clients that an attacker or a careless operator would run, with
/// the bounds the hardening issue sets. Load comes from wrk and raw sockets, on loopback.
@Suite(.serialized, .blockingWork) struct HostileClientTests {
    /// Seconds of load per concurrency level; `VITALS_SOAK_SECONDS` lengthens it (scripts/soak).
    static let loadSeconds = Int(ProcessInfo.processInfo.environment["VITALS_SOAK_SECONDS"] ?? "") ?? 40

    static func residentBytes(_ pid: Int32) throws -> Int {
        try ExporterRobustnessTests.residentBytes(pid)
    }

    /// Samples a process's RSS every half second while `running` holds; returns the peak.
    static func peakResidentBytes(_ pid: Int32, while running: () -> Bool) throws -> Int {
        var peak = 0
        while running() {
            peak = max(peak, try residentBytes(pid))
            Thread.sleep(forTimeInterval: 0.5)
        }
        return max(peak, try residentBytes(pid))
    }

    /// Ordinary concurrent scrapers, beyond the number of cores: RSS stays bounded during the load
    /// and returns near its idle size after it.
    @Test(arguments: [8, 16, 40])
    func concurrentScrapersKeepMemoryBounded(connections: Int) async throws {
        let wrk = try #require(TestPaths.tool("wrk"), "wrk is not installed; run scripts/test, which installs it")
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        for _ in 0..<3 { _ = try exporter.scrape() }
        let idle = try Self.residentBytes(exporter.process.pid)
        let load = try ManagedProcess(
            wrk, ["-t1", "-c\(connections)", "-d\(Self.loadSeconds)s", "http://127.0.0.1:\(exporter.port)/metrics"])
        let peak = try await blocking { try Self.peakResidentBytes(exporter.process.pid) { load.process.isRunning } }
        #expect(load.waitForExit(timeout: 30) == 0, "\(load.outputText)")
        #expect(load.output(contains: "requests in"), "\(load.outputText)")
        #expect(!load.outputText.contains("Non-2xx"), "\(load.outputText)")
        #expect(peak < 48 << 20, "peak RSS \(peak >> 20) MB at \(connections) connections (idle \(idle >> 20) MB)")
        // After the load the next scrape finds nothing in flight and trims the heap.
        _ = try exporter.scrape()
        let after = try Self.residentBytes(exporter.process.pid)
        #expect(after < idle + (8 << 20), "RSS \(after >> 20) MB after the load, \(idle >> 20) MB before it")
    }

    /// Clients that pipeline scrapes and never read the answers hold at most what their socket
    /// buffers take; RSS stays bounded and a normal scrape is still answered.
    @Test func aPipelinedFloodThatNeverReadsStaysBounded() async throws {
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.write-timeout=1h"])
        _ = try exporter.scrape()
        let floods = try (0..<4).map { _ in try RawConnection(port: exporter.port) }
        let request = Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        let peak = try await blocking {
            var peak = 0
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                for flood in floods {
                    // Keep each connection's send buffer full; never read.
                    _ = request.withUnsafeBytes {
                        send(flood.descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                    }
                }
                peak = max(peak, try Self.residentBytes(exporter.process.pid))
                Thread.sleep(forTimeInterval: 0.05)
            }
            return peak
        }
        let normal = try await blocking { try httpGet(port: exporter.port, path: "/metrics", timeout: 10) }
        #expect(normal.status == 200)
        #expect(peak < 64 << 20, "peak RSS \(peak >> 20) MB under the pipelined flood")
        withExtendedLifetime(floods) {}
    }

    /// 1,100 idle keep-alive connections against a 1,024 descriptor limit, soft and hard: the
    /// exporter sheds the idlest to make room, and a new scrape still succeeds.
    @Test func idleConnectionsBeyondTheDescriptorLimitDoNotLockOutScrapes() async throws {
        let prlimit = try #require(TestPaths.tool("prlimit"), "prlimit (util-linux) is missing")
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = min(limit.rlim_max, 8192)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        try #require(limit.rlim_cur >= 2000, "the test needs 2,000 descriptors of its own")

        let exporter = try ExporterUnderTest(vitalsArguments: [], launcher: [prlimit, "--nofile=1024:1024", "--"])
        let status = try await blocking {
            var idle: [RawConnection] = []
            for _ in 0..<1100 {
                guard let connection = try? RawConnection(port: exporter.port, timeout: 5) else { break }
                idle.append(connection)
            }
            let response = try httpGet(port: exporter.port, path: "/metrics", timeout: 5)
            withExtendedLifetime(idle) {}
            return (response.status, idle.count)
        }
        #expect(status.1 == 1100, "only \(status.1) connections could be opened")
        #expect(status.0 == 200)
        #expect(exporter.process.output(contains: "connection limit reached"))
        let body = try exporter.scrape()
        #expect(
            body.contains("node_scrape_collector_success{collector=\"filefd\"} 1"), "collectors kept their descriptors")
    }

    /// Like a Go program, the exporter raises its soft descriptor limit to the hard one at start.
    @Test func theSoftDescriptorLimitIsRaisedToTheHardOne() throws {
        let prlimit = try #require(TestPaths.tool("prlimit"), "prlimit (util-linux) is missing")
        let exporter = try ExporterUnderTest(vitalsArguments: [], launcher: [prlimit, "--nofile=1024:4096", "--"])
        let limits = try String(contentsOfFile: "/proc/\(exporter.process.pid)/limits", encoding: .utf8)
        let line = try #require(limits.split(separator: "\n").first { $0.hasPrefix("Max open files") })
        #expect(
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(3).prefix(2) == ["4096", "4096"],
            "\(line)")
    }

    /// A body the exporter takes none of is refused from its headers, not buffered.
    @Test func aRequestBodyIsRefusedBeforeItIsRead() async throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        let (status, closed) = try await blocking {
            let connection = try RawConnection(port: exporter.port)
            try connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n")
            return (try connection.readResponse()?.status, connection.isClosedByPeer(within: 3))
        }
        #expect(status == 413)
        #expect(closed)
        #expect(exporter.process.output(contains: "rejected request body"))
    }

    @Test(arguments: [
        ("--web.idle-timeout=9999999999h", "--web.idle-timeout: invalid duration \"9999999999h\": too large"),
        (
            "--collector.filesystem.mount-timeout=99999999999999h",
            "--collector.filesystem.mount-timeout: invalid duration"
        ),
        ("--web.read-timeout=0s", "--web.read-timeout: duration \"0s\" is out of range"),
        ("--collector.timeout=2h", "--collector.timeout: duration \"2h\" is out of range"),
        ("--web.max-connections=0", "--web.max-connections must be at least 1"),
    ])
    func outOfRangeFlagsAreErrorsNotTraps(flag: String, message: String) async throws {
        let result = try await blocking {
            try runCommand(TestPaths.product("vitals-exporter"), [flag, "--web.listen-address=127.0.0.1:0"])
        }
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
    }

    /// Prometheus' scrape timeout bounds the scrape: a hung collector is reported failed in time,
    /// and the rest of the scrape is not lost.
    @Test func theScrapeTimeoutHeaderBoundsAHungCollector() async throws {
        let root = try TestPaths.temporaryDirectory("hanging-proc")
        #expect(mkfifo(root + "/loadavg", 0o644) == 0)
        let exporter = try ExporterUnderTest(vitalsArguments: [
            "--path.procfs=\(root)", "--collector.timeout=1h", "--collector.disable-defaults", "--collector.loadavg",
            "--collector.uname",
        ])
        // The client gives up after 5 s; the exporter must answer before its 2 s budget is spent.
        let response = try await blocking {
            try httpGet(
                port: exporter.port, path: "/metrics", headers: ["X-Prometheus-Scrape-Timeout-Seconds": "2"], timeout: 5
            )
        }
        #expect(response.status == 200)
        #expect(response.bodyText.contains("node_scrape_collector_success{collector=\"loadavg\"} 0"))
        #expect(response.bodyText.contains("node_scrape_collector_success{collector=\"uname\"} 1"))
    }

    /// Scrapes prefer the collectors' threads. When hung collectors hold every one of them, a
    /// scrape still starts elsewhere and answers by its deadline, and health still answers.
    @Test func hungCollectorsOnEveryWorkerDelayNeitherTheScrapeNorHealth() async throws {
        let root = try TestPaths.temporaryDirectory("hanging-proc")
        // One FIFO per collector, more collectors than the pool has workers (at least 2, one per core).
        let hung = [
            ("loadavg", "loadavg"), ("meminfo", "meminfo"), ("vmstat", "vmstat"), ("stat", "stat"),
            ("sockstat", "net/sockstat"), ("softnet", "net/softnet_stat"),
        ]
        try FileManager.default.createDirectory(atPath: root + "/net", withIntermediateDirectories: true)
        for (_, file) in hung { #expect(mkfifo(root + "/" + file, 0o644) == 0) }
        let exporter = try ExporterUnderTest(
            vitalsArguments: ["--path.procfs=\(root)", "--collector.timeout=1h", "--collector.disable-defaults"]
                + hung.map { "--collector.\($0.0)" })
        // The warm-up scrape at start holds a worker in each FIFO's open() for the hour.
        let health = try await blocking { try httpGet(port: exporter.port, path: "/health", timeout: 5) }
        #expect(health.status == 200)
        let response = try await blocking {
            try httpGet(
                port: exporter.port, path: "/metrics", headers: ["X-Prometheus-Scrape-Timeout-Seconds": "2"], timeout: 5
            )
        }
        #expect(response.status == 200)
        for (collector, _) in hung {
            #expect(response.bodyText.contains("node_scrape_collector_success{collector=\"\(collector)\"} 0"))
        }
        #expect(try Self.threads(exporter.process.pid) < 40, "the pool does not grow per scrape")
    }

    /// A hung collector holds one thread however many scrapes come: later scrapes wait for the
    /// run in flight instead of starting another.
    @Test func aHungCollectorHoldsOneThreadAcrossScrapes() async throws {
        let root = try TestPaths.temporaryDirectory("hanging-proc")
        #expect(mkfifo(root + "/loadavg", 0o644) == 0)
        let exporter = try ExporterUnderTest(vitalsArguments: [
            "--path.procfs=\(root)", "--collector.timeout=300ms", "--collector.disable-defaults", "--collector.loadavg",
        ])
        _ = try exporter.scrape()
        let before = try Self.threads(exporter.process.pid)
        for _ in 0..<10 {
            let body = try exporter.scrape()
            #expect(body.contains("node_scrape_collector_success{collector=\"loadavg\"} 0"))
        }
        let after = try Self.threads(exporter.process.pid)
        #expect(after <= before + 1, "threads went from \(before) to \(after) over ten scrapes")
    }

    static func threads(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Threads:") }),
            let count = Int(line.split(separator: "\t").last ?? "")
        else { throw MissingPrerequisite("no Threads for \(pid)") }
        return count
    }

    /// A FIFO named like a textfile would block the scrape in open(); a file over 16 MiB would be
    /// cut. Both are skipped whole and flagged, and the rest of the scrape is served.
    @Test func aFIFOAndAnOversizedTextfileAreSkippedAndFlagged() async throws {
        let directory = try TestPaths.temporaryDirectory("textfiles")
        #expect(mkfifo(directory + "/stuck.prom", 0o644) == 0)
        try "# TYPE good gauge\ngood 1\n".write(toFile: directory + "/good.prom", atomically: true, encoding: .utf8)
        let line = Array("big 1\n".utf8)
        let big = [UInt8](unsafeUninitializedCapacity: 17 << 20) { buffer, count in
            for index in 0..<(17 << 20) { buffer[index] = line[index % line.count] }
            count = 17 << 20
        }
        try Data(big).write(to: URL(fileURLWithPath: directory + "/big.prom"))
        let exporter = try ExporterUnderTest(vitalsArguments: ["--collector.textfile.directory=\(directory)"])
        let body = try await blocking { try httpGet(port: exporter.port, path: "/metrics", timeout: 10).bodyText }
        #expect(body.contains("good 1\n"))
        #expect(!body.contains("\nbig 1"))
        #expect(body.contains("node_textfile_scrape_error 1\n"))
        #expect(body.contains("node_scrape_collector_success{collector=\"textfile\"} 1"))
        #expect(exporter.process.output(contains: "not a regular file"))
        #expect(exporter.process.output(contains: "more than the limit of 16777216"))
    }

    /// Readiness does not wait for a scrape: the collectors run once at start.
    @Test func theExporterIsReadyWithoutBeingScraped() async throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        #expect(await eventually(within: 10) { (try? exporter.get("/health/ready").status) == 200 })
        // The log arrives through a pipe, possibly after the answer to the readiness check.
        #expect(exporter.process.output(contains: "ready: every collector has run once"))
        #expect(!exporter.process.outputText.contains("uri=/metrics"))
    }

    /// A user name with CR LF in a basic-auth header cannot forge a log line.
    @Test func controlCharactersInCredentialsAreEscapedInTheLog() async throws {
        let directory = try TestPaths.temporaryDirectory("web")
        let config = directory + "/web.yml"
        try "basic_auth_users:\n  prometheus: \(WebConfigTLSTests.hash)\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let credentials = Array("evil\r\ntime=2026 level=ERROR msg=forged:pw".utf8)
        let header = "Basic " + Self.base64(credentials)
        let status = try await blocking { try exporter.get("/metrics", headers: ["Authorization": header]).status }
        #expect(status == 401)
        #expect(exporter.process.output(contains: "wrong user or password"))
        let lines = exporter.process.outputText.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("time=2026 ") }, "a forged line: \(lines)")
        #expect(exporter.process.outputText.contains("user=\"evil\\r\\ntime=2026 level=ERROR msg=forged\""))
    }

    /// 64 clients flood basic auth with an unknown user and fresh passwords; Prometheus' own,
    /// already-seen credentials are answered from the cache, never queued behind the flood.
    @Test func aBasicAuthFloodDoesNotDelayValidScrapes() async throws {
        let directory = try TestPaths.temporaryDirectory("web")
        let config = directory + "/web.yml"
        let htpasswd = try #require(TestPaths.tool("htpasswd"), "apache2-utils is not installed; run scripts/test")
        let made = try runCommand(htpasswd, ["-nbBC", "10", "prometheus", "s3cret pass"])
        let hash = String(made.output.split(separator: "\n")[0].split(separator: ":", maxSplits: 1)[1])
        try "basic_auth_users:\n  prometheus: '\(hash)'\n".write(toFile: config, atomically: true, encoding: .utf8)
        let exporter = try ExporterUnderTest(vitalsArguments: ["--web.config.file=\(config)"])
        let valid = ["Authorization": "Basic " + Self.base64(Array("prometheus:s3cret pass".utf8))]
        #expect(try exporter.get("/metrics", headers: valid).status == 200)

        let stop = Atomic(false)
        let floodStatuses = LockedCounts()
        // The threads capture the port, not the exporter: Foundation keeps a finished Thread's
        // closure alive, and an exporter captured there would outlive the test run.
        let port = exporter.port
        let flood = (0..<64).map { client in
            Thread {
                var attempt = 0
                while !stop.value {
                    attempt += 1
                    let header = "Basic " + Self.base64(Array("mallory:guess-\(client)-\(attempt)".utf8))
                    if let status = try? httpGet(
                        port: port, path: "/metrics", headers: ["Authorization": header], timeout: 10
                    ).status {
                        floodStatuses.add(status)
                    }
                }
            }
        }
        for thread in flood { thread.start() }
        defer { stop.value = true }
        #expect(
            await eventually(within: 10) { floodStatuses.count(503) > 0 }, "the flood never filled the bcrypt queue")
        // Each valid scrape must finish well within a second, where bcrypt behind the flood took 1-2 s.
        let statuses = try await blocking {
            try (0..<20).map { _ in
                try httpGet(port: exporter.port, path: "/metrics", headers: valid, timeout: 1).status
            }
        }
        stop.value = true
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
    }

    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}

/// A flag shared with helper threads.
final class Atomic<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Status codes counted across threads.
final class LockedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int: Int] = [:]

    func add(_ status: Int) { lock.withLock { counts[status, default: 0] += 1 } }
    func count(_ status: Int) -> Int { lock.withLock { counts[status, default: 0] } }
}
