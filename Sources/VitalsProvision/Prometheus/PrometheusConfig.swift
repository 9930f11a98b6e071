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

    /// A service's job: named after the stack too, so that several stacks' jobs can share one
    /// Prometheus without colliding.
    static func jobName(_ stack: Stack, _ service: Service) -> String { "\(stack.name)/\(service.name)" }

    /// The job of the stack's nodes.
    static func nodeJobName(_ stack: Stack) -> String { "\(stack.name)/node" }

    /// Where Prometheus sends alerts when the stack declares no alertmanager service.
    static let defaultAlertmanager = "localhost:9093"

    /// Every job, in a fixed order: the nodes, then services in file order.
    static func jobs(_ stack: Stack) throws(ProvisionError) -> [Job] {
        var jobs: [Job] = []
        if !stack.hosts.isEmpty {
            jobs.append(
                Job(
                    name: nodeJobName(stack), path: "/metrics", scheme: .http, targets: stack.hosts,
                    labels: ["stack": stack.name]))
        }
        for service in stack.services {
            guard service.metrics != nil || alwaysScraped.contains(service.kind) else { continue }
            if service.name == "node" && !stack.hosts.isEmpty {
                throw .invalidStack(
                    "service \"node\" would share its job name with the nodes' job \"\(nodeJobName(stack))\"; rename the service"
                )
            }
            let metrics = service.metrics ?? MetricsEndpoint()
            let targets = metrics.targets ?? service.endpoints
            guard !targets.isEmpty else {
                throw .invalidStack(
                    "service \"\(service.name)\" has metrics but no endpoints to scrape; list its endpoints or metrics.targets"
                )
            }
            jobs.append(
                Job(
                    name: jobName(stack, service), path: metrics.path, scheme: metrics.scheme, targets: targets,
                    labels: ["stack": stack.name, "service": service.name], honorLabels: service.kind == .vitals))
        }
        guard !jobs.isEmpty else {
            throw .invalidStack(
                "stack \"\(stack.name)\" declares nothing to scrape: add nodes, a metrics entry to a service, or a vitals service"
            )
        }
        return jobs
    }

    /// Alerts always go to an Alertmanager: the stack's, or `localhost:9093` where it declares none,
    /// so that the generated alertmanager.yml is never left without alerts.
    static func document(_ stack: Stack, jobs: [Job], cadence: Cadence = .production) -> YAMLNode {
        let declared = stack.services(of: .alertmanager).flatMap(\.endpoints).map(\.description)
        let alertmanagers = declared.isEmpty ? [defaultAlertmanager] : declared
        let root: [String: YAMLNode] = [
            "global": [
                "scrape_interval": .string(
                    cadence == .drill
                        ? duration(Cadence.drillScrapeSeconds) : duration(stack.defaults.scrapeIntervalSeconds)),
                "evaluation_interval": .string(
                    cadence == .drill ? "1s" : duration(stack.defaults.evaluationIntervalSeconds)),
            ],
            "rule_files": ["rules/*.yml"],
            "scrape_configs": .list(jobs.map(scrapeConfig)),
            "alerting": [
                "alertmanagers": [["static_configs": [["targets": .list(alertmanagers.map { .string($0) })]]]]
            ],
        ]
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
