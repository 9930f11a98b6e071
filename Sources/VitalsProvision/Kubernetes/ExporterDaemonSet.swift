import VitalsDocuments
import VitalsStack

/// vitals-exporter on every node: a DaemonSet that sees the host (its PID namespace, its network,
/// and its root filesystem read-only at `/host`) and is otherwise locked down, and the PodMonitor
/// that scrapes it as the stack's node job.
///
/// The DaemonSet is the same for every stack, so that several stacks' resources applied to one
/// cluster converge on one exporter per node.
enum ExporterDaemonSet {
    static let name = "vitals-exporter"
    static let port = 9100

    /// Requests and limits from docs/benchmarks.md: 19–23 MB resident under scrape load (at 4 to 40
    /// concurrent scrapers, against a 48 MB bound the tests enforce), and 2–4 ms of CPU per scrape,
    /// which is 0.3 millicores at a 15 s interval. The CPU limit leaves room for a burst of
    /// concurrent scrapes without throttling one for long.
    static let resources: YAMLNode = [
        "requests": ["cpu": "20m", "memory": "32Mi"],
        "limits": ["cpu": "250m", "memory": "64Mi"],
    ]

    /// A node's pods would otherwise add series per pod: each pod's veth interface (netdev and
    /// netclass) and each pod's volumes (filesystem). The node's own interfaces and disks stay;
    /// per-pod figures are the kubelet's and cAdvisor's to report. See docs/scale-out.md.
    static let cardinalityFlags = [
        "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/credentials/.+|run/containerd/.+|run/k3s/.+|var/lib/docker/.+|var/lib/containers/storage/.+|var/lib/kubelet/pods/.+|var/lib/kubelet/plugins/.+)($|/)",
        "--collector.netdev.device-exclude=^(veth.*|cali.*|[a-f0-9]{15})$",
        "--collector.netclass.ignored-devices=^(veth.*|cali.*|[a-f0-9]{15})$",
    ]

    static func daemonSet(namespace: String, image: String) -> YAMLNode {
        let labels = KubernetesObject.labels(name: name, instance: name, component: "exporter")
        let selector = KubernetesObject.selectorLabels(name: name, instance: name)
        let probe: (String) -> YAMLNode = { path in
            [
                "httpGet": ["path": .string(path), "port": "metrics"],
                "periodSeconds": 10, "timeoutSeconds": 5, "failureThreshold": 3,
            ]
        }
        let container: YAMLNode = [
            "name": .string(name),
            "image": .string(image),
            "args": .list(
                [
                    "--path.rootfs=/host",
                    // Listen on the node's own address only, not on every interface of the host network.
                    .string("--web.listen-address=$(HOST_IP):\(port)"),
                ] + cardinalityFlags.map { .string($0) }),
            "env": [["name": "HOST_IP", "valueFrom": ["fieldRef": ["fieldPath": "status.hostIP"]]]],
            "ports": [["name": "metrics", "containerPort": .integer(port), "protocol": "TCP"]],
            "resources": resources,
            "livenessProbe": probe("/health/live"),
            "readinessProbe": probe("/health/ready"),
            "securityContext": [
                "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                "capabilities": ["drop": ["ALL"]],
            ],
            "volumeMounts": [
                ["name": "host-root", "mountPath": "/host", "readOnly": true, "mountPropagation": "HostToContainer"]
            ],
        ]
        return KubernetesObject.resource(
            apiVersion: "apps/v1", kind: "DaemonSet", name: name, namespace: namespace, labels: labels,
            body: [
                "spec": [
                    "selector": ["matchLabels": KubernetesObject.strings(selector)],
                    "updateStrategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": "10%"]],
                    "template": [
                        "metadata": ["labels": KubernetesObject.strings(labels)],
                        "spec": [
                            "hostPID": true,
                            "hostNetwork": true,
                            "dnsPolicy": "ClusterFirstWithHostNet",
                            "automountServiceAccountToken": false,
                            // nobody:nogroup; everything the exporter reads is world-readable.
                            "securityContext": [
                                "runAsNonRoot": true, "runAsUser": 65534, "runAsGroup": 65534,
                                "seccompProfile": ["type": "RuntimeDefault"],
                            ],
                            // Every node, tainted or not: control-plane nodes need watching too.
                            "tolerations": [["operator": "Exists"]],
                            "containers": [container],
                            "volumes": [["name": "host-root", "hostPath": ["path": "/"]]],
                        ],
                    ],
                ]
            ])
    }

    /// Scrapes the exporter on every node as the stack's node job, with the node's name as the
    /// instance, so that the host rules and dashboards read it as they read the file target's.
    static func podMonitor(_ stack: Stack, namespace: String) -> YAMLNode {
        let job = PrometheusConfig.nodeJobName(stack)
        return KubernetesObject.resource(
            apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor",
            name: KubernetesObject.name(stack.name, "node"), namespace: namespace,
            labels: KubernetesObject.labels(name: name, instance: stack.name, component: "monitor"),
            body: [
                "spec": [
                    "namespaceSelector": ["matchNames": [.string(namespace)]],
                    "selector": [
                        "matchLabels": KubernetesObject.strings(
                            KubernetesObject.selectorLabels(name: name, instance: name))
                    ],
                    "podMetricsEndpoints": [
                        [
                            "port": "metrics",
                            "path": "/metrics",
                            "scheme": "http",
                            "relabelings": .list(
                                ScrapeMonitors.identity(job: job, labels: ["stack": stack.name]) + [
                                    [
                                        "action": "replace", "sourceLabels": ["__meta_kubernetes_pod_node_name"],
                                        "targetLabel": "instance",
                                    ]
                                ]),
                        ]
                    ],
                ]
            ])
    }
}
