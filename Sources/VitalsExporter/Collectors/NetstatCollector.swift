import VitalsExposition
import VitalsProcFS

/// `netstat`: selected protocol counters of /proc/net/netstat, snmp and snmp6, untyped, as
/// `node_netstat_<Protocol>_<Name>`.
struct NetstatCollector: Collector {
    let procFS: ProcFS
    let fields: DeviceFilter

    init(configuration: ExporterConfiguration) throws(ConfigurationError) {
        procFS = configuration.procFS
        fields = try DeviceFilter(exclude: nil, include: configuration.netstat.fields)
    }

    func collect() throws -> [MetricFamily] {
        var entries = try table("net/netstat").entries + table("net/snmp").entries
        // snmp6 is absent on hosts without IPv6.
        if let bytes = try ifPresent({ () throws(FileSystemError) in try procFS.read("net/snmp6") }) {
            entries += ProtocolStats.parseSNMP6(bytes).entries
        }
        var families: [MetricFamily] = []
        var seen: Set<String> = []
        for entry in entries {
            let key = entry.protocolName + "_" + entry.name
            guard !fields.ignores(key), seen.insert(key).inserted else { continue }
            families.append(
                .single("node_netstat_" + key, "Statistic \(entry.protocolName)\(entry.name).", .untyped, entry.value))
        }
        return families
    }

    private func table(_ file: String) throws -> ProtocolStats {
        let stats = ProtocolStats.parse(try procFS.read(file))
        procFS.tally?.record(stats.malformedLines, in: procFS.path(file))
        return stats
    }
}
