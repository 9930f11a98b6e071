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
        let alerting = stack.alerting
        let receivers =
            alerting.receivers.isEmpty ? [Receiver(name: fallbackReceiver, integrations: [])] : alerting.receivers
        let defaultReceiver = alerting.defaultReceiver ?? receivers[0].name
        let drill = cadence == .drill
        var route: [String: YAMLNode] = [
            "receiver": .string(defaultReceiver),
            "group_by": ["stack", "service"],
            // Long enough for a cause seen on another target's scrape (RedisDown) to arrive before
            // the first notification about its symptom (the backend's failing probe), which is then
            // held back: two scrape intervals, plus one evaluation.
            "group_wait": .string(drill ? Cadence.format(2 * Cadence.drillScrapeSeconds + 1) : "30s"),
            "group_interval": .string(drill ? "2s" : "5m"),
            "repeat_interval": .string(drill ? "1h" : "4h"),
        ]
        if let critical = alerting.criticalReceiver, critical != defaultReceiver {
            // The critical receiver gets critical alerts as well as (continue) the default one.
            route["routes"] = [
                ["receiver": .string(critical), "matchers": ["severity=\"critical\""], "continue": true],
                ["receiver": .string(defaultReceiver)],
            ]
        }
        return [
            "templates": [.string(templatesFile)],
            "route": .mapping(route),
            "receivers": .list(receivers.map(receiver)),
            "inhibit_rules": .list(inhibitions(stack)),
        ]
    }

    static func inhibitions(_ stack: Stack) -> [YAMLNode] {
        let inStack = "stack=\"\(stack.name)\""
        var rules: [YAMLNode] = []
        for service in stack.services {
            let dependents = stack.dependents(of: service.name)
            guard !dependents.isEmpty else { continue }
            rules.append([
                "source_matchers": [.string(inStack), .string("service=\"\(service.name)\""), "impact=\"outage\""],
                "target_matchers": [
                    .string(inStack),
                    .string("service=~\"" + dependents.map(PromQL.escapeRegex).joined(separator: "|") + "\""),
                ],
            ])
        }
        rules += [
            // An outage holds back the warnings about the same service (its failing probes, say).
            [
                "source_matchers": ["impact=\"outage\""], "target_matchers": ["severity=\"warning\""],
                "equal": ["stack", "service"],
            ],
            // A down exporter holds back what is computed from its metrics.
            [
                "source_matchers": ["alertname=\"TargetDown\""], "target_matchers": ["source=\"metrics\""],
                "equal": ["stack", "service"],
            ],
            // Service-level alerts say more than the stack-level one.
            [
                "source_matchers": ["scope=\"service\""], "target_matchers": ["alertname=\"StackNotReady\""],
                "equal": ["stack"],
            ],
            // A critical level holds back the warning level of the same alert on the same thing.
            [
                "source_matchers": ["severity=\"critical\""], "target_matchers": ["severity=\"warning\""],
                "equal": ["alertname", "stack", "service", "instance", "mountpoint", "device"],
            ],
        ]
        return rules
    }

    /// Title and text of every notification: which stack and service, which alerts, what they
    /// mean, and the links to the dashboard and the runbook.
    static let templates = """
        {{/* \(Provisioner.marker); edits are overwritten. */}}
        {{ define "vitals.title" }}[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] \
        {{ .CommonLabels.stack }}{{ with .CommonLabels.service }} / {{ . }}{{ end }}: \
        {{ range $index, $alert := .Alerts }}{{ if $index }}, {{ end }}{{ $alert.Labels.alertname }}{{ end }}{{ end }}

        {{ define "vitals.text" }}{{ range .Alerts }}{{ .Status | toUpper }} {{ .Labels.alertname }} \
        ({{ .Labels.severity }}{{ with .Labels.instance }}, {{ . }}{{ end }})
        {{ .Annotations.summary }}
        {{ .Annotations.description }}
        {{ with .Annotations.dashboard }}Dashboard: {{ . }}
        {{ end }}{{ with .Annotations.runbook_url }}Runbook: {{ . }}
        {{ end }}
        {{ end }}{{ end }}

        """

    static func receiver(_ receiver: Receiver) -> YAMLNode {
        var entry: [String: YAMLNode] = ["name": .string(receiver.name)]
        var slack: [YAMLNode] = []
        var webhook: [YAMLNode] = []
        var email: [YAMLNode] = []
        var pagerduty: [YAMLNode] = []
        for integration in receiver.integrations {
            switch integration {
            case .slack(let file, let channel):
                var config: [String: YAMLNode] = [
                    "api_url_file": .string(file), "send_resolved": true,
                    "title": "{{ template \"vitals.title\" . }}", "text": "{{ template \"vitals.text\" . }}",
                ]
                if let channel { config["channel"] = .string(channel) }
                slack.append(.mapping(config))
            case .webhook(let url):
                webhook.append(["url": .string(url), "send_resolved": true])
            case .email(let to, let from, let smarthost, let username, let passwordFile):
                var config: [String: YAMLNode] = [
                    "to": .string(to), "from": .string(from), "smarthost": .string(smarthost), "send_resolved": true,
                    "headers": ["Subject": "{{ template \"vitals.title\" . }}"],
                    "text": "{{ template \"vitals.text\" . }}",
                ]
                if let username { config["auth_username"] = .string(username) }
                if let passwordFile { config["auth_password_file"] = .string(passwordFile) }
                email.append(.mapping(config))
            case .pagerduty(let file):
                pagerduty.append([
                    "routing_key_file": .string(file), "send_resolved": true,
                    "description": "{{ template \"vitals.title\" . }}",
                ])
            }
        }
        if !slack.isEmpty { entry["slack_configs"] = .list(slack) }
        if !webhook.isEmpty { entry["webhook_configs"] = .list(webhook) }
        if !email.isEmpty { entry["email_configs"] = .list(email) }
        if !pagerduty.isEmpty { entry["pagerduty_configs"] = .list(pagerduty) }
        return .mapping(entry)
    }
}
