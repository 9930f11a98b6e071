import Logging
import VitalsExposition
import VitalsProcFS

/// `udp_queues`: bytes queued in UDP sockets, IPv4 and IPv6.
struct UDPQueuesCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        var family = MetricFamily.gauge(
            "node_udp_queues", "Number of allocated memory in the kernel for UDP datagrams in bytes.")
        var missing = 0
        for (file, ip) in [("net/udp", "v4"), ("net/udp6", "v6")] {
            guard let summary = try procFS.socketQueues(file) else {
                missing += 1
                continue
            }
            // Labels and series in exposition order, so the merge sorts nothing.
            family.add(Double(summary.receiveQueueBytes), Label("ip", ip), Label("queue", "rx"))
            family.add(Double(summary.transmitQueueBytes), Label("ip", ip), Label("queue", "tx"))
        }
        if missing == 2 { throw CollectorError.noData("neither /proc/net/udp nor udp6 exists") }
        return [family]
    }
}

extension UDPQueuesCollector: CollectorDefinition {
    static let name = "udp_queues"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
