/// A declared stack of services: what runs, where, in which order, and how to check it.
///
/// The orchestrator probes it and the provisioner generates monitoring configuration from it,
/// so the model keeps everything both need and nothing specific to either.
public struct Stack: Sendable, Hashable {
    /// The stack's name; a `stack` label on every metric about it.
    public var name: String
    public var defaults: StackDefaults
    /// Host exporters (vitals-exporter or node_exporter), one per monitored machine: the stack file's
    /// `nodes:`, in Prometheus' words. Called hosts here, since a YAML node is something else.
    public var hosts: [Endpoint]
    /// Services in file order.
    public var services: [Service]
    /// Where Alertmanager sends alerts.
    public var alerting: Alerting
    /// The file it was read from, for messages.
    public var file: String

    public init(
        name: String, defaults: StackDefaults = StackDefaults(), hosts: [Endpoint] = [], services: [Service],
        alerting: Alerting = Alerting(), file: String = "<memory>"
    ) {
        self.name = name
        self.defaults = defaults
        self.hosts = hosts
        self.services = services
        self.alerting = alerting
        self.file = file
    }

    /// Whether any service is checked through the container engine: a container stack, which gets
    /// the containers dashboard and alerts.
    public var usesContainers: Bool {
        services.contains { service in
            service.probes.contains { if case .container = $0.handler { true } else { false } }
        }
    }

    /// The services of a kind, in file order.
    public func services(of kind: ServiceKind) -> [Service] { services.filter { $0.kind == kind } }

    public func service(named name: String) -> Service? { services.first { $0.name == name } }

    /// What each service depends on.
    public var dependencyGraph: DependencyGraph { DependencyGraph(services.map { ($0.name, $0.dependsOn) }) }

    /// The named services and, transitively, everything they depend on; all services when `names` is empty.
    public func closure(of names: [String]) -> [Service] {
        guard !names.isEmpty else { return services }
        let wanted = Set(dependencyGraph.closure(of: names))
        return services.filter { wanted.contains($0.name) }
    }

    /// The names of the services that depend on `name`, directly or through others, in file order.
    public func dependents(of name: String) -> [String] { dependencyGraph.dependents(of: name) }
}

/// Stack-wide defaults.
public struct StackDefaults: Sendable, Hashable {
    /// Probe timing every probe starts from.
    public var probe = ProbeTiming()
    /// Prometheus' scrape interval, in seconds (the provisioner's `global.scrape_interval`).
    public var scrapeIntervalSeconds = 15
    /// Prometheus' rule evaluation interval, in seconds.
    public var evaluationIntervalSeconds = 15

    public init() {}
}

/// One service: a set of replicas of the same kind.
public struct Service: Sendable, Hashable {
    public var name: String
    public var kind: ServiceKind
    /// One address per replica.
    public var endpoints: [Endpoint]
    public var dependsOn: [String]
    public var metrics: MetricsEndpoint?
    /// The effective probes: declared ones, or the kind's defaults when none are declared.
    public var probes: [ProbeSpec]
    /// Whether the probes came from the kind's defaults.
    public var probesFromKind: Bool
    /// Alert thresholds set in the file (the rest keep their defaults).
    public var alertThresholds: [String: Double]
    /// The names of the LLM metrics the service reports, or nil when it reports none; fastapi
    /// services report them under the default names unless told otherwise.
    public var llm: LLMMetrics?
    /// celery: its queues and broker.
    public var celery: CelerySettings

    public init(
        name: String, kind: ServiceKind, endpoints: [Endpoint], dependsOn: [String] = [],
        metrics: MetricsEndpoint? = nil, probes: [ProbeSpec], probesFromKind: Bool = false,
        alertThresholds: [String: Double] = [:], llm: LLMMetrics?? = nil, celery: CelerySettings = CelerySettings()
    ) {
        self.name = name
        self.kind = kind
        self.endpoints = endpoints
        self.dependsOn = dependsOn
        self.metrics = metrics
        self.probes = probes
        self.probesFromKind = probesFromKind
        self.alertThresholds = alertThresholds
        self.llm = llm ?? (kind == .fastapi ? LLMMetrics() : nil)
        self.celery = celery
    }

    public func probe(_ kind: ProbeKind) -> ProbeSpec? { probes.first { $0.kind == kind } }

    /// The value of an alert threshold: the file's, or the default.
    public func threshold(_ key: String) -> Double {
        alertThresholds[key] ?? AlertThreshold.all.first { $0.key == key }?.defaultValue ?? 0
    }
}

/// Where Prometheus scrapes a service: its own endpoints at `path`, or separate `targets`
/// (an exporter beside it, such as redis_exporter).
public struct MetricsEndpoint: Sendable, Hashable {
    public var path: String
    public var targets: [Endpoint]?
    public var scheme: HTTPGetAction.Scheme
    /// Which exporter serves the metrics, where a kind has more than one (celery: Flower or
    /// danihodovic/celery-exporter).
    public var exporter: MetricsExporter?
    /// fastapi: the request-duration histogram the latency alert and panels read.
    public var latencyHistogram: String?

    public init(
        path: String = "/metrics", targets: [Endpoint]? = nil, scheme: HTTPGetAction.Scheme = .http,
        exporter: MetricsExporter? = nil, latencyHistogram: String? = nil
    ) {
        self.path = path
        self.targets = targets
        self.scheme = scheme
        self.exporter = exporter
        self.latencyHistogram = latencyHistogram
    }
}

/// An exporter with metric names of its own.
public enum MetricsExporter: String, Sendable, Hashable, CaseIterable {
    /// Flower's `/metrics` (`flower_events_total`, `flower_worker_online`, ...), what the chatbot
    /// stacks run beside their Celery workers.
    case flower
    /// danihodovic/celery-exporter (`celery_task_failed_total`, `celery_worker_up`, ...).
    case celeryExporter = "celery-exporter"
}

/// The names under which a service reports its LLM usage; the chatbot backends this project comes
/// from name them differently, so each can be set.
public struct LLMMetrics: Sendable, Hashable {
    /// A counter of money spent, in US dollars.
    public var cost = "llm_cost_usd_total"
    /// A counter of tokens, by type (prompt, completion, cached).
    public var tokens = "llm_tokens_total"
    /// The label of `tokens` that holds the token type.
    public var tokenTypeLabel = "type"
    /// A counter of LLM calls.
    public var requests = "llm_requests_total"
    /// A counter of calls answered from the cache.
    public var cacheHits = "llm_cache_hits_total"
    /// A counter of failed calls.
    public var errors = "llm_errors_total"
    /// The labels that name the model and the provider.
    public var modelLabel = "model"
    public var providerLabel = "provider"

    public init() {}
}

/// How a Celery service's queues are watched.
public struct CelerySettings: Sendable, Hashable {
    /// The broker's queue names (Redis list keys).
    public var queues = ["celery"]
    /// The redis service that is the broker, whose redis_exporter reports the queue lengths
    /// (`--check-single-keys`); by default the first redis service the worker depends on.
    public var broker: String?

    public init(queues: [String] = ["celery"], broker: String? = nil) {
        self.queues = queues
        self.broker = broker
    }
}
