import VitalsDocuments
import VitalsStack

/// `prometheus/prometheus.yml`: the global intervals, one scrape job per thing that has metrics,
/// the rule files and Alertmanager.
enum PrometheusConfig {
    /// One scrape job.
    struct Job: Sendable, Hashable {
        var name: String
        var path: String
        var scheme: HTTPGetAction.Scheme
        var targets: [Endpoint]
        var labels: [String: String]
        /// Keep the labels the target exposes (`vitals serve` labels its series by service and instance).
        var honorLabels = false
    }

    /// Kinds that always expose metrics at /metrics, declared or not.
    static let alwaysScraped: Set<ServiceKind> = [.vitals, .prometheus, .alertmanager, .grafana]

    /// Every job, in a fixed order: `node`, then services in file order.
    static func jobs(_ stack: Stack) throws(ProvisionError) -> [Job] {
        var jobs: [Job] = []
        if !stack.nodes.isEmpty {
            jobs.append(Job(name: "node", path: "/metrics", scheme: .http, targets: stack.nodes, labels: ["stack": stack.name]))
        }
        for service in stack.services {
            guard service.metrics != nil || alwaysScraped.contains(service.kind) else { continue }
            if service.name == "node" && !stack.nodes.isEmpty {
                throw .invalidStack("service \"node\" would share its job name with the nodes' job \"node\"; rename the service")
            }
            let metrics = service.metrics ?? MetricsEndpoint()
            let targets = metrics.targets ?? service.endpoints
            guard !targets.isEmpty else {
                throw .invalidStack(
                    "service \"\(service.name)\" has metrics but no endpoints to scrape; list its endpoints or metrics.targets")
            }
            jobs.append(
                Job(
                    name: service.name, path: metrics.path, scheme: metrics.scheme, targets: targets,
                    labels: ["stack": stack.name, "service": service.name], honorLabels: service.kind == .vitals))
        }
        guard !jobs.isEmpty else {
            throw .invalidStack(
                "stack \"\(stack.name)\" declares nothing to scrape: add nodes, a metrics entry to a service, or a vitals service")
        }
        return jobs
    }

    static func document(_ stack: Stack, jobs: [Job]) -> YAMLNode {
        let alertmanagers = stack.services(of: .alertmanager).flatMap(\.endpoints)
        var root: [String: YAMLNode] = [
            "global": [
                "scrape_interval": .string(duration(stack.defaults.scrapeIntervalSeconds)),
                "evaluation_interval": .string(duration(stack.defaults.evaluationIntervalSeconds)),
            ],
            "rule_files": ["rules/*.yml"],
            "scrape_configs": .list(jobs.map(scrapeConfig)),
        ]
        if !alertmanagers.isEmpty {
            root["alerting"] = [
                "alertmanagers": [["static_configs": [["targets": .list(alertmanagers.map { .string($0.description) })]]]]
            ]
        }
        return .mapping(root)
    }

    static func scrapeConfig(_ job: Job) -> YAMLNode {
        var config: [String: YAMLNode] = [
            "job_name": .string(job.name),
            "metrics_path": .string(job.path),
            "scheme": .string(job.scheme.rawValue.lowercased()),
            "static_configs": [
                [
                    "targets": .list(job.targets.map { .string($0.description) }),
                    "labels": .mapping(job.labels.mapValues { .string($0) }),
                ]
            ],
        ]
        if job.honorLabels { config["honor_labels"] = true }
        return .mapping(config)
    }

    /// Seconds as Prometheus writes durations: `15s`, `1m`, `2h`.
    static func duration(_ seconds: Int) -> String {
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
