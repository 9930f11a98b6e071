import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `tcpstat` (off by default): TCP sockets per state and queued bytes, from `inet_diag`.
struct TCPStatCollector: Collector {
    static let stateNames: [UInt8: String] = [
        1: "established", 2: "syn_sent", 3: "syn_recv", 4: "fin_wait1", 5: "fin_wait2", 6: "time_wait",
        7: "close", 8: "close_wait", 9: "last_ack", 10: "listen", 11: "closing",
    ]

    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        var total = try TCPSocketStates.dump(family: 2)
        if procFS.hasIPv6TCP {
            let ipv6 = try TCPSocketStates.dump(family: 10)
            total.sockets.merge(ipv6.sockets, uniquingKeysWith: +)
            total.receiveQueuedBytes &+= ipv6.receiveQueuedBytes
            total.transmitQueuedBytes &+= ipv6.transmitQueuedBytes
        }
        var family = MetricFamily.gauge("node_tcp_connection_states", "Number of connection states.")
        for (state, count) in total.sockets {
            family.add(Double(count), Label("state", Self.stateNames[state] ?? "unknown"))
        }
        family.add(Double(total.receiveQueuedBytes), Label("state", "rx_queued_bytes"))
        family.add(Double(total.transmitQueuedBytes), Label("state", "tx_queued_bytes"))
        return [family]
    }
}

extension TCPStatCollector: CollectorDefinition {
    static let name = "tcpstat"
    static let enabledByDefault = false

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
