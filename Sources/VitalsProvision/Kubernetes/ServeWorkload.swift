import VitalsDocuments
import VitalsStack

/// `vitals serve` for one stack: a Deployment that reads the stack file from a ConfigMap, the
/// Service Prometheus and load balancers reach it through, its ServiceAccount, and, when the
/// stack names Kubernetes Services, the least RBAC it needs to discover their pods (read the
/// named Services; list and watch EndpointSlices) in each of their namespaces.
enum ServeWorkload {
    static let port = 9110
    static let portName = "http"
    static let stackDirectory = "/etc/vitals"

    static func name(_ stack: Stack) -> String { KubernetesObject.name("vitals", stack.name) }

    static func selector(_ stack: Stack) -> [String: String] {
        KubernetesObject.selectorLabels(name: "vitals", instance: stack.name)
    }

    static func labels(_ stack: Stack) -> [String: String] {
        KubernetesObject.labels(name: "vitals", instance: stack.name, component: "orchestrator")
    }

    static func stackFileName(_ stack: Stack) -> String {
        let base = stack.file.split(separator: "/").last.map(String.init) ?? "stack.yaml"
        return base.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
            ? base : "stack.yaml"
    }

    /// The Kubernetes Services the stack's replicas name, by namespace.
    static func discoveredServices(_ stack: Stack) -> [String: [String]] {
        var byNamespace: [String: Set<String>] = [:]
        for service in stack.services {
            for endpoint in service.endpoints {
                if let named = endpoint.kubernetesService {
                    byNamespace[named.namespace, default: []].insert(named.name)
                }
            }
        }
        return byNamespace.mapValues { $0.sorted() }
    }

    static func resources(_ stack: Stack, namespace: String, image: String, stackSource: String)
        -> [(file: String, resource: YAMLNode)]
    {
        let name = name(stack)
        let labels = labels(stack)
        let file = stackFileName(stack)
        var output: [(String, YAMLNode)] = [
            (
                "serve/configmap.yaml",
                KubernetesObject.resource(
                    apiVersion: "v1", kind: "ConfigMap", name: name + "-stack", namespace: namespace, labels: labels,
                    body: ["data": [file: .string(stackSource)]])
            ),
            (
                "serve/serviceaccount.yaml",
                KubernetesObject.resource(
                    apiVersion: "v1", kind: "ServiceAccount", name: name, namespace: namespace, labels: labels,
                    body: [:])
            ),
            ("serve/deployment.yaml", deployment(stack, namespace: namespace, image: image, stackSource: stackSource)),
            (
                "serve/service.yaml",
                KubernetesObject.resource(
                    apiVersion: "v1", kind: "Service", name: name, namespace: namespace, labels: labels,
                    body: [
                        "spec": [
                            "selector": KubernetesObject.strings(selector(stack)),
                            "ports": [
                                [
                                    "name": .string(portName), "port": .integer(port),
                                    "targetPort": .string(portName), "protocol": "TCP",
                                ]
                            ],
                        ]
                    ])
            ),
        ]
        for (watched, services) in discoveredServices(stack).sorted(by: { $0.key < $1.key }) {
            let roleName = KubernetesObject.name(name, "discovery")
            output.append(
                (
                    "serve/role-\(watched).yaml",
                    KubernetesObject.resource(
                        apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", name: roleName, namespace: watched,
                        labels: labels,
                        body: [
                            "rules": [
                                [
                                    "apiGroups": [""], "resources": ["services"],
                                    "resourceNames": KubernetesObject.list(services), "verbs": ["get"],
                                ],
                                [
                                    "apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"],
                                    "verbs": ["list", "watch"],
                                ],
                            ]
                        ])
                ))
            output.append(
                (
                    "serve/rolebinding-\(watched).yaml",
                    KubernetesObject.resource(
                        apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", name: roleName,
                        namespace: watched, labels: labels,
                        body: [
                            "roleRef": [
                                "apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": .string(roleName),
                            ],
                            "subjects": [
                                ["kind": "ServiceAccount", "name": .string(name), "namespace": .string(namespace)]
                            ],
                        ])
                ))
        }
        return output
    }

    /// Requests and limits from docs/benchmarks.md: 38–47 MB resident while probing 2,000
    /// endpoints with the status page in use, and 0.2–0.3 CPU ms per probe.
    static let resources: YAMLNode = [
        "requests": ["cpu": "50m", "memory": "64Mi"],
        "limits": ["cpu": "500m", "memory": "128Mi"],
    ]

    static func deployment(_ stack: Stack, namespace: String, image: String, stackSource: String) -> YAMLNode {
        let name = name(stack)
        let labels = labels(stack)
        let discovers = !discoveredServices(stack).isEmpty
        let probe: (String) -> YAMLNode = { path in
            [
                "httpGet": ["path": .string(path), "port": .string(portName)],
                "periodSeconds": 10, "timeoutSeconds": 5, "failureThreshold": 3,
            ]
        }
        let container: YAMLNode = [
            "name": "vitals",
            "image": .string(image),
            "args": [
                "serve", .string("\(stackDirectory)/\(stackFileName(stack))"),
                .string("--web.listen-address=:\(port)"),
            ],
            "ports": [["name": .string(portName), "containerPort": .integer(port), "protocol": "TCP"]],
            "resources": resources,
            // Both on /health/live: the stack being unready must not take its own monitor out of
            // its Service; /health/ready is for what waits on the stack.
            "livenessProbe": probe("/health/live"),
            "readinessProbe": probe("/health/live"),
            "securityContext": [
                "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                "capabilities": ["drop": ["ALL"]],
            ],
            "volumeMounts": [["name": "stack", "mountPath": .string(stackDirectory), "readOnly": true]],
        ]
        return KubernetesObject.resource(
            apiVersion: "apps/v1", kind: "Deployment", name: name, namespace: namespace, labels: labels,
            body: [
                "spec": [
                    "replicas": 1,
                    "selector": ["matchLabels": KubernetesObject.strings(selector(stack))],
                    "template": [
                        "metadata": [
                            "labels": KubernetesObject.strings(labels),
                            // A changed stack file rolls the pods.
                            "annotations": ["vitals/stack-hash": .string(FNV1a.hex64(stackSource))],
                        ],
                        "spec": [
                            "serviceAccountName": .string(name),
                            "automountServiceAccountToken": .boolean(discovers),
                            "securityContext": [
                                "runAsNonRoot": true, "runAsUser": 65534, "runAsGroup": 65534,
                                "seccompProfile": ["type": "RuntimeDefault"],
                            ],
                            "containers": [container],
                            "volumes": [["name": "stack", "configMap": ["name": .string(name + "-stack")]]],
                        ],
                    ],
                ]
            ])
    }
}
