import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `netdev`: traffic and error counters per interface, as `node_network_<stat>_total{device}`.
///
/// Counters come from rtnetlink by default (as node_exporter's `--collector.netdev.netlink`),
/// folded into the legacy /proc/net/dev names unless detailed metrics are asked for.
struct NetdevCollector: ConfigurableCollector {
    typealias Options = NetdevOptions
    static let name = "netdev"
    static let enabledByDefault = true

    let procFS: ProcFS
    let sysFS: SysFS
    let options: NetdevOptions
    let filter: DeviceFilter

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        procFS = configuration.procFS
        sysFS = configuration.sysFS
        options = try NetdevOptions(flags: configuration.flags)
        filter = try DeviceFilter(exclude: options.deviceExclude, include: options.deviceInclude)
    }

    func collect() throws -> [MetricFamily] {
        let columns: [Column]
        let stats: [(device: String, values: [UInt64?])]
        if options.netlink {
            columns = options.detailedMetrics ? Self.detailedColumns : Self.legacyColumns
            stats = try netlinkStats(columns)
        } else {
            columns = Self.procColumns
            stats = try procStats()
        }
        var families = columns.map { column in
            var family = MetricFamily.counter(column.name, column.help)
            family.metrics.reserveCapacity(stats.count)
            return family
        }
        // One sort of the devices here instead of one per family in the merge (device is the
        // first label, and names are unique).
        for (device, values) in stats.sorted(by: { $0.device.precedesInByteOrder($1.device) }) {
            var labels = [Label("device", device)]
            if options.labelIfAlias {
                let alias = sysFS.interfaceAlias(device) ?? ""
                labels.append(Label("ifalias", alias))
            }
            for (index, value) in values.enumerated() {
                if let value { families[index].add(Double(value), labels: labels) }
            }
        }
        return families.filter { !$0.metrics.isEmpty }
    }

    /// One family of the output: its name and HELP, and the netlink counters it adds up.
    struct Column: Sendable {
        var name: String
        var help: String
        /// Positions in ``NetlinkLinkStats/fieldNames``; empty for /proc/net/dev's columns.
        var fields: [Int]

        init(_ key: String, fields: [String] = []) {
            name = "node_network_\(key)_total"
            help = "Network device statistic \(key)."
            self.fields = fields.map { NetlinkLinkStats.fieldNames.firstIndex(of: $0)! }
        }
    }

    /// Per link, each column's value: the sum of its counters; in detailed mode, nil where the
    /// kernel does not report the counter.
    private func netlinkStats(_ columns: [Column]) throws -> [(device: String, values: [UInt64?])] {
        let dump = try NetlinkLinkStats.dump()
        return dump.links.compactMap { link in
            guard !filter.ignores(link.name) else { return nil }
            let values = columns.map { column -> UInt64? in
                if options.detailedMetrics {
                    let field = column.fields[0]
                    return field < link.counters.count ? link.counters[field] : nil
                }
                // node_exporter's legacy names sum counters, taking a missing one as 0.
                return column.fields.reduce(0) { $1 < link.counters.count ? $0 &+ link.counters[$1] : $0 }
            }
            return (link.name, values)
        }
    }

    private func procStats() throws -> [(device: String, values: [UInt64?])] {
        try procFS.netDev().interfaces.compactMap { interface in
            guard !filter.ignores(interface.name) else { return nil }
            return (
                interface.name,
                [
                    interface.receiveBytes, interface.receivePackets, interface.receiveErrors,
                    interface.receiveDropped, interface.receiveFIFO, interface.receiveFrame,
                    interface.receiveCompressed, interface.receiveMulticast, interface.transmitBytes,
                    interface.transmitPackets, interface.transmitErrors, interface.transmitDropped,
                    interface.transmitFIFO, interface.transmitCollisions, interface.transmitCarrier,
                    interface.transmitCompressed,
                ]
            )
        }
    }

    /// /proc/net/dev's columns, in the order ``procStats()`` gives them.
    static let procColumns = [
        "receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo", "receive_frame",
        "receive_compressed", "receive_multicast", "transmit_bytes", "transmit_packets", "transmit_errs",
        "transmit_drop", "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed",
    ].map { Column($0) }

    /// `--collector.netdev.enable-detailed-metrics`: one family per netlink counter.
    static let detailedColumns = [
        ("rx_packets", "receive_packets"), ("tx_packets", "transmit_packets"), ("rx_bytes", "receive_bytes"),
        ("tx_bytes", "transmit_bytes"), ("rx_errors", "receive_errors"), ("tx_errors", "transmit_errors"),
        ("rx_dropped", "receive_dropped"), ("tx_dropped", "transmit_dropped"), ("multicast", "multicast"),
        ("collisions", "collisions"), ("rx_length_errors", "receive_length_errors"),
        ("rx_over_errors", "receive_over_errors"), ("rx_crc_errors", "receive_crc_errors"),
        ("rx_frame_errors", "receive_frame_errors"), ("rx_fifo_errors", "receive_fifo_errors"),
        ("rx_missed_errors", "receive_missed_errors"), ("tx_aborted_errors", "transmit_aborted_errors"),
        ("tx_carrier_errors", "transmit_carrier_errors"), ("tx_fifo_errors", "transmit_fifo_errors"),
        ("tx_heartbeat_errors", "transmit_heartbeat_errors"), ("tx_window_errors", "transmit_window_errors"),
        ("rx_compressed", "receive_compressed"), ("tx_compressed", "transmit_compressed"),
        ("rx_nohandler", "receive_nohandler"),
    ].map { Column($0.1, fields: [$0.0]) }

    /// node_exporter's default names, some of them sums of netlink counters as /proc/net/dev has them.
    static let legacyColumns = [
        Column("receive_packets", fields: ["rx_packets"]), Column("transmit_packets", fields: ["tx_packets"]),
        Column("receive_bytes", fields: ["rx_bytes"]), Column("transmit_bytes", fields: ["tx_bytes"]),
        Column("receive_errs", fields: ["rx_errors"]), Column("transmit_errs", fields: ["tx_errors"]),
        Column("receive_drop", fields: ["rx_dropped", "rx_missed_errors"]),
        Column("transmit_drop", fields: ["tx_dropped"]), Column("receive_multicast", fields: ["multicast"]),
        Column("transmit_colls", fields: ["collisions"]),
        Column("receive_frame", fields: ["rx_frame_errors", "rx_length_errors", "rx_over_errors", "rx_crc_errors"]),
        Column("receive_fifo", fields: ["rx_fifo_errors"]),
        Column(
            "transmit_carrier",
            fields: ["tx_carrier_errors", "tx_aborted_errors", "tx_heartbeat_errors", "tx_window_errors"]),
        Column("transmit_fifo", fields: ["tx_fifo_errors"]), Column("receive_compressed", fields: ["rx_compressed"]),
        Column("transmit_compressed", fields: ["tx_compressed"]),
        Column("receive_nohandler", fields: ["rx_nohandler"]),
    ]
}

