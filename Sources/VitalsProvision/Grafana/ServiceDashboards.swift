import VitalsStack

/// What the per-kind dashboards share: the `service` variable and its selector, the rate window,
/// and PromQL that reads a metric under each name the selected services give it.
enum ServiceDashboards {
    typealias Q = DashboardPanel.Query
    static let rate = "[$__rate_interval]"

    static func selector(_ stack: Stack) -> String { "stack=\"\(stack.name)\",service=~\"$service\"" }

    /// `(a{sel} or b{sel})`: one metric known under different names by different services.
    static func anyOf(_ names: [String], _ selector: String, suffix: String = "") -> String {
        let unique = names.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let terms = unique.map { "\($0)\(suffix){\(selector)}" }
        return terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " or ") + ")"
    }
}
