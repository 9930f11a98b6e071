import VitalsStack
import Yams

/// The parts of the stack file only the provisioner reads: alert thresholds and receivers.
extension YAMLTreeReader {
    static let alertingKeys = ["receivers", "defaultReceiver", "criticalReceiver", "grafanaURL", "runbookURL"]
    static let receiverKeys = ["name", "slack", "webhook", "email", "pagerduty"]
    /// Keys that would put a secret into generated files, and what to write instead.
    static let inlineSecrets = [
        "apiURL": "apiURLFile", "api_url": "apiURLFile", "routingKey": "routingKeyFile",
        "routing_key": "routingKeyFile", "authPassword": "authPasswordFile", "auth_password": "authPasswordFile",
    ]

    mutating func number(_ node: Node, _ what: String) -> Double? {
        guard let scalar = node.scalar, scalar.style == .plain, let value = Double(scalar.string), value.isFinite else {
            fail(node, "\(what) must be a number, found \(describe(node))")
            return nil
        }
        return value
    }

    /// `alerts:` of a service: threshold overrides, each known for the service's kind and in range.
    mutating func readThresholds(_ node: Node, context: String, kind kindNode: Node?) -> [String: Double] {
        guard let kindText = kindNode?.scalar?.string, let kind = ServiceKind(rawValue: kindText) else { return [:] }
        let known = AlertThreshold.thresholds(for: kind)
        guard !known.isEmpty else {
            fail(node, "\(context): a \(kind.rawValue) service has no alert thresholds to set")
            return [:]
        }
        guard let entries = mapping(node, "\(context) alerts", allowed: known.map(\.key)) else { return [:] }
        var thresholds: [String: Double] = [:]
        for (key, _, value) in entries {
            guard let threshold = known.first(where: { $0.key == key }),
                let number = number(value, "\(context) alerts.\(key)")
            else { continue }
            guard threshold.range.contains(number) else {
                fail(
                    value,
                    "\(context) alerts.\(key) must be from \(threshold.range.lowerBound) to \(threshold.range.upperBound), found \(number)"
                )
                continue
            }
            thresholds[key] = number
        }
        return thresholds
    }

    /// The stack's `alerting:` section.
    mutating func readAlerting(_ node: Node) -> Alerting {
        var alerting = Alerting()
        guard let entries = mapping(node, "alerting", allowed: Self.alertingKeys) else { return alerting }
        var references: [(String, Node)] = []
        for (key, _, value) in entries {
            switch key {
            case "receivers":
                for item in list(value, "alerting.receivers") ?? [] {
                    guard let receiver = readReceiver(item) else { continue }
                    if alerting.receivers.contains(where: { $0.name == receiver.name }) {
                        fail(item, "receiver \"\(receiver.name)\" is declared twice")
                        continue
                    }
                    alerting.receivers.append(receiver)
                }
            case "defaultReceiver":
                alerting.defaultReceiver = string(value, "alerting.defaultReceiver")
                references.append((alerting.defaultReceiver ?? "", value))
            case "criticalReceiver":
                alerting.criticalReceiver = string(value, "alerting.criticalReceiver")
                references.append((alerting.criticalReceiver ?? "", value))
            case "grafanaURL", "runbookURL":
                guard let url = string(value, "alerting.\(key)") else { continue }
                guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                    fail(value, "alerting.\(key) must start with http:// or https://, found \"\(url)\"")
                    continue
                }
                let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
                if key == "grafanaURL" { alerting.grafanaURL = trimmed } else { alerting.runbookURL = trimmed }
            default: break
            }
        }
        for (name, node) in references where !name.isEmpty && !alerting.receivers.contains(where: { $0.name == name }) {
            fail(
                node,
                "\"\(name)\" is not one of alerting.receivers (\(alerting.receivers.map(\.name).joined(separator: ", ")))"
            )
        }
        return alerting
    }

    mutating func readReceiver(_ node: Node) -> Receiver? {
        if let mapping = node.mapping {
            for (keyNode, _) in mapping {
                if let key = keyNode.scalar?.string, let instead = Self.inlineSecrets[key] {
                    fail(
                        keyNode,
                        "\(key) would write a secret into the generated files; put it in a file and use \(instead)")
                    return nil
                }
            }
        }
        guard let entries = mapping(node, "receiver", allowed: Self.receiverKeys) else { return nil }
        guard let nameNode = entries.first(where: { $0.key == "name" })?.value,
            let name = string(nameNode, "receiver name")
        else {
            fail(node, "each receiver needs a name")
            return nil
        }
        var integrations: [Receiver.Integration] = []
        for (key, _, value) in entries where key != "name" {
            if let integration = readIntegration(key, value, receiver: name) { integrations.append(integration) }
        }
        return Receiver(name: name, integrations: integrations)
    }

    mutating func readIntegration(_ key: String, _ node: Node, receiver: String) -> Receiver.Integration? {
        let context = "receiver \"\(receiver)\" \(key)"
        if let mapping = node.mapping {
            for (keyNode, _) in mapping {
                if let field = keyNode.scalar?.string, let instead = Self.inlineSecrets[field] {
                    fail(
                        keyNode,
                        "\(field) would write a secret into the generated files; put it in a file and use \(instead)")
                    return nil
                }
            }
        }
        func required(_ fields: [(key: String, keyNode: Node, value: Node)], _ name: String, _ parent: Node) -> String?
        {
            guard let value = fields.first(where: { $0.key == name })?.value else {
                fail(parent, "\(context) needs \(name)")
                return nil
            }
            return string(value, "\(context).\(name)")
        }
        func optional(_ fields: [(key: String, keyNode: Node, value: Node)], _ name: String) -> String? {
            fields.first { $0.key == name }.flatMap { string($0.value, "\(context).\(name)") }
        }
        switch key {
        case "slack":
            guard let fields = mapping(node, context, allowed: ["apiURLFile", "channel"]),
                let file = required(fields, "apiURLFile", node)
            else { return nil }
            return .slack(apiURLFile: file, channel: optional(fields, "channel"))
        case "webhook":
            guard let fields = mapping(node, context, allowed: ["url"]), let url = required(fields, "url", node) else {
                return nil
            }
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                fail(node, "\(context).url must start with http:// or https://, found \"\(url)\"")
                return nil
            }
            return .webhook(url: url)
        case "email":
            guard
                let fields = mapping(
                    node, context, allowed: ["to", "from", "smarthost", "authUsername", "authPasswordFile"]),
                let to = required(fields, "to", node), let from = required(fields, "from", node),
                let smarthost = required(fields, "smarthost", node)
            else { return nil }
            return .email(
                to: to, from: from, smarthost: smarthost, authUsername: optional(fields, "authUsername"),
                authPasswordFile: optional(fields, "authPasswordFile"))
        case "pagerduty":
            guard let fields = mapping(node, context, allowed: ["routingKeyFile"]),
                let file = required(fields, "routingKeyFile", node)
            else { return nil }
            return .pagerduty(routingKeyFile: file)
        default:
            return nil
        }
    }
}
