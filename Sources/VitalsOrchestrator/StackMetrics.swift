import VitalsExposition
import VitalsProbe
import VitalsStack

/// The metrics `vitals serve` exposes about a stack. The probe families use blackbox_exporter's
/// names, so existing blackbox alerts and dashboards apply.
public enum StackMetrics {
    public static func families(_ status: StackStatus, lateness: LatenessHistogram, probesRun: Int) -> [MetricFamily] {
        let stack = status.stack.name
        var success = MetricFamily(
            name: "probe_success", help: "Displays whether or not the probe was a success", type: .gauge)
        var duration = MetricFamily(
            name: "probe_duration_seconds", help: "Returns how long the probe took to complete in seconds", type: .gauge
        )
        var httpStatus = MetricFamily(
            name: "probe_http_status_code", help: "Response HTTP status code", type: .gauge)
        var probeState = MetricFamily(
            name: "vitals_probe_state", help: "The probe's state after thresholds: 1 success, 0 failure, -1 unknown.",
            type: .gauge)
        var transitions = MetricFamily(
            name: "vitals_probe_transitions_total", help: "How many times the probe's state changed.", type: .counter)
        var ready = MetricFamily(
            name: "vitals_service_ready", help: "Whether every replica of the service is ready.", type: .gauge)
        var live = MetricFamily(
            name: "vitals_service_live", help: "Whether every replica of the service is live.", type: .gauge)
        var effective = MetricFamily(
            name: "vitals_service_effectively_ready",
            help: "Whether the service is ready and everything it depends on is effectively ready.", type: .gauge)
        var blocked = MetricFamily(
            name: "vitals_service_dependency_blocked",
            help: "1 when the service is ready but waits for a dependency that is not.", type: .gauge)
        var replicas = MetricFamily(
            name: "vitals_service_ready_replicas", help: "Replicas of the service whose readiness holds.", type: .gauge)
        var containers = ContainerFamilies()
        for service in status.services {
            let serviceLabels = [Label("stack", stack), Label("service", service.name)]
            ready.add(service.ready ? 1 : 0, labels: serviceLabels)
            live.add(service.live ? 1 : 0, labels: serviceLabels)
            effective.add(service.effectivelyReady ? 1 : 0, labels: serviceLabels)
            blocked.add(service.blockedBy == nil ? 0 : 1, labels: serviceLabels)
            replicas.add(Double(service.readyReplicas), labels: serviceLabels)
            for endpoint in service.endpoints {
                // One container per replica, whichever of its probes asked the engine last.
                let observed = endpoint.probes.sorted { $0.key < $1.key }.compactMap { $0.value.lastResult?.container }
                if let container = observed.last {
                    containers.add(container, labels: serviceLabels + [Label("instance", endpoint.address.description)])
                }
                for (kind, state) in endpoint.probes.sorted(by: { $0.key < $1.key }) {
                    let labels =
                        serviceLabels + [
                            Label("instance", endpoint.address.description), Label("probe", kind.rawValue),
                        ]
                    probeState.add(state.state == .success ? 1 : state.state == .failure ? 0 : -1, labels: labels)
                    transitions.add(Double(state.transitions), labels: labels)
                    guard let last = state.lastResult else { continue }
                    success.add(last.outcome == .success ? 1 : 0, labels: labels)
                    duration.add(last.durationSeconds, labels: labels)
                    if let code = last.statusCode { httpStatus.add(Double(code), labels: labels) }
                }
            }
        }
        let stackReady = MetricFamily(
            name: "vitals_stack_ready", help: "Whether every service of the stack is effectively ready.", type: .gauge,
            metrics: [Metric(labels: [Label("stack", stack)], status.ready ? 1 : 0)])
        var buckets: [Histogram.Bucket] = []
        var cumulative = 0
        for (index, bound) in LatenessHistogram.bounds.enumerated() {
            cumulative += lateness.counts[index]
            buckets.append(.init(upperBound: bound, cumulativeCount: Double(cumulative)))
        }
        let latenessFamily = MetricFamily(
            name: "vitals_probe_schedule_lateness_seconds", help: "How late probes started against their schedule.",
            type: .histogram,
            metrics: [
                Metric(
                    labels: [Label("stack", stack)],
                    value: .histogram(Histogram(buckets: buckets, sum: lateness.sum, count: Double(lateness.total))))
            ])
        let runs = MetricFamily(
            name: "vitals_probes_total", help: "Probes run since start.", type: .counter,
            metrics: [Metric(labels: [Label("stack", stack)], Double(probesRun))])
        return [
            success, duration, httpStatus, probeState, transitions, ready, live, effective, blocked, replicas,
            stackReady, latenessFamily, runs,
        ].filter { !$0.metrics.isEmpty } + containers.families.filter { !$0.metrics.isEmpty }
    }
}

/// `vitals_container_*`: what the engine reported for each replica's container at its last probe.
struct ContainerFamilies {
    var running = MetricFamily(
        name: "vitals_container_running", help: "1 when the replica's container is running.", type: .gauge)
    var healthy = MetricFamily(
        name: "vitals_container_healthy",
        help:
            "1 when the container's own healthcheck reports healthy, 0 when starting or unhealthy; absent without one.",
        type: .gauge)
    var restarts = MetricFamily(
        name: "vitals_container_restarts", help: "Restarts of the container by the engine's restart policy.",
        type: .gauge)
    var oomKilled = MetricFamily(
        name: "vitals_container_oom_killed",
        help: "1 when the container's last exit was the kernel's OOM killer (until it is started again).",
        type: .gauge)
    var exitCode = MetricFamily(
        name: "vitals_container_exit_code", help: "The exit code of the container's last run.", type: .gauge)

    mutating func add(_ container: ContainerObservation, labels: [Label]) {
        let labels = labels + [Label("container", container.name)]
        running.add(container.state == "running" ? 1 : 0, labels: labels)
        if let health = container.health { healthy.add(health == "healthy" ? 1 : 0, labels: labels) }
        restarts.add(Double(container.restartCount), labels: labels)
        oomKilled.add(container.oomKilled ? 1 : 0, labels: labels)
        exitCode.add(Double(container.exitCode), labels: labels)
    }

    var families: [MetricFamily] { [running, healthy, restarts, oomKilled, exitCode] }
}
