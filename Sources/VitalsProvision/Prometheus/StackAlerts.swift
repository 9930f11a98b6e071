import VitalsStack

/// Alerts on what `vitals serve` and Prometheus itself report about the stack: probes, service
/// readiness, the stack as a whole, and targets that cannot be scraped.
enum StackAlerts {
    static func group(_ stack: Stack) -> RuleGroup {
        let inStack = "stack=\"\(stack.name)\""
        let target = ["job": "backend", "instance": "backend-1:8000", "stack": stack.name, "service": "backend"]
        let probe = ["job": "vitals", "instance": "backend-1:8000", "stack": stack.name, "service": "backend", "probe": "readiness"]
        let service = ["job": "vitals", "instance": "vitals:9110", "stack": stack.name, "service": "backend"]
        let whole = ["job": "vitals", "instance": "vitals:9110", "stack": stack.name]
        func test(_ metric: String, _ labels: [String: String], bad: String, good: String, at time: String, _ severity: AlertRule.Severity)
            -> AlertTest
        {
            AlertTest(
                firing: [.init(PromQL.series(metric, labels), bad)], silent: [.init(PromQL.series(metric, labels), good)],
                evalTime: time, expected: [labels.merging(["severity": severity.rawValue]) { $1 }])
        }
        return RuleGroup(
            name: "stack",
            rules: [
                AlertRule(
                    name: "TargetDown", expr: "up{\(inStack)} == 0", duration: "5m", severity: .warning,
                    summary: "Prometheus cannot scrape {{ $labels.job }}.",
                    description: "Target {{ $labels.instance }} of job {{ $labels.job }} in stack {{ $labels.stack }} has been down for 5 minutes.",
                    test: test("up", target, bad: "0x20", good: "1x20", at: "10m", .warning)),
                AlertRule(
                    name: "ProbeFailing", expr: "probe_success{\(inStack)} == 0", duration: "2m", severity: .warning,
                    summary: "A {{ $labels.probe }} probe of {{ $labels.service }} is failing.",
                    description: "The {{ $labels.probe }} probe of {{ $labels.service }} at {{ $labels.instance }} (stack {{ $labels.stack }}) has failed for 2 minutes.",
                    test: test("probe_success", probe, bad: "0x10", good: "1x10", at: "5m", .warning)),
                AlertRule(
                    name: "ServiceNotReady", expr: "vitals_service_ready{\(inStack)} == 0", duration: "5m", severity: .critical,
                    summary: "Service {{ $labels.service }} is not ready.",
                    description: "Not every replica of {{ $labels.service }} in stack {{ $labels.stack }} has passed its readiness probe for 5 minutes.",
                    test: test("vitals_service_ready", service, bad: "0x20", good: "1x20", at: "10m", .critical)),
                AlertRule(
                    name: "StackNotReady", expr: "vitals_stack_ready{\(inStack)} == 0", duration: "5m", severity: .critical,
                    summary: "Stack {{ $labels.stack }} is not ready.",
                    description: "A service of stack {{ $labels.stack }}, or one it depends on, has not been ready for 5 minutes.",
                    test: test("vitals_stack_ready", whole, bad: "0x20", good: "1x20", at: "10m", .critical)),
            ])
    }
}
