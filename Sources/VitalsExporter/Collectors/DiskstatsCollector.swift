import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `diskstats`: I/O counters per block device from /proc/diskstats, plus udev and sysfs facts
/// in `node_disk_info`, `node_disk_filesystem_info`, `node_disk_device_mapper_info` and the ATA gauges.
struct DiskstatsCollector: ConfigurableCollector {
    typealias Options = DiskstatsOptions
    static let name = "diskstats"
    static let enabledByDefault = true

    /// Sectors in /proc/diskstats are always 512 bytes, whatever the device's block size.
    static let sectorSize = 512.0
    /// Go's `1.0 / 1000.0`; multiplying (not dividing) keeps values bit-identical with node_exporter.
    static let secondsPerTick = 1.0 / 1000.0

    /// The counter families, in /proc/diskstats column order, with the factor for each.
    static let counters: [(name: String, help: String, type: MetricType, scale: Double)] = [
        ("node_disk_reads_completed_total", "The total number of reads completed successfully.", .counter, 1),
        ("node_disk_reads_merged_total", "The total number of reads merged.", .counter, 1),
        ("node_disk_read_bytes_total", "The total number of bytes read successfully.", .counter, sectorSize),
        (
            "node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", .counter,
            secondsPerTick
        ),
        ("node_disk_writes_completed_total", "The total number of writes completed successfully.", .counter, 1),
        ("node_disk_writes_merged_total", "The number of writes merged.", .counter, 1),
        ("node_disk_written_bytes_total", "The total number of bytes written successfully.", .counter, sectorSize),
        (
            "node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", .counter,
            secondsPerTick
        ),
        ("node_disk_io_now", "The number of I/Os currently in progress.", .gauge, 1),
        ("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", .counter, secondsPerTick),
        (
            "node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", .counter,
            secondsPerTick
        ),
        ("node_disk_discards_completed_total", "The total number of discards completed successfully.", .counter, 1),
        ("node_disk_discards_merged_total", "The total number of discards merged.", .counter, 1),
        ("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", .counter, 1),
        (
            "node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.",
            .counter, secondsPerTick
        ),
        ("node_disk_flush_requests_total", "The total number of flush requests completed successfully", .counter, 1),
        (
            "node_disk_flush_requests_time_seconds_total",
            "This is the total number of seconds spent by all flush requests.", .counter, secondsPerTick
        ),
    ]

    static let ataGauges: [(property: String, name: String, help: String)] = [
        ("ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs (0 for SSDs)."),
        ("ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."),
        ("ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."),
    ]

