import VitalsDocuments
import VitalsStack

/// Grafana's provisioning files: the Prometheus datasource and the dashboard file provider.
enum GrafanaProvisioning {
    /// Where the provider expects the dashboards inside the Grafana container.
    static func dashboardsPath(_ stack: Stack) -> String { "/var/lib/grafana/dashboards/\(stack.name)" }

    /// The stack's Prometheus datasource, named and identified after the stack, and never the
    /// default: several stacks can share one Grafana, and Grafana refuses a second default.
    /// - Parameter url: where Grafana reaches Prometheus; by default the stack's prometheus service.
    static func datasource(_ stack: Stack, url: String? = nil) -> YAMLNode {
        let prometheus = stack.services(of: .prometheus).first
        let url =
            url ?? prometheus.flatMap { $0.endpoints.first }.map { "http://\($0.description)" }
            ?? "http://prometheus:9090"
        return [
            "apiVersion": 1,
            "datasources": [
                [
                    "name": .string("Prometheus (\(stack.name))"),
                    "type": "prometheus",
                    "uid": .string(GrafanaIdentifiers.datasourceUID(stack)),
                    "access": "proxy",
                    "url": .string(url),
                    "isDefault": false,
                    "editable": false,
                    "jsonData": [
                        "timeInterval": .string(PrometheusConfig.duration(stack.defaults.scrapeIntervalSeconds)),
                        "httpMethod": "POST",
                    ],
                ]
            ],
        ]
    }

    static func dashboardProvider(_ stack: Stack) -> YAMLNode {
        [
            "apiVersion": 1,
            "providers": [
                [
                    "name": .string("vitals-\(stack.name)"),
                    "orgId": 1,
                    "folder": .string(stack.name),
                    "folderUid": .string(GrafanaIdentifiers.uid(stack.name, "folder")),
                    "type": "file",
                    "disableDeletion": true,
                    "allowUiUpdates": false,
                    "updateIntervalSeconds": 30,
                    "options": ["path": .string(dashboardsPath(stack)), "foldersFromFilesStructure": false],
                ]
            ],
        ]
    }
}
