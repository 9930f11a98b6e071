import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// A real compose stack under Debian's docker.io and docker-compose: imported, validated, waited
/// for, checked against what `docker inspect` says, then broken (a stopped container, an OOM kill)
/// while `vitals serve` watches it.
@Suite(.serialized, .blockingWork) struct ComposeStackTests {
    static let composeFile = TestPaths.packageRoot + "/Tests/Fixtures/compose/containers/docker-compose.yml"

    /// The running stack: its project, directory, ports and the environment compose reads them from.
    struct RunningStack {
        var project: String
        var directory: String
        var webPorts: (Int, Int)
        var apiPort: Int
        var environment: [String: String]
        var composeFile: String { directory + "/docker-compose.yml" }
        var stackFile: String { directory + "/stack.yaml" }

        func container(_ service: String, _ number: Int = 1) -> String { "\(project)_\(service)_\(number)" }
    }

    static func up() throws -> RunningStack {
        try DockerEngine.require()
        let directory = try TestPaths.temporaryDirectory("compose-stack")
        try FileManager.default.copyItem(atPath: composeFile, toPath: directory + "/docker-compose.yml")
        let web = DockerEngine.freePortPair()
        let api = freePort()
        let stack = RunningStack(
            project: "vitalsct\(getpid())", directory: directory, webPorts: web, apiPort: api,
            environment: ["WEB_PORTS": "\(web.0)-\(web.1)", "API_PORT": "\(api)"])
        let up = try DockerEngine.compose(
            project: stack.project, file: stack.composeFile, ["up", "-d"], environment: stack.environment)
        guard up.status == 0 else {
            _ = try? down(stack)
            throw MissingPrerequisite("docker-compose up failed: \(up.output)")
        }
        return stack
    }

    static func down(_ stack: RunningStack) throws {
        _ = try DockerEngine.compose(
            project: stack.project, file: stack.composeFile, ["down", "--timeout", "1"],
            environment: stack.environment)
    }

    static func vitals(_ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, output: String
    ) {
        let assignments = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return try runCommand("/usr/bin/env", assignments + [TestPaths.product("vitals")] + arguments, timeout: 120)
    }

    /// The value of the first sample of `name` whose labels include every one of `labels`.
    static func sample(_ metrics: String, _ name: String, _ labels: [String]) -> Double? {
        for line in metrics.split(separator: "\n") where line.hasPrefix(name + "{") {
            guard labels.allSatisfy({ line.contains($0) }), let value = line.split(separator: " ").last else {
                continue
            }
            return Double(value)
        }
        return nil
    }

    @Test func aComposeStackIsImportedWaitedForCheckedAndDrilled() async throws {
        let stack = try Self.up()
        defer { try? Self.down(stack) }

        // 1. Import: the stack file that the compose file gives, and it validates.
        let imported = try Self.vitals(
            ["import", "compose", stack.composeFile, "--project-name", stack.project, "--out", stack.stackFile],
            environment: stack.environment)
        #expect(imported.status == 0, "\(imported.output)")
        let text = try String(contentsOfFile: stack.stackFile, encoding: .utf8)
        #expect(text.contains("endpoints: [\"127.0.0.1:\(stack.webPorts.0)\", \"127.0.0.1:\(stack.webPorts.1)\"]"))
        #expect(
            text.contains("readiness: {httpGet: {path: /}, periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 2}"))
        #expect(text.contains("dependsOn: [\"web\"]"))
        #expect(text.contains("readiness: {container: {service: worker}, periodSeconds: 1, failureThreshold: 1}"))
        #expect(text.contains("readiness: {container: {service: hog}, failureThreshold: 1}"))
        let validated = try Self.vitals(["validate", stack.stackFile])
        #expect(validated.status == 0, "\(validated.output)")

        // 2. wait: api (after web) and worker become ready, as compose saw them become healthy.
        let waited = try Self.vitals(
            ["wait", stack.stackFile, "--service", "api", "--service", "worker", "--timeout", "60s"])
        #expect(waited.status == 0, "\(waited.output)")

