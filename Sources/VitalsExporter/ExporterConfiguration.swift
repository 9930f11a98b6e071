import VitalsProcFS

/// Everything the collectors need to know, resolved from node_exporter's flags.
public struct ExporterConfiguration: Sendable {
    public var procFS = ProcFS()
    public var sysFS = SysFS()
    /// The host's root as seen by the exporter (`/host` in a container).
    public var rootFS = "/"
    public var udevDataPath = "/run/udev/data"

    public var cpu = CPUOptions()
    public var stat = StatOptions()
    public var diskstats = DiskstatsOptions()
    public var filesystem = FilesystemOptions()
    public var netdev = NetdevOptions()
    public var netclass = NetclassOptions()
    public var textfile = TextfileOptions()
    public var vmstat = FieldFilterOptions(fields: "^(oom_kill|pgpg|pswp|pg.*fault).*")
    public var netstat = FieldFilterOptions(
        fields:
            "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts|TCPOFOQueue|TCPRcvQDrop)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$"
    )
    public var arp = ARPOptions()
    public var hwmon = HwmonOptions()
    public var interrupts = InterruptsOptions()
    public var powerSupply = PowerSupplyOptions()
    public var systemd = SystemdOptions()

    public init() {}

    /// A path on the host's root filesystem (`--path.rootfs` + path).
    public func rootFSPath(_ path: String) -> String {
        rootFS == "/" ? path : joinPath(rootFS, path)
    }

    /// A mount point as the host sees it: `--path.rootfs` stripped, as node_exporter's `rootfsStripPrefix`.
    public func stripRootFS(_ path: String) -> String {
        guard rootFS != "/" else { return path }
        let prefix = rootFS.hasSuffix("/") ? String(rootFS.dropLast()) : rootFS
        guard path.hasPrefix(prefix) else { return path }
        let stripped = String(path.dropFirst(prefix.count))
        return stripped.isEmpty ? "/" : stripped
    }
}

public struct CPUOptions: Sendable {
    /// `--collector.cpu.guest` (default on): node_cpu_guest_seconds_total.
    public var guest = true
    /// `--collector.cpu.info`: node_cpu_info and friends from /proc/cpuinfo.
    public var info = false
    public var flagsInclude: String?
    public var bugsInclude: String?
    /// Whether the cpufreq collector is enabled; node_cpu_frequency_hertz then comes from cpuinfo.
    public var cpufreqEnabled = false

    public init() {}
}

public struct StatOptions: Sendable {
    /// `--collector.stat.softirq`: node_softirqs_total{vector}.
    public var softirq = false

    public init() {}
}

public struct DiskstatsOptions: Sendable {
    public static let defaultExclude = #"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#
    public var deviceExclude: String? = DiskstatsOptions.defaultExclude
    public var deviceInclude: String?

    public init() {}
}

public struct FilesystemOptions: Sendable {
    public static let defaultMountPointsExclude =
        "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"
    public static let defaultFSTypesExclude =
        "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$"
    public var mountPointsExclude: String? = FilesystemOptions.defaultMountPointsExclude
    public var mountPointsInclude: String?
    public var fsTypesExclude: String? = FilesystemOptions.defaultFSTypesExclude
    public var fsTypesInclude: String?
    /// How long statfs may take before the mount is marked stuck (`--collector.filesystem.mount-timeout`).
    public var mountTimeout: Duration = .seconds(5)

    public init() {}
}

public struct NetdevOptions: Sendable {
    public var deviceInclude: String?
    public var deviceExclude: String?
    /// `--collector.netdev.netlink` (default on): read counters over rtnetlink instead of /proc/net/dev.
    public var netlink = true
    /// `--collector.netdev.enable-detailed-metrics`: the netlink counter names, unmerged.
    public var detailedMetrics = false
    /// `--collector.netdev.label-ifalias`.
    public var labelIfAlias = false

    public init() {}
}

public struct NetclassOptions: Sendable {
    public var ignoredDevices = "^$"
    public var ignoreInvalidSpeed = false

    public init() {}
}

public struct TextfileOptions: Sendable {
    /// Directories (or globs) holding `*.prom` files; empty disables reading.
    public var directories: [String] = []
    /// Fixed mtime for tests, so output is reproducible.
    public var fixedModificationTime: Double?
    /// Largest file read; a bigger one is skipped and flagged, never cut.
    public var maxFileBytes = 16 << 20

    public init() {}
}

/// A regex over field names, for vmstat and netstat (`--collector.<name>.fields`).
public struct FieldFilterOptions: Sendable {
    public var fields: String

    public init(fields: String) {
        self.fields = fields
    }
}

public struct ARPOptions: Sendable {
    public var deviceInclude: String?
    public var deviceExclude: String?
    /// `--collector.arp.netlink` (default on): read neighbours over rtnetlink instead of /proc/net/arp.
    public var netlink = true

    public init() {}
}

public struct HwmonOptions: Sendable {
    public var chipInclude: String?
    public var chipExclude: String?
    public var sensorInclude: String?
    public var sensorExclude: String?

    public init() {}
}

public struct InterruptsOptions: Sendable {
    public var nameInclude: String?
    public var nameExclude: String?
    public var includeZeros = true

    public init() {}
}

public struct PowerSupplyOptions: Sendable {
    public var ignoredSupplies = "^$"

    public init() {}
}

public struct SystemdOptions: Sendable {
    public var unitInclude = ".+"
    public var unitExclude = ".+\\.(automount|device|mount|scope|slice)"
    /// The D-Bus system bus socket (from `DBUS_SYSTEM_BUS_ADDRESS` when set, as go-dbus does).
    public var busSocket = "/var/run/dbus/system_bus_socket"
    /// systemd's own socket, for `--collector.systemd.private` (root only; for testing).
    public var privateSocket = "/run/systemd/private"
    public var privateConnection = false
    public var enableTaskMetrics = false
    public var enableRestartsMetrics = false
    public var enableStartTimeMetrics = false

    public init() {}
}
