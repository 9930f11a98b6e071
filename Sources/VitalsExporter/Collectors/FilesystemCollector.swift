import Dispatch
import Logging
import Synchronization
import VitalsDuration
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `filesystem`: size, free space and inodes of every mounted filesystem, from the mount
/// table and `statfs(2)`.
///
/// `statfs` on a dead NFS server blocks forever. Each call therefore runs on its own thread
/// with a deadline; a mount that misses it is marked stuck, reported with `device_error` 1,
/// and not asked again until its hung call returns. A scrape never waits longer than the timeout.
final class FilesystemCollector: ConfigurableCollector {
    typealias Options = FilesystemOptions
    static let name = "filesystem"
    static let enabledByDefault = true

    private let configuration: ExporterConfiguration
    private let mountPointFilter: DeviceFilter
    private let fsTypeFilter: DeviceFilter
    private let timeout: Duration
    /// `statfs(2)`; replaceable so that tests can stand in a mount that never answers.
    private let statFilesystem: @Sendable (String) throws(FileSystemError) -> FilesystemUsage
    /// Mount points whose statfs has not returned in time, as node_exporter's `stuckMounts`.
    let stuckMounts = Mutex<Set<String>>([])
    /// The last parse of the mount table, which seldom changes between scrapes.
    private let mountTable = InputMemo<[UInt8], MountInfo>()
    /// The threads statfs runs on; a hung call costs one thread, which the pool replaces.
    private let pool = WorkerPool(name: "statfs", workers: 2)

    struct Labels: Hashable {
        var device: String
        var mountPoint: String
        var fsType: String
        var deviceError: String

        /// client_golang's series order: values compared in the order of the labels' names.
        func precedes(_ other: Labels) -> Bool {
            if device != other.device { return device.precedesInByteOrder(other.device) }
            if deviceError != other.deviceError { return deviceError.precedesInByteOrder(other.deviceError) }
            if fsType != other.fsType { return fsType.precedesInByteOrder(other.fsType) }
            return mountPoint.precedesInByteOrder(other.mountPoint)
        }
    }

