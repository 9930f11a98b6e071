import Logging
import NIOCore
import NIOHTTP1
import Testing
import VitalsHTTP
import VitalsOrchestrator
import VitalsProbe
import VitalsStackFile

@testable import VitalsCLI

/// `vitals serve`'s endpoints in process, through `HTTPResponder`, over a monitor whose probes
/// the test scripts: health answers follow readiness, dependencies and the per-service path.
@Suite struct ServeResponderTests {
    static func serve() throws -> (ServeResponder, ScriptedProber, StackMonitor) {
        let stack = try StackLoader.parse(
            """
            name: t
            services:
              cache:
                kind: http
                endpoints: ["127.0.0.1:6379"]
                probes: {readiness: {httpGet: {path: /cache}, periodSeconds: 1}}
              api:
                kind: fastapi
                endpoints: ["127.0.0.1:8000"]
                dependsOn: [cache]
                probes: {readiness: {httpGet: {path: /api}, periodSeconds: 1}}
            """, file: "t.yaml")
        let prober = ScriptedProber()
        let monitor = StackMonitor(stack: stack, prober: prober)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return (ServeResponder(monitor: monitor, logger: logger), prober, monitor)
    }

    static func get(_ responder: ServeResponder, _ uri: String, method: HTTPMethod = .GET) async -> (
        status: Int, body: String
    ) {
        let response = await responder.respond(to: HTTPRequest(method: method, uri: uri))
        return (Int(response.status.code), String(buffer: response.body))
    }

    @Test func healthFollowsReadinessAndDependencies() async throws {
        let (responder, prober, monitor) = try Self.serve()
        prober.set("/cache", .failure)
        monitor.start()
        defer { monitor.stop() }
        prober.advance(seconds: 0)
        // Nothing ready yet: readiness 503, liveness of vitals itself 200.
        #expect(await Self.get(responder, "/health/ready").status == 503)
        #expect(await Self.get(responder, "/health/live").status == 200)
        // The api answers, but waits for its dependency.
        let api = await Self.get(responder, "/health/ready/api")
        #expect(api.status == 503)
        #expect(api.body.contains("cache"), "\(api.body)")

        prober.set("/cache", .success)
        prober.advance(seconds: 1)
        #expect(await Self.get(responder, "/health/ready/api").status == 200)
        #expect(await Self.get(responder, "/health/ready").status == 200)
        let metrics = await Self.get(responder, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("vitals_build_info{version="))
    }

    @Test func unknownServicesPathsAndMethodsAreRefused() async throws {
        let (responder, _, _) = try Self.serve()
        #expect(await Self.get(responder, "/health/ready/nosuch").status == 404)
        #expect(await Self.get(responder, "/nope").status == 404)
        #expect(await Self.get(responder, "/health", method: .DELETE).status == 405)
    }
}
