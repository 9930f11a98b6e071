import VitalsStack

/// Per-service alerts for the kinds that have them, on the metric names their usual exporters use
/// (checked against recorded output of those exporters), with the thresholds of the stack file.
enum ServiceAlerts {
    /// The rule group of one service, or nil when its kind has no alerts.
    static func group(_ service: Service, in stack: Stack) -> RuleGroup? {
        let rules: [AlertRule]
        switch service.kind {
        case .fastapi:
            rules =
                FastAPIAlerts.rules(service, stack) + (service.llm.map { LLMAlerts.rules(service, $0, stack) } ?? [])
        case .redis: rules = RedisAlerts.rules(service, stack)
        case .celery: rules = CeleryAlerts.rules(service, stack)
        case .postgres: rules = PostgresAlerts.rules(service, stack)
        default: return nil
        }
        let job = PrometheusConfig.jobName(stack, service)
        return RuleGroup(
            name: "\(stack.name)/\(service.name)",
            rules: rules.map { rule in
                var rule = rule
                if rule.jobs.isEmpty { rule.jobs = [job] }
                rule.extraLabels["scope"] = "service"
                if rule.extraLabels["source"] == nil { rule.extraLabels["source"] = "metrics" }
                return rule
            })
    }

    /// The outage alert of a server watched by an exporter beside it (redis_exporter's `redis_up`,
    /// postgres_exporter's `pg_up`): the exporter answers and says it cannot reach the server.
    static func serverDown(
        name: String, upMetric: String, product: String, exporter: String, selector: String, target: [String: String],
        dashboard: String
    ) -> AlertRule {
        AlertRule(
            name: name, expr: "\(upMetric){\(selector)} == 0", duration: "1m", severity: .critical,
            summary: "\(product) {{ $labels.service }} is down.",
            description:
                "\(exporter) at {{ $labels.instance }} cannot reach \(product) {{ $labels.service }} (stack {{ $labels.stack }}); what depends on it is held back from paging.",
            test: AlertTest(
                firing: [.init(PromQL.series(upMetric, target), "0x10")],
                silent: [.init(PromQL.series(upMetric, target), "1x10")],
                evalTime: "5m", expected: expected(target, .critical, extra: ["source": "metrics", "impact": "outage"])),
            extraLabels: ["impact": "outage"], dashboard: dashboard)
    }

    /// Per-minute counts for a ratio test: one clearly above the threshold, one clearly below.
    static func above(_ threshold: Double) -> Int { min(1000, Int(((threshold + 1) / 2 * 1000).rounded(.up))) }
    static func below(_ threshold: Double) -> Int { Int((threshold / 2 * 1000).rounded(.down)) }

    static func labels(_ service: Service, _ stack: Stack) -> [String: String] {
        ["stack": stack.name, "service": service.name]
    }

    /// The labels a scraped series of the service carries, as Prometheus attaches them.
    static func target(_ service: Service, _ stack: Stack, instance: String) -> [String: String] {
        labels(service, stack).merging(["job": PrometheusConfig.jobName(stack, service), "instance": instance]) { $1 }
    }

    static func selector(_ service: Service, _ stack: Stack) -> String {
        PromQL.matchers([("stack", stack.name), ("service", service.name)])
    }

    /// The labels of an expected alert: the rule's own, the series', and its severity.
    static func expected(_ labels: [String: String], _ severity: AlertRule.Severity, extra: [String: String] = [:])
        -> [[String: String]]
    {
        [labels.merging(extra) { $1 }.merging(["severity": severity.rawValue, "scope": "service"]) { $1 }]
    }
}
