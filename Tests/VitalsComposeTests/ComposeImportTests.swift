import Foundation
import Testing
import VitalsStack
import VitalsStackFile
import VitalsSystem
import VitalsTestSupport

@testable import VitalsCompose

/// `vitals import compose` on a seed-style stack: every mapping rule and every note.
@Suite struct ComposeImportTests {
    static let fixture = TestPaths.packageRoot + "/Tests/Fixtures/compose/chatbot"
    static let files = [fixture + "/docker-compose.yml", fixture + "/docker-compose.override.yml"]

    static func imported(_ network: ComposeImport.Network = .host, environment: [String: String] = [:]) throws -> (
        ImportedStack, Stack
    ) {
        let project = try ComposeLoader.load(paths: files, environment: environment)
        let stack = ComposeImport(network: network, command: "vitals import compose …").stack(from: project)
        return (stack, try StackLoader.parse(stack.text, file: "imported.yaml"))
    }

    @Test func theSeedStackBecomesAStackFileThatLoads() throws {
        let (imported, stack) = try Self.imported()
        #expect(stack.name == "chatbot", "the project name is the directory's")
        #expect(
            stack.services.map(\.name) == [
                "backend", "worker", "redis", "postgres", "prometheus", "grafana", "cadvisor", "vitals",
            ])
        let kinds = Dictionary(uniqueKeysWithValues: stack.services.map { ($0.name, $0.kind) })
        #expect(kinds["backend"] == .fastapi && kinds["worker"] == .celery && kinds["redis"] == .redis)
        #expect(kinds["postgres"] == .postgres && kinds["prometheus"] == .prometheus && kinds["grafana"] == .grafana)
        // node-exporter is the stack's host exporter, at its published port.
        #expect(stack.hosts.map(\.description) == ["127.0.0.1:9100"])
        // Two replicas on the published range 8000-8001.
        #expect(stack.service(named: "backend")?.endpoints.map(\.description) == ["127.0.0.1:8000", "127.0.0.1:8001"])
        // The host IP of a published port is kept.
        #expect(stack.service(named: "postgres")?.endpoints.map(\.description) == ["127.0.0.1:5432"])
        // Every line says why it is there.
        #expect(
            imported.text.contains("# command \"uvicorn app.main:app --host 0.0.0.0 --port 8000\" runs an ASGI app"))
    }

    @Test func exportersBecomeTheMetricsOfWhatTheyExport() throws {
        let (_, stack) = try Self.imported()
        #expect(stack.service(named: "redis")?.metrics?.targets?.map(\.description) == ["127.0.0.1:9121"])
        #expect(stack.service(named: "postgres")?.metrics?.targets?.map(\.description) == ["127.0.0.1:9187"])
        let worker = try #require(stack.service(named: "worker"))
        #expect(worker.metrics?.targets?.map(\.description) == ["127.0.0.1:5555"])
        #expect(worker.metrics?.exporter == .flower)
        // No exporter is a service of its own.
        #expect(stack.service(named: "redis-exporter") == nil && stack.service(named: "flower") == nil)
    }

    @Test func healthchecksBecomeProbesWithComposeTiming() throws {
        let (_, stack) = try Self.imported()
        let backend = try #require(stack.service(named: "backend"))
        let readiness = try #require(backend.probe(.readiness))
        guard case .httpGet(let action) = readiness.handler else {
            Issue.record("not an httpGet probe: \(readiness.handler)")
            return
        }
        #expect(action.path == "/health" && action.port == nil)
        // interval 15s from the override file, timeout 3s, 3 retries.
        #expect(readiness.timing.periodSeconds == 15 && readiness.timing.timeoutSeconds == 3)
        #expect(readiness.timing.failureThreshold == 3 && readiness.timing.successThreshold == 1)
        // start_period 20s at compose's default start_interval 5s: 4 tries, then the 3 retries.
        let startup = try #require(backend.probe(.startup))
        #expect(startup.timing.periodSeconds == 5 && startup.timing.failureThreshold == 7)
        // A healthcheck that runs inside the container is read from the engine: its verdict decides.
        let redis = try #require(stack.service(named: "redis")?.probe(.readiness))
        #expect(
            redis.handler == .container(ContainerSelector(.composeService(project: nil, service: "redis", number: nil)))
        )
        #expect(redis.timing.periodSeconds == 5 && redis.timing.failureThreshold == 1)
        // A worker without a port is reached through the engine too: one replica, ready while it runs.
        let worker = try #require(stack.service(named: "worker"))
        #expect(worker.endpoints == [.engineReplica("worker-1")])
        #expect(
            worker.probe(.readiness)?.handler
                == .container(ContainerSelector(.composeService(project: nil, service: "worker", number: nil))))
    }

    @Test func dependenciesKeepComposeMeaningOrSayWhyNot() throws {
        let (imported, stack) = try Self.imported()
        #expect(stack.service(named: "backend")?.dependsOn == ["redis", "postgres"])
        #expect(stack.service(named: "grafana")?.dependsOn == ["prometheus"])
        #expect(imported.text.contains("# depends_on redis: service_healthy, as Vitals waits for readiness"))
        #expect(
            imported.text.contains(
                "# depends_on prometheus: compose waits for it to start; Vitals waits for it to be ready"))
        let notes = imported.notes.map(\.description)
        #expect(
            notes.contains(
                "migrate: left out: a one-shot job (depends_on … service_completed_successfully waits for it)"))
        #expect(
            notes.contains(
                "backend: depends_on migrate: migrate is not in the stack file, so the dependency is left out"))
    }

    @Test func whatCannotBeMappedIsReported() throws {
        let (imported, _) = try Self.imported()
        let notes = imported.notes.map(\.description)
        #expect(notes.contains("debug-shell: left out: it starts only with --profile debug"))
        #expect(notes.contains { $0.hasPrefix("grafana: network_mode bridge") })
        // Command healthcheks are no longer lost: the engine's verdict is read instead.
        #expect(!notes.contains { $0.contains("healthcheck") })
        #expect(
            imported.text.contains("# healthcheck \"pg_isready -U chat\" runs in the container; the engine's verdict"))
        // The notes are also at the end of the file, so that a reviewer sees them.
        for note in notes { #expect(imported.text.contains("# - \(note)")) }
    }

    @Test func insideTheComposeNetworkEndpointsAreServiceNames() throws {
        let (_, stack) = try Self.imported(.compose)
        #expect(
            stack.service(named: "backend")?.endpoints.map(\.description) == [
                "chatbot-backend-1:8000", "chatbot-backend-2:8000",
            ])
        #expect(stack.service(named: "redis")?.endpoints.map(\.description) == ["redis:6379"])
        #expect(stack.service(named: "redis")?.metrics?.targets?.map(\.description) == ["redis-exporter:9121"])
        #expect(stack.hosts.map(\.description) == ["node-exporter:9100"])
    }

    @Test func theEnvironmentOverridesDotEnvAndTheSameInputGivesTheSameText() throws {
        let (first, _) = try Self.imported()
        let (second, _) = try Self.imported()
        #expect(first.text == second.text)
        let (moved, stack) = try Self.imported(environment: ["BACKEND_PORTS": "9000-9001"])
        #expect(stack.service(named: "backend")?.endpoints.map(\.description) == ["127.0.0.1:9000", "127.0.0.1:9001"])
        #expect(moved.text != first.text)
    }

    @Test func aRequiredVariableThatIsNotSetIsAPositionedError() throws {
        let directory = try TestPaths.temporaryDirectory("compose-required")
        try "services:\n  db:\n    image: postgres\n    environment:\n      PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}\n"
            .write(toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: SourceError.self) {
            try ComposeLoader.load(paths: [directory + "/compose.yaml"], environment: [:])
        }
        #expect(error?.line == 5 && error?.column == 17, "\(String(describing: error))")
        #expect(error?.message == "variable DB_PASSWORD is required: set DB_PASSWORD")
    }

    @Test(
        arguments: [
            ("services:\n  web:\n    ports: 8000\n", 3, 12, "web.ports must be a list"),
            (
                "services:\n  web:\n    ports: [\"80:eighty\"]\n", 3, 13,
                "web.ports: \"80:eighty\" is not a port mapping"
            ),
            ("services:\n  web:\n    scale: many\n", 3, 12, "web.scale must be a whole number from 0 to 1000"),
            ("services:\n  web: [1, 2]\n", 2, 8, "service \"web\" must be a mapping"),
            (
                "services:\n  web:\n    depends_on: {db: {condition: service_ready}}\n", 3, 22,
                "expected service_started"
            ),
            (
                "services:\n  web:\n    healthcheck: {test: [\"CMD\", \"true\"], interval: soon}\n", 3, 52,
                "web.healthcheck.interval"
            ),
            ("services:\n  web:\n    ports: [8000\n  db: {}\n", 4, 5, "invalid YAML"),
            ("services:\n  web:\n    image: a\n    image: b\n", 3, 5, "duplicate key \"image\""),
            ("name: x\n", 1, 1, "missing \"services:\""),
            // Found by fuzz-compose: a port beyond 65535 became an endpoint that does not parse.
            ("services:\n  web:\n    ports: [\"8000:700287002\"]\n", 3, 13, "\"8000:700287002\" is not a port mapping"),
            ("services:\n  web:\n    ports: [\"1:2:3:4\"]\n", 3, 13, "\"1:2:3:4\" is not a port mapping"),
            (
                "services:\n  web:\n    ports: [\"80x-80:1:80\"]\n", 3, 13,
                "\"80x-80\" is not an IP address to publish on"
            ),
            ("services:\n  web:\n    expose: [\"0\"]\n", 3, 14, "web.expose: expected a port number"),
            // Found by fuzz-compose: a name compose rejects became a host name that does not parse.
            ("services:\n  t?s:\n    image: a\n", 3, 5, "service name \"t?s\" must be letters, digits"),
            ("name: My Stack\nservices: {}\n", 1, 7, "project name \"My Stack\" must be lower-case"),
            // Found by fuzz-compose: a service depending on itself was written into the stack file.
            (
                "services:\n  worker:\n    depends_on: [worker]\n", 3, 17,
                "worker.depends_on: dependency cycle: worker -> worker"
            ),
            (
                "services:\n  a:\n    depends_on: [b]\n  b:\n    depends_on: {a: {condition: service_healthy}}\n", 3,
                17,
                "a.depends_on: dependency cycle: a -> b -> a"
            ),
        ] as [(String, Int, Int, String)])
    func malformedFilesGetFileLineAndColumn(text: String, line: Int, column: Int, message: String) throws {
        let directory = try TestPaths.temporaryDirectory("compose-bad")
        try text.write(toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
        let error = #expect(throws: SourceError.self) {
            try ComposeLoader.load(paths: [directory + "/compose.yaml"], environment: [:])
        }
        #expect(error?.file == directory + "/compose.yaml")
        #expect(error?.line == line && error?.column == column, "\(String(describing: error))")
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }
}

