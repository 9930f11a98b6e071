import Foundation
import Logging
import NIOCore
import Synchronization
import VitalsHTTP
import VitalsTestSupport

/// A chatbot stack of real processes for fault drills: three FastAPI replicas instrumented with
/// prometheus-fastapi-instrumentator, Redis with redis_exporter, PostgreSQL with postgres_exporter,
/// a Celery worker with Flower, vitals-exporter and `vitals serve`, and Debian's Prometheus and
/// Alertmanager running the configuration `vitals provision --drill` wrote for it, with a webhook
/// receiver of the test's own recording every notification.
final class DrillStack: @unchecked Sendable {
    struct Ports {
        var replicas = (0..<3).map { _ in freePort() }
        var redis = freePort()
        var redisExporter = freePort()
        var postgres = freePort()
        var postgresExporter = freePort()
        var flower = freePort()
        var exporter = freePort()
        var vitals = freePort()
        var prometheus = freePort()
        var alertmanager = freePort()
    }

    let ports = Ports()
    let work: String
    let mount: String
    let receiver: WebhookRecorder
    private var processes: [String: ManagedProcess] = [:]
    private let venv = TestPaths.packageRoot + "/.build-drill/venv/bin"
    private let drillDirectory = TestPaths.packageRoot + "/Tests/Fixtures/drill"
    private let postgresBin: String

    static func tool(_ name: String) throws -> String {
        guard let path = TestPaths.tool(name) else {
            throw MissingPrerequisite("\(name) is not installed; scripts/test installs it")
        }
        return path
    }

    init(receiver: WebhookRecorder) throws {
        guard FileManager.default.isExecutableFile(atPath: venv + "/uvicorn") else {
            throw MissingPrerequisite(
                "the drills' Python environment is missing; scripts/test creates .build-drill/venv")
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql"))?.sorted() ?? []
        guard let version = versions.last else {
            throw MissingPrerequisite("PostgreSQL is not installed; scripts/test installs it")
        }
        postgresBin = "/usr/lib/postgresql/\(version)/bin"
        self.receiver = receiver
        // Standardised: the mount point must read as node_exporter's mountpoint label does.
        work = (try TestPaths.temporaryDirectory("drill") as NSString).standardizingPath
        mount = work + "/small-disk"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
    }

    /// The stack file the drills provision and watch.
    var stackText: String {
        """
        name: drill
        defaults: {periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 2}
        nodes: ["127.0.0.1:\(ports.exporter)"]
        services:
          redis:
            kind: redis
            endpoints: ["127.0.0.1:\(ports.redis)"]
            metrics: {targets: ["127.0.0.1:\(ports.redisExporter)"]}
          postgres:
            kind: postgres
            endpoints: ["127.0.0.1:\(ports.postgres)"]
            metrics: {targets: ["127.0.0.1:\(ports.postgresExporter)"]}
            probes:
              readiness: {tcpSocket: {}}
          backend:
            kind: fastapi
            endpoints: [\(ports.replicas.map { "\"127.0.0.1:\($0)\"" }.joined(separator: ", "))]
            dependsOn: [redis, postgres]
            metrics: {path: /metrics}
            alerts: {latencyP95Seconds: 2, llmCostPerHourUSD: 20}   # well above what the drills' load spends
          worker:
            kind: celery
            dependsOn: [redis]
            metrics: {exporter: flower, targets: ["127.0.0.1:\(ports.flower)"]}
          vitals:
            kind: vitals
            endpoints: ["127.0.0.1:\(ports.vitals)"]
          alertmanager:
            kind: alertmanager
            endpoints: ["127.0.0.1:\(ports.alertmanager)"]
        alerting:
          receivers:
            - name: team
              webhook: {url: "http://127.0.0.1:\(receiver.port)/team"}
            - name: oncall
              webhook: {url: "http://127.0.0.1:\(receiver.port)/oncall"}
          defaultReceiver: team
          criticalReceiver: oncall
        """
    }

    // MARK: Starting and stopping

    func start() throws {
        let stackFile = work + "/drill.yaml"
        try stackText.write(toFile: stackFile, atomically: true, encoding: .utf8)
        let provision = try runCommand(
            TestPaths.product("vitals"), ["provision", stackFile, "--out", work + "/out", "--drill"])
        guard provision.status == 0 else { throw MissingPrerequisite("provision --drill failed: \(provision.output)") }

        // A small filesystem of its own for the disk drill.
        let mounted = try runCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount])
        guard mounted.status == 0 else {
            throw MissingPrerequisite("cannot mount a tmpfs (the drills need root): \(mounted.output)")
        }

