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
        let stats = options.netlink ? try netlinkStats() : try procStats()
        var families: [String: MetricFamily] = [:]
        for (device, counters) in stats {
            var labels = [Label("device", device)]
            if options.labelIfAlias {
                let alias = sysFS.interfaceAlias(device) ?? ""
                labels.append(Label("ifalias", alias))
            }
            for (key, value) in counters {
                let name = "node_network_\(key)_total"
                families[name, default: .counter(name, "Network device statistic \(key).")]
                    .add(Double(value), labels: labels)
            }
        }
        return Array(families.values)
    }

    private func netlinkStats() throws -> [(String, [(String, UInt64)])] {
        let dump = try NetlinkLinkStats.dump()
        return dump.links.compactMap { link in
            guard !filter.ignores(link.name) else { return nil }
            var counters: [String: UInt64] = [:]
            for (index, field) in NetlinkLinkStats.fieldNames.enumerated() where index < link.counters.count {
                counters[field] = link.counters[index]
            }
            return (link.name, options.detailedMetrics ? Self.detailed(counters) : Self.legacy(counters))
        }
    }

    private func procStats() throws -> [(String, [(String, UInt64)])] {
        try procFS.netDev().interfaces.compactMap { interface in
            guard !filter.ignores(interface.name) else { return nil }
            return (
                interface.name,
                [
                    ("receive_bytes", interface.receiveBytes), ("receive_packets", interface.receivePackets),
                    ("receive_errs", interface.receiveErrors), ("receive_drop", interface.receiveDropped),
                    ("receive_fifo", interface.receiveFIFO), ("receive_frame", interface.receiveFrame),
                    ("receive_compressed", interface.receiveCompressed),
                    ("receive_multicast", interface.receiveMulticast), ("transmit_bytes", interface.transmitBytes),
                    ("transmit_packets", interface.transmitPackets), ("transmit_errs", interface.transmitErrors),
                    ("transmit_drop", interface.transmitDropped), ("transmit_fifo", interface.transmitFIFO),
                    ("transmit_colls", interface.transmitCollisions),
                    ("transmit_carrier", interface.transmitCarrier),
                    ("transmit_compressed", interface.transmitCompressed),
                ]
            )
        }
    }

    /// The netlink counters under node_exporter's detailed names.
    static func detailed(_ counters: [String: UInt64]) -> [(String, UInt64)] {
        var result: [(String, UInt64)] = []
        for (field, name) in detailedNames {
            if let value = counters[field] { result.append((name, value)) }
        }
        return result
    }

    static let detailedNames: [(String, String)] = [
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
    ]

    /// Folds the detailed netlink counters into the /proc/net/dev names, exactly as the kernel's
    /// `dev_seq_printf_stats` (and node_exporter's `legacy`) do.
    static func legacy(_ counters: [String: UInt64]) -> [(String, UInt64)] {
        func value(_ key: String) -> UInt64 { counters[key] ?? 0 }
        return [
            ("receive_packets", value("rx_packets")), ("transmit_packets", value("tx_packets")),
            ("receive_bytes", value("rx_bytes")), ("transmit_bytes", value("tx_bytes")),
            ("receive_errs", value("rx_errors")), ("transmit_errs", value("tx_errors")),
            ("receive_drop", value("rx_dropped") &+ value("rx_missed_errors")),
            ("transmit_drop", value("tx_dropped")), ("receive_multicast", value("multicast")),
            ("transmit_colls", value("collisions")),
            (
                "receive_frame",
                value("rx_frame_errors") &+ value("rx_length_errors") &+ value("rx_over_errors")
                    &+ value("rx_crc_errors")
            ),
            ("receive_fifo", value("rx_fifo_errors")),
            (
                "transmit_carrier",
                value("tx_carrier_errors") &+ value("tx_aborted_errors") &+ value("tx_heartbeat_errors")
                    &+ value("tx_window_errors")
            ),
            ("transmit_fifo", value("tx_fifo_errors")), ("receive_compressed", value("rx_compressed")),
            ("transmit_compressed", value("tx_compressed")), ("receive_nohandler", value("rx_nohandler")),
        ]
    }
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
