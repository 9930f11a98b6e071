import Foundation
import Testing
import VitalsExposition
import VitalsTestSupport
import VitalsTestTraits

/// The exporter's URL behaviour over real sockets: node_exporter's answers for `collect[]`,
/// gzip, health, errors and limits.
@Suite(.serialized, .blockingWork) struct ExporterHTTPTests {
    /// A textfile directory holding one large file, so that a scrape takes long enough to overlap others.
    static func slowTextfiles(series: Int = 150_000) throws -> String {
        let directory = try TestPaths.temporaryDirectory("textfile-slow")
        var text = "# HELP slow_series A large textfile.\n# TYPE slow_series gauge\n"
        text.reserveCapacity(series * 40)
        for index in 0..<series { text += "slow_series{index=\"\(index)\"} \(index)\n" }
        try text.write(toFile: directory + "/slow.prom", atomically: true, encoding: .utf8)
        return directory
    }

    /// A regression: TCP_NODELAY was set as a socket-level option, where its number (1) is
    /// SO_DEBUG, which needs CAP_NET_ADMIN; as any user but root, every connection was closed
    /// the moment it was accepted. Found by running the container image.
    @Test func servesAsAnUnprivilegedUser() async throws {
        let port = freePort()
        let exporter = try ManagedProcess(
            Unprivileged.setpriv,
            try Unprivileged.arguments(TestPaths.product("vitals-exporter"), ["--web.listen-address=127.0.0.1:\(port)"])
        )
        defer { exporter.stop() }
        #expect(
            await eventually(within: 10) { (try? httpGet(port: port, path: "/metrics"))?.status == 200 },
            "\(exporter.outputText)")
        let body = try httpGet(port: port, path: "/metrics").bodyText
        #expect(body.contains("node_scrape_collector_success{collector=\"cpu\"} 1"))
    }

    @Test func collectFilterSelectsCollectors() throws {
        let exporter = try ExporterUnderTest(vitalsArguments: ["--no-collector.uname"])
        let body = try exporter.scrape("/metrics?collect[]=cpu&collect[]=loadavg")
        let families = try TextFormatParser().parse(body).families.map(\.name)
        #expect(families.contains("node_cpu_seconds_total"))
        #expect(families.contains("node_load1"))
        #expect(!families.contains("node_memory_MemTotal_bytes"))
        #expect(body.contains("node_scrape_collector_success{collector=\"cpu\"} 1"))
        #expect(!body.contains("collector=\"meminfo\""))

        let excluded = try exporter.scrape("/metrics?exclude[]=cpu")
        #expect(!excluded.contains("node_cpu_seconds_total"))
        #expect(excluded.contains("node_load1"))
    }

    @Test(arguments: [
        (
            "/metrics?collect[]=nope",
            "Couldn't create filtered metrics handler: couldn't create collector: missing collector: nope"
        ),
        (
            "/metrics?collect[]=uname",
            "Couldn't create filtered metrics handler: couldn't create collector: disabled collector: uname"
        ),
        ("/metrics?collect[]=cpu&exclude[]=time", "Combined collect and exclude queries are not allowed."),
    ])
    func collectFilterErrorsAreNodeExporters400s(path: String, message: String) throws {
        let exporter = try ExporterUnderTest(vitalsArguments: ["--no-collector.uname"])
        let response = try exporter.get(path)
        #expect(response.status == 400)
        #expect(response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines) == message)
        #expect(exporter.process.output(contains: "rejected request"))
    }

    @Test func gzipWhenAcceptEncodingAsksForIt() throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        let plain = try exporter.get("/metrics")
        let compressed = try exporter.get("/metrics", headers: ["Accept-Encoding": "gzip"])
        #expect(plain.header("Content-Encoding") == nil)
        #expect(compressed.header("Content-Encoding") == "gzip")
        #expect(compressed.body.count < plain.body.count / 3)
        let file = try TestPaths.temporaryDirectory("gzip") + "/body.gz"
        try Data(compressed.body).write(to: URL(fileURLWithPath: file))
        let decoded = try runCommand("/bin/sh", ["-c", "gzip -dc '\(file)'"])
        #expect(decoded.status == 0)
        #expect(decoded.output.contains("# TYPE node_cpu_seconds_total counter"))
        #expect(plain.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test func landingHealthAndNotFound() async throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        let landing = try exporter.get("/")
        #expect(landing.status == 200)
        #expect(landing.bodyText.contains("href=\"/metrics\""))
        #expect(try exporter.get("/health").status == 200)
        #expect(try exporter.get("/health/live").status == 200)
        // Ready once the collectors have run at start, with no scrape needed (HostileClientTests).
        #expect(await eventually(within: 10) { (try? exporter.get("/health/ready").status) == 200 })
        let missing = try exporter.get("/nope")
        #expect(missing.status == 404)
        #expect(exporter.process.output(contains: "uri=/nope"))
    }

    @Test func concurrentScrapesAllSucceed() async throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        let port = exporter.port
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask { try httpGet(port: port, path: "/metrics").status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 20))
    }

    @Test func scrapesBeyondMaxRequestsGet503() async throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [
            "--web.max-requests=1", "--collector.textfile.directory=\(try Self.slowTextfiles())",
        ])
        let port = exporter.port
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 {
                group.addTask { try httpGet(port: port, path: "/metrics", timeout: 60).status }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.contains(200))
        #expect(statuses.contains(503))
        #expect(Set(statuses).isSubset(of: [200, 503]))
    }

    @Test func malformedAndOversizedRequestsGet4xxAndServingContinues() throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        let malformed = try RawConnection(port: exporter.port)
        try malformed.send("THIS IS NOT HTTP\r\n\r\n")
        #expect(try malformed.readResponse()?.status == 400)

        let oversized = try RawConnection(port: exporter.port)
        try oversized.send(
            "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 64 * 1024))\r\n\r\n")
        #expect(try oversized.readResponse()?.status == 431)

        #expect(try exporter.get("/metrics").status == 200)
        #expect(exporter.process.output(contains: "rejected malformed HTTP request"))
    }

    @Test func sigtermExitsPromptlyDespiteIdleKeepAliveConnection() throws {
        let exporter = try ExporterUnderTest(vitalsArguments: [])
        let connection = try RawConnection(port: exporter.port)
        try connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse()?.status == 200)
        // The connection stays open (keep-alive) while the exporter is told to stop.
        let start = Date()
        exporter.process.signal(SIGTERM)
        let status = exporter.process.waitForExit(timeout: 5)
        #expect(status == 0)
        // Well inside the 10 s that in-flight scrapes are given: an idle connection holds nothing
        // up (it usually takes tens of milliseconds; the margin is for the parallel suite).
        #expect(Date().timeIntervalSince(start) < 3.0)
        #expect(connection.isClosedByPeer(within: 1))
    }

    @Test func inFlightScrapeFinishesDuringShutdown() throws {
        // 50,000 series: a scrape long enough to be in flight at the SIGTERM, short enough to end
        // within the 10 s grace period on a debug build with the rest of the suite running.
        let exporter = try ExporterUnderTest(vitalsArguments: [
            "--collector.textfile.directory=\(try Self.slowTextfiles(series: 50_000))", "--log.level=debug",
        ])
        let connection = try RawConnection(port: exporter.port, timeout: 60)
        try connection.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        // SIGTERM once the scrape is under way, as the exporter's debug log says.
        _ = try exporter.process.waitForLine { $0.contains("scrape started") && $0.contains("uri=/metrics") }
        exporter.process.signal(SIGTERM)
        let response = try #require(try connection.readResponse())
        #expect(response.status == 200)
        #expect(response.bodyText.contains("slow_series{index=\"49999\"} 49999"))
        #expect(exporter.process.waitForExit(timeout: 15) == 0)
    }

    @Test func invalidFlagsFailWithAClearMessage() throws {
        let binary = TestPaths.product("vitals-exporter")
        let badAddress = try runCommand(binary, ["--web.listen-address=nonsense"])
        #expect(badAddress.status != 0)
        #expect(badAddress.output.contains("--web.listen-address"))
        let badRegex = try runCommand(
            binary, ["--collector.diskstats.device-include=(", "--web.listen-address=127.0.0.1:0"])
        #expect(badRegex.status == 2)
        #expect(badRegex.output.contains("invalid regular expression"))
        let help = try runCommand(binary, ["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--no-collector.cpu"))
        #expect(help.output.contains("--collector.disable-defaults"))
    }
}

/// Missing kernel files (a container without /proc entries, an old kernel) cost only the
/// collectors that need them, never the scrape.
@Suite(.blockingWork) struct MissingSourcesTests {
    @Test func emptyProcAndSysStillServeAScrape() throws {
        let empty = try TestPaths.temporaryDirectory("empty-root")
        let exporter = try ExporterUnderTest(vitalsArguments: [
            "--path.procfs=\(empty)", "--path.sysfs=\(empty)", "--path.rootfs=\(empty)",
        ])
        let response = try exporter.get("/metrics")
        #expect(response.status == 200)
        for collector in ["cpu", "meminfo", "loadavg", "stat", "diskstats", "netclass", "os"] {
            #expect(response.bodyText.contains("node_scrape_collector_success{collector=\"\(collector)\"} 0"))
        }
        #expect(response.bodyText.contains("node_scrape_collector_success{collector=\"uname\"} 1"))
        #expect(response.bodyText.contains("process_resident_memory_bytes"))
    }
}