struct NetdevOptions: CollectorOptions {
    static let deviceIncludeFlag = CollectorFlag.value(
        "collector.netdev.device-include",
        help: "Regexp of net devices to include (mutually exclusive to device-exclude).")
    static let deviceWhitelistFlag = CollectorFlag.value("collector.netdev.device-whitelist", help: "", hidden: true)
    static let deviceExcludeFlag = CollectorFlag.value(
        "collector.netdev.device-exclude",
        help: "Regexp of net devices to exclude (mutually exclusive to device-include).")
    static let deviceBlacklistFlag = CollectorFlag.value("collector.netdev.device-blacklist", help: "", hidden: true)
    static let netlinkFlag = CollectorFlag.bool(
        "collector.netdev.netlink", default: true, help: "Use netlink to gather stats instead of /proc/net/dev.")
    static let detailedMetricsFlag = CollectorFlag.bool(
        "collector.netdev.enable-detailed-metrics",
        help: "Use (incompatible) metric names that provide more detailed stats on Linux.")
    static let labelIfAliasFlag = CollectorFlag.bool("collector.netdev.label-ifalias", help: "Add ifAlias label.")
    static let flags = [
        deviceIncludeFlag, deviceWhitelistFlag, deviceExcludeFlag, deviceBlacklistFlag, netlinkFlag,
        detailedMetricsFlag,
        labelIfAliasFlag,
    ]

    var deviceInclude: String?
    var deviceExclude: String?
    /// Read counters over rtnetlink instead of /proc/net/dev.
    var netlink: Bool
    /// The netlink counter names, unmerged.
    var detailedMetrics: Bool
    var labelIfAlias: Bool

    init(flags: CollectorFlagValues) throws(ConfigurationError) {
        (deviceInclude, deviceExclude) = try flags.includeOrExclude(
            include: Self.deviceIncludeFlag, includeAlias: Self.deviceWhitelistFlag, exclude: Self.deviceExcludeFlag,
            excludeAlias: Self.deviceBlacklistFlag)
        netlink = flags.bool(Self.netlinkFlag)
        detailedMetrics = flags.bool(Self.detailedMetricsFlag)
        labelIfAlias = flags.bool(Self.labelIfAliasFlag)
    }
}
