import VitalsDocuments
import VitalsStack

/// Spend, tokens by type, calls and errors of the LLM calls the services make, under the names
/// each service gives its metrics.
enum LLMDashboard {
    typealias Q = DashboardPanel.Query

    static func build(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "LLM usage", slug: "llm-usage",
            about: "Spend, tokens by type, calls, errors and cache hits of the LLM calls.")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = ServiceDashboards.selector(stack)
        let rate = ServiceDashboards.rate
        let metrics = services.compactMap(\.llm)
        let cost = ServiceDashboards.anyOf(metrics.map(\.cost), sel)
        let tokens = ServiceDashboards.anyOf(metrics.map(\.tokens), sel)
        let requests = ServiceDashboards.anyOf(metrics.map(\.requests), sel)
        let hits = ServiceDashboards.anyOf(metrics.map(\.cacheHits), sel)
        let errors = ServiceDashboards.anyOf(metrics.map(\.errors), sel)
        let model = metrics.first?.modelLabel ?? "model"
        let provider = metrics.first?.providerLabel ?? "provider"
        let tokenType = metrics.first?.tokenTypeLabel ?? "type"

        board.row("Spend")
        board.add(
            .stat(
                "Cost, last hour", "USD spent on LLM calls in the last hour.", unit: "currencyUSD", width: 6,
                Q("sum(increase(\(cost)[1h]))")))
        board.add(
            .stat(
                "Cost, last 24 hours", "USD spent on LLM calls in the last day.", unit: "currencyUSD", width: 6,
                Q("sum(increase(\(cost)[1d]))")))
        board.add(
            .stat("LLM calls/s", "LLM calls per second.", unit: "reqps", width: 6, Q("sum(rate(\(requests)\(rate)))")))
        board.add(
            .stat(
                "Cache hit ratio", "Share of LLM calls answered from the cache.", unit: "percentunit", width: 6,
                thresholds: [(nil, "red"), (0.2, "orange"), (0.5, "green")],
                Q("sum(rate(\(hits)\(rate))) / sum(rate(\(requests)\(rate)))")))
        board.add(
            .timeseries(
                "Daily cost", "USD per day, per service.", unit: "currencyUSD", min: 0,
                [Q("sum by (service) (increase(\(cost)[1d]))", legend: "{{service}}")]))
        board.add(
            .timeseries(
                "Top models by spend", "Spend rate in USD per hour of the five most expensive models.",
                unit: "currencyUSD", min: 0,
                [Q("topk(5, sum by (\(model)) (rate(\(cost)\(rate)))) * 3600", legend: "{{\(model)}}")]))
        board.add(
            .timeseries(
                "Spend per provider", "Spend rate in USD per hour, per provider.", unit: "currencyUSD", min: 0,
                stacked: true,
                [Q("sum by (\(provider)) (rate(\(cost)\(rate))) * 3600", legend: "{{\(provider)}}")]))
        board.add(
            .timeseries(
                "Tokens per second by type", "Prompt, completion and cached tokens per second, each on its own line.",
                unit: "short", min: 0,
                [Q("sum by (\(tokenType)) (rate(\(tokens)\(rate)))", legend: "{{\(tokenType)}}")]))
        board.row("Calls")
        board.add(
            .timeseries(
                "Calls per model", "LLM calls per second, per model.", unit: "reqps", min: 0,
                [Q("sum by (\(model)) (rate(\(requests)\(rate)))", legend: "{{\(model)}}")]))
        board.add(
            .timeseries(
                "Errors", "Failed LLM calls per second, per provider.", unit: "reqps", min: 0,
                [Q("sum by (\(provider)) (rate(\(errors)\(rate)))", legend: "{{\(provider)}}")]))
        board.add(
            .timeseries(
                "Cache hit ratio", "Share of LLM calls answered from the cache, per service.", unit: "percentunit",
                min: 0, max: 1,
                [
                    Q(
                        "sum by (service) (rate(\(hits)\(rate))) / sum by (service) (rate(\(requests)\(rate)))",
                        legend: "{{service}}")
                ]))
        return board.build(stackTag: stack.name)
    }
}
