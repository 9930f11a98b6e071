import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// `vitals check`: the table, the JSON shape and the exit codes, against real services.
@Suite(.serialized, .blockingWork) struct CheckCommandTests {
    static func stack(api: Int, cache: Int) -> String {
        """
        name: shop
        services:
          cache:
            kind: tcp
            endpoints: ["127.0.0.1:\(cache)"]
          api:
            kind: fastapi
            endpoints: ["127.0.0.1:\(api)"]
            dependsOn: [cache]
        """
    }

    /// A regression: the HTTP probe set TCP_NODELAY as a socket-level option (SO_DEBUG, which
    /// needs CAP_NET_ADMIN), so as any user but root every HTTP probe failed to connect.
    @Test func probesAsAnUnprivilegedUser() async throws {
        let target = try await HealthTargetServer()
        defer { Task { await target.close() } }
        let stack = try VitalsCommandLine.writeStack(
            """
            name: shop
            services:
              web:
                kind: http
                endpoints: ["127.0.0.1:\(target.port)"]
                probes: {readiness: {httpGet: {path: /health/ready}}}
            """)
        // nobody must be able to read it.
        _ = chmod((stack as NSString).deletingLastPathComponent, 0o755)
        _ = chmod(stack, 0o644)
        let arguments = try Unprivileged.arguments(VitalsCommandLine.executable, ["check", stack])
        let result = try await blocking { try runCommand(Unprivileged.setpriv, arguments) }
        #expect(result.status == 0, "\(result.output)")
        #expect(target.hits("/health/ready") >= 1)
    }

    @Test func everythingReadyExitsZeroWithTheDocumentedJSONShape() async throws {
        let api = try await HealthTargetServer()
        let cache = try await HealthTargetServer()
        try await withTeardown({
            await api.close()
            await cache.close()
        }) {
            let file = try VitalsCommandLine.writeStack(Self.stack(api: api.port, cache: cache.port))
            let (status, output) = try await VitalsCommandLine.run(["check", file, "--output", "json"])
            #expect(status == 0, "\(output)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(Set(document.keys) == ["stack", "ready", "services"])
            #expect(document["ready"] as? Bool == true)
            let services = try #require(document["services"] as? [[String: Any]])
            #expect(services.map { $0["name"] as? String } == ["cache", "api"])
            for service in services {
                #expect(Set(service.keys) == ["name", "ready", "live", "blockedBy", "endpoints"])
                let endpoints = try #require(service["endpoints"] as? [[String: Any]])
                #expect(endpoints.count == 1)
                #expect(Set(endpoints[0].keys) == ["address", "probes"])
                let probes = try #require(endpoints[0]["probes"] as? [[String: Any]])
                #expect(!probes.isEmpty)
                for probe in probes {
                    #expect(
                        Set(probe.keys) == ["probe", "success", "statusCode", "durationSeconds", "error", "container"])
                    #expect(probe["success"] as? Bool == true)
                    #expect(probe["error"] is NSNull)
                    #expect((probe["durationSeconds"] as? Double).map { $0 >= 0 && $0 < 5 } == true)
                }
            }
            let apiProbes = (services[1]["endpoints"] as? [[String: Any]])?.first?["probes"] as? [[String: Any]]
            #expect(apiProbes?.map { $0["probe"] as? String } == ["liveness", "readiness"])
            #expect(apiProbes?.map { $0["statusCode"] as? Int } == [200, 200])
            #expect(api.hits("/health/live") == 1)
            #expect(api.hits("/health/ready") == 1)
        }
    }

    @Test func aFailingServiceExitsOneAndTheTableSaysWhy() async throws {
        let api = try await HealthTargetServer()
        let cache = freePort()
        try await withTeardown({ await api.close() }) {
            api.set("/health/ready", status: 503)
            let file = try VitalsCommandLine.writeStack(Self.stack(api: api.port, cache: cache))
            let (status, output) = try await VitalsCommandLine.run(["check", file])
            #expect(status == 1, "\(output)")
            let lines = output.split(separator: "\n").map(String.init)
            #expect(
                lines.first?.split(separator: " ", omittingEmptySubsequences: true)
                    == ["SERVICE", "ENDPOINT", "PROBE", "RESULT", "HTTP", "LATENCY", "DETAIL"])
            let readiness = try #require(lines.first { $0.hasPrefix("api") && $0.contains("readiness") })
            #expect(readiness.contains("FAIL") && readiness.contains("503") && readiness.contains(" ms"))
            #expect(readiness.contains("HTTP probe failed with statuscode: 503"))
            let liveness = try #require(lines.first { $0.hasPrefix("api") && $0.contains("liveness") })
            #expect(liveness.contains(" ok ") && liveness.contains("200"))
            let tcp = try #require(lines.first { $0.hasPrefix("cache") && $0.contains("readiness") })
            #expect(tcp.contains("dial tcp 127.0.0.1:\(cache): connect: connection refused"))
            #expect(output.contains("stack shop: NOT READY"))
        }
    }

    @Test func onlyTheSelectedServicesAreProbed() async throws {
        let api = try await HealthTargetServer()
        try await withTeardown({ await api.close() }) {
            let file = try VitalsCommandLine.writeStack(Self.stack(api: api.port, cache: freePort()))
            let (status, output) = try await VitalsCommandLine.run([
                "check", file, "--service", "api", "--output", "json",
            ])
            #expect(status == 0, "check --service api must not judge the unselected cache: \(output)")
            #expect(!output.contains("\"cache\""))
        }
    }

    @Test func anInvalidStackFileOrUsageExitsTwo() async throws {
        let broken = try VitalsCommandLine.writeStack(
            """
            name: shop
            services:
              api:
                kind: fastapi
                endpoints: ["127.0.0.1:99999"]
            """)
        let (status, output) = try await VitalsCommandLine.run(["check", broken])
        #expect(status == 2)
        #expect(output.contains("\(broken):5:"), "errors name file, line and column: \(output)")
        #expect(output.contains("65535"), "\(output)")

        let valid = try VitalsCommandLine.writeStack(Self.stack(api: 1, cache: 2))
        let unknown = try await VitalsCommandLine.run(["check", valid, "--service", "nope"])
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("unknown service \"nope\""))
        #expect(unknown.output.contains("cache, api"))

        let badOutput = try await VitalsCommandLine.run(["check", valid, "--output", "xml"])
        #expect(badOutput.status == 2, "\(badOutput)")
        #expect(badOutput.output.contains("xml"))

        let missing = try await VitalsCommandLine.run(["check", "/nonexistent/stack.yaml"])
        #expect(missing.status == 2)
        #expect(missing.output.contains("/nonexistent/stack.yaml"))
    }

    @Test func validateAcceptsTheExampleStacksAndRejectsWithExitTwo() async throws {
        for example in ["chatbot.yaml", "local.yaml", "chat-compose.yaml"] {
            let (status, output) = try await VitalsCommandLine.run([
                "validate", TestPaths.packageRoot + "/stacks/" + example,
            ])
            #expect(status == 0, "\(example): \(output)")
            #expect(output.contains("valid"))
        }
        let broken = try VitalsCommandLine.writeStack("name: x\nservices:\n  a: {kind: nope, endpoints: [\"h:1\"]}\n")
        let (status, output) = try await VitalsCommandLine.run(["validate", broken])
        #expect(status == 2)
        #expect(output.contains("\(broken):3:"), "\(output)")
    }
}
