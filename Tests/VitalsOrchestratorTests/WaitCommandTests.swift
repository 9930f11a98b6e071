import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// `vitals wait` against real services: dependency order, the fast fail, the timeout and the exec.
@Suite(.serialized, .blockingWork) struct WaitCommandTests {
    @Test func waitsForDependenciesFirstAndOnlyForTheSelection() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            let redisPort = freePort()
            let file = try VitalsCommandLine.writeStack(
                """
                name: shop
                defaults: {periodSeconds: 1}
                services:
                  cache:
                    kind: redis
                    endpoints: ["127.0.0.1:\(redisPort)"]
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(api.port)"]
                    dependsOn: [cache]
                  unrelated:
                    kind: tcp
                    endpoints: ["127.0.0.1:\(freePort())"]
                """)
            let wait = try VitalsCommandLine.start(["wait", file, "--service", "api", "--timeout", "60s"])
            defer { wait.stop() }
            #expect(wait.output(contains: "api: ready, waiting for cache", within: 15), "\(wait.outputText)")
            #expect(wait.process.isRunning, "wait finished before its dependency was ready: \(wait.outputText)")

            let redis = try RedisServer.start(port: redisPort)
            defer { redis.stop() }
            let status = try await blocking { wait.waitForExit(timeout: 20) }
            #expect(status == 0, "\(wait.outputText)")
            let output = wait.outputText
            let blocked = try #require(output.range(of: "api: ready, waiting for cache"))
            let cacheReady = try #require(output.range(of: "cache: ready"))
            let done = try #require(output.range(of: "ready: cache, api"))
            #expect(blocked.lowerBound < cacheReady.lowerBound && cacheReady.lowerBound < done.lowerBound, "\(output)")
            #expect(
                !output.contains("unrelated"),
                "a service outside --service and its dependencies was waited on: \(output)")
        }
    }

    @Test func anExhaustedStartupProbeFailsAtOnceInsteadOfAtTheTimeout() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            api.set("/startup", status: 503)
            let file = try VitalsCommandLine.writeStack(
                """
                name: shop
                services:
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(api.port)"]
                    probes:
                      startup: {httpGet: {path: /startup}, periodSeconds: 1, failureThreshold: 2}
                      readiness: {httpGet: {path: /health/ready}}
                """)
            let started = Date()
            let (status, output) = try await VitalsCommandLine.run(["wait", file, "--timeout", "10m"], timeout: 120)
            #expect(status == 1, "\(output)")
            #expect(
                output.contains("api: a startup probe failed 2 times in a row; not waiting any longer"), "\(output)")
            // Two failures a second apart end it in about 2 s; the 10-minute timeout is far away.
            #expect(Date().timeIntervalSince(started) < 30, "waited instead of failing fast")
            #expect(api.hits("/startup") == 2)
            #expect(api.hits("/health/ready") == 0)
        }
    }

    @Test func aTimeoutExitsOneAndSaysWhatWasNotReadyAndWhy() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            api.set("/health/ready", status: 503)
            let file = try VitalsCommandLine.writeStack(
                """
                name: shop
                defaults: {periodSeconds: 1}
                services:
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(api.port)"]
                """)
            let (status, output) = try await VitalsCommandLine.run([
                "wait", file, "--timeout", "2s", "--", "/bin/echo", "ran",
            ])
            #expect(status == 1, "\(output)")
            #expect(output.contains("timed out after 2s; not ready:"), "\(output)")
            #expect(
                output.contains(
                    "  api: 0/1 replicas ready; 127.0.0.1:\(api.port) not ready: HTTP probe failed with statuscode: 503"
                ),
                "\(output)")
            #expect(!output.contains("\nran"), "the command ran although the stack never became ready")
        }
    }

    @Test func theCommandReplacesWaitAndKeepsItsExitStatus() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            let file = try VitalsCommandLine.writeSingleAPIStack(port: api.port)
            let wait = try VitalsCommandLine.start(["wait", file, "--", "/bin/sh", "-c", "echo \"pid=$$\"; exit 7"])
            let status = try await blocking { wait.waitForExit(timeout: 30) }
            #expect(status == 7, "\(wait.outputText)")
            // exec, not a child: the shell has the pid that `vitals wait` had.
            #expect(wait.output(contains: "pid=\(wait.pid)", within: 2), "\(wait.outputText)")

            let (missing, output) = try await VitalsCommandLine.run(["wait", file, "--", "/nonexistent/tool"])
            #expect(missing == 127)
            #expect(output.contains("cannot run /nonexistent/tool"), "\(output)")
        }
    }

    @Test func withoutACommandItExitsZeroOnceReady() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            let file = try VitalsCommandLine.writeSingleAPIStack(port: api.port)
            let (status, output) = try await VitalsCommandLine.run(["wait", file, "--timeout", "30s"])
            #expect(status == 0, "\(output)")
            #expect(output.contains("ready: api"))
            let invalid = try await VitalsCommandLine.run(["wait", file, "--timeout", "soon"])
            #expect(invalid.status == 2)
            #expect(invalid.output.contains("--timeout"))
        }
    }
}
