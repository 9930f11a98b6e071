import Foundation
import Testing
import VitalsProvision
import VitalsStack
import VitalsTestSupport
import VitalsTestTraits

/// The generated configuration, run: Debian's Prometheus started with the generated
/// prometheus.yml scrapes vitals-exporter, vitals serve, an instrumented service, Redis through
/// redis_exporter, Alertmanager and itself; then its HTTP API must show every target up, every
/// rule group healthy, and every dashboard query valid (and the host and stack dashboards'
/// queries returning data).
@Suite(.serialized, .blockingWork) struct LiveProvisionTests {
    final class Processes: @unchecked Sendable {
        var running: [ManagedProcess] = []
        func start(_ tool: String, _ arguments: [String]) throws -> ManagedProcess {
            let process = try ManagedProcess(tool, arguments)
            running.append(process)
            return process
        }
        deinit { for process in running.reversed() { process.stop() } }
    }

    static func tool(_ name: String) throws -> String {
        guard let path = TestPaths.tool(name) else {
            throw MissingPrerequisite("\(name) is not installed; scripts/test installs it")
        }
        return path
    }

    @Test func prometheusRunsTheGeneratedConfiguration() async throws {
        let processes = Processes()
        let work = try TestPaths.temporaryDirectory("live")
        let ports = (
            exporter: freePort(), redis: freePort(), redisExporter: freePort(), vitals: freePort(),
            prometheus: freePort(), alertmanager: freePort()
        )
        let api = try await InstrumentedService.start()
        try await withTeardown({ await api.close() }) {

            let stackText = """
                name: live
                defaults: {periodSeconds: 1, scrapeInterval: 1s, evaluationInterval: 1s}
                nodes: ["127.0.0.1:\(ports.exporter)"]
                services:
                  api:
                    kind: fastapi
                    endpoints: ["127.0.0.1:\(api.port)"]
                    metrics: {path: /metrics}
                  cache:
                    kind: redis
                    endpoints: ["127.0.0.1:\(ports.redis)"]
                    metrics: {targets: ["127.0.0.1:\(ports.redisExporter)"]}
                  watcher:
                    kind: vitals
                    endpoints: ["127.0.0.1:\(ports.vitals)"]
                  prometheus:
                    kind: prometheus
                    endpoints: ["127.0.0.1:\(ports.prometheus)"]
                  alertmanager:
                    kind: alertmanager
                    endpoints: ["127.0.0.1:\(ports.alertmanager)"]
                """
            let stackFile = work + "/live.yaml"
            try stackText.write(toFile: stackFile, atomically: true, encoding: .utf8)
            let out = work + "/out"
            let provision = try runCommand(TestPaths.product("vitals"), ["provision", stackFile, "--out", out])
            #expect(provision.status == 0, "\(provision.output)")

            _ = try processes.start(
                TestPaths.product("vitals-exporter"),
                ["--web.listen-address=127.0.0.1:\(ports.exporter)", "--log.level=warn"])
            let redis = try RedisServer.start(port: ports.redis)
            processes.running.append(redis)
            _ = try processes.start(
                try Self.tool("prometheus-redis-exporter"),
                [
                    "-redis.addr", "redis://127.0.0.1:\(ports.redis)", "-web.listen-address",
                    "127.0.0.1:\(ports.redisExporter)",
                ])
            _ = try processes.start(
                TestPaths.product("vitals"),
                ["serve", stackFile, "--web.listen-address", "127.0.0.1:\(ports.vitals)", "--log.level", "warn"])
            _ = try processes.start(
                try Self.tool("prometheus-alertmanager"),
                [
                    "--config.file=\(out)/alertmanager/alertmanager.yml", "--storage.path=\(work)/alertmanager",
                    "--web.listen-address=127.0.0.1:\(ports.alertmanager)", "--cluster.listen-address=",
                ])
            let prometheus = try processes.start(
                try Self.tool("prometheus"),
                [
                    "--config.file=\(out)/prometheus/prometheus.yml", "--storage.tsdb.path=\(work)/tsdb",
                    "--web.listen-address=127.0.0.1:\(ports.prometheus)",
                ])
            let prometheusAPI = PrometheusAPI(port: ports.prometheus)

            // 1. Every target up.
            var targets: [[String: Any]] = []
            let allUp = await eventually(within: 60, every: 0.5) {
                targets = (try? prometheusAPI.get("/api/v1/targets")["activeTargets"] as? [[String: Any]]) ?? []
                return targets.count == 6 && targets.allSatisfy { $0["health"] as? String == "up" }
            }
            #expect(
                allUp,
                "targets: \(targets.map { "\(($0["labels"] as? [String: String])?["job"] ?? "?"): \($0["health"] ?? "?") \($0["lastError"] ?? "")" }) \(prometheus.outputText.suffix(1500))"
            )
            let jobs = Set(targets.compactMap { ($0["labels"] as? [String: String])?["job"] })
            #expect(
                jobs == Set(["node", "api", "cache", "watcher", "prometheus", "alertmanager"].map { "live/\($0)" }))

