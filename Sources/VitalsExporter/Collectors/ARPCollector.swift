import Logging
import VitalsExposition
import VitalsProcFS

/// `arp`: ARP table entries per interface, from rtnetlink or /proc/net/arp.
struct ARPCollector: ConfigurableCollector {
    typealias Options = ARPOptions
    static let name = "arp"
    static let enabledByDefault = true

    let procFS: ProcFS
    let netlink: Bool
    let filter: DeviceFilter

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        let options = try ARPOptions(flags: configuration.flags)
        procFS = configuration.procFS
        netlink = options.netlink
        filter = try DeviceFilter(exclude: options.deviceExclude, include: options.deviceInclude)
    }

    func collect() throws -> [MetricFamily] {
        var counts: [String: Int] = [:]
        if netlink {
            for (index, count) in try NetlinkNeighbours.dump().entriesByInterfaceIndex {
                counts[NetlinkNeighbours.interfaceName(index: index) ?? String(index), default: 0] += count
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

struct ARPOptions: CollectorOptions {
    static let deviceIncludeFlag = CollectorFlag.value(
        "collector.arp.device-include", help: "Regexp of arp devices to include (mutually exclusive to device-exclude)."
    )
    static let deviceExcludeFlag = CollectorFlag.value(
        "collector.arp.device-exclude", help: "Regexp of arp devices to exclude (mutually exclusive to device-include)."
    )
    static let netlinkFlag = CollectorFlag.bool(
        "collector.arp.netlink", default: true, help: "Use netlink to gather stats instead of /proc/net/arp.")
    static let flags = [deviceIncludeFlag, deviceExcludeFlag, netlinkFlag]

    var deviceInclude: String?
    var deviceExclude: String?
    /// Read neighbours over rtnetlink instead of /proc/net/arp.
    var netlink: Bool

    init(flags: CollectorFlagValues) throws(ConfigurationError) {
        (deviceInclude, deviceExclude) = try flags.includeOrExclude(
            include: Self.deviceIncludeFlag, exclude: Self.deviceExcludeFlag)
        netlink = flags.bool(Self.netlinkFlag)
    }
}
