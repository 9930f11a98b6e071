import VitalsDuration
#if canImport(Glibc)
import Glibc
#endif
import VitalsDBus
import ArgumentParser
import VitalsExporter

/// The per-collector options, with node_exporter's flag names and defaults.
struct CollectorOptionFlags: ParsableArguments {
    @Flag(name: .customLong("collector.cpu.guest"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enables metric node_cpu_guest_seconds_total.")
    var cpuGuest = true
    @Flag(name: .customLong("collector.cpu.info"), help: "Enables metric cpu_info.")
    var cpuInfo = false
    @Option(name: .customLong("collector.cpu.info.flags-include"),
        help: "Filter the `flags` field in cpuInfo with a value that must be a regular expression.")
    var cpuFlagsInclude: String?
    @Option(name: .customLong("collector.cpu.info.bugs-include"),
        help: "Filter the `bugs` field in cpuInfo with a value that must be a regular expression.")
    var cpuBugsInclude: String?

    @Option(name: .customLong("collector.diskstats.device-exclude"),
        help: "Regexp of diskstats devices to exclude (mutually exclusive to device-include).")
    var diskstatsDeviceExclude: String?
    @Option(name: .customLong("collector.diskstats.ignored-devices"), help: .hidden)
    var diskstatsIgnoredDevices: String?
    @Option(name: .customLong("collector.diskstats.device-include"),
        help: "Regexp of diskstats devices to include (mutually exclusive to device-exclude).")
    var diskstatsDeviceInclude: String?

    @Option(name: .customLong("collector.filesystem.mount-points-exclude"),
        help: "Regexp of mount points to exclude for filesystem collector (mutually exclusive to mount-points-include).")
    var mountPointsExclude: String?
    @Option(name: .customLong("collector.filesystem.ignored-mount-points"), help: .hidden)
    var ignoredMountPoints: String?
    @Option(name: .customLong("collector.filesystem.mount-points-include"),
        help: "Regexp of mount points to include for filesystem collector (mutually exclusive to mount-points-exclude).")
    var mountPointsInclude: String?
    @Option(name: .customLong("collector.filesystem.fs-types-exclude"),
        help: "Regexp of filesystem types to exclude for filesystem collector (mutually exclusive to fs-types-include).")
    var fsTypesExclude: String?
    @Option(name: .customLong("collector.filesystem.ignored-fs-types"), help: .hidden)
    var ignoredFSTypes: String?
    @Option(name: .customLong("collector.filesystem.fs-types-include"),
        help: "Regexp of filesystem types to include for filesystem collector (mutually exclusive to fs-types-exclude).")
    var fsTypesInclude: String?
    @Option(name: .customLong("collector.filesystem.mount-timeout"),
        help: "How long to wait for a mount to respond before marking it as stale.")
    var mountTimeout = "5s"

    @Option(name: .customLong("collector.netclass.ignored-devices"),
        help: "Regexp of net devices to ignore for netclass collector.")
    var netclassIgnoredDevices = "^$"
    @Flag(name: .customLong("collector.netclass.ignore-invalid-speed"),
        help: "Ignore devices where the speed is invalid. This will be the default behavior in 2.x.")
    var netclassIgnoreInvalidSpeed = false

    @Option(name: .customLong("collector.netdev.device-include"),
        help: "Regexp of net devices to include (mutually exclusive to device-exclude).")
    var netdevDeviceInclude: String?
    @Option(name: .customLong("collector.netdev.device-whitelist"), help: .hidden)
    var netdevDeviceWhitelist: String?
    @Option(name: .customLong("collector.netdev.device-exclude"),
        help: "Regexp of net devices to exclude (mutually exclusive to device-include).")
    var netdevDeviceExclude: String?
    @Option(name: .customLong("collector.netdev.device-blacklist"), help: .hidden)
    var netdevDeviceBlacklist: String?
    @Flag(name: .customLong("collector.netdev.netlink"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Use netlink to gather stats instead of /proc/net/dev.")
    var netdevNetlink = true
    @Flag(name: .customLong("collector.netdev.enable-detailed-metrics"),
        help: "Use (incompatible) metric names that provide more detailed stats on Linux.")
    var netdevDetailedMetrics = false
    @Flag(name: .customLong("collector.netdev.label-ifalias"), help: "Add ifAlias label.")
    var netdevLabelIfAlias = false

    @Flag(name: .customLong("collector.stat.softirq"), help: "Export softirq calls per vector.")
    var statSoftirq = false

    @Option(name: .customLong("collector.textfile.directory"),
        help: "Directory to read text files with metrics from, supports glob matching. (repeatable)")
    var textfileDirectories: [String] = []

    @Option(name: .customLong("collector.vmstat.fields"), help: "Regexp of fields to return for vmstat collector.")
    var vmstatFields = "^(oom_kill|pgpg|pswp|pg.*fault).*"
    @Option(name: .customLong("collector.netstat.fields"), help: "Regexp of fields to return for netstat collector.")
    var netstatFields: String?

    @Option(name: .customLong("collector.arp.device-include"),
        help: "Regexp of arp devices to include (mutually exclusive to device-exclude).")
    var arpDeviceInclude: String?
    @Option(name: .customLong("collector.arp.device-exclude"),
        help: "Regexp of arp devices to exclude (mutually exclusive to device-include).")
    var arpDeviceExclude: String?
    @Flag(name: .customLong("collector.arp.netlink"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Use netlink to gather stats instead of /proc/net/arp.")
    var arpNetlink = true

    @Option(name: .customLong("collector.hwmon.chip-include"),
        help: "Regexp of hwmon chip to include (mutually exclusive to device-exclude).")
    var hwmonChipInclude: String?
    @Option(name: .customLong("collector.hwmon.chip-exclude"),
        help: "Regexp of hwmon chip to exclude (mutually exclusive to device-include).")
    var hwmonChipExclude: String?
    @Option(name: .customLong("collector.hwmon.sensor-include"),
        help: "Regexp of hwmon sensor to include (mutually exclusive to sensor-exclude).")
    var hwmonSensorInclude: String?
    @Option(name: .customLong("collector.hwmon.sensor-exclude"),
        help: "Regexp of hwmon sensor to exclude (mutually exclusive to sensor-include).")
    var hwmonSensorExclude: String?

    @Option(name: .customLong("collector.interrupts.name-include"),
        help: "Regexp of interrupts name to include (mutually exclusive to --collector.interrupts.name-exclude).")
    var interruptsNameInclude: String?
    @Option(name: .customLong("collector.interrupts.name-exclude"),
        help: "Regexp of interrupts name to exclude (mutually exclusive to --collector.interrupts.name-include).")
    var interruptsNameExclude: String?
    @Flag(name: .customLong("collector.interrupts.include-zeros"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Include interrupts that have a zero value.")
    var interruptsIncludeZeros = true

    @Option(name: .customLong("collector.powersupply.ignored-supplies"),
        help: "Regexp of power supplies to ignore for powersupplyclass collector.")
    var powerSupplyIgnored = "^$"

    @Option(name: .customLong("collector.systemd.unit-include"),
        help: "Regexp of systemd units to include. Units must both match include and not match exclude to be included.")
    var systemdUnitInclude = ".+"
    @Option(name: .customLong("collector.systemd.unit-exclude"),
        help: "Regexp of systemd units to exclude. Units must both match include and not match exclude to be included.")
    var systemdUnitExclude = ".+\\.(automount|device|mount|scope|slice)"
    @Flag(name: .customLong("collector.systemd.private"),
        help: ArgumentHelp("Establish a private, direct connection to systemd without dbus (Strongly discouraged since it requires root. For testing purposes only).", visibility: .hidden))
    var systemdPrivate = false
    @Flag(name: .customLong("collector.systemd.enable-task-metrics"),
        help: "Enables service unit tasks metrics unit_tasks_current and unit_tasks_max")
    var systemdTaskMetrics = false
    @Flag(name: .customLong("collector.systemd.enable-restarts-metrics"),
        help: "Enables service unit metric service_restart_total")
    var systemdRestartsMetrics = false
    @Flag(name: .customLong("collector.systemd.enable-start-time-metrics"),
        help: "Enables service unit metric unit_start_time_seconds")
    var systemdStartTimeMetrics = false

    /// Applies these flags to a configuration, resolving deprecated aliases like node_exporter.
    func apply(to configuration: inout ExporterConfiguration) throws(ValidationError) {
        configuration.cpu.guest = cpuGuest
        configuration.cpu.info = cpuInfo || cpuFlagsInclude != nil || cpuBugsInclude != nil
        configuration.cpu.flagsInclude = cpuFlagsInclude
        configuration.cpu.bugsInclude = cpuBugsInclude

        configuration.diskstats.deviceExclude = try Self.alias(
            diskstatsDeviceExclude, deprecated: diskstatsIgnoredDevices, flag: "collector.diskstats.device-exclude",
            oldFlag: "collector.diskstats.ignored-devices") ?? DiskstatsOptions.defaultExclude
        configuration.diskstats.deviceInclude = diskstatsDeviceInclude
        if let include = diskstatsDeviceInclude, !include.isEmpty {
            if let exclude = diskstatsDeviceExclude ?? diskstatsIgnoredDevices, !exclude.isEmpty {
                throw ValidationError(
                    "--collector.diskstats.device-exclude and --collector.diskstats.device-include are mutually exclusive.")
            }
            configuration.diskstats.deviceExclude = nil
        }

        let mountExclude = try Self.alias(
            mountPointsExclude, deprecated: ignoredMountPoints, flag: "collector.filesystem.mount-points-exclude",
            oldFlag: "collector.filesystem.ignored-mount-points")
        configuration.filesystem.mountPointsExclude =
            mountPointsInclude != nil && mountExclude == nil
            ? nil : (mountExclude ?? FilesystemOptions.defaultMountPointsExclude)
        configuration.filesystem.mountPointsInclude = mountPointsInclude
        let typesExclude = try Self.alias(
            fsTypesExclude, deprecated: ignoredFSTypes, flag: "collector.filesystem.fs-types-exclude",
            oldFlag: "collector.filesystem.ignored-fs-types")
        configuration.filesystem.fsTypesExclude =
            fsTypesInclude != nil && typesExclude == nil ? nil : (typesExclude ?? FilesystemOptions.defaultFSTypesExclude)
        configuration.filesystem.fsTypesInclude = fsTypesInclude
        if configuration.filesystem.mountPointsInclude != nil, mountExclude != nil {
            throw ValidationError(
                "--collector.filesystem.mount-points-exclude and --collector.filesystem.mount-points-include are mutually exclusive.")
        }
        if configuration.filesystem.fsTypesInclude != nil, typesExclude != nil {
            throw ValidationError(
                "--collector.filesystem.fs-types-exclude and --collector.filesystem.fs-types-include are mutually exclusive.")
        }
        do {
            configuration.filesystem.mountTimeout = try GoDuration.parse(
                mountTimeout, in: Duration.milliseconds(1)...Duration.seconds(3600))
        } catch {
            throw ValidationError("--collector.filesystem.mount-timeout: \(error)")
        }

        configuration.netclass.ignoredDevices = netclassIgnoredDevices
        configuration.netclass.ignoreInvalidSpeed = netclassIgnoreInvalidSpeed

        configuration.netdev.deviceInclude = try Self.alias(
            netdevDeviceInclude, deprecated: netdevDeviceWhitelist, flag: "collector.netdev.device-include",
            oldFlag: "collector.netdev.device-whitelist")
        configuration.netdev.deviceExclude = try Self.alias(
            netdevDeviceExclude, deprecated: netdevDeviceBlacklist, flag: "collector.netdev.device-exclude",
            oldFlag: "collector.netdev.device-blacklist")
        if configuration.netdev.deviceInclude != nil, configuration.netdev.deviceExclude != nil {
            throw ValidationError(
                "--collector.netdev.device-exclude and --collector.netdev.device-include are mutually exclusive.")
        }
        configuration.netdev.netlink = netdevNetlink
        configuration.netdev.detailedMetrics = netdevDetailedMetrics
        configuration.netdev.labelIfAlias = netdevLabelIfAlias

        configuration.stat.softirq = statSoftirq
        configuration.vmstat.fields = vmstatFields
        if let netstatFields { configuration.netstat.fields = netstatFields }
        configuration.arp.deviceInclude = arpDeviceInclude
        configuration.arp.deviceExclude = arpDeviceExclude
        configuration.arp.netlink = arpNetlink
        configuration.hwmon.chipInclude = hwmonChipInclude
        configuration.hwmon.chipExclude = hwmonChipExclude
        configuration.hwmon.sensorInclude = hwmonSensorInclude
        configuration.hwmon.sensorExclude = hwmonSensorExclude
        configuration.interrupts.nameInclude = interruptsNameInclude
        configuration.interrupts.nameExclude = interruptsNameExclude
        configuration.interrupts.includeZeros = interruptsIncludeZeros
        configuration.powerSupply.ignoredSupplies = powerSupplyIgnored
        configuration.systemd.unitInclude = systemdUnitInclude
        configuration.systemd.unitExclude = systemdUnitExclude
        configuration.systemd.privateConnection = systemdPrivate
        configuration.systemd.enableTaskMetrics = systemdTaskMetrics
        configuration.systemd.enableRestartsMetrics = systemdRestartsMetrics
        configuration.systemd.enableStartTimeMetrics = systemdStartTimeMetrics
        // go-dbus, which node_exporter uses, finds the system bus the same way.
        configuration.systemd.busSocket = DBusConnection.systemBusPath(
            environment: getenv("DBUS_SYSTEM_BUS_ADDRESS").map { String(cString: $0) })
        configuration.textfile.directories = textfileDirectories.filter { !$0.isEmpty }
    }

    /// A flag and its deprecated alias: either may be given, not both.
    private static func alias(
        _ value: String?, deprecated: String?, flag: String, oldFlag: String
    ) throws(ValidationError) -> String? {
        guard let deprecated, !deprecated.isEmpty else { return value }
        guard value == nil else { throw ValidationError("--\(oldFlag) and --\(flag) are mutually exclusive.") }
        return deprecated
    }
}
