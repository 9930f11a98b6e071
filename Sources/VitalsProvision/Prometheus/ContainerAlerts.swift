import VitalsStack

/// Alerts on a container stack's containers, from two sources: the host exporters' `cgroups`
/// collector (`container_*`, cAdvisor's names: OOM kills inside a container, memory near its limit,
/// CPU throttling) and `vitals serve`'s container probes (`vitals_container_*`: restarts, and a
/// container that died of OOM, whose cgroup is gone by the next scrape).
enum ContainerAlerts {
    static func group(_ stack: Stack) -> RuleGroup? {
        guard stack.usesContainers else { return nil }
        let nodeJob = PrometheusConfig.nodeJobName(stack)
        let vitalsJob =
            stack.services(of: .vitals).first.map { PrometheusConfig.jobName(stack, $0) } ?? "\(stack.name)/vitals"
        let node = "job=\"\(nodeJob)\""
        let inStack = "stack=\"\(stack.name)\""
        // Series as the cgroups collector writes them, and as vitals serve does.
        let cgroup = [
            "job": nodeJob, "instance": "host-1:9100", "stack": stack.name, "id": "/docker/4f1c0ffee0dd",
            "name": "\(stack.name)_worker_1", "image": "example/worker:1",
            "container_label_com_docker_compose_project": stack.name,
            "container_label_com_docker_compose_service": "worker",
        ]
        let probed = [
            "job": vitalsJob, "instance": "worker-1", "stack": stack.name, "service": "worker",
            "container": "\(stack.name)_worker_1",
        ]
        func test(
            _ labels: [String: String], _ input: [(metric: String, firing: String, silent: String)], at time: String
        ) -> AlertTest {
            AlertTest(
                firing: input.map { .init(PromQL.series($0.metric, labels), $0.firing) },
                silent: input.map { .init(PromQL.series($0.metric, labels), $0.silent) }, evalTime: time,
                expected: [labels.merging(["severity": "warning", "scope": "container"]) { $1 }])
        }
        let fromCgroups = [
            AlertRule(
                name: "ContainerOOMKillDetected",
                expr: "increase(container_oom_events_total{\(node)}[5m]) > 0", duration: "0m", severity: .warning,
                summary: "A process in container {{ $labels.name }} was OOM-killed.",
                description:
                    "The kernel killed a process in container {{ $labels.name }} on {{ $labels.instance }} because the container reached its memory limit.",
                test: test(cgroup, [("container_oom_events_total", "0x10 1x10", "3x20")], at: "12m")),
            AlertRule(
                name: "ContainerMemoryNearLimit",
                expr:
                    "container_memory_working_set_bytes{\(node)} / (container_spec_memory_limit_bytes{\(node)} > 0) > 0.9",
                duration: "5m", severity: .warning,
                summary: "Container {{ $labels.name }} is near its memory limit.",
                description:
                    "The working set of container {{ $labels.name }} on {{ $labels.instance }} has been above 90% of its memory limit for 5 minutes; the OOM killer is next.",
                // Silent: the same working set without a limit (0 means none).
                test: test(
                    cgroup,
                    [
                        ("container_memory_working_set_bytes", "950x20", "950x20"),
                        ("container_spec_memory_limit_bytes", "1000x20", "0x20"),
                    ], at: "10m")),
            AlertRule(
                name: "ContainerCPUThrottled",
                expr:
                    "rate(container_cpu_cfs_throttled_periods_total{\(node)}[5m]) / rate(container_cpu_cfs_periods_total{\(node)}[5m]) > 0.25",
                duration: "15m", severity: .warning,
                summary: "Container {{ $labels.name }} is CPU-throttled.",
                description:
                    "More than 25% of the CPU periods of container {{ $labels.name }} on {{ $labels.instance }} have been throttled for 15 minutes: its CPU limit slows it down.",
                test: test(
                    cgroup,
                    [
                        ("container_cpu_cfs_throttled_periods_total", "0+300x30", "0+100x30"),
                        ("container_cpu_cfs_periods_total", "0+600x30", "0+600x30"),
                    ], at: "25m")),
        ].map { $0.reading([nodeJob], dashboard: "containers", labels: ["scope": "container"]) }
        let fromProbes = [
            AlertRule(
                name: "ContainerRestarting",
                expr: "increase(vitals_container_restarts{\(inStack)}[15m]) >= 3", duration: "0m",
                severity: .warning,
                summary: "Container {{ $labels.container }} keeps restarting.",
                description:
                    "Container {{ $labels.container }} of {{ $labels.service }} (stack {{ $labels.stack }}) restarted at least 3 times in 15 minutes: it is crash-looping.",
                test: test(probed, [("vitals_container_restarts", "0+1x20", "2x20")], at: "16m")),
            AlertRule(
                name: "ContainerOOMKilled",
                expr: "vitals_container_oom_killed{\(inStack)} == 1", duration: "0m", severity: .warning,
                summary: "Container {{ $labels.container }} was OOM-killed.",
                description:
                    "Container {{ $labels.container }} of {{ $labels.service }} (stack {{ $labels.stack }}) exited because the kernel killed it for memory; raise its mem_limit or find what grows.",
                test: test(probed, [("vitals_container_oom_killed", "0x5 1x10", "0x15")], at: "10m")),
        ].map { $0.reading([vitalsJob], dashboard: "containers", labels: ["scope": "container"]) }
        return RuleGroup(name: "\(stack.name)/containers", rules: fromCgroups + fromProbes)
    }
}
