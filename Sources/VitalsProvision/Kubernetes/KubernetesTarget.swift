import VitalsDocuments
import VitalsStack

/// `vitals provision --target kubernetes`: the stack's monitoring as Kubernetes resources for
/// prometheus-operator and Grafana's sidecar, from the same plan as the file target, so that the
/// rule groups, dashboards and alert routing are the same:
///
/// - `exporter/`: vitals-exporter as a DaemonSet, and the PodMonitor of the stack's node job;
/// - `serve/`: `vitals serve` as a Deployment with its Service, ConfigMap and RBAC;
/// - `monitors/`: a ServiceMonitor or ScrapeConfig per scraped service;
/// - `rules/`: one PrometheusRule per rule file of the file target, holding exactly its groups;
/// - `alertmanager/`: the AlertmanagerConfig;
/// - `grafana/`: the datasource and each dashboard as ConfigMaps for the sidecar;
/// - `kustomization.yaml`, which lists them all.
enum KubernetesTarget {
    /// What stands for the nodes of a stack that lists none: every node the DaemonSet runs on.
    static let daemonSetNodes = "vitals-exporter-daemonset"

    static func files(_ plan: ProvisionPlan, namespace: String, stackSource: String?, imageTag: String)
        throws(ProvisionError) -> [GeneratedFile]
    {
        guard KubernetesObject.isLabel(namespace) else {
            throw .invalidStack(
                "--namespace \"\(namespace)\" is not a Kubernetes namespace name (lowercase letters, digits and '-', at most 63)"
            )
        }
        guard let stackSource else {
            throw .invalidStack("the Kubernetes target needs the stack file's text for vitals serve's ConfigMap")
        }
        let stack = plan.stack
        var resources: [(file: String, resource: YAMLNode)] = [
            (
                "exporter/daemonset.yaml",
                ExporterDaemonSet.daemonSet(namespace: namespace, image: "vitals-exporter:\(imageTag)")
            ),
            ("exporter/podmonitor.yaml", ExporterDaemonSet.podMonitor(stack, namespace: namespace)),
        ]
        resources += ServeWorkload.resources(
            stack, namespace: namespace, image: "vitals:\(imageTag)", stackSource: stackSource)
        resources += ScrapeMonitors.resources(plan, namespace: namespace)
        resources += plan.groups.concurrentMap { file, group in
            (file: "rules/\(file).yaml", resource: prometheusRule(plan, file: file, group: group, namespace: namespace))
        }
        resources.append(
            (
                "alertmanager/alertmanagerconfig.yaml",
                AlertmanagerConfigResource.resource(stack, namespace: namespace, cadence: plan.cadence)
            ))
        resources += GrafanaConfigMaps.resources(stack, namespace: namespace)
        var files = resources.concurrentMap { plan.yaml($0.file, $0.resource) }
        let kustomization: YAMLNode = [
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": KubernetesObject.list(resources.map(\.file).sorted()),
            "images": [
                ["name": "vitals-exporter", "newTag": .string(imageTag)],
                ["name": "vitals", "newTag": .string(imageTag)],
            ],
        ]
        files.append(plan.yaml("kustomization.yaml", kustomization))
        return files
    }

    /// A PrometheusRule holding exactly the groups of `prometheus/rules/<file>.yml`.
    static func prometheusRule(_ plan: ProvisionPlan, file: String, group: RuleGroup, namespace: String) -> YAMLNode {
        guard case .mapping(let rules) = plan.rules(group), let groups = rules["groups"] else {
            preconditionFailure("RuleFiles.rules writes a mapping with groups")
        }
        return KubernetesObject.resource(
            apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule",
            name: KubernetesObject.name(plan.stack.name, file), namespace: namespace,
            labels: KubernetesObject.labels(name: "vitals", instance: plan.stack.name, component: "rules"),
            body: ["spec": ["groups": groups]])
    }
}