        try startRedis()
        processes["redis-exporter"] = try ManagedProcess(
            try Self.tool("prometheus-redis-exporter"),
            [
                "--web.listen-address=127.0.0.1:\(ports.redisExporter)",
                "--redis.addr=redis://127.0.0.1:\(ports.redis)",
                "--check-single-keys=db0=celery", "--include-system-metrics",
            ])
        try startPostgres(initialize: true)
        processes["postgres-exporter"] = try ManagedProcess(
            try Self.tool("prometheus-postgres-exporter"), ["--web.listen-address=127.0.0.1:\(ports.postgresExporter)"],
            environment: [
                "DATA_SOURCE_NAME": "postgresql://postgres@127.0.0.1:\(ports.postgres)/postgres?sslmode=disable"
            ])
        let appEnvironment = [
            "REDIS_ADDRESS": "127.0.0.1:\(ports.redis)", "POSTGRES_ADDRESS": "127.0.0.1:\(ports.postgres)",
        ]
        for (index, port) in ports.replicas.enumerated() {
            processes["backend-\(index)"] = try ManagedProcess(
                venv + "/uvicorn", ["app:app", "--host", "127.0.0.1", "--port", "\(port)", "--log-level", "warning"],
                environment: appEnvironment, currentDirectory: drillDirectory)
        }
        try startWorker()
        processes["flower"] = try ManagedProcess(
            venv + "/celery",
            ["-A", "tasks", "flower", "--port=\(ports.flower)", "--address=127.0.0.1", "--purge_offline_workers=30"],
            environment: ["REDIS_ADDRESS": "127.0.0.1:\(ports.redis)"], currentDirectory: drillDirectory)
        processes["vitals-exporter"] = try ManagedProcess(
            TestPaths.product("vitals-exporter"),
            ["--web.listen-address=127.0.0.1:\(ports.exporter)", "--log.level=warn"])
        processes["vitals"] = try ManagedProcess(
            TestPaths.product("vitals"),
            ["serve", stackFile, "--web.listen-address", "127.0.0.1:\(ports.vitals)", "--log.level", "warn"])
        processes["alertmanager"] = try ManagedProcess(
            try Self.tool("prometheus-alertmanager"),
            [
                "--config.file=\(work)/out/alertmanager/alertmanager.yml", "--storage.path=\(work)/alertmanager",
                "--web.listen-address=127.0.0.1:\(ports.alertmanager)", "--cluster.listen-address=",
            ])
        processes["prometheus"] = try ManagedProcess(
            try Self.tool("prometheus"),
            [
                "--config.file=\(work)/out/prometheus/prometheus.yml", "--storage.tsdb.path=\(work)/tsdb",
                "--web.listen-address=127.0.0.1:\(ports.prometheus)",
            ])
    }

    func stop() {
        stopPostgres()
        for (_, process) in processes { process.stop() }
        _ = try? runCommand("/bin/umount", ["-l", mount])
    }

    func startRedis() throws {
        processes["redis"] = try ManagedProcess(
            try Self.tool("redis-server"),
            ["--port", "\(ports.redis)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
    }

    func killRedis() { processes["redis"]?.signal(SIGKILL) }

    func startWorker() throws {
        processes["worker"] = try ManagedProcess(
            venv + "/celery",
            ["-A", "tasks", "worker", "-E", "--concurrency", "2", "-n", "worker1@drill", "--loglevel", "WARNING"],
            environment: ["REDIS_ADDRESS": "127.0.0.1:\(ports.redis)"], currentDirectory: drillDirectory)
    }

    /// Killed outright, pool processes and all, as the OOM killer or `docker kill` does: the worker
    /// says no goodbye, and Flower notices only when its heartbeats stop.
    func killWorker() throws {
        guard let worker = processes["worker"] else { return }
        _ = try runCommand("/usr/bin/pkill", ["-KILL", "-P", "\(worker.pid)"])
        worker.signal(SIGKILL)
        _ = worker.waitForExit(timeout: 10)
    }

    func startPostgres(initialize: Bool) throws {
        let data = work + "/pg"
        if initialize {
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            _ = try runCommand("/bin/chown", ["-R", "postgres", data])
            _ = try runCommand("/bin/chmod", ["o+x", work])
            let initdb = try runCommand(
                "/usr/bin/setpriv",
                [
                    "--reuid=postgres", "--regid=postgres", "--init-groups", "--", postgresBin + "/initdb", "-D", data,
                    "-A", "trust", "-U", "postgres",
                ])
            guard initdb.status == 0 else { throw MissingPrerequisite("initdb failed: \(initdb.output)") }
        }
        // In the foreground as the postgres user, with no process in between, so that stopping it
        // is one signal to the server itself.
        let server = try ManagedProcess(
            "/usr/bin/setpriv",
            [
                "--reuid=postgres", "--regid=postgres", "--init-groups", "--", postgresBin + "/postgres", "-D", data,
                "-p", "\(ports.postgres)", "-k", data, "-c", "listen_addresses=127.0.0.1",
            ])
        processes["postgres"] = server
        let deadline = Date().addingTimeInterval(30)
        while (try? RawConnection(port: ports.postgres)) == nil {
            guard server.process.isRunning, Date() < deadline else {
                throw MissingPrerequisite("PostgreSQL did not start: \(server.outputText)")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// A fast shutdown (SIGINT): open sessions, the exporter's among them, are ended at once.
    func stopPostgres() {
        guard let server = processes["postgres"] else { return }
        server.signal(SIGINT)
        if server.waitForExit(timeout: 20) == nil { server.stop() }
    }

    // MARK: Driving the services

    /// Tells every replica (or one) how to behave.
    func control(_ query: String, replica: Int? = nil) throws {
        for port in replica.map({ [ports.replicas[$0]] }) ?? ports.replicas {
            let connection = try RawConnection(port: port)
            try connection.send("POST /control?\(query) HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            guard try connection.readResponse()?.status == 200 else {
                throw MissingPrerequisite("control \(query) failed")
            }
        }
    }

    /// Runs Python against the drill's Celery app (sending tasks).
    func celery(_ script: String) throws {
        let result = try runCommand(
            "/bin/sh",
            ["-c", "cd '\(drillDirectory)' && REDIS_ADDRESS=127.0.0.1:\(ports.redis) '\(venv)/python' -c '\(script)'"])
        guard result.status == 0 else { throw MissingPrerequisite("celery script failed: \(result.output)") }
    }

    /// Runs Python against the drill's Celery app until stopped (a steady stream of tasks).
    func celeryInBackground(_ script: String) throws -> ManagedProcess {
        try ManagedProcess(
            venv + "/python", ["-c", script], environment: ["REDIS_ADDRESS": "127.0.0.1:\(ports.redis)"],
            currentDirectory: drillDirectory)
    }

    /// Fills the small filesystem to `percent` of its blocks.
    func fillDisk(to percent: Int) throws {
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: mount)
        let size = (attributes[.systemSize] as? NSNumber)?.intValue ?? 0
        let bytes = size * percent / 100
        let result = try runCommand(
            "/bin/dd", ["if=/dev/zero", "of=\(mount)/fill", "bs=4096", "count=\(bytes / 4096)"])
        guard result.status == 0 else { throw MissingPrerequisite("dd failed: \(result.output)") }
    }

    func emptyDisk() { try? FileManager.default.removeItem(atPath: mount + "/fill") }

    // MARK: Observing

    var prometheus: PrometheusAPI { PrometheusAPI(port: ports.prometheus) }

    /// Alerts Prometheus holds in the firing state, as (alertname, labels).
    func firingAlerts() -> [[String: String]] {
        let alerts = (try? prometheus.get("/api/v1/alerts")["alerts"] as? [[String: Any]]) ?? []
        return alerts.filter { $0["state"] as? String == "firing" }.compactMap { $0["labels"] as? [String: String] }
    }

    /// The value of an instant query that returns one series, or nil.
    func value(_ query: String) -> Double? {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let encoded = query.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
        guard let data = try? prometheus.get("/api/v1/query?query=" + encoded),
            let result = data["result"] as? [[String: Any]], result.count == 1,
            let value = result[0]["value"] as? [Any], value.count == 2, let text = value[1] as? String
        else { return nil }
        return Double(text)
    }

    /// Alertmanager's view of its alerts: labels and whether they are held back by an inhibition.
    func alertmanagerAlerts() -> [(labels: [String: String], suppressed: Bool)] {
        guard let response = try? httpGet(port: ports.alertmanager, path: "/api/v2/alerts"),
            let alerts = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]
        else { return [] }
        return alerts.map { alert in
            let status = alert["status"] as? [String: Any]
            return (alert["labels"] as? [String: String] ?? [:], status?["state"] as? String == "suppressed")
        }
    }

    /// Every target of the drill stack is up in Prometheus.
    func allTargetsUp() -> Bool {
        let targets = (try? prometheus.get("/api/v1/targets")["activeTargets"] as? [[String: Any]]) ?? []
        return targets.count == 9 && targets.allSatisfy { $0["health"] as? String == "up" }
    }
}

/// An HTTP endpoint that records every notification Alertmanager posts to it, by receiver path.
final class WebhookRecorder: HTTPResponder, @unchecked Sendable {
    struct Notification {
        var receiver: String
        var status: String
        /// Alertmanager's key of the alert group: PagerDuty's dedup key, so every notification with
        /// one key is one incident, however often the group is updated.
        var groupKey: String
        var groupLabels: [String: String]
        var alerts: [[String: String]]

        var alertnames: Set<String> { Set(alerts.compactMap { $0["alertname"] }) }
    }

    /// Firing notifications since `mark` by alert group: the pages or messages an outage caused.
    func groups(since mark: Int, receiver: String? = nil) -> [String: [Notification]] {
        Dictionary(grouping: firing(since: mark, receiver: receiver), by: \.groupKey)
    }

    private let received = Mutex<[Notification]>([])
    private var server: HTTPServer?
    private(set) var port = 0

    func start() async throws {
        var configuration = HTTPServerConfiguration(listenAddresses: [ListenAddress(host: "127.0.0.1", port: 0)])
        configuration.maxBodyBytes = 1 << 20
        var logger = Logger(label: "webhook")
        logger.logLevel = .critical
        let server = HTTPServer(configuration: configuration, responder: self, logger: logger)
        port = try await server.start().first?.port ?? 0
        self.server = server
    }

    func close() async { await server?.shutdown() }

    /// Answers off the cooperative pool, which blocking test helpers can hold, so that
    /// Alertmanager's webhook posts are answered at once.
    func executor(for request: HTTPRequest) -> (any TaskExecutor)? { BlockingExecutor.shared }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let body = Data(request.body.readableBytesView)
        if let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            // Only the alerts that fire: a group's notification also lists those resolved since.
            let alerts = (json["alerts"] as? [[String: Any]] ?? []).filter { $0["status"] as? String == "firing" }
                .compactMap { $0["labels"] as? [String: String] }
            let notification = Notification(
                receiver: String(request.path.dropFirst()), status: json["status"] as? String ?? "",
                groupKey: json["groupKey"] as? String ?? "",
                groupLabels: json["groupLabels"] as? [String: String] ?? [:], alerts: alerts)
            received.withLock { $0.append(notification) }
        }
        return .text("ok\n")
    }

    /// How many notifications have arrived so far; a drill counts from here.
    var mark: Int { received.withLock { $0.count } }

    /// Firing notifications since `mark`, optionally for one receiver.
    func firing(since mark: Int, receiver: String? = nil) -> [Notification] {
        received.withLock { Array($0[min(mark, $0.count)...]) }.filter {
            $0.status == "firing" && (receiver == nil || $0.receiver == receiver)
        }
    }
}