            // 2. Every rule group loaded, every rule evaluated without error.
            var groups: [[String: Any]] = []
            let rulesOK = await eventually(within: 30, every: 0.5) {
                groups = (try? prometheusAPI.get("/api/v1/rules")["groups"] as? [[String: Any]]) ?? []
                let rules = groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }
                return !rules.isEmpty && rules.allSatisfy { $0["health"] as? String == "ok" }
            }
            let names = Set(groups.compactMap { $0["name"] as? String })
            #expect(
                rulesOK,
                "rule health: \(groups.flatMap { $0["rules"] as? [[String: Any]] ?? [] }.filter { $0["health"] as? String != "ok" }.map { "\($0["name"] ?? ""): \($0["lastError"] ?? $0["health"] ?? "")" })"
            )
            #expect(names == ["live/host", "live/stack", "live/api", "live/cache"], "\(names)")

            // 3. Every dashboard query is valid PromQL against this Prometheus; the host and stack
            //    dashboards' queries return data.
            let dashboards = try FileManager.default.contentsOfDirectory(atPath: out + "/grafana/dashboards").sorted()
            #expect(
                dashboards == [
                    "host-overview.json", "http-red.json", "llm-usage.json", "redis.json", "stack-health.json",
                ])
            for file in dashboards {
                let queries = try Self.queries(out + "/grafana/dashboards/" + file)
                #expect(!queries.isEmpty)
                for query in queries {
                    // Panels that are empty on a healthy host: failed units (and systemd is not here),
                    // failed collectors.
                    let mayBeEmpty = query.contains("state=\"failed\"") || query.contains("== 0")
                    let mustHaveData = (file == "host-overview.json" || file == "stack-health.json") && !mayBeEmpty
                    var outcome = ""
                    let good = await eventually(within: mustHaveData ? 30 : 5, every: 0.5) {
                        do {
                            let result =
                                try prometheusAPI.get("/api/v1/query?query=" + Self.encode(query))["result"] as? [Any]
                                ?? []
                            outcome = "\(result.count) series"
                            return !mustHaveData || !result.isEmpty
                        } catch {
                            outcome = "\(error)"
                            return false
                        }
                    }
                    #expect(good, "\(file): \(query): \(outcome)")
                }
            }
        }
    }

    /// Every query of a dashboard, with its template variables as Grafana would fill them
    /// for "All" and a 1s scrape interval.
    static func queries(_ path: String) throws -> [String] {
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let panels = json["panels"] as? [[String: Any]] ?? []
        return panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
        }.map { expr in
            expr.replacingOccurrences(of: "$__rate_interval", with: "1m")
                .replacingOccurrences(of: "$job", with: ".+")
                .replacingOccurrences(of: "$instance", with: ".+")
                .replacingOccurrences(of: "$service", with: ".+")
        }
    }

    static func encode(_ query: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return query.addingPercentEncoding(withAllowedCharacters: allowed) ?? query
    }
}

/// Prometheus' HTTP API over a real socket.
struct PrometheusAPI {
    let port: Int

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The `data` member of a successful answer.
    func get(_ path: String) throws -> [String: Any] {
        let response = try httpGet(port: port, path: path)
        guard let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw Failure(description: "not JSON: \(response.bodyText.prefix(200))")
        }
        guard json["status"] as? String == "success", let data = json["data"] as? [String: Any] else {
            throw Failure(description: "\(json["errorType"] ?? "error"): \(json["error"] ?? response.bodyText)")
        }
        return data
    }
}
