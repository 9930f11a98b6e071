import Foundation
import VitalsProvision
import VitalsStack
import VitalsStackFile
import VitalsTestSupport

/// Stacks to provision: the examples, and variations that stress the generators.
enum ProvisionFixtures {
    static var exampleStacks: [String] {
        ["chatbot.yaml", "local.yaml", "chat-compose.yaml"].map { TestPaths.packageRoot + "/stacks/" + $0 }
    }

    /// One FastAPI service and nothing else.
    static let oneService = """
        name: solo
        services:
          api:
            kind: fastapi
            endpoints: ["api:8000"]
            metrics: {path: /metrics}
        """

    /// Many nodes and replicas.
    static var manyReplicas: String {
        let nodes = (1...12).map { "\"node-\($0):9100\"" }.joined(separator: ", ")
        let replicas = (1...25).map { "\"backend-\($0):8000\"" }.joined(separator: ", ")
        return """
            name: fleet
            defaults: {scrapeInterval: 30s, evaluationInterval: 1m}
            nodes: [\(nodes)]
            services:
              backend:
                kind: fastapi
                endpoints: [\(replicas)]
                metrics: {path: /internal/metrics, scheme: https}
              vitals:
                kind: vitals
                endpoints: ["vitals-1:9110", "vitals-2:9110"]
            """
    }

    /// Every kind, every receiver type, and threshold overrides.
    static let everyKind = """
        name: every-kind_1
        defaults: {scrapeInterval: 10s, evaluationInterval: 20s}
        nodes: ["[::1]:9100"]
        services:
          api:
            kind: fastapi
            endpoints: ["api:8000"]
            metrics: {path: /metrics}
            llm: false
            alerts: {errorRatio: 0.99, latencyP95Seconds: 0.25}
          chat:
            kind: fastapi
            endpoints: ["chat:8000"]
            metrics: {path: /metrics}
            alerts: {llmCostPerHourUSD: 0.5, llmCacheHitRatio: 1}
          cache:
            kind: redis
            endpoints: ["cache:6379"]
            metrics: {targets: ["cache-exporter:9121"]}
            alerts: {memoryRatio: 0.5, clientsRatio: 0.0001}
          worker:
            kind: celery
            metrics: {targets: ["celery-exporter:9808"]}
            alerts: {queueLength: 1, taskFailureRatio: 0.0001}
          db:
            kind: postgres
            endpoints: ["db:5432"]
            metrics: {targets: ["db-exporter:9187"]}
          prom:
            kind: prometheus
            endpoints: ["prom:9090"]
          am:
            kind: alertmanager
            endpoints: ["am-1:9093", "am-2:9093"]
          grafana:
            kind: grafana
            endpoints: ["grafana:3000"]
          watch:
            kind: vitals
            endpoints: ["watch:9110"]
          web:
            kind: http
            endpoints: ["web:80"]
            metrics: {path: /stats}
          tcp-only:
            kind: tcp
            endpoints: ["legacy:7000"]
        alerting:
          receivers:
            - name: chat
              slack: {apiURLFile: /run/secrets/slack, channel: "#ops"}
            - name: hook
              webhook: {url: "https://hooks.example.com/alerts"}
            - name: mail
              email: {to: ops@example.com, from: alerts@example.com, smarthost: "smtp.example.com:587", authUsername: alerts, authPasswordFile: /run/secrets/smtp}
            - name: pager
              pagerduty: {routingKeyFile: /run/secrets/pd}
          defaultReceiver: hook
          criticalReceiver: pager
        """

    /// Every stack the static checks run on, by name.
    static func allStacks() throws -> [(name: String, stack: Stack)] {
        var stacks = try exampleStacks.map { path in (path, try StackLoader.load(path: path)) }
        for (name, text) in [("one-service", oneService), ("many-replicas", manyReplicas), ("every-kind", everyKind)] {
            stacks.append((name, try StackLoader.parse(text, file: "\(name).yaml")))
        }
        return stacks
    }

    /// Provisions a stack into a fresh directory and returns it.
    static func provision(_ stack: Stack) throws -> String {
        let directory = try TestPaths.temporaryDirectory("provision")
        let output = OutputDirectory(root: directory)
        try output.apply(output.plan(try Provisioner.files(for: stack)), force: false)
        return directory
    }

    /// Runs a real tool and returns its status and output.
    /// The timeout only guards against a hang: promtool's rule tests take 10 s alone on this
    /// machine and several times that with every other suite beside them on two cores.
    static func run(_ tool: String, _ arguments: [String], in directory: String? = nil, timeout: TimeInterval = 300)
        throws -> (status: Int32, output: String)
    {
        guard let path = TestPaths.tool(tool) else {
            throw MissingPrerequisite("\(tool) is not installed; scripts/test installs it")
        }
        if let directory {
            return try runCommand(
                "/bin/sh",
                ["-c", "cd '\(directory)' && '\(path)' " + arguments.map { "'\($0)'" }.joined(separator: " ")],
                timeout: timeout)
        }
        return try runCommand(path, arguments, timeout: timeout)
    }
}
