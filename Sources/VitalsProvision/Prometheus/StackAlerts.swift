import VitalsStack

/// Alerts on what `vitals serve` and Prometheus itself report about the stack: targets that
/// cannot be scraped, probes, service readiness, and the stack as a whole.
///
/// A service with some replicas not ready is a warning; with none ready it is critical and an
/// outage, which holds back the alerts of what depends on it. The stack-level alert is a warning
/// that service-level alerts hold back, so it never repeats one.
enum StackAlerts {
    static func group(_ stack: Stack) -> RuleGroup {
        let inStack = "stack=\"\(stack.name)\""
        let vitals = stack.services(of: .vitals).first.map { PrometheusConfig.jobName(stack, $0) }
        let target = [
            "job": "\(stack.name)/backend", "instance": "backend-1:8000", "stack": stack.name, "service": "backend",
        ]
        let vitalsJob = vitals ?? "\(stack.name)/vitals"
        let probe = [
            "job": vitalsJob, "instance": "backend-1:8000", "stack": stack.name, "service": "backend",
            "probe": "readiness",
        ]
        let service = ["job": vitalsJob, "instance": "vitals:9110", "stack": stack.name, "service": "backend"]
        let whole = ["job": vitalsJob, "instance": "vitals:9110", "stack": stack.name]
        func test(
            _ input: [(String, [String: String], bad: String, good: String)], at time: String,
            expect labels: [String: String],
            _ severity: AlertRule.Severity, extra: [String: String]
        ) -> AlertTest {
            AlertTest(
                firing: input.map { .init(PromQL.series($0.0, $0.1), $0.bad) },
                silent: input.map { .init(PromQL.series($0.0, $0.1), $0.good) }, evalTime: time,
                expected: [labels.merging(extra) { $1 }.merging(["severity": severity.rawValue]) { $1 }])
        }
        let serviceScope = ["scope": "service", "source": "probes"]
        var rules = [
            AlertRule(
                name: "TargetDown", expr: "up{\(inStack)} == 0", duration: "5m", severity: .warning,
                summary: "Prometheus cannot scrape {{ $labels.job }}.",
                description:
                    "Target {{ $labels.instance }} of job {{ $labels.job }} in stack {{ $labels.stack }} has been down for 5 minutes; the alerts computed from its metrics are held back.",
                test: test(
                    [("up", target, "0x20", "1x20")], at: "10m", expect: target, .warning, extra: ["scope": "target"]),
                extraLabels: ["scope": "target"], jobs: [], dashboard: "stack-health")
        ]
        guard let vitals else { return RuleGroup(name: "\(stack.name)/stack", rules: rules) }
        rules += [
            AlertRule(
                name: "ProbeFailing", expr: "probe_success{\(inStack)} == 0", duration: "2m", severity: .warning,
                summary: "A {{ $labels.probe }} probe of {{ $labels.service }} is failing.",
                description:
                    "The {{ $labels.probe }} probe of {{ $labels.service }} at {{ $labels.instance }} (stack {{ $labels.stack }}) has failed for 2 minutes.",
                test: test(
                    [("probe_success", probe, "0x10", "1x10")], at: "5m", expect: probe, .warning, extra: serviceScope),
                extraLabels: serviceScope, jobs: [vitals], dashboard: "stack-health"),
            AlertRule(
                name: "ServiceReplicasNotReady",
                expr: "vitals_service_ready{\(inStack)} == 0 and vitals_service_ready_replicas{\(inStack)} > 0",
                duration: "5m", severity: .warning,
                summary: "Some replicas of {{ $labels.service }} are not ready.",
                description:
                    "Not every replica of {{ $labels.service }} in stack {{ $labels.stack }} has passed its readiness probe for 5 minutes; the others still serve.",
                test: test(
                    [
                        ("vitals_service_ready", service, "0x20", "1x20"),
                        ("vitals_service_ready_replicas", service, "2x20", "3x20"),
                    ],
                    at: "10m", expect: service, .warning, extra: serviceScope),
                extraLabels: serviceScope, jobs: [vitals], dashboard: "stack-health"),
            AlertRule(
                name: "ServiceNoReadyReplica",
                expr: "vitals_service_ready_replicas{\(inStack)} == 0 and vitals_service_ready{\(inStack)} == 0",
                duration: "2m", severity: .critical,
                summary: "{{ $labels.service }} has no ready replica.",
                description:
                    "No replica of {{ $labels.service }} in stack {{ $labels.stack }} has passed its readiness probe for 2 minutes: it is down, and what depends on it is held back from paging.",
                test: test(
                    [
                        ("vitals_service_ready", service, "0x20", "0x20"),
                        ("vitals_service_ready_replicas", service, "0x20", "1x20"),
                    ],
                    at: "10m", expect: service, .critical, extra: serviceScope.merging(["impact": "outage"]) { $1 }),
                extraLabels: serviceScope.merging(["impact": "outage"]) { $1 }, jobs: [vitals],
                dashboard: "stack-health"),
            AlertRule(
                name: "StackNotReady", expr: "vitals_stack_ready{\(inStack)} == 0", duration: "5m", severity: .warning,
                summary: "Stack {{ $labels.stack }} is not ready.",
                description:
                    "A service of stack {{ $labels.stack }}, or one it depends on, has not been ready for 5 minutes; the service-level alerts say which.",
                test: test(
                    [("vitals_stack_ready", whole, "0x20", "1x20")], at: "10m", expect: whole, .warning,
                    extra: ["scope": "stack"]),
                extraLabels: ["scope": "stack"], jobs: [vitals], dashboard: "stack-health"),
        ]
        return RuleGroup(name: "\(stack.name)/stack", rules: rules)
    }
}