/// The mapping rules and notes the chatbot stack does not exercise, from a compose file made for them.
@Suite struct ComposeImportEdgeTests {
    static let file = TestPaths.packageRoot + "/Tests/Fixtures/compose/edges/compose.yaml"

    static func imported() throws -> (ImportedStack, Stack) {
        let project = try ComposeLoader.load(paths: [file], environment: [:])
        let stack = ComposeImport(network: .host, command: "vitals import compose …").stack(from: project)
        return (stack, try StackLoader.parse(stack.text, file: "imported.yaml"))
    }

    @Test func namesKindsAndProbesOfTheRarerCases() throws {
        let (_, stack) = try Self.imported()
        #expect(stack.name == "edges", "the files' name: key")
        // A compose name with capitals and a dot becomes a stack name.
        let web = try #require(stack.service(named: "web-app"))
        #expect(web.kind == .http, "an HTTP healthcheck makes an http service")
        #expect(web.metrics?.path == "/stats", "label vitals.metrics.path")
        // A CMD-SHELL string with wget; 500ms rounds up to a whole second; start_interval 2s over 30s.
        let readiness = try #require(web.probe(.readiness))
        #expect(readiness.timing.periodSeconds == 60 && readiness.timing.timeoutSeconds == 1)
        let startup = try #require(web.probe(.startup))
        #expect(startup.timing.periodSeconds == 2 && startup.timing.failureThreshold == 15 + 3)
        // https keeps its scheme.
        guard case .httpGet(let tls) = try #require(stack.service(named: "tls")?.probe(.readiness)).handler else {
            Issue.record("tls: not an httpGet probe")
            return
        }
        #expect(tls.scheme == .https && tls.path == "/ready")
        // disable: true and test: [NONE] declare no probes: the kind's own apply.
        #expect(stack.service(named: "quiet")?.probe(.readiness)?.handler == .tcpSocket(port: nil))
        #expect(stack.service(named: "none")?.probe(.readiness)?.handler == .tcpSocket(port: nil))
        #expect(stack.service(named: "alertmanager")?.kind == .alertmanager)
        // prometheus.io/port names a container port, reached at its published port.
        let scraped = try #require(stack.service(named: "scraped")?.metrics)
        #expect(scraped.path == "/custom-metrics" && scraped.targets?.map(\.description) == ["127.0.0.1:7003"])
        // celery-exporter pairs with the only Celery service.
        #expect(stack.service(named: "worker")?.metrics?.targets?.map(\.description) == ["127.0.0.1:9808"])
        #expect(stack.service(named: "worker")?.metrics?.exporter == nil)
    }

    @Test func everyNoteThatTheseCasesRaise() throws {
        let (imported, _) = try Self.imported()
        let notes = imported.notes.map(\.description)
        #expect(
            notes.contains(
                "\(Self.file):56:14: variable UNSET_TOKEN is not set; an empty string is used, as compose does"))
        #expect(
            notes.contains(
                "\(Self.file):52:14: child: extends is not followed; only the service's own keys are imported"))
        #expect(notes.contains { $0.hasPrefix("mislabelled: label vitals.kind=database is not a kind") })
        #expect(
            notes.contains { $0.hasPrefix("lonely-exporter: ") && $0.contains("no one redis service to pair it with") })
        #expect(notes.contains("Web.App: 3 replicas but 2 published port(s) for 80; only those are probed"))
        #expect(notes.count == 5, "\(notes)")
    }

    /// Found by fuzz-compose: text from the compose file with line breaks ended a comment early,
    /// and a path without its leading `/` did not load. Whatever the file holds, the output loads.
    @Test func composeTextCannotBreakTheStackFile() throws {
        let directory = try TestPaths.temporaryDirectory("compose-text")
        try """
        services:
          web:
            image: "odd\\u0001image"
            ports: ["80:80"]
            healthcheck:
              test: ["CMD", "curl", "http://localhost?x=1\\n\\n# not a comment"]
            labels: {vitals.metrics.path: "stats\\u0007"}
        """.write(toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
        let project = try ComposeLoader.load(paths: [directory + "/compose.yaml"], environment: [:])
        let imported = ComposeImport(network: .host, command: "vitals import compose …").stack(from: project)
        let stack = try StackLoader.parse(imported.text, file: "imported.yaml")
        #expect(stack.service(named: "web")?.metrics?.path == "/stats\u{7}")
        guard case .httpGet(let action) = try #require(stack.service(named: "web")?.probe(.readiness)).handler else {
            Issue.record("not an httpGet probe")
            return
        }
        #expect(action.path == "/?x=1", "the URL ends at the first line break")
        #expect(imported.text.contains("\\n\\n# not a comment"), "the line break stays inside the comment, escaped")
    }

    /// Two compose names that read the same as stack names, and two exporters published alike.
    @Test func stackNamesAndTargetsStayUnique() throws {
        let directory = try TestPaths.temporaryDirectory("compose-names")
        try """
        services:
          Web.App: {image: a, ports: ["80:80"]}
          web-app: {image: b, ports: ["81:81"]}
          c: {image: c, ports: ["82:82"], depends_on: [Web.App, web-app]}
          e1: {image: oliver006/redis_exporter, ports: ["9121:9121"]}
          e2: {image: oliver006/redis_exporter, ports: ["9121:9121"]}
          r: {image: redis, ports: ["6379:6379"]}
        """.write(toFile: directory + "/compose.yaml", atomically: true, encoding: .utf8)
        let project = try ComposeLoader.load(paths: [directory + "/compose.yaml"], environment: [:])
        let imported = ComposeImport(network: .host, command: "vitals import compose …").stack(from: project)
        let stack = try StackLoader.parse(imported.text, file: "imported.yaml")
        #expect(stack.services.map(\.name) == ["web-app", "web-app-2", "c", "r"])
        #expect(stack.service(named: "c")?.dependsOn == ["web-app", "web-app-2"])
        #expect(stack.service(named: "r")?.metrics?.targets?.map(\.description) == ["127.0.0.1:9121"])
        #expect(
            imported.notes.map(\.description).contains("web-app: named web-app-2 in the stack file: web-app was taken"))
    }
}
