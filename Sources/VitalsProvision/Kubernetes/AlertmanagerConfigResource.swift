import VitalsDocuments
import VitalsStack

/// The stack's alert routing as a prometheus-operator AlertmanagerConfig: the same route, grouping,
/// receivers and inhibitions as alertmanager.yml. Secrets stay in Kubernetes Secrets: every file
/// the stack names for a secret (a Slack URL, a PagerDuty key, an SMTP password) becomes a key of
/// the Secret `vitals-<stack>-alerting`, named after the file, as
/// `kubectl create secret generic vitals-<stack>-alerting --from-file=PATH` names it.
///
/// The operator adds a `namespace` matcher to the route and the inhibitions itself, and
/// AlertmanagerConfig has no templates, so the notification title and text are written out.
enum AlertmanagerConfigResource {
    static func secretName(_ stack: Stack) -> String { KubernetesObject.name("vitals", stack.name, "alerting") }

    /// The Secret key for a file: its base name, with anything a key cannot hold turned into `-`.
    static func secretKey(_ file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return String(base.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) ? $0 : "-" })
    }

    static func resource(_ stack: Stack, namespace: String, cadence: Cadence) -> YAMLNode {
        let routing = AlertRouting(stack, cadence: cadence)
        var route: [String: YAMLNode] = [
            "receiver": .string(routing.receiver),
            "groupBy": KubernetesObject.list(routing.groupBy),
            "groupWait": .string(routing.groupWait),
            "groupInterval": .string(routing.groupInterval),
            "repeatInterval": .string(routing.repeatInterval),
        ]
        if !routing.routes.isEmpty {
            route["routes"] = .list(
                routing.routes.map { sub in
                    var node: [String: YAMLNode] = ["receiver": .string(sub.receiver)]
                    if !sub.matchers.isEmpty { node["matchers"] = .list(sub.matchers.map(matcher)) }
                    if sub.continues { node["continue"] = true }
                    return .mapping(node)
                })
        }
        return KubernetesObject.resource(
            apiVersion: "monitoring.coreos.com/v1alpha1", kind: "AlertmanagerConfig",
            name: KubernetesObject.name("vitals", stack.name), namespace: namespace,
            labels: KubernetesObject.labels(name: "vitals", instance: stack.name, component: "alerting"),
            body: [
                "spec": [
                    "route": .mapping(route),
                    "receivers": .list(routing.receivers.map { receiver($0, secret: secretName(stack)) }),
                    "inhibitRules": .list(
                        routing.inhibitions.map { rule in
                            var node: [String: YAMLNode] = [
                                "sourceMatch": .list(rule.source.map(matcher)),
                                "targetMatch": .list(rule.target.map(matcher)),
                            ]
                            if !rule.equal.isEmpty { node["equal"] = KubernetesObject.list(rule.equal) }
                            return .mapping(node)
                        }),
                ]
            ])
    }

    static func matcher(_ matcher: AlertRouting.Matcher) -> YAMLNode {
        ["name": .string(matcher.name), "value": .string(matcher.value), "matchType": .string(matcher.op.rawValue)]
    }

    static func receiver(_ receiver: Receiver, secret: String) -> YAMLNode {
        func reference(_ file: String) -> YAMLNode { ["name": .string(secret), "key": .string(secretKey(file))] }
        let title = YAMLNode.string(AlertmanagerConfig.titleTemplate)
        let text = YAMLNode.string(AlertmanagerConfig.textTemplate)
        return receiver.node(key: { "\($0)Configs" }) { integration in
            switch integration {
            case .slack(let file, let channel):
                var config: [String: YAMLNode] = [
                    "apiURL": reference(file), "sendResolved": true, "title": title, "text": text,
                ]
                if let channel { config["channel"] = .string(channel) }
                return .mapping(config)
            case .webhook(let url):
                return ["url": .string(url), "sendResolved": true]
            case .email(let to, let from, let smarthost, let username, let passwordFile):
                var config: [String: YAMLNode] = [
                    "to": .string(to), "from": .string(from), "smarthost": .string(smarthost), "sendResolved": true,
                    "headers": [["key": "Subject", "value": title]], "text": text,
                ]
                if let username { config["authUsername"] = .string(username) }
                if let passwordFile { config["authPassword"] = reference(passwordFile) }
                return .mapping(config)
            case .pagerduty(let file):
                return ["routingKey": reference(file), "sendResolved": true, "description": title]
            }
        }
    }
}
