/// A declared stack of services: what runs, where, in which order, and how to check it.
///
/// The orchestrator probes it and the provisioner generates monitoring configuration from it,
/// so the model keeps everything both need and nothing specific to either.
public struct Stack: Sendable, Hashable {
    /// The stack's name; a `stack` label on every metric about it.
    public var name: String
    public var defaults: StackDefaults
    /// Host exporters (vitals-exporter or node_exporter), one per node.
    public var nodes: [Endpoint]
    /// Services in file order.
    public var services: [Service]
    /// Where Alertmanager sends alerts.
    public var alerting: Alerting
    /// The file it was read from, for messages.
    public var file: String

    public init(
        name: String, defaults: StackDefaults = StackDefaults(), nodes: [Endpoint] = [], services: [Service],
        alerting: Alerting = Alerting(), file: String = "<memory>"
    ) {
        self.name = name
        self.defaults = defaults
        self.nodes = nodes
        self.services = services
        self.alerting = alerting
        self.file = file
    }

    /// The services of a kind, in file order.
    public func services(of kind: ServiceKind) -> [Service] { services.filter { $0.kind == kind } }

    public func service(named name: String) -> Service? { services.first { $0.name == name } }

    /// The named services and, transitively, everything they depend on; all services when `names` is empty.
    public func closure(of names: [String]) -> [Service] {
        guard !names.isEmpty else { return services }
        var wanted: Set<String> = []
        var queue = names
        while let name = queue.popLast() {
            guard wanted.insert(name).inserted, let service = service(named: name) else { continue }
            queue.append(contentsOf: service.dependsOn)
        }
        return services.filter { wanted.contains($0.name) }
    }
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
    /// Whether the service reports LLM metrics (`llm_*`); fastapi services do unless told not to.
    public var llm: Bool

    public init(
        name: String, kind: ServiceKind, endpoints: [Endpoint], dependsOn: [String] = [],
        metrics: MetricsEndpoint? = nil, probes: [ProbeSpec], probesFromKind: Bool = false,
        alertThresholds: [String: Double] = [:], llm: Bool? = nil
    ) {
        self.name = name
        self.kind = kind
        self.endpoints = endpoints
        self.dependsOn = dependsOn
        self.metrics = metrics
        self.probes = probes
        self.probesFromKind = probesFromKind
        self.alertThresholds = alertThresholds
        self.llm = llm ?? (kind == .fastapi)
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

    public init(path: String = "/metrics", targets: [Endpoint]? = nil, scheme: HTTPGetAction.Scheme = .http) {
        self.path = path
        self.targets = targets
        self.scheme = scheme
    }
}
