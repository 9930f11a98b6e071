import VitalsDocuments
import VitalsStack

/// How a stack's alerts are routed, held back and delivered, independent of how it is written:
/// Alertmanager's own file and prometheus-operator's AlertmanagerConfig resource are both
/// rendered from it, so the two targets route alike.
struct AlertRouting: Sendable {
    /// One label matcher, such as `severity="critical"` or `service=~"a|b"`.
    struct Matcher: Sendable, Hashable {
        enum Operator: String, Sendable {
            case equal = "="
            case regex = "=~"
        }

        var name: String
        var op: Operator
        /// The value as Alertmanager compares it: for `=~`, the regular expression itself.
        var value: String

        static func equal(_ name: String, _ value: String) -> Matcher { Matcher(name: name, op: .equal, value: value) }

        /// As Alertmanager's `matchers` strings write it: the value double-quoted, with its
        /// backslashes and quotes escaped.
        var text: String {
            var quoted = ""
            for character in value {
                if character == "\\" || character == "\"" { quoted.append("\\") }
                quoted.append(character)
            }
            return "\(name)\(op.rawValue)\"\(quoted)\""
        }

        /// A regular expression matching exactly one of `values`: RE2's metacharacters escaped.
        static func oneOf(_ name: String, _ values: [String]) -> Matcher {
            let escaped = values.map { value in
                var output = ""
                for character in value {
                    if "\\.+*?()|[]{}^$".contains(character) { output.append("\\") }
                    output.append(character)
                }
                return output
            }
            return Matcher(name: name, op: .regex, value: escaped.joined(separator: "|"))
        }
    }

    /// A child route under the root.
    struct Route: Sendable, Hashable {
        var receiver: String
        var matchers: [Matcher] = []
        /// Go on to the next sibling after a match.
        var continues = false
    }

    /// While an alert matching `source` fires, alerts matching `target` with the same `equal`
    /// labels are held back.
    struct Inhibition: Sendable, Hashable {
        var source: [Matcher]
        var target: [Matcher]
        var equal: [String] = []
    }

    var receiver: String
    var groupBy = ["stack", "service"]
    var groupWait: String
    var groupInterval: String
    var repeatInterval: String
    var routes: [Route] = []
    var receivers: [Receiver]
    var inhibitions: [Inhibition]

    init(_ stack: Stack, cadence: Cadence) {
        let alerting = stack.alerting
        receivers =
            alerting.receivers.isEmpty
            ? [Receiver(name: AlertmanagerConfig.fallbackReceiver, integrations: [])] : alerting.receivers
        receiver = alerting.defaultReceiver ?? receivers[0].name
        let drill = cadence == .drill
        // Long enough for a cause seen on another target's scrape (RedisDown) to arrive before the
        // first notification about its symptom (the backend's failing probe), which is then held
        // back: two scrape intervals, plus one evaluation.
        groupWait = drill ? Cadence.format(2 * Cadence.drillScrapeSeconds + 1) : "30s"
        groupInterval = drill ? "2s" : "5m"
        repeatInterval = drill ? "1h" : "4h"
        if let critical = alerting.criticalReceiver, critical != receiver {
            // The critical receiver gets critical alerts as well as (continue) the default one.
            routes = [
                Route(receiver: critical, matchers: [.equal("severity", "critical")], continues: true),
                Route(receiver: receiver),
            ]
        }
        inhibitions = Self.inhibitions(stack)
    }

    static func inhibitions(_ stack: Stack) -> [Inhibition] {
        let inStack = Matcher.equal("stack", stack.name)
        var rules: [Inhibition] = []
        for service in stack.services {
            let dependents = stack.dependents(of: service.name)
            guard !dependents.isEmpty else { continue }
            rules.append(
                Inhibition(
                    source: [inStack, .equal("service", service.name), .equal("impact", "outage")],
                    target: [inStack, .oneOf("service", dependents)]))
        }
        return rules + [
            // An outage holds back the warnings about the same service (its failing probes, say).
            Inhibition(
                source: [.equal("impact", "outage")], target: [.equal("severity", "warning")],
                equal: ["stack", "service"]),
            // A down exporter holds back what is computed from its metrics.
            Inhibition(
                source: [.equal("alertname", "TargetDown")], target: [.equal("source", "metrics")],
                equal: ["stack", "service"]),
            // Service-level alerts say more than the stack-level one.
            Inhibition(
                source: [.equal("scope", "service")], target: [.equal("alertname", "StackNotReady")], equal: ["stack"]),
            // A critical level holds back the warning level of the same alert on the same thing.
            Inhibition(
                source: [.equal("severity", "critical")], target: [.equal("severity", "warning")],
                equal: ["alertname", "stack", "service", "instance", "mountpoint", "device"]),
        ]
    }
}

extension Receiver {
    /// The receiver as Alertmanager lists it: its name, then its integrations grouped by kind, in
    /// a fixed order of kinds. alertmanager.yml and the AlertmanagerConfig resource spell the
    /// keys (`key`) and each integration's fields (`render`) their own ways; the grouping is one.
    func node(key: (Integration.Kind) -> String, render: (Integration) -> YAMLNode) -> YAMLNode {
        var entry: [String: YAMLNode] = ["name": .string(name)]
        for kind in Integration.Kind.allCases {
            let configs = integrations.filter { $0.kind == kind }.map(render)
            if !configs.isEmpty { entry[key(kind)] = .list(configs) }
        }
        return .mapping(entry)
    }
}

extension Receiver.Integration {
    enum Kind: CaseIterable {
        case slack, webhook, email, pagerduty
    }

    var kind: Kind {
        switch self {
        case .slack: .slack
        case .webhook: .webhook
        case .email: .email
        case .pagerduty: .pagerduty
        }
    }
}
