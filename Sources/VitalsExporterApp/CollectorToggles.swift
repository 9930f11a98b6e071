import ArgumentParser
import VitalsExporter

/// `--collector.<name>` / `--no-collector.<name>` for every collector, and `--collector.disable-defaults`.
///
/// A nil toggle means "not given": the collector then runs if it is on by default and
/// `--collector.disable-defaults` is absent, exactly as with node_exporter.
struct CollectorToggles: ParsableArguments {
    @Flag(
        name: .customLong("collector.disable-defaults"),
        help: "Set all collectors to disabled by default; enable the ones you want with --collector.<name>.")
    var disableDefaults = false

    @Flag(name: .customLong("collector.arp"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the arp collector (default: enabled).")
    var arp: Bool?
    @Flag(name: .customLong("collector.conntrack"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the conntrack collector (default: enabled).")
    var conntrack: Bool?
    @Flag(name: .customLong("collector.cpu"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the cpu collector (default: enabled).")
    var cpu: Bool?
    @Flag(name: .customLong("collector.cpufreq"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the cpufreq collector (default: enabled).")
    var cpufreq: Bool?
    @Flag(name: .customLong("collector.diskstats"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the diskstats collector (default: enabled).")
    var diskstats: Bool?
    @Flag(name: .customLong("collector.entropy"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the entropy collector (default: enabled).")
    var entropy: Bool?
    @Flag(name: .customLong("collector.filefd"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the filefd collector (default: enabled).")
    var filefd: Bool?
    @Flag(name: .customLong("collector.filesystem"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the filesystem collector (default: enabled).")
    var filesystem: Bool?
    @Flag(name: .customLong("collector.hwmon"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the hwmon collector (default: enabled).")
    var hwmon: Bool?
    @Flag(name: .customLong("collector.interrupts"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the interrupts collector (default: disabled).")
    var interrupts: Bool?
    @Flag(name: .customLong("collector.loadavg"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the loadavg collector (default: enabled).")
    var loadavg: Bool?
    @Flag(name: .customLong("collector.meminfo"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the meminfo collector (default: enabled).")
    var meminfo: Bool?
    @Flag(name: .customLong("collector.netclass"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the netclass collector (default: enabled).")
    var netclass: Bool?
    @Flag(name: .customLong("collector.netdev"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the netdev collector (default: enabled).")
    var netdev: Bool?
    @Flag(name: .customLong("collector.netstat"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the netstat collector (default: enabled).")
    var netstat: Bool?
    @Flag(name: .customLong("collector.os"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the os collector (default: enabled).")
    var os: Bool?
    @Flag(name: .customLong("collector.powersupplyclass"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the powersupplyclass collector (default: enabled).")
    var powersupplyclass: Bool?
    @Flag(name: .customLong("collector.pressure"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the pressure collector (default: enabled).")
    var pressure: Bool?
    @Flag(name: .customLong("collector.processes"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the processes collector (default: disabled).")
    var processes: Bool?
    @Flag(name: .customLong("collector.schedstat"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the schedstat collector (default: enabled).")
    var schedstat: Bool?
    @Flag(name: .customLong("collector.selinux"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the selinux collector (default: enabled).")
    var selinux: Bool?
    @Flag(name: .customLong("collector.sockstat"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the sockstat collector (default: enabled).")
    var sockstat: Bool?
    @Flag(name: .customLong("collector.softnet"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the softnet collector (default: enabled).")
    var softnet: Bool?
    @Flag(name: .customLong("collector.stat"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the stat collector (default: enabled).")
    var stat: Bool?
    @Flag(name: .customLong("collector.systemd"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the systemd collector (default: disabled).")
    var systemd: Bool?
    @Flag(name: .customLong("collector.tcpstat"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the tcpstat collector (default: disabled).")
    var tcpstat: Bool?
    @Flag(name: .customLong("collector.textfile"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the textfile collector (default: enabled).")
    var textfile: Bool?
    @Flag(exclusivity: .chooseLast) var thermalZoneToggle: ThermalZoneToggle?
    var thermalZone: Bool? { thermalZoneToggle.map { $0 == .enable } }
    @Flag(name: .customLong("collector.time"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the time collector (default: enabled).")
    var time: Bool?
    @Flag(name: .customLong("collector.timex"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the timex collector (default: enabled).")
    var timex: Bool?
    @Flag(exclusivity: .chooseLast) var udpQueuesToggle: UDPQueuesToggle?
    var udpQueues: Bool? { udpQueuesToggle.map { $0 == .enable } }
    @Flag(name: .customLong("collector.uname"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the uname collector (default: enabled).")
    var uname: Bool?
    @Flag(name: .customLong("collector.vmstat"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the vmstat collector (default: enabled).")
    var vmstat: Bool?

    /// The toggle behind each collector name; a test checks that it covers the whole catalog.
    static let toggles: [String: @Sendable (CollectorToggles) -> Bool?] = [
        "arp": { $0.arp },
        "conntrack": { $0.conntrack },
        "cpu": { $0.cpu },
        "cpufreq": { $0.cpufreq },
        "diskstats": { $0.diskstats },
        "entropy": { $0.entropy },
        "filefd": { $0.filefd },
        "filesystem": { $0.filesystem },
        "hwmon": { $0.hwmon },
        "interrupts": { $0.interrupts },
        "loadavg": { $0.loadavg },
        "meminfo": { $0.meminfo },
        "netclass": { $0.netclass },
        "netdev": { $0.netdev },
        "netstat": { $0.netstat },
        "os": { $0.os },
        "powersupplyclass": { $0.powersupplyclass },
        "pressure": { $0.pressure },
        "processes": { $0.processes },
        "schedstat": { $0.schedstat },
        "selinux": { $0.selinux },
        "sockstat": { $0.sockstat },
        "softnet": { $0.softnet },
        "stat": { $0.stat },
        "systemd": { $0.systemd },
        "tcpstat": { $0.tcpstat },
        "textfile": { $0.textfile },
        "thermal_zone": { $0.thermalZone },
        "time": { $0.time },
        "timex": { $0.timex },
        "udp_queues": { $0.udpQueues },
        "uname": { $0.uname },
        "vmstat": { $0.vmstat },
    ]

    /// The collectors that will run.
    func enabledCollectors() -> Set<String> {
        var enabled: Set<String> = []
        for descriptor in CollectorCatalog.all {
            let explicit = Self.toggles[descriptor.name].flatMap { $0(self) }
            if explicit ?? (descriptor.enabledByDefault && !disableDefaults) { enabled.insert(descriptor.name) }
        }
        return enabled
    }
}

/// The toggle of a collector whose name holds an underscore. ArgumentParser's `.prefixedNo` would
/// spell its inversion `--no_collector.thermal_zone`; node_exporter's is `--no-collector.thermal_zone`.
protocol UnderscoredCollectorToggle: EnumerableFlag {
    static var collector: String { get }
    static var enable: Self { get }
}

extension UnderscoredCollectorToggle {
    static func name(for value: Self) -> NameSpecification {
        value == enable ? .customLong("collector.\(collector)") : .customLong("no-collector.\(collector)")
    }

    static func help(for value: Self) -> ArgumentHelp? {
        value == enable ? "Enable the \(collector) collector (default: enabled)." : "Disable the \(collector) collector."
    }
}

enum ThermalZoneToggle: UnderscoredCollectorToggle {
    case enable, disable
    static let collector = "thermal_zone"
}

enum UDPQueuesToggle: UnderscoredCollectorToggle {
    case enable, disable
    static let collector = "udp_queues"
}
