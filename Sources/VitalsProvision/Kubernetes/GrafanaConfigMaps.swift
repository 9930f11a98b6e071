import VitalsDocuments
import VitalsStack

/// The datasource and the dashboards as ConfigMaps that Grafana's sidecar (kube-prometheus-stack,
/// the Grafana chart) loads by label: `grafana_datasource: "1"` and `grafana_dashboard: "1"`,
/// with `grafana_folder` naming the folder. Each dashboard is its own ConfigMap, holding the file
/// target's JSON byte for byte, so none nears the 256 KiB that client-side apply can annotate.
enum GrafanaConfigMaps {
    /// prometheus-operator's Service for a Prometheus resource in the same namespace.
    static let operatedPrometheus = "http://prometheus-operated:9090"

    static func resources(_ stack: Stack, namespace: String) -> [(file: String, resource: YAMLNode)] {
        let labels = KubernetesObject.labels(name: "vitals", instance: stack.name, component: "dashboards")
        let inCluster = stack.services(of: .prometheus).flatMap(\.endpoints).first { $0.kubernetesService != nil }
        let url = inCluster.map { "http://\($0.description)" } ?? operatedPrometheus
        var datasourceLabels = labels
        datasourceLabels["grafana_datasource"] = "1"
        var output: [(String, YAMLNode)] = [
            (
                "grafana/datasource.yaml",
                KubernetesObject.resource(
                    apiVersion: "v1", kind: "ConfigMap",
                    name: KubernetesObject.name("vitals", stack.name, "datasource"),
                    namespace: namespace, labels: datasourceLabels,
                    body: [
                        "data": [
                            "vitals-\(stack.name)-datasource.yaml": .string(
                                GrafanaProvisioning.datasource(stack, url: url).document())
                        ]
                    ])
            )
        ]
        var dashboardLabels = labels
        dashboardLabels["grafana_dashboard"] = "1"
        for (file, dashboard) in Dashboards.all(stack) {
            let slug = String(file.dropLast(".json".count))
            output.append(
                (
                    "grafana/dashboard-\(slug).yaml",
                    KubernetesObject.resource(
                        apiVersion: "v1", kind: "ConfigMap",
                        name: KubernetesObject.name("vitals", stack.name, "dashboard", slug), namespace: namespace,
                        labels: dashboardLabels, annotations: ["grafana_folder": stack.name],
                        body: ["data": .mapping([file: .string(dashboard.text)])])
                ))
        }
        return output
    }
}
