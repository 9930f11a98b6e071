import Foundation
import Logging
import NIOCore
import NIOHTTP1
import Testing
import VitalsExporter
import VitalsHTTP
import VitalsProcFS
import VitalsTestSupport

@testable import VitalsExporterApp

/// The exporter's endpoints in process, through `HTTPResponder`, as hummingbird tests its router:
/// node_exporter's answers for each path, method and `collect[]` filter, without a socket.
@Suite struct ExporterResponderTests {
    /// A responder over the loadavg and stat collectors, reading a procfs of two files.
    static func responder(collectors: Set<String> = ["loadavg", "stat"]) throws -> ExporterResponder {
        let root = try TestPaths.temporaryDirectory("responder-procfs")
        try "0.50 0.40 0.30 1/100 4242\n".write(toFile: root + "/loadavg", atomically: true, encoding: .utf8)
        try
            "cpu  1 0 1 100 0 0 0 0 0 0\nintr 10\nctxt 20\nbtime 1700000000\nprocesses 30\nprocs_running 1\nprocs_blocked 0\n"
            .write(toFile: root + "/stat", atomically: true, encoding: .utf8)
        var configuration = ExporterConfiguration()
        configuration.procFS = ProcFS(root: root)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let scraper = try Scraper(configuration: configuration, enabled: collectors, logger: logger)
        var options = ExporterResponder.Options()
        options.version = "9.9.9"
        return ExporterResponder(scraper: scraper, options: options, logger: logger)
    }

    static func get(_ responder: ExporterResponder, _ uri: String, method: HTTPMethod = .GET) async -> (
        status: Int, body: String
    ) {
        let response = await responder.respond(to: HTTPRequest(method: method, uri: uri))
        return (Int(response.status.code), String(buffer: response.body))
    }

    @Test func metricsHoldTheCollectorsAndTheHandlersOwnFamilies() async throws {
        let responder = try Self.responder()
        let (status, body) = await Self.get(responder, "/metrics")
        #expect(status == 200)
        #expect(body.contains("node_load1 0.5\n"))
        #expect(body.contains("node_scrape_collector_success{collector=\"loadavg\"} 1\n"))
        #expect(body.contains("promhttp_metric_handler_requests_in_flight 1\n"))
        // Families come out sorted by name, each once.
        let names = body.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
        #expect(names == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(Set(names).count == names.count)
    }

    /// The landing page lists every enabled collector with its last run, once there was one.
    @Test func theLandingPageShowsEachCollectorsLastRun() async throws {
        let responder = try Self.responder()
        let before = await Self.get(responder, "/")
        #expect(before.status == 200)
        #expect(before.body.contains("Version 9.9.9"))
        #expect(before.body.contains("<tr><td>loadavg</td><td>not run yet</td><td class=\"number\"></td></tr>"))
        _ = await Self.get(responder, "/metrics")
        let after = await Self.get(responder, "/")
        #expect(after.body.contains("<tr><td>loadavg</td><td><span class=\"badge state-ready\">ok</span></td>"))
        #expect(after.body.contains("<tr><td>stat</td><td><span class=\"badge state-ready\">ok</span></td>"))
        #expect(after.body.contains("2 enabled."))
        #expect(after.body.contains("prefers-color-scheme: dark"))
        #expect(LandingPage.milliseconds(0.0012345) == "1.23 ms" && LandingPage.milliseconds(0.5) == "500.00 ms")
        // A collector with nothing to read on this host (no /proc/pressure here) says so, apart
        // from a real failure (no /proc/meminfo here either, which meminfo needs).
        let mixed = try Self.responder(collectors: ["loadavg", "pressure", "meminfo"])
        _ = await Self.get(mixed, "/metrics")
        let page = await Self.get(mixed, "/").body
        #expect(page.contains("<tr><td>pressure</td><td><span class=\"badge state-degraded\">no data</span></td>"))
        #expect(page.contains("<tr><td>meminfo</td><td><span class=\"badge state-down\">failed</span></td>"))
        #expect(page.contains("3 enabled, <span class=\"badge state-down\">1 failed</span> in their last run."))
    }

    @Test func collectAndExcludeFilterLikeNodeExporter() async throws {
        let responder = try Self.responder()
        let only = await Self.get(responder, "/metrics?collect[]=loadavg")
        #expect(only.status == 200)
        #expect(only.body.contains("node_load1 ") && !only.body.contains("node_context_switches_total"))
        let excluded = await Self.get(responder, "/metrics?exclude[]=loadavg")
        #expect(excluded.status == 200)
        #expect(!excluded.body.contains("node_load1 ") && excluded.body.contains("node_context_switches_total"))

        let missing = await Self.get(responder, "/metrics?collect[]=nosuch")
        #expect(missing.status == 400)
        #expect(missing.body.contains("missing collector: nosuch"))
        let disabled = await Self.get(responder, "/metrics?collect[]=cpu")
        #expect(disabled.status == 400)
        #expect(disabled.body.contains("disabled collector: cpu"))
        let both = await Self.get(responder, "/metrics?collect[]=loadavg&exclude[]=stat")
        #expect(both.status == 400)
        #expect(both.body.contains("Combined collect and exclude queries are not allowed."))
    }

    @Test func otherPathsAndMethods() async throws {
        let responder = try Self.responder()
        let landing = await Self.get(responder, "/")
        #expect(landing.status == 200 && landing.body.contains("9.9.9") && landing.body.contains("/metrics"))
        #expect(await Self.get(responder, "/health/live").status == 200)
        #expect(await Self.get(responder, "/nope").status == 404)
        #expect(await Self.get(responder, "/metrics", method: .POST).status == 405)
        // Ready once every collector has run once.
        #expect(await Self.get(responder, "/health/ready").status == 503)
        await responder.warmUp()
        #expect(await Self.get(responder, "/health/ready").status == 200)
    }
}
