import Synchronization
import Testing
import VitalsOrchestrator
import VitalsProbe
import VitalsStack
import VitalsStackFile

/// The kubelet's probe semantics in the monitor, on a clock the test drives (an
/// `EmbeddedEventLoop`): when probes first run, startup gating, and the thresholds, counted exactly.
@Suite struct StackMonitorScheduleTests {
    static func monitor(_ probes: String, prober: ScriptedProber) throws -> StackMonitor {
        let stack = try StackLoader.parse(
            """
            name: t
            services:
              api:
                kind: fastapi
                endpoints: ["127.0.0.1:8000"]
                probes:
            \(probes)
            """, file: "test.yaml")
        return StackMonitor(stack: stack, prober: prober)
    }

    @Test func livenessAndReadinessWaitForTheStartupProbeWhichThenStops() throws {
        let prober = ScriptedProber()
        prober.set("/startup", .failure)
        let monitor = try Self.monitor(
            """
                  startup: {httpGet: {path: /startup}, periodSeconds: 1, failureThreshold: 100}
                  liveness: {httpGet: {path: /health/live}, periodSeconds: 1}
                  readiness: {httpGet: {path: /health/ready}, periodSeconds: 1}
            """, prober: prober)
        monitor.start()
        defer { monitor.stop() }
        prober.advance(seconds: 2)
        // Runs at 0, 1 and 2 s; liveness and readiness have not run at all.
        #expect(prober.runs("/startup") == 3)
        #expect(prober.runs("/health/live") == 0 && prober.runs("/health/ready") == 0)
        #expect(monitor.status().service("api")?.endpoints.first?.started == false)
        #expect(monitor.status().service("api")?.ready == false)

        prober.set("/startup", .success)
        prober.advance(seconds: 1)
        #expect(prober.runs("/startup") == 4)
        #expect(monitor.status().service("api")?.endpoints.first?.started == true)
        // From the next period on, liveness and readiness run; the startup probe never again.
        prober.advance(seconds: 10)
        #expect(prober.runs("/startup") == 4)
        #expect(prober.runs("/health/ready") >= 10 && prober.runs("/health/live") >= 10)
        #expect(monitor.status().ready)
    }

    @Test func theFirstProbeRunsAtTheInitialDelayNotAPeriodLater() throws {
        let prober = ScriptedProber()
        let monitor = try Self.monitor(
            """
                  readiness: {httpGet: {path: /health/ready}, periodSeconds: 60, initialDelaySeconds: 5}
            """, prober: prober)
        monitor.start()
        defer { monitor.stop() }
        #expect(!monitor.status().ready, "readiness starts as Failure")
        prober.advance(seconds: 4.999)
        #expect(prober.runs("/health/ready") == 0, "ran before initialDelaySeconds")
        prober.advance(seconds: 0.001)
        #expect(prober.runs("/health/ready") == 1)
        #expect(monitor.status().ready)
        // Then once a period, on a fixed rate.
        prober.advance(seconds: 59.999)
        #expect(prober.runs("/health/ready") == 1)
        prober.advance(seconds: 0.001)
        #expect(prober.runs("/health/ready") == 2)
    }

    @Test func readinessFlipsAfterExactlyTheThresholdsOfConsecutiveResults() throws {
        let prober = ScriptedProber()
        let monitor = try Self.monitor(
            """
                  readiness: {httpGet: {path: /health/ready}, periodSeconds: 1, successThreshold: 2, failureThreshold: 3}
            """, prober: prober)
        monitor.start()
        defer { monitor.stop() }
        // Readiness starts as Failure; the first success is not enough, the second is.
        prober.advance(seconds: 0)
        #expect(prober.runs("/health/ready") == 1)
        #expect(!monitor.status().ready)
        prober.advance(seconds: 1)
        #expect(prober.runs("/health/ready") == 2)
        #expect(monitor.status().ready)

        prober.set("/health/ready", .failure)
        prober.advance(seconds: 2)
        #expect(monitor.status().ready, "not ready after 2 failures, under failureThreshold 3")
        prober.advance(seconds: 1)
        #expect(!monitor.status().ready, "still ready after failureThreshold failures")

        // One success among failures resets nothing: two in a row are needed again.
        prober.set("/health/ready", .success)
        prober.advance(seconds: 1)
        #expect(!monitor.status().ready)
        prober.set("/health/ready", .failure)
        prober.advance(seconds: 1)
        prober.set("/health/ready", .success)
        prober.advance(seconds: 1)
        #expect(!monitor.status().ready, "successes that were not consecutive counted")
        prober.advance(seconds: 1)
        #expect(monitor.status().ready)
    }

    @Test func aStoppedMonitorRunsNothingMore() throws {
        let prober = ScriptedProber()
        let monitor = try Self.monitor(
            """
                  readiness: {httpGet: {path: /health/ready}, periodSeconds: 1}
            """, prober: prober)
        monitor.start()
        prober.advance(seconds: 2)
        #expect(prober.runs("/health/ready") == 3)
        monitor.stop()
        prober.advance(seconds: 10)
        #expect(prober.runs("/health/ready") == 3)
    }

    /// 300 replicas turning ready together (as at start, or back from an outage) are reported in
    /// a few notifications, not 300 judgements of the whole stack; the last one says all are ready.
    @Test func aStackWideChangeIsReportedOnceNotOncePerReplica() throws {
        let prober = ScriptedProber()
        let endpoints = (0..<300).map { "\"127.0.0.1:\(10_000 + $0)\"" }.joined(separator: ", ")
        let stack = try StackLoader.parse(
            """
            name: t
            services:
              api:
                kind: fastapi
                endpoints: [\(endpoints)]
                probes:
                  readiness: {httpGet: {path: /health/ready}, periodSeconds: 10}
            """, file: "test.yaml")
        let reports = Mutex<[Bool]>([])
        let monitor = StackMonitor(stack: stack, prober: prober) { status in
            reports.withLock { $0.append(status.ready) }
        }
        monitor.start()
        defer { monitor.stop() }
        prober.advance(seconds: 1)
        let heard = reports.withLock { $0 }
        #expect(prober.runs("/health/ready") == 300)
        #expect(heard == [true], "notifications: \(heard.count)")
        // A later single change is still reported.
        prober.set("/health/ready", .failure)
        prober.advance(seconds: 30)
        #expect(reports.withLock { $0.last } == false)
        #expect(reports.withLock { $0.count } == 2)
    }
}
