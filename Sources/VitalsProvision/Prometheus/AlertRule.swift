import Foundation
import VitalsDocuments

/// One Prometheus alerting rule and the `promtool test rules` case that proves it.
public struct AlertRule: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable {
        case warning, critical
    }

    public var name: String
    public var expr: String
    /// The `for` duration, such as `5m` (`0m` fires at once).
    public var duration: String
    public var severity: Severity
    /// Annotation templates; only `{{ $labels.NAME }}` is used, so tests can render them.
    public var summary: String
    public var description: String
    /// The proof. Rules that share a name (a warning and a critical level) share one test,
    /// given on the first of them.
    public var test: AlertTest?
    /// Labels beyond `severity` that routing reads: `impact: outage` on alerts that say a service
    /// is down or has no ready replica (they hold back the alerts of what depends on it), and
    /// `source: metrics` on alerts computed from a service's own exporter (a down exporter holds
    /// them back).
    public var extraLabels: [String: String] = [:]
    /// The scrape jobs whose series the rule reads; a rule whose job is not configured can never
    /// fire, and is left out.
    public var jobs: [String] = []
    /// The slug of the dashboard that shows what the alert is about.
    public var dashboard: String?

    public var labels: [String: String] { extraLabels.merging(["severity": severity.rawValue]) { $1 } }

    /// The same rule, reading `jobs`, linked to `dashboard`, with extra labels.
    func reading(_ jobs: [String], dashboard: String?, labels: [String: String] = [:]) -> AlertRule {
        var rule = self
        rule.jobs = jobs
        rule.dashboard = dashboard
        rule.extraLabels.merge(labels) { $1 }
        return rule
    }
}

/// Input that makes an alert fire and input that keeps it silent, evaluated at one time.
public struct AlertTest: Sendable, Hashable {
    public struct Series: Sendable, Hashable {
        /// `metric{label="value",...}`
        public var series: String
        /// promtool's expanding notation, such as `0+10x30`.
        public var values: String

        public init(_ series: String, _ values: String) {
            self.series = series
            self.values = values
        }
    }

    public var interval = "1m"
    public var firing: [Series]
    /// Other inputs that must make it fire, for an alert with more than one cause.
    public var alsoFiring: [[Series]] = []
    public var silent: [Series]
    public var evalTime: String
    /// The labels of each alert that must fire (severity included, alertname not).
    public var expected: [[String: String]]
}

/// A rules file: one group of rules, named after what it watches.
public struct RuleGroup: Sendable, Hashable {
    public var name: String
    public var rules: [AlertRule]
}

/// What every alert's annotations link to: its dashboard in Grafana and its runbook entry.
struct AlertLinks: Sendable {
    var grafanaURL: String?
    var runbookURL: String?
    /// Dashboard slug → uid.
    var dashboardUID: @Sendable (String) -> String

    /// The annotations of `rule`: summary and description, and the links.
    func annotations(_ rule: AlertRule) -> [String: String] {
        var annotations = ["summary": rule.summary, "description": rule.description]
        annotations["runbook_url"] =
            (runbookURL.map { $0 + "/RUNBOOK.md" } ?? "RUNBOOK.md") + "#" + Runbook.anchor(rule.name)
        if let slug = rule.dashboard {
            annotations["dashboard"] = (grafanaURL ?? "") + "/d/" + dashboardUID(slug)
        }
        return annotations
    }
}

/// Builds PromQL and the text of tests and annotations.
enum PromQL {
    /// `name="value",...` for a selector.
    static func matchers(_ labels: [(String, String)]) -> String {
        labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ",")
    }

    /// A series for a test input: `metric{a="b",...}` with labels in a fixed order.
    static func series(_ metric: String, _ labels: [String: String]) -> String {
        let sorted = labels.sorted { $0.key < $1.key }
        return metric + "{" + sorted.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
    }

    /// A threshold as people read it: `0.05` as `5%` when `percent`.
    static func human(_ value: Double, percent: Bool = false) -> String {
        let shown = percent ? value * 100 : value
        let text = NumberText.rounded(shown, places: 2)
        return percent ? text + "%" : text
    }

    /// `text` as a regular expression matching exactly it, inside a PromQL string: RE2's
    /// metacharacters escaped, then the backslashes doubled for the string literal.
    static func escapeRegex(_ text: String) -> String {
        var output = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { output += "\\\\" }
            output.append(character)
        }
        return output
    }

    /// A number for PromQL or promtool input, exact and short.
    static func number(_ value: Double) -> String { NumberText.shortest(value) }

    /// Renders `{{ $labels.NAME }}` the way Prometheus' template engine does, in one pass: a label
    /// value that itself looks like a template is left as it is, as Prometheus leaves it.
    static func render(_ template: String, labels: [String: String]) -> String {
        let open = Array("{{ $labels.".utf8)
        let close = Array(" }}".utf8)
        let bytes = Array(template.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 32)
        var position = 0
        while let start = Self.find(open, in: bytes, from: position),
            let end = Self.find(close, in: bytes, from: start + open.count)
        {
            output += bytes[position..<start]
            let name = String(decoding: bytes[(start + open.count)..<end], as: UTF8.self)
            output += (labels[name] ?? "").utf8
            position = end + close.count
        }
        output += bytes[position...]
        return String(decoding: output, as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard needle.count <= bytes.count, start <= bytes.count - needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
