import Logging
import VitalsExposition
import VitalsProcFS

/// `softnet`: per-CPU packet processing statistics from /proc/net/softnet_stat.
struct SoftnetCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let stat = try procFS.softnetStat()
        var processed = MetricFamily.counter("node_softnet_processed_total", "Number of processed packets")
        var dropped = MetricFamily.counter("node_softnet_dropped_total", "Number of dropped packets")
        var squeezed = MetricFamily.counter(
            "node_softnet_times_squeezed_total", "Number of times processing packets ran out of quota")
        var collisions = MetricFamily.counter(
            "node_softnet_cpu_collision_total",
            "Number of collision occur while obtaining device lock while transmitting")
        var receivedRPS = MetricFamily.counter(
            "node_softnet_received_rps_total", "Number of times cpu woken up received_rps")
        var flowLimit = MetricFamily.counter(
            "node_softnet_flow_limit_count_total", "Number of times flow limit has been reached")
        var backlog = MetricFamily.gauge("node_softnet_backlog_len", "Softnet backlog status")
        for cpu in stat.cpus {
            let label = Label("cpu", String(cpu.index))
            processed.add(Double(cpu.processed), label)
            dropped.add(Double(cpu.dropped), label)
            squeezed.add(Double(cpu.timeSqueezed), label)
            collisions.add(Double(cpu.cpuCollision), label)
            receivedRPS.add(Double(cpu.receivedRPS), label)
            flowLimit.add(Double(cpu.flowLimitCount), label)
            backlog.add(Double(cpu.backlogLength), label)
        }
        return [processed, dropped, squeezed, collisions, receivedRPS, flowLimit, backlog]
    }
}

extension SoftnetCollector: CollectorDefinition {
    static let name = "softnet"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