    convenience init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        try self.init(configuration: configuration, options: FilesystemOptions(flags: configuration.flags))
    }

    init(
        configuration: ExporterConfiguration, options: FilesystemOptions,
        statFilesystem: @escaping @Sendable (String) throws(FileSystemError) -> FilesystemUsage = FilesystemUsage.query
    ) throws(ConfigurationError) {
        self.configuration = configuration
        self.statFilesystem = statFilesystem
        mountPointFilter = try DeviceFilter(exclude: options.mountPointsExclude, include: options.mountPointsInclude)
        fsTypeFilter = try DeviceFilter(exclude: options.fsTypesExclude, include: options.fsTypesInclude)
        timeout = options.mountTimeout
    }

    func collect() throws -> [MetricFamily] {
        let mounts: MountInfo
        do {
            mounts = try configuration.procFS.mountInfo(pid: "1", memo: mountTable)
        } catch let error as FileSystemError where error.isNotFound {
            // /proc/1 is hidden with hidepid; our own view is the next best.
            mounts = try configuration.procFS.mountInfo(pid: "self", memo: mountTable)
        }
        var candidates: [(labels: Labels, major: UInt32, minor: UInt32, readOnly: Bool)] = []
        var seenMountPoints: Set<Labels> = []
        for mount in mounts.mounts {
            let mountPoint = configuration.stripRootFS(mount.mountPoint)
            if mountPointFilter.ignores(mountPoint) || fsTypeFilter.ignores(mount.fsType) { continue }
            let labels = Labels(device: mount.source, mountPoint: mountPoint, fsType: mount.fsType, deviceError: "")
            guard seenMountPoints.insert(labels).inserted else { continue }
            candidates.append((labels, mount.major, mount.minor, mount.isReadOnly))
        }
        let usages = statAll(candidates.map(\.labels.mountPoint), fsTypes: candidates.map(\.labels.fsType))

        var size = MetricFamily.gauge("node_filesystem_size_bytes", "Filesystem size in bytes.")
        var free = MetricFamily.gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.")
        var avail = MetricFamily.gauge(
            "node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.")
        var files = MetricFamily.gauge("node_filesystem_files", "Filesystem total file nodes.")
        var filesFree = MetricFamily.gauge("node_filesystem_files_free", "Filesystem total free file nodes.")
        var readOnly = MetricFamily.gauge("node_filesystem_readonly", "Filesystem read-only status.")
        var deviceError = MetricFamily.gauge(
            "node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device.")
        var mountInfo = MetricFamily.gauge("node_filesystem_mount_info", "Filesystem mount information.")
        var emitted: Set<Labels> = []
        var rows: [(labels: Labels, usage: FilesystemUsage?, readOnly: Double, major: UInt32, minor: UInt32)] = []
        rows.reserveCapacity(candidates.count)
        for (index, candidate) in candidates.enumerated() {
            var labels = candidate.labels
            var readOnlyValue = candidate.readOnly ? 1.0 : 0.0
            let usage: FilesystemUsage?
            switch usages[index] {
            case .success(let value):
                usage = value
            case .failure(let error):
                labels.deviceError = error.message
                if error.stuck { readOnlyValue = 0 }
                usage = nil
            }
            guard emitted.insert(labels).inserted else { continue }
            rows.append((labels, usage, readOnlyValue, candidate.major, candidate.minor))
        }
        // Series in exposition order (label values by label name), sorted once here rather than
        // once per family in the merge: a container host has a mount per container.
        rows.sort { $0.labels.precedes($1.labels) }
        for row in rows {
            let (labels, usage, readOnlyValue) = (row.labels, row.usage, row.readOnly)
            let labelList = [
                Label("device", labels.device), Label("device_error", labels.deviceError),
                Label("fstype", labels.fsType), Label("mountpoint", labels.mountPoint),
            ]
            deviceError.add(usage == nil ? 1 : 0, labels: labelList)
            readOnly.add(readOnlyValue, labels: labelList)
            guard let usage else { continue }
            size.add(usage.sizeBytes, labels: labelList)
            free.add(usage.freeBytes, labels: labelList)
            avail.add(usage.availableBytes, labels: labelList)
            files.add(usage.files, labels: labelList)
            filesFree.add(usage.filesFree, labels: labelList)
            mountInfo.add(
                1, Label("device", labels.device), Label("major", String(row.major)),
                Label("minor", String(row.minor)), Label("mountpoint", labels.mountPoint))
        }
        return [size, free, avail, files, filesFree, readOnly, deviceError, mountInfo].filter { !$0.metrics.isEmpty }
    }

    struct StatError: Error {
        var message: String
        var stuck: Bool
    }

    /// Filesystems whose statfs answers from memory and cannot hang on a server: asked inline,
    /// without the hop to a worker thread.
    static let localTypes: Set<String> = ["ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "vfat", "f2fs", "ramfs"]

    /// Runs statfs for every mount point concurrently and waits at most `timeout` for all of them.
    func statAll(_ mountPoints: [String], fsTypes: [String]) -> [Result<FilesystemUsage, StatError>] {
        final class Results: Sendable {
            let values: Mutex<[Result<FilesystemUsage, StatError>?]>
            init(count: Int) { values = Mutex(Array(repeating: nil, count: count)) }
        }
        let results = Results(count: mountPoints.count)
        let group = DispatchGroup()
        let stuckNow = stuckMounts.withLock { $0 }
        for (index, mountPoint) in mountPoints.enumerated() {
            if stuckNow.contains(mountPoint) {
                results.values.withLock {
                    $0[index] = .failure(StatError(message: "mountpoint timeout", stuck: true))
                }
                continue
            }
            let path = configuration.rootFSPath(mountPoint)
            if Self.localTypes.contains(fsTypes[index]) {
                let outcome: Result<FilesystemUsage, StatError>
                do throws(FileSystemError) {
                    outcome = .success(try statFilesystem(path))
                } catch {
                    outcome = .failure(StatError(message: error.reason, stuck: false))
                }
                results.values.withLock { $0[index] = outcome }
                continue
            }
            group.enter()
            pool.submit { [self] in
                let outcome: Result<FilesystemUsage, StatError>
                do throws(FileSystemError) {
                    outcome = .success(try self.statFilesystem(path))
                } catch {
                    outcome = .failure(StatError(message: error.reason, stuck: false))
                }
                // A late answer clears the stuck mark so the mount is asked again next scrape.
                let wasStuck = self.stuckMounts.withLock { stuck in
                    results.values.withLock { $0[index] = outcome }
                    return stuck.remove(mountPoint) != nil
                }
                if wasStuck { self.pool.stuckJobReturned() }
                group.leave()
            }
        }
        let nanoseconds = max(
            0, timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        _ = group.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
        return stuckMounts.withLock { stuck in
            results.values.withLock { values in
                values.enumerated().map { index, value in
                    if let value { return value }
                    if stuck.insert(mountPoints[index]).inserted { pool.jobStuck() }
                    return .failure(StatError(message: "mountpoint timeout", stuck: true))
                }
            }
        }
    }
}

struct FilesystemOptions: CollectorOptions {
    static let defaultMountPointsExclude =
        "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"
    static let defaultFSTypesExclude =
        "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$"
    /// A mount may take from a millisecond to an hour to answer.
    static let mountTimeoutRange = Duration.milliseconds(1)...Duration.seconds(3600)

    static let mountPointsExcludeFlag = CollectorFlag.value(
        "collector.filesystem.mount-points-exclude",
        help: "Regexp of mount points to exclude for filesystem collector (mutually exclusive to mount-points-include)."
    )
    static let ignoredMountPointsFlag = CollectorFlag.value(
        "collector.filesystem.ignored-mount-points", help: "", hidden: true)
    static let mountPointsIncludeFlag = CollectorFlag.value(
        "collector.filesystem.mount-points-include",
        help: "Regexp of mount points to include for filesystem collector (mutually exclusive to mount-points-exclude)."
    )
    static let fsTypesExcludeFlag = CollectorFlag.value(
        "collector.filesystem.fs-types-exclude",
        help: "Regexp of filesystem types to exclude for filesystem collector (mutually exclusive to fs-types-include)."
    )
    static let ignoredFSTypesFlag = CollectorFlag.value("collector.filesystem.ignored-fs-types", help: "", hidden: true)
    static let fsTypesIncludeFlag = CollectorFlag.value(
        "collector.filesystem.fs-types-include",
        help: "Regexp of filesystem types to include for filesystem collector (mutually exclusive to fs-types-exclude)."
    )
    static let mountTimeoutFlag = CollectorFlag.value(
        "collector.filesystem.mount-timeout", default: "5s",
        help: "How long to wait for a mount to respond before marking it as stale.")
    static let flags = [
        mountPointsExcludeFlag, ignoredMountPointsFlag, mountPointsIncludeFlag, fsTypesExcludeFlag, ignoredFSTypesFlag,
        fsTypesIncludeFlag, mountTimeoutFlag,
    ]

    /// nil when an include pattern replaces the default exclude.
    var mountPointsExclude: String?
    var mountPointsInclude: String?
    var fsTypesExclude: String?
    var fsTypesInclude: String?
    /// How long statfs may take before the mount is marked stuck.
    var mountTimeout: Duration

    init(flags: CollectorFlagValues) throws(ConfigurationError) {
        (mountPointsExclude, mountPointsInclude) = try Self.patterns(
            flags, exclude: Self.mountPointsExcludeFlag, alias: Self.ignoredMountPointsFlag,
            include: Self.mountPointsIncludeFlag, defaultExclude: Self.defaultMountPointsExclude)
        (fsTypesExclude, fsTypesInclude) = try Self.patterns(
            flags, exclude: Self.fsTypesExcludeFlag, alias: Self.ignoredFSTypesFlag,
            include: Self.fsTypesIncludeFlag, defaultExclude: Self.defaultFSTypesExclude)
        do {
            mountTimeout = try GoDuration.parse(flags.value(Self.mountTimeoutFlag) ?? "5s", in: Self.mountTimeoutRange)
        } catch {
            throw ConfigurationError("--\(Self.mountTimeoutFlag.name): \(error)")
        }
    }

    /// An include pattern replaces the default exclude; both given is an error.
    private static func patterns(
        _ flags: CollectorFlagValues, exclude: CollectorFlag, alias: CollectorFlag, include: CollectorFlag,
        defaultExclude: String
    ) throws(ConfigurationError) -> (exclude: String?, include: String?) {
        let excludeGiven = try flags.value(exclude, alias: alias)
        guard let includePattern = flags.value(include) else { return (excludeGiven ?? defaultExclude, nil) }
        if excludeGiven != nil {
            throw ConfigurationError("--\(exclude.name) and --\(include.name) are mutually exclusive.")
        }
        return (nil, includePattern)
    }
}
