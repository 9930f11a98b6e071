import VitalsExposition
import VitalsProcFS

/// `arp`: ARP table entries per interface, from rtnetlink or /proc/net/arp.
struct ARPCollector: Collector {
    let procFS: ProcFS
    let netlink: Bool
    let filter: DeviceFilter

    init(configuration: ExporterConfiguration) throws(ConfigurationError) {
        procFS = configuration.procFS
        netlink = configuration.arp.netlink
        if configuration.arp.deviceInclude != nil, configuration.arp.deviceExclude != nil {
            throw ConfigurationError(
                "--collector.arp.device-include and --collector.arp.device-exclude are mutually exclusive")
        }
        filter = try DeviceFilter(exclude: configuration.arp.deviceExclude, include: configuration.arp.deviceInclude)
    }

    func collect() throws -> [MetricFamily] {
        var counts: [String: Int] = [:]
        if netlink {
            let names = Dictionary(
                try NetlinkLinkStats.dump().links.map { ($0.index, $0.name) }, uniquingKeysWith: { first, _ in first })
            for (index, count) in try NetlinkNeighbours.dump().entriesByInterfaceIndex {
                counts[names[index] ?? String(index), default: 0] += count
            }
        } else {
            let table = try procFS.arpTable()
            for entry in table.entries { counts[entry.device, default: 0] += 1 }
        }
        var family = MetricFamily.gauge("node_arp_entries", "ARP entries by device")
        for (device, count) in counts where !filter.ignores(device) {
            family.add(Double(count), Label("device", device))
        }
        return [family]
    }
}
