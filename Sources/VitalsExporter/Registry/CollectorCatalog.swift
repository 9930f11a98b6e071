import Logging

/// One entry of the collector table: its name, whether it runs without a flag, and how to make it.
public struct CollectorDescriptor: Sendable {
    public let name: String
    public let enabledByDefault: Bool
    let make: @Sendable (ExporterConfiguration, Logger) throws(ConfigurationError) -> any Collector
}

/// The single table of collectors, as node_exporter's `registerCollector` calls: the command line,
/// the `collect[]` filter and the scraper all read it.
public enum CollectorCatalog {
    public static let all: [CollectorDescriptor] = [
        CollectorDescriptor(name: "arp", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try ARPCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "conntrack", enabledByDefault: true) { configuration, _ in
            ConntrackCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "cpu", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try CPUCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "cpufreq", enabledByDefault: true) { configuration, _ in
            CPUFreqCollector(sysFS: configuration.sysFS)
        },
        CollectorDescriptor(name: "diskstats", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try DiskstatsCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "entropy", enabledByDefault: true) { configuration, _ in
            EntropyCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "filefd", enabledByDefault: true) { configuration, _ in
            FilefdCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "filesystem", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try FilesystemCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "hwmon", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try HwmonCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "interrupts", enabledByDefault: false) { configuration, _ throws(ConfigurationError) in
            try InterruptsCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "loadavg", enabledByDefault: true) { configuration, _ in
            LoadavgCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "meminfo", enabledByDefault: true) { configuration, _ in
            MeminfoCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "netclass", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try NetclassCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "netdev", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try NetdevCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "netstat", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try NetstatCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "os", enabledByDefault: true) { configuration, _ in
            OSCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "powersupplyclass", enabledByDefault: true) {
            configuration, _ throws(ConfigurationError) in
            try PowerSupplyClassCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "pressure", enabledByDefault: true) { configuration, _ in
            PressureCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "processes", enabledByDefault: false) { configuration, _ in
            ProcessesCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "schedstat", enabledByDefault: true) { configuration, _ in
            SchedstatCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "selinux", enabledByDefault: true) { configuration, _ in
            SELinuxCollector(sysFS: configuration.sysFS, configuration: configuration)
        },
        CollectorDescriptor(name: "sockstat", enabledByDefault: true) { configuration, _ in
            SockstatCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "softnet", enabledByDefault: true) { configuration, _ in
            SoftnetCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "stat", enabledByDefault: true) { configuration, _ in
            StatCollector(procFS: configuration.procFS, options: configuration.stat)
        },
        CollectorDescriptor(name: "systemd", enabledByDefault: false) { configuration, _ throws(ConfigurationError) in
            try SystemdCollector(options: configuration.systemd)
        },
        CollectorDescriptor(name: "tcpstat", enabledByDefault: false) { configuration, _ in
            TCPStatCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "textfile", enabledByDefault: true) { configuration, logger in
            TextfileCollector(options: configuration.textfile, logger: logger)
        },
        CollectorDescriptor(name: "thermal_zone", enabledByDefault: true) { configuration, _ in
            ThermalZoneCollector(sysFS: configuration.sysFS)
        },
        CollectorDescriptor(name: "time", enabledByDefault: true) { configuration, _ in
            TimeCollector(sysFS: configuration.sysFS)
        },
        CollectorDescriptor(name: "timex", enabledByDefault: true) { _, _ in TimexCollector() },
        CollectorDescriptor(name: "udp_queues", enabledByDefault: true) { configuration, _ in
            UDPQueuesCollector(procFS: configuration.procFS)
        },
        CollectorDescriptor(name: "uname", enabledByDefault: true) { _, _ in UnameCollector() },
        CollectorDescriptor(name: "vmstat", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try VmstatCollector(configuration: configuration)
        },
    ]

    /// Collector names, sorted.
    public static var names: [String] { all.map(\.name).sorted() }

    public static func descriptor(named name: String) -> CollectorDescriptor? {
        all.first { $0.name == name }
    }
}