        // 3. check judges each container as docker inspect does.
        let checked = try Self.vitals(["check", stack.stackFile, "--output", "json"])
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(checked.output.utf8)) as? [String: Any], "\(checked.output)")
        let services = try #require(report["services"] as? [[String: Any]])
        func probe(_ service: String) -> [String: Any]? {
            let entry = services.first { $0["name"] as? String == service }
            let endpoints = entry?["endpoints"] as? [[String: Any]]
            return (endpoints?.first?["probes"] as? [[String: Any]])?.first
        }
        for (service, container) in [("worker", stack.container("worker")), ("hog", stack.container("hog"))] {
            let observed = try #require(probe(service)?["container"] as? [String: Any], "\(checked.output)")
            #expect(observed["name"] as? String == container)
            #expect(observed["state"] as? String == (try DockerEngine.inspect(container, "{{.State.Status}}")))
            #expect(observed["restartCount"] as? Int == Int(try DockerEngine.inspect(container, "{{.RestartCount}}")))
        }
        let workerHealth = try DockerEngine.inspect(stack.container("worker"), "{{.State.Health.Status}}")
        #expect((probe("worker")?["container"] as? [String: Any])?["health"] as? String == workerHealth)
        #expect(workerHealth == "healthy")
        for number in [1, 2] {
            #expect(try DockerEngine.inspect(stack.container("web", number), "{{.State.Health.Status}}") == "healthy")
        }
        #expect(probe("web")?["success"] as? Bool == true)

        // 4. serve watches; a stopped container flips its service's readiness at the next probe.
        let port = freePort()
        let serve = try ManagedProcess(
            TestPaths.product("vitals"), ["serve", stack.stackFile, "--web.listen-address", "127.0.0.1:\(port)"])
        defer { serve.stop() }
        let worker = ["service=\"worker\""]
        #expect(
            await eventually(within: 20) {
                let metrics = (try? httpGet(port: port, path: "/metrics").bodyText) ?? ""
                return Self.sample(metrics, "vitals_service_ready", worker) == 1
                    && Self.sample(metrics, "vitals_container_running", worker) == 1
            }, "\(serve.outputText)")
        #expect(try DockerEngine.docker(["stop", "--time", "1", stack.container("worker")]).status == 0)
        // period 1s, failureThreshold 1: the next probe after the stop decides.
        #expect(
            await eventually(within: 10) {
                let metrics = (try? httpGet(port: port, path: "/metrics").bodyText) ?? ""
                return Self.sample(metrics, "vitals_service_ready", worker) == 0
                    && Self.sample(metrics, "vitals_container_running", worker) == 0
            })
        let stopped = try Self.vitals(["check", stack.stackFile, "--service", "worker"])
        #expect(stopped.status == 1)
        #expect(stopped.output.contains("container \(stack.container("worker")) exited with code"), "\(stopped.output)")

        // 5. OOM: the hog's main process goes beyond mem_limit; the engine and vitals both say so.
        let hog = ["service=\"hog\""]
        #expect(try DockerEngine.docker(["exec", stack.container("hog"), "touch", "/tmp/go"]).status == 0)
        #expect(try DockerEngine.docker(["exec", stack.container("hog"), "touch", "/tmp/go2"]).status == 0)
        #expect(
            await eventually(within: 15) {
                let metrics = (try? httpGet(port: port, path: "/metrics").bodyText) ?? ""
                return Self.sample(metrics, "vitals_container_oom_killed", hog) == 1
                    && Self.sample(metrics, "vitals_service_ready", hog) == 0
                    && Self.sample(metrics, "vitals_container_exit_code", hog) == 137
            })
        #expect(try DockerEngine.inspect(stack.container("hog"), "{{.State.OOMKilled}}") == "true")
        let killed = try Self.vitals(["check", stack.stackFile, "--service", "hog"])
        #expect(killed.output.contains("killed by the kernel for memory (OOM)"), "\(killed.output)")
    }
}
