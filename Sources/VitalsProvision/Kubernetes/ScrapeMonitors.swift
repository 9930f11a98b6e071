import VitalsDocuments
import VitalsStack

/// The file target's scrape jobs as prometheus-operator resources, with the same job names and
/// target labels, so that the rules and dashboards read the same series:
///
/// - targets that name a Kubernetes Service (`backend.chat.svc:8000`) get a ServiceMonitor that
///   selects that Service and scrapes every pod behind it;
/// - the stack's `vitals` service is the generated `vitals serve` Deployment, selected by its labels;
/// - any other target (a host outside the cluster) is listed in a ScrapeConfig, as in prometheus.yml.
enum ScrapeMonitors {
    /// The relabelings that give a target its job and the stack's labels: prometheus-operator names
    /// the job after the monitor; the rules expect the file target's `<stack>/<service>`.
    static func identity(job: String, labels: [String: String]) -> [YAMLNode] {
        [["action": "replace", "targetLabel": "job", "replacement": .string(job)]]
            + labels.sorted { $0.key < $1.key }.map { label, value in
                ["action": "replace", "targetLabel": .string(label), "replacement": .string(value)]
            }
    }

    static func resources(_ plan: ProvisionPlan, namespace: String) -> [(file: String, resource: YAMLNode)] {
        let stack = plan.stack
        var output: [(String, YAMLNode)] = []
        for job in plan.jobs where job.name != PrometheusConfig.nodeJobName(stack) {
            let serviceName = job.labels["service"] ?? job.name
            let service = stack.service(named: serviceName)
            let labels = KubernetesObject.labels(name: "vitals", instance: stack.name, component: "monitor")
            let resourceName = KubernetesObject.name(stack.name, serviceName)
            if service?.kind == .vitals {
                output.append(
                    ("monitors/\(serviceName).yaml", serveMonitor(stack, job, resourceName, namespace, labels)))
                continue
            }
            let inCluster = job.targets.compactMap(\.kubernetesService)
            let outside = job.targets.filter { $0.kubernetesService == nil }
            if !inCluster.isEmpty {
                let file = outside.isEmpty ? serviceName : "\(serviceName)-in-cluster"
                output.append(
                    (
                        "monitors/\(file).yaml",
                        serviceMonitor(
                            job, services: inCluster, name: outside.isEmpty ? resourceName : resourceName + "-svc",
                            namespace: namespace, labels: labels)
                    ))
            }
            if !outside.isEmpty {
                output.append(
                    (
                        "monitors/\(serviceName).yaml",
                        scrapeConfig(job, targets: outside, name: resourceName, namespace: namespace, labels: labels)
                    ))
            }
        }
        return output
    }

    static func scheme(_ job: PrometheusConfig.Job) -> YAMLNode { .string(job.scheme.rawValue.lowercased()) }

    /// One endpoint per named Service: kept by namespace and name among all the Services of the
    /// namespaces, since a ServiceMonitor selects by labels, which the stack does not know.
    static func serviceMonitor(
        _ job: PrometheusConfig.Job, services: [KubernetesService], name: String, namespace: String,
        labels: [String: String]
    ) -> YAMLNode {
        let namespaces = Array(Set(services.map(\.namespace))).sorted()
        var endpoints: [YAMLNode] = []
        for service in services {
            var endpoint: [String: YAMLNode] = [
                // The pods' port: the Service's own port number is not visible to Prometheus'
                // discovery, so this assumes the usual port == targetPort (see docs/kubernetes.md).
                "targetPort": .integer(service.port),
                "path": .string(job.path),
                "scheme": scheme(job),
                "relabelings": .list(
                    [
                        [
                            "action": "keep",
                            "sourceLabels": ["__meta_kubernetes_namespace", "__meta_kubernetes_service_name"],
                            "separator": "/", "regex": .string("\(service.namespace)/\(service.name)"),
                        ]
                    ] + identity(job: job.name, labels: job.labels)),
            ]
            if job.honorLabels { endpoint["honorLabels"] = true }
            endpoints.append(.mapping(endpoint))
        }
        return KubernetesObject.resource(
            apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", name: name, namespace: namespace,
            labels: labels,
            body: [
                "spec": [
                    "namespaceSelector": ["matchNames": KubernetesObject.list(namespaces)],
                    "selector": [:],
                    "endpoints": .list(endpoints),
                ]
            ])
    }

    /// The stack's `vitals serve`, generated beside it, selected by its Service's labels.
    static func serveMonitor(
        _ stack: Stack, _ job: PrometheusConfig.Job, _ name: String, _ namespace: String, _ labels: [String: String]
    ) -> YAMLNode {
        KubernetesObject.resource(
            apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", name: name, namespace: namespace,
            labels: labels,
            body: [
                "spec": [
                    "namespaceSelector": ["matchNames": [.string(namespace)]],
                    "selector": ["matchLabels": KubernetesObject.strings(ServeWorkload.selector(stack))],
                    "endpoints": [
                        [
                            "port": .string(ServeWorkload.portName),
                            "path": .string(job.path),
                            "scheme": scheme(job),
                            "honorLabels": true,
                            "relabelings": .list(identity(job: job.name, labels: job.labels)),
                        ]
                    ],
                ]
            ])
    }

    /// Targets outside the cluster, listed as prometheus.yml lists them.
    static func scrapeConfig(
        _ job: PrometheusConfig.Job, targets: [Endpoint], name: String, namespace: String, labels: [String: String]
    ) -> YAMLNode {
        var spec: [String: YAMLNode] = [
            "metricsPath": .string(job.path),
            "scheme": .string(job.scheme.rawValue.uppercased()),
            "staticConfigs": [
                [
                    "targets": .list(targets.map { .string($0.description) }),
                    "labels": KubernetesObject.strings(job.labels),
                ]
            ],
            "relabelings": .list(identity(job: job.name, labels: [:])),
        ]
        if job.honorLabels { spec["honorLabels"] = true }
        return KubernetesObject.resource(
            apiVersion: "monitoring.coreos.com/v1alpha1", kind: "ScrapeConfig", name: name, namespace: namespace,
            labels: labels, body: ["spec": .mapping(spec)])
    }
}
