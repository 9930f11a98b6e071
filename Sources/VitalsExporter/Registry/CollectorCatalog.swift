import Logging

/// The list of collector types, as node_exporter's `registerCollector` calls: the command line, its
/// `--help`, the `collect[]` filter, the scraper and the tests all read it. Adding a collector is
/// writing its file (a ``CollectorDefinition``) and listing its type here.
public enum CollectorCatalog {
    public static let all: [any CollectorDefinition.Type] = [
        ARPCollector.self,
        CgroupsCollector.self,
        ConntrackCollector.self,
        CPUCollector.self,
        CPUFreqCollector.self,
        DiskstatsCollector.self,
        EntropyCollector.self,
        FilefdCollector.self,
        FilesystemCollector.self,
        HwmonCollector.self,
        InterruptsCollector.self,
        LoadavgCollector.self,
        MeminfoCollector.self,
        NetclassCollector.self,
        NetdevCollector.self,
        NetstatCollector.self,
        OSCollector.self,
        PowerSupplyClassCollector.self,
        PressureCollector.self,
        ProcessesCollector.self,
        SchedstatCollector.self,
        SELinuxCollector.self,
        SockstatCollector.self,
        SoftnetCollector.self,
        StatCollector.self,
        SystemdCollector.self,
        TCPStatCollector.self,
        TextfileCollector.self,
        ThermalZoneCollector.self,
        TimeCollector.self,
        TimexCollector.self,
        UDPQueuesCollector.self,
        UnameCollector.self,
        VmstatCollector.self,
    ]

    /// Collector names, sorted.
    public static var names: [String] { all.map { $0.name }.sorted() }

    public static func entry(named name: String) -> (any CollectorDefinition.Type)? {
        all.first { $0.name == name }
    }

    /// Every collector's flags by name (`collector.cpu.guest`).
    static let flagsByName: [String: CollectorFlag] = Dictionary(
        all.flatMap { $0.flags }.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    /// Checks every collector's flags, enabled or not.
    public static func validate(_ flags: CollectorFlagValues) throws(ConfigurationError) {
        for collector in all { try collector.validate(flags) }
    }

    /// Makes the named collector.
    static func make(
        _ name: String, configuration: ExporterConfiguration, logger: Logger
    ) throws(ConfigurationError) -> any Collector {
        guard let type = entry(named: name) else { throw ConfigurationError("unknown collector \"\(name)\"") }
        return try type.init(configuration: configuration, logger: logger)
    }
}
