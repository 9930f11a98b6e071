import VitalsDocuments
import VitalsStack

/// Requests, errors and latency of the FastAPI services, on prometheus-fastapi-instrumentator's
/// names. The stack's own probe and metrics paths are left out of the user-facing panels, and
/// latency reads the fine-bucket histogram, which sees up to 60 s.
enum HTTPDashboard {
    typealias Q = DashboardPanel.Query

    static func build(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "HTTP services", slug: "http-red",
            about:
                "User requests, errors and latency of the FastAPI services (prometheus-fastapi-instrumentator metrics); the stack's probes and scrapes are left out."
        )
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let rate = ServiceDashboards.rate
        let own = Set(services.flatMap(FastAPIAlerts.ownPaths)).sorted()
        let users =
            ServiceDashboards.selector(stack) + ",handler!~\"" + own.map(PromQL.escapeRegex).joined(separator: "|")
            + "\""
        let all = ServiceDashboards.selector(stack)
        let requests = "http_requests_total{\(users)}"
        let histograms = services.map { $0.metrics?.latencyHistogram ?? FastAPIAlerts.defaultHistogram }
        // The fine-bucket histogram has no handler label: latency covers every request.
        let buckets = ServiceDashboards.anyOf(histograms, all, suffix: "_bucket")

        board.row("Rate")
        board.add(
            .stat(
                "Requests/s", "User requests per second (probes and scrapes left out).", unit: "reqps", width: 6,
                Q("sum(rate(\(requests)\(rate)))")))
        board.add(
            .stat(
                "5xx ratio", "Share of user requests answered with a 5xx status.", unit: "percentunit", width: 6,
                thresholds: [(nil, "green"), (0.01, "orange"), (0.05, "red")],
                Q("sum(rate(http_requests_total{\(users),status=~\"5..\"}\(rate))) / sum(rate(\(requests)\(rate)))")))
        board.add(
            .stat(
                "p95 latency", "95th percentile request duration.", unit: "s", width: 6,
                Q("histogram_quantile(0.95, sum by (le) (rate(\(buckets)\(rate))))")))
        board.add(.stat("Replicas up", "Replicas Prometheus can scrape.", unit: "none", width: 6, Q("sum(up{\(all)})")))
        board.add(
            .timeseries(
                "Request rate per handler", "User requests per second, per handler.", unit: "reqps", min: 0,
                [Q("sum by (handler) (rate(\(requests)\(rate)))", legend: "{{handler}}")]))
        board.add(
            .timeseries(
                "Requests per status", "User requests per second, per status class.", unit: "reqps", min: 0,
                stacked: true,
                [Q("sum by (status) (rate(\(requests)\(rate)))", legend: "{{status}}")]))
        board.add(
            .timeseries(
                "Requests per replica",
                "User requests per second, per replica: an uneven share points at the load balancer.", unit: "reqps",
                min: 0,
                [Q("sum by (instance) (rate(\(requests)\(rate)))", legend: "{{instance}}")]))
        board.add(
            .timeseries(
                "In-progress requests",
                "Requests being handled now, per replica (needs the instrumentator's should_instrument_requests_inprogress).",
                unit: "none", min: 0,
                [Q("sum by (instance) (http_requests_inprogress{\(all)})", legend: "{{instance}}")]))
        board.row("Errors")
        board.add(
            .timeseries(
                "5xx ratio per handler", "Share of each handler's user requests answered with a 5xx status.",
                unit: "percentunit", min: 0,
                [
                    Q(
                        "sum by (handler) (rate(http_requests_total{\(users),status=~\"5..\"}\(rate))) / sum by (handler) (rate(\(requests)\(rate)))",
                        legend: "{{handler}}")
                ]))
        board.add(
            .timeseries(
                "4xx per handler", "4xx answers per second, per handler: clients sending what the API refuses.",
                unit: "reqps", min: 0,
                [
                    Q(
                        "sum by (handler) (rate(http_requests_total{\(users),status=~\"4..\"}\(rate)))",
                        legend: "{{handler}}")
                ]))
        board.add(
            .timeseries(
                "5xx per replica", "5xx answers per second, per replica: one bad replica, or all of them?",
                unit: "reqps", min: 0,
                [
                    Q(
                        "sum by (instance) (rate(http_requests_total{\(users),status=~\"5..\"}\(rate)))",
                        legend: "{{instance}}")
                ]))
        board.row("Duration")
        board.add(
            .timeseries(
                "Latency percentiles",
                "50th, 95th and 99th percentile request duration, from the fine-bucket histogram (which counts every request).",
                unit: "s", min: 0,
                [0.5, 0.95, 0.99].map { quantile in
                    Q(
                        "histogram_quantile(\(quantile), sum by (le) (rate(\(buckets)\(rate))))",
                        legend: "p\(Int(quantile * 100))")
                }))
        board.add(
            .timeseries(
                "p95 latency per replica", "95th percentile request duration, per replica.", unit: "s", min: 0,
                [Q("histogram_quantile(0.95, sum by (instance, le) (rate(\(buckets)\(rate))))", legend: "{{instance}}")]
            ))
        board.row("Processes")
        board.add(
            .timeseries(
                "CPU per replica", "CPU seconds per second used by each replica's process.", unit: "percentunit",
                min: 0,
                [Q("sum by (instance) (rate(process_cpu_seconds_total{\(all)}\(rate)))", legend: "{{instance}}")]))
        board.add(
            .timeseries(
                "Memory per replica", "Resident memory of each replica's process.", unit: "bytes", min: 0,
                [Q("sum by (instance) (process_resident_memory_bytes{\(all)})", legend: "{{instance}}")]))
        return board.build(stackTag: stack.name)
    }
}
