import Foundation
import Testing
import VitalsOrchestrator
import VitalsProbe
import VitalsStack
import VitalsStackFile
import VitalsTestSupport
import VitalsTestTraits

/// The monitor against real HTTP servers: startup gating, first runs, thresholds over time, and
/// readiness following dependencies.
@Suite(.serialized, .blockingWork) struct StackMonitorTests {
    static func monitor(_ yaml: String) throws -> StackMonitor {
        let stack = try StackLoader.parse(yaml, file: "test.yaml")
        return StackMonitor(stack: stack, prober: try Prober(userAgent: "vitals-probe/test"))
    }

    @Test func livenessAndReadinessDoNotRunUntilTheStartupProbeSucceeds() async throws {
        let server = try await HealthTargetServer()
        try await withTeardown({ await server.close() }) {
            server.set("/startup", status: 503)
            let monitor = try Self.monitor(
                """
                name: t
                services:
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(server.port)"]
                    probes:
                      startup: {httpGet: {path: /startup}, periodSeconds: 1, failureThreshold: 100}
                      liveness: {httpGet: {path: /health/live}, periodSeconds: 1}
                      readiness: {httpGet: {path: /health/ready}, periodSeconds: 1}
                """)
            monitor.start()
            defer { monitor.stop() }
            #expect(await eventually(within: 5) { server.hits("/startup") >= 3 })
            #expect(server.hits("/health/live") == 0)
            #expect(server.hits("/health/ready") == 0)
            #expect(monitor.status().service("api")?.ready == false)
            #expect(monitor.status().service("api")?.endpoints.first?.started == false)

            server.set("/startup", status: 200)
            #expect(await eventually(within: 5) { monitor.status().ready })
            #expect(server.hits("/health/ready") >= 1)
            #expect(server.hits("/health/live") >= 1)
            // A startup probe that succeeded is not run again.
            let startupHits = server.hits("/startup")
            try await Task.sleep(for: .milliseconds(2500))
            #expect(server.hits("/startup") == startupHits)
        }
    }

    @Test func theFirstProbeRunsAtTheInitialDelayNotAPeriodLater() async throws {
        let server = try await HealthTargetServer()
        try await withTeardown({ await server.close() }) {
            let monitor = try Self.monitor(
                """
                name: t
                services:
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(server.port)"]
                    probes:
                      readiness: {httpGet: {path: /health/ready}, periodSeconds: 60, initialDelaySeconds: 1}
                """)
            let started = Date()
            monitor.start()
            defer { monitor.stop() }
            #expect(monitor.status().ready == false, "readiness starts as Failure")
            #expect(await eventually(within: 10) { monitor.status().ready })
            let elapsed = Date().timeIntervalSince(started)
            #expect(elapsed >= 1, "ran before initialDelaySeconds: \(elapsed)s")
            #expect(elapsed < 30, "waited for a period instead of the initial delay: \(elapsed)s")
        }
    }

    @Test func readinessFlipsOnlyAfterTheThresholdsOfConsecutiveResults() async throws {
        let server = try await HealthTargetServer()
        try await withTeardown({ await server.close() }) {
            let monitor = try Self.monitor(
                """
                name: t
                services:
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(server.port)"]
                    probes:
                      readiness: {httpGet: {path: /health/ready}, periodSeconds: 1, successThreshold: 2, failureThreshold: 3}
                """)
            monitor.start()
            defer { monitor.stop() }
            #expect(await eventually(within: 5) { monitor.status().ready })
            #expect(server.hits("/health/ready") >= 2, "ready after fewer than successThreshold passes")

            server.set("/health/ready", status: 500)
            let before = server.hits("/health/ready")
            #expect(await eventually(within: 8) { !monitor.status().ready })
            #expect(server.hits("/health/ready") - before >= 3, "not ready after fewer than failureThreshold failures")
        }
    }

    @Test func aServiceIsEffectivelyReadyOnlyWhenItsDependenciesAre() async throws {
        let backend = try await HealthTargetServer(ports: 2)
        let redis = try await HealthTargetServer()
        try await withTeardown({
            await backend.close()
            await redis.close()
        }) {
            redis.set("/ready", status: 503)
            let monitor = try Self.monitor(
                """
                name: t
                defaults: {periodSeconds: 1}
                services:
                  cache:
                    kind: http
                    endpoints: ["127.0.0.1:\(redis.port)"]
                    probes: {readiness: {httpGet: {path: /ready}}}
                  backend:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(backend.ports[0])", "127.0.0.1:\(backend.ports[1])"]
                    dependsOn: [cache]
                """)
            monitor.start()
            defer { monitor.stop() }
            #expect(await eventually(within: 5) { monitor.status().service("backend")?.ready == true })
            let blocked = try #require(monitor.status().service("backend"))
            #expect(blocked.effectivelyReady == false)
            #expect(blocked.blockedBy == "cache")
            #expect(blocked.readyReplicas == 2)
            #expect(blocked.reason?.contains("waiting for its dependency cache") == true)

            redis.set("/ready", status: 200)
            #expect(await eventually(within: 5) { monitor.status().ready })
            #expect(monitor.status().service("backend")?.blockedBy == nil)
        }
    }

    @Test func oneFailingReplicaMakesTheServiceNotReady() async throws {
        let backend = try await HealthTargetServer(ports: 2)
        let down = freePort()
        try await withTeardown({ await backend.close() }) {
            let monitor = try Self.monitor(
                """
                name: t
                defaults: {periodSeconds: 1}
                services:
                  backend:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(backend.ports[0])", "127.0.0.1:\(backend.ports[1])", "127.0.0.1:\(down)"]
                """)
            monitor.start()
            defer { monitor.stop() }
            #expect(await eventually(within: 5) { monitor.status().service("backend")?.readyReplicas == 2 })
            let status = try #require(monitor.status().service("backend"))
            #expect(!status.ready)
            #expect(status.reason?.contains("2/3 replicas ready") == true)
            #expect(status.reason?.contains("127.0.0.1:\(down)") == true)
            #expect(status.reason?.contains("connection refused") == true)
            let document = HealthDocument.overall(monitor.status())
            #expect(document.status == .warn)
            #expect(HealthDocument.readiness(monitor.status()).status == .fail)
        }
    }

    @Test func aReloadedMonitorKeepsTheStatesOfUnchangedProbes() async throws {
        let server = try await HealthTargetServer()
        try await withTeardown({ await server.close() }) {
            let yaml = """
                name: t
                services:
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(server.port)"]
                    probes: {readiness: {httpGet: {path: /health/ready}, periodSeconds: 60}}
                """
            let first = try Self.monitor(yaml)
            first.start()
            #expect(await eventually(within: 5) { first.status().ready })
            first.stop()
            let stack = try StackLoader.parse(yaml, file: "test.yaml")
            let second = StackMonitor(stack: stack, prober: try Prober(userAgent: "t"), carryOver: first.probeStates())
            #expect(second.status().ready, "a reload must not reset readiness to Failure")
            let changed = try StackLoader.parse(
                yaml.replacingOccurrences(of: "periodSeconds: 60", with: "periodSeconds: 30"), file: "t.yaml")
            let third = StackMonitor(stack: changed, prober: try Prober(userAgent: "t"), carryOver: first.probeStates())
            #expect(!third.status().ready, "a changed probe starts from its initial state")
        }
    }
}
