import VitalsDocuments
import VitalsStack

/// `alertmanager/alertmanager.yml`: a default route grouped by alert, stack and service,
/// receivers from the stack file, and critical alerts inhibiting warnings of the same alert on
/// the same instance.
enum AlertmanagerConfig {
    /// The receiver used when the stack declares none: it accepts alerts and sends them nowhere,
    /// so they are still visible in Alertmanager's UI and API.
    static let fallbackReceiver = "default"

    static func document(_ stack: Stack) -> YAMLNode {
        let alerting = stack.alerting
        let receivers = alerting.receivers.isEmpty ? [Receiver(name: fallbackReceiver, integrations: [])] : alerting.receivers
        let defaultReceiver = alerting.defaultReceiver ?? receivers[0].name
        var route: [String: YAMLNode] = [
            "receiver": .string(defaultReceiver),
            "group_by": ["alertname", "stack", "service"],
            "group_wait": "30s",
            "group_interval": "5m",
            "repeat_interval": "4h",
        ]
        if let critical = alerting.criticalReceiver, critical != defaultReceiver {
            // The critical receiver gets critical alerts as well as (continue) the default one.
            route["routes"] = [
                ["receiver": .string(critical), "matchers": ["severity=\"critical\""], "continue": true],
                ["receiver": .string(defaultReceiver)],
            ]
        }
        return [
            "route": .mapping(route),
            "receivers": .list(receivers.map(receiver)),
            "inhibit_rules": [
                [
                    "source_matchers": ["severity=\"critical\""],
                    "target_matchers": ["severity=\"warning\""],
                    "equal": ["alertname", "instance"],
                ]
            ],
        ]
    }

    static func receiver(_ receiver: Receiver) -> YAMLNode {
        var entry: [String: YAMLNode] = ["name": .string(receiver.name)]
        var slack: [YAMLNode] = []
        var webhook: [YAMLNode] = []
        var email: [YAMLNode] = []
        var pagerduty: [YAMLNode] = []
        for integration in receiver.integrations {
            switch integration {
            case .slack(let file, let channel):
                var config: [String: YAMLNode] = ["api_url_file": .string(file), "send_resolved": true]
                if let channel { config["channel"] = .string(channel) }
                slack.append(.mapping(config))
            case .webhook(let url):
                webhook.append(["url": .string(url), "send_resolved": true])
            case .email(let to, let from, let smarthost, let username, let passwordFile):
                var config: [String: YAMLNode] = [
                    "to": .string(to), "from": .string(from), "smarthost": .string(smarthost), "send_resolved": true,
                ]
                if let username { config["auth_username"] = .string(username) }
                if let passwordFile { config["auth_password_file"] = .string(passwordFile) }
                email.append(.mapping(config))
            case .pagerduty(let file):
                pagerduty.append(["routing_key_file": .string(file), "send_resolved": true])
            }
        }
        if !slack.isEmpty { entry["slack_configs"] = .list(slack) }
        if !webhook.isEmpty { entry["webhook_configs"] = .list(webhook) }
        if !email.isEmpty { entry["email_configs"] = .list(email) }
        if !pagerduty.isEmpty { entry["pagerduty_configs"] = .list(pagerduty) }
        return .mapping(entry)
    }
}
