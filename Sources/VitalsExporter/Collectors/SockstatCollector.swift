import Logging
import VitalsExposition
import VitalsProcFS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `sockstat`: socket counts per protocol from /proc/net/sockstat and sockstat6.
struct SockstatCollector: Collector {
    static let keys = ["inuse", "orphan", "tw", "alloc", "mem", "memory"]

    let procFS: ProcFS
    let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    func collect() throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        for (file, isIPv6) in [("net/sockstat", false), ("net/sockstat6", true)] {
            guard let stat = try procFS.sockstat(file) else { continue }
            if !isIPv6, let used = stat.socketsUsed {
                families.append(
                    .single("node_sockstat_sockets_used", "Number of IPv4 sockets in use.", .gauge, Double(used)))
            }
            for protocolCounts in stat.protocols {
                var pairs: [(String, Int64)] = Self.keys.compactMap { key in
                    protocolCounts.value(key).map { (key, $0) }
                }
                if let pages = protocolCounts.value("mem") { pairs.append(("mem_bytes", pages * pageSize)) }
                for (key, value) in pairs {
                    families.append(
                        .single(
                            "node_sockstat_\(protocolCounts.name)_\(key)",
                            "Number of \(protocolCounts.name) sockets in state \(key).", .gauge, Double(value)))
                }
            }
        }
        return families
    }
}

extension SockstatCollector: CollectorDefinition {
    static let name = "sockstat"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
