/// A dashboard panel before layout: what it shows and how big it is.
struct DashboardPanel: Sendable {
    enum Kind: String, Sendable {
        case timeseries, stat, table
    }

    /// One PromQL query and its legend.
    struct Query: Sendable {
        var expr: String
        var legend: String

        init(_ expr: String, legend: String = "") {
            self.expr = expr
            self.legend = legend
        }
    }

    var kind: Kind
    var title: String
    var description: String
    var unit: String
    var queries: [Query]
    var width: Int
    var height: Int
    var min: Double?
    var max: Double?
    /// Colour steps, as (from value, colour); the first starts from nothing (`nil`).
    var thresholds: [(Double?, String)] = [(nil, "green")]
    var stacked = false

    static func timeseries(
        _ title: String, _ description: String, unit: String, width: Int = 12, height: Int = 8, min: Double? = nil,
        max: Double? = nil, stacked: Bool = false, _ queries: [Query]
    ) -> DashboardPanel {
        DashboardPanel(
            kind: .timeseries, title: title, description: description, unit: unit, queries: queries, width: width,
            height: height, min: min, max: max, stacked: stacked)
    }

    static func stat(
        _ title: String, _ description: String, unit: String, width: Int = 4, height: Int = 4,
        thresholds: [(Double?, String)] = [(nil, "green")], _ query: Query
    ) -> DashboardPanel {
        DashboardPanel(
            kind: .stat, title: title, description: description, unit: unit, queries: [query], width: width,
            height: height,
            thresholds: thresholds)
    }

    static func table(_ title: String, _ description: String, width: Int = 24, height: Int = 8, _ query: Query)
        -> DashboardPanel
    {
        DashboardPanel(
            kind: .table, title: title, description: description, unit: "none", queries: [query], width: width,
            height: height)
    }
}
