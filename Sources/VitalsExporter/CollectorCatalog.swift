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
        CollectorDescriptor(name: "cpu", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try CPUCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "diskstats", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try DiskstatsCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "filesystem", enabledByDefault: true) { configuration, _ throws(ConfigurationError) in
            try FilesystemCollector(configuration: configuration)
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
        CollectorDescriptor(name: "os", enabledByDefault: true) { configuration, _ in
            OSCollector(configuration: configuration)
        },
        CollectorDescriptor(name: "stat", enabledByDefault: true) { configuration, _ in
            StatCollector(procFS: configuration.procFS, options: configuration.stat)
        },
        CollectorDescriptor(name: "textfile", enabledByDefault: true) { configuration, logger in
            TextfileCollector(options: configuration.textfile, logger: logger)
        },
        CollectorDescriptor(name: "time", enabledByDefault: true) { configuration, _ in
            TimeCollector(sysFS: configuration.sysFS)
        },
        CollectorDescriptor(name: "uname", enabledByDefault: true) { _, _ in UnameCollector() },
    ]

    /// Collector names, sorted.
    public static var names: [String] { all.map(\.name).sorted() }

    public static func descriptor(named name: String) -> CollectorDescriptor? {
        all.first { $0.name == name }
    }
}
