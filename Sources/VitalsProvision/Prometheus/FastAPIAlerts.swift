import VitalsStack

/// Alerts for FastAPI services on prometheus-fastapi-instrumentator's metrics.
///
/// The instrumentator counts every handler, the stack's own probes and Prometheus' scrapes
/// included: a replica probed every 10 s and scraped every 15 s adds a quarter of a request a
/// second of 2xx, enough to hide a real error rate from a ratio, and readiness 503s during a
/// dependency's outage would count as user-facing errors. Ratios leave those paths out. Latency
/// comes from the fine-bucket histogram (`http_request_duration_highr_seconds`): the default
/// per-handler one stops at 1 s, where a 30 s request still reads as 1 s.
enum FastAPIAlerts {
    /// The default latency histogram: the instrumentator's, with buckets from 10 ms to 60 s.
    static let defaultHistogram = "http_request_duration_highr_seconds"
    /// Its bucket bounds, as the Python client writes them.
    static let highrBuckets = [
        "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5",
        "4.0", "4.5", "5.0", "7.5", "10.0", "30.0", "60.0", "+Inf",
    ]

    /// The stack's own traffic to the service: its probe paths and its metrics path.
    static func ownPaths(_ service: Service) -> [String] {
        var paths: [String] = []
        for probe in service.probes {
            guard case .httpGet(let action) = probe.handler else { continue }
            paths.append(action.path)
            if let fallback = action.fallbackPath { paths.append(fallback) }
        }
        paths.append(service.metrics?.path ?? "/metrics")
        var seen: Set<String> = []
        return paths.filter { seen.insert($0).inserted }.sorted()
    }

    /// `handler!~"/health|/metrics"`: the requests of users, not of the monitoring.
    static func userTraffic(_ service: Service) -> String {
        "handler!~\"" + ownPaths(service).map(PromQL.escapeRegex).joined(separator: "|") + "\""
    }

    static func rules(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let sel = ServiceAlerts.selector(service, stack) + "," + userTraffic(service)
        // The fine-bucket histogram has no handler label; user requests must dominate it, as they
        // do under load (the drills check that the alert fires).
        let latencySel = ServiceAlerts.selector(service, stack)
        let base = ServiceAlerts.labels(service, stack)
        let ratio = service.threshold("errorRatio")
        let latency = service.threshold("latencyP95Seconds")
        let histogram = service.metrics?.latencyHistogram ?? defaultHistogram
        let target = ServiceAlerts.target(service, stack, instance: "backend-1:8000")
        let chat = target.merging(["handler": "/chat", "method": "POST"]) { $1 }
        let probe = target.merging(["handler": ownPaths(service).first ?? "/health", "method": "GET"]) { $1 }
        func requests(_ errors: Int) -> [AlertTest.Series] {
            [
                .init(
                    PromQL.series("http_requests_total", chat.merging(["status": "2xx"]) { $1 }),
                    "0+\(1000 - errors)x30"),
                .init(PromQL.series("http_requests_total", chat.merging(["status": "5xx"]) { $1 }), "0+\(errors)x30"),
                // Probes and scrapes at a high rate must not dilute the ratio.
                .init(PromQL.series("http_requests_total", probe.merging(["status": "2xx"]) { $1 }), "0+100000x30"),
            ]
        }
        func buckets(slow: Bool) -> [AlertTest.Series] {
            // 100 requests a minute, all slower than twice the threshold (or all faster than half).
            HighrHistogram.series(
                "\(histogram)_bucket", target, slowerThan: slow ? latency * 2 : nil,
                fasterThan: slow ? nil : latency / 2)
        }
        return [
            AlertRule(
                name: "FastAPIHighErrorRatio",
                expr:
                    "sum by (stack, service) (rate(http_requests_total{\(sel),status=~\"5..\"}[5m])) / sum by (stack, service) (rate(http_requests_total{\(sel)}[5m])) > \(PromQL.number(ratio))",
                duration: "5m", severity: .critical,
                summary: "{{ $labels.service }} answers too many requests with 5xx.",
                description:
                    "More than \(PromQL.human(ratio, percent: true)) of the user requests to {{ $labels.service }} (stack {{ $labels.stack }}) have failed with a 5xx status for 5 minutes; probes and scrapes are not counted.",
                test: AlertTest(
                    firing: requests(ServiceAlerts.above(ratio)), silent: requests(ServiceAlerts.below(ratio)),
                    evalTime: "15m",
                    expected: ServiceAlerts.expected(base, .critical, extra: ["source": "metrics"])),
                dashboard: "http-red"),
            AlertRule(
                name: "FastAPIHighLatency",
                expr:
                    "histogram_quantile(0.95, sum by (stack, service, le) (rate(\(histogram)_bucket{\(latencySel)}[5m]))) > \(PromQL.number(latency))",
                duration: "10m", severity: .warning,
                summary: "{{ $labels.service }} is slow.",
                description:
                    "The 95th percentile latency of {{ $labels.service }} (stack {{ $labels.stack }}) has been above \(PromQL.human(latency))s for 10 minutes.",
                test: AlertTest(
                    firing: buckets(slow: true), silent: buckets(slow: false), evalTime: "20m",
                    expected: ServiceAlerts.expected(base, .warning, extra: ["source": "metrics"])),
                dashboard: "http-red"),
        ]
    }
}

/// Test input for a histogram with the instrumentator's fine buckets.
enum HighrHistogram {
    /// Cumulative bucket series of 100 observations a minute, all above `slowerThan` or all below
    /// `fasterThan`, for 40 minutes.
    static func series(_ name: String, _ labels: [String: String], slowerThan: Double?, fasterThan: Double?)
        -> [AlertTest.Series]
    {
        FastAPIAlerts.highrBuckets.map { le in
            let bound = le == "+Inf" ? Double.infinity : Double(le) ?? 0
            let counted: Bool
            if let slowerThan { counted = bound > slowerThan } else { counted = bound >= (fasterThan ?? 0) }
            return AlertTest.Series(
                PromQL.series(name, labels.merging(["le": le]) { $1 }), counted ? "0+100x40" : "0x40")
        }
    }
}