    let procFS: ProcFS
    let sysFS: SysFS
    let filter: DeviceFilter
    /// nil when the udev database is not readable; device properties are then left empty.
    let udevDataPath: String?

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        procFS = configuration.procFS
        sysFS = configuration.sysFS
        let options = try DiskstatsOptions(flags: configuration.flags)
        filter = try DeviceFilter(exclude: options.deviceExclude, include: options.deviceInclude)
        udevDataPath = FileAccess.isDirectory(configuration.udevDataPath) ? configuration.udevDataPath : nil
    }

    func collect() throws -> [MetricFamily] {
        let stats = try procFS.diskStats()
        var counterFamilies = Self.counters.map { MetricFamily(name: $0.name, help: $0.help, type: $0.type) }
        var info = MetricFamily.gauge("node_disk_info", "Info of /sys/block/<block_device>.")
        var filesystemInfo = MetricFamily.gauge("node_disk_filesystem_info", "Info about disk filesystem.")
        var deviceMapperInfo = MetricFamily.gauge("node_disk_device_mapper_info", "Info about disk device mapper.")
        var ataFamilies = Self.ataGauges.map { MetricFamily.gauge($0.name, $0.help) }
        for device in stats.devices where !filter.ignores(device.name) {
            let udev = udevProperties(major: device.major, minor: device.minor)
            let serial =
                [udev["SCSI_IDENT_SERIAL"], udev["ID_SERIAL_SHORT"], udev["ID_SERIAL"]]
                .compactMap { $0 }.first { !$0.isEmpty } ?? ""
            let rotational = sysFS.blockDeviceIsRotational(device.name) == true ? "1" : "0"
            info.add(
                1, Label("device", device.name), Label("major", String(device.major)),
                Label("minor", String(device.minor)), Label("model", udev["ID_MODEL"] ?? ""),
                Label("path", udev["ID_PATH"] ?? ""), Label("revision", udev["ID_REVISION"] ?? ""),
                Label("rotational", rotational), Label("serial", serial), Label("wwn", udev["ID_WWN"] ?? ""))
            for (index, raw) in device.counters.prefix(Self.counters.count).enumerated() {
                counterFamilies[index].add(Double(raw) * Self.counters[index].scale, Label("device", device.name))
            }
            if let fsType = udev["ID_FS_TYPE"], !fsType.isEmpty {
                filesystemInfo.add(
                    1, Label("device", device.name), Label("type", fsType), Label("usage", udev["ID_FS_USAGE"] ?? ""),
                    Label("uuid", udev["ID_FS_UUID"] ?? ""), Label("version", udev["ID_FS_VERSION"] ?? ""))
            }
            if let name = udev["DM_NAME"], !name.isEmpty {
                deviceMapperInfo.add(
                    1, Label("device", device.name), Label("name", name), Label("uuid", udev["DM_UUID"] ?? ""),
                    Label("vg_name", udev["DM_VG_NAME"] ?? ""), Label("lv_name", udev["DM_LV_NAME"] ?? ""),
                    Label("lv_layer", udev["DM_LV_LAYER"] ?? ""))
            }
            if let ata = udev["ID_ATA"], !ata.isEmpty {
                for (index, gauge) in Self.ataGauges.enumerated() {
                    guard let text = udev[gauge.property], let value = Double(text) else { continue }
                    ataFamilies[index].add(value, Label("device", device.name))
                }
            }
        }
        var families = [info]
        for family in counterFamilies { families.appendIfNotEmpty(family) }
        families.appendIfNotEmpty(filesystemInfo)
        families.appendIfNotEmpty(deviceMapperInfo)
        for family in ataFamilies { families.appendIfNotEmpty(family) }
        return families
    }

    private func udevProperties(major: UInt32, minor: UInt32) -> UdevProperties {
        guard let udevDataPath,
            let bytes = try? FileAccess.read(joinPath(udevDataPath, "b\(major):\(minor)"))
        else { return UdevProperties() }
        return UdevProperties.parse(bytes)
    }
}

struct DiskstatsOptions: CollectorOptions {
    static let defaultExclude = #"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$"#
    static let deviceExcludeFlag = CollectorFlag.value(
        "collector.diskstats.device-exclude",
        help:
            "Regexp of diskstats devices to exclude (mutually exclusive to device-include). (default: \(defaultExclude))"
    )
    static let ignoredDevicesFlag = CollectorFlag.value("collector.diskstats.ignored-devices", help: "", hidden: true)
    static let deviceIncludeFlag = CollectorFlag.value(
        "collector.diskstats.device-include",
        help: "Regexp of diskstats devices to include (mutually exclusive to device-exclude).")
    static let flags = [deviceExcludeFlag, ignoredDevicesFlag, deviceIncludeFlag]

    /// nil when an include pattern is given.
    var deviceExclude: String?
    var deviceInclude: String?

    init(flags: CollectorFlagValues) throws(ConfigurationError) {
        let exclude = try flags.value(Self.deviceExcludeFlag, alias: Self.ignoredDevicesFlag)
        if let include = flags.value(Self.deviceIncludeFlag), !include.isEmpty {
            if let exclude, !exclude.isEmpty {
                throw ConfigurationError(
                    "--collector.diskstats.device-exclude and --collector.diskstats.device-include are mutually exclusive."
                )
            }
            deviceInclude = include
        } else {
            deviceExclude = exclude ?? Self.defaultExclude
        }
    }
}
