import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `netclass`: link state and properties of every interface from /sys/class/net.
struct NetclassCollector: ConfigurableCollector {
    typealias Options = NetclassOptions
    static let name = "netclass"
    static let enabledByDefault = true

    let sysFS: SysFS
    let options: NetclassOptions
    let ignored: DeviceFilter

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        sysFS = configuration.sysFS
        options = NetclassOptions(flags: configuration.flags)
        ignored = try DeviceFilter(exclude: options.ignoredDevices, include: nil)
    }

    /// The numeric attributes, in node_exporter's order, with their family type.
    static let properties: [(name: String, type: MetricType, value: @Sendable (NetClassInterface) -> Int64?)] = [
        ("address_assign_type", .gauge, { $0.addrAssignType }),
        ("carrier", .gauge, { $0.carrier }),
        ("carrier_changes_total", .counter, { $0.carrierChanges }),
        ("carrier_up_changes_total", .counter, { $0.carrierUpCount }),
        ("carrier_down_changes_total", .counter, { $0.carrierDownCount }),
        ("device_id", .gauge, { $0.devID }),
        ("dormant", .gauge, { $0.dormant }),
        ("flags", .gauge, { $0.flags }),
        ("iface_id", .gauge, { $0.ifIndex }),
        ("iface_link", .gauge, { $0.ifLink }),
        ("iface_link_mode", .gauge, { $0.linkMode }),
        ("mtu_bytes", .gauge, { $0.mtu }),
        ("name_assign_type", .gauge, { $0.nameAssignType }),
        ("net_dev_group", .gauge, { $0.netDevGroup }),
        ("transmit_queue_length", .gauge, { $0.txQueueLen }),
        ("protocol_type", .gauge, { $0.type }),
    ]

    /// A family per property, without series: their names and HELP texts made once, not per scrape.
    static let emptyPropertyFamilies = properties.map {
        MetricFamily(name: "node_network_\($0.name)", help: "Network device property: \($0.name)", type: $0.type)
    }

    func collect() throws -> [MetricFamily] {
        let devices: [String]
        do {
            devices = try sysFS.netClassDevices()
        } catch {
            guard error.isUnavailable else { throw error }
            throw CollectorError.noData("could not read \(sysFS.path("class/net")): \(error.reason)")
        }
        var up = MetricFamily.gauge("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.")
        var info = MetricFamily.gauge(
            "node_network_info", "Non-numeric data from /sys/class/net/<iface>, value is always 1.")
        var properties = Self.emptyPropertyFamilies
        var speed = MetricFamily.gauge("node_network_speed_bytes", "Network device property: speed_bytes")
        // A series per device in most families: room made once, not by doubling as they grow.
        up.metrics.reserveCapacity(devices.count)
        info.metrics.reserveCapacity(devices.count)
        speed.metrics.reserveCapacity(devices.count)
        for index in properties.indices { properties[index].metrics.reserveCapacity(devices.count) }
        for device in devices where !ignored.ignores(device) {
            let interface: NetClassInterface
            do {
                interface = try sysFS.netClassInterface(device)
            } catch {
                // Gone since the listing (a container's veth pair, say): skipped, not a failed
                // scrape, where node_exporter 1.5.0 fails the whole collector.
                guard error.isNotFound else { throw error }
                continue
            }
            up.add(interface.operState == "up" ? 1 : 0, Label("device", device))
            let adminState: String
            if let flags = interface.flags {
                adminState = flags & 1 == 1 ? "up" : "down"
            } else {
                adminState = "unknown"
            }
            // Labels in exposition order, so the merge sorts only the series (by address).
            info.add(
                1, Label("address", interface.address), Label("adminstate", adminState),
                Label("broadcast", interface.broadcast), Label("device", device), Label("duplex", interface.duplex),
                Label("ifalias", interface.ifAlias), Label("operstate", interface.operState))
            for (index, property) in Self.properties.enumerated() {
                if let value = property.value(interface) {
                    properties[index].add(Double(value), Label("device", device))
                }
            }
            // Some drivers report -1 for an unknown speed.
            if let value = interface.speed, value >= 0 || !options.ignoreInvalidSpeed {
                speed.add(Double(value &* 1000 &* 1000 / 8), Label("device", device))
            }
        }
        var families = [up, info]
        for family in properties { families.appendIfNotEmpty(family) }
        families.appendIfNotEmpty(speed)
        return families
    }
}

struct NetclassOptions: CollectorOptions {
    static let ignoredDevicesFlag = CollectorFlag.value(
        "collector.netclass.ignored-devices", default: "^$",
        help: "Regexp of net devices to ignore for netclass collector.")
    static let ignoreInvalidSpeedFlag = CollectorFlag.bool(
        "collector.netclass.ignore-invalid-speed",
        help: "Ignore devices where the speed is invalid. This will be the default behavior in 2.x.")
    static let flags = [ignoredDevicesFlag, ignoreInvalidSpeedFlag]

    var ignoredDevices: String?
    var ignoreInvalidSpeed: Bool

    init(flags: CollectorFlagValues) {
        ignoredDevices = flags.value(Self.ignoredDevicesFlag)
        ignoreInvalidSpeed = flags.bool(Self.ignoreInvalidSpeedFlag)
    }
}
