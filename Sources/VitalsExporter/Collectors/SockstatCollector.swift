import Logging
import Synchronization
import VitalsExposition
import VitalsProcFS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `sockstat`: socket counts per protocol from /proc/net/sockstat and sockstat6.
final class SockstatCollector: Collector {
    static let keys = ["inuse", "orphan", "tw", "alloc", "mem", "memory"]

    let procFS: ProcFS
    let pageSize = Int64(sysconf(Int32(_SC_PAGESIZE)))

    /// A protocol's count, as the kernel names them.
    private struct Count: Hashable {
        var protocolName: String
        var key: String
    }
    /// Family names and HELP texts, made once per protocol and count rather than every scrape.
    private let namings = Mutex<[Count: (name: String, help: String)]>([:])

    init(procFS: ProcFS) {
        self.procFS = procFS
    }

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
                    let naming = namings.withLock { namings in
                        let count = Count(protocolName: protocolCounts.name, key: key)
                        if let known = namings[count] { return known }
                        let made = (
                            name: "node_sockstat_\(protocolCounts.name)_\(key)",
                            help: "Number of \(protocolCounts.name) sockets in state \(key)."
                        )
                        // A file that kept naming new protocols must not grow this without end.
                        if namings.count >= 256 { namings.removeAll() }
                        namings[count] = made
                        return made
                    }
                    families.append(.single(naming.name, naming.help, .gauge, Double(value)))
                }
            }
        }
        return families
    }
}

extension SockstatCollector: CollectorDefinition {
    static let name = "sockstat"
    static let enabledByDefault = true

    convenience init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
