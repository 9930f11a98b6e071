import VitalsDocuments
import VitalsStack

/// `alertmanager/alertmanager.yml`: one page per outage.
///
/// Alerts are grouped by stack and service, so that the alerts of one failing service arrive as one
/// notification. Inhibitions follow the stack's `dependsOn`: while a service is down or has no
/// ready replica (an alert with `impact: outage`), the alerts of everything that depends on it,
/// directly or through others, are held back; a down exporter holds back the alerts computed from
/// its metrics; service-level alerts hold back the stack-level one; and a critical alert holds back
/// the warning of the same alert on the same target and mount. Critical alerts also go to the
/// critical receiver. Notifications use the templates in `templates/vitals.tmpl`.
enum AlertmanagerConfig {
    /// The receiver used when the stack declares none: it accepts alerts and sends them nowhere,
    /// so they are still visible in Alertmanager's UI and API.
    static let fallbackReceiver = "default"
    static let templatesFile = "templates/vitals.tmpl"

    static func document(_ stack: Stack, cadence: Cadence = .production) -> YAMLNode {
        let routing = AlertRouting(stack, cadence: cadence)
        var route: [String: YAMLNode] = [
            "receiver": .string(routing.receiver),
            "group_by": .list(routing.groupBy.map { .string($0) }),
            "group_wait": .string(routing.groupWait),
            "group_interval": .string(routing.groupInterval),
            "repeat_interval": .string(routing.repeatInterval),
        ]
        if !routing.routes.isEmpty {
            route["routes"] = .list(
                routing.routes.map { sub in
                    var node: [String: YAMLNode] = ["receiver": .string(sub.receiver)]
                    if !sub.matchers.isEmpty { node["matchers"] = .list(sub.matchers.map { .string($0.text) }) }
                    if sub.continues { node["continue"] = true }
                    return .mapping(node)
                })
        }
        return [
            "templates": [.string(templatesFile)],
            "route": .mapping(route),
            "receivers": .list(routing.receivers.map(receiver)),
            "inhibit_rules": .list(
                routing.inhibitions.map { rule in
                    var node: [String: YAMLNode] = [
                        "source_matchers": .list(rule.source.map { .string($0.text) }),
                        "target_matchers": .list(rule.target.map { .string($0.text) }),
                    ]
                    if !rule.equal.isEmpty { node["equal"] = .list(rule.equal.map { .string($0) }) }
                    return .mapping(node)
                }),
        ]
    }

    /// The body of the `vitals.title` template: state, stack, service and the alerts' names.
    static let titleTemplate = """
        [{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] \
        {{ .CommonLabels.stack }}{{ with .CommonLabels.service }} / {{ . }}{{ end }}: \
        {{ range $index, $alert := .Alerts }}{{ if $index }}, {{ end }}{{ $alert.Labels.alertname }}{{ end }}
        """

    /// The body of the `vitals.text` template: each alert with what it means and its links.
    static let textTemplate = """
        {{ range .Alerts }}{{ .Status | toUpper }} {{ .Labels.alertname }} \
        ({{ .Labels.severity }}{{ with .Labels.instance }}, {{ . }}{{ end }})
        {{ .Annotations.summary }}
        {{ .Annotations.description }}
        {{ with .Annotations.dashboard }}Dashboard: {{ . }}
        {{ end }}{{ with .Annotations.runbook_url }}Runbook: {{ . }}
        {{ end }}
        {{ end }}
        """

    /// Title and text of every notification: which stack and service, which alerts, what they
    /// mean, and the links to the dashboard and the runbook.
    static let templates = """
        {{/* \(Provisioner.marker); edits are overwritten. */}}
        {{ define "vitals.title" }}\(titleTemplate){{ end }}

        {{ define "vitals.text" }}\(textTemplate){{ end }}

        """

    static func receiver(_ receiver: Receiver) -> YAMLNode {
        receiver.node(key: { "\($0)_configs" }) { integration in
            switch integration {
            case .slack(let file, let channel):
                var config: [String: YAMLNode] = [
                    "api_url_file": .string(file), "send_resolved": true,
                    "title": "{{ template \"vitals.title\" . }}", "text": "{{ template \"vitals.text\" . }}",
                ]
                if let channel { config["channel"] = .string(channel) }
                return .mapping(config)
            case .webhook(let url):
                return ["url": .string(url), "send_resolved": true]
            case .email(let to, let from, let smarthost, let username, let passwordFile):
                var config: [String: YAMLNode] = [
                    "to": .string(to), "from": .string(from), "smarthost": .string(smarthost), "send_resolved": true,
                    "headers": ["Subject": "{{ template \"vitals.title\" . }}"],
                    "text": "{{ template \"vitals.text\" . }}",
                ]
                if let username { config["auth_username"] = .string(username) }
                if let passwordFile { config["auth_password_file"] = .string(passwordFile) }
                return .mapping(config)
            case .pagerduty(let file):
                return [
                    "routing_key_file": .string(file), "send_resolved": true,
                    "description": "{{ template \"vitals.title\" . }}",
                ]
            }
        }
    }
}
