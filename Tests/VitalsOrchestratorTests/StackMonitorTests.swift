import Foundation
import Testing
import VitalsOrchestrator
import VitalsProbe
import VitalsStack
import VitalsStackFile
import VitalsTestSupport
import VitalsTestTraits

/// The monitor against real HTTP servers: readiness following dependencies, a failing replica, and
/// a reload. Its schedule and thresholds are checked on a driven clock in StackMonitorScheduleTests.
@Suite(.serialized, .blockingWork) struct StackMonitorTests {
    static func monitor(_ yaml: String) throws -> StackMonitor {
        let stack = try StackLoader.parse(yaml, file: "test.yaml")
        return StackMonitor(stack: stack, prober: try Prober(userAgent: "vitals-probe/test"))
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
