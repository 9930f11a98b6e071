/// The root of a procfs mount, `/proc` unless the exporter runs with `--path.procfs`.
///
/// Each accessor reads one kernel file and hands its bytes to the pure `parse` function of
/// the matching snapshot type, so parsing can be tested on fixture bytes alone.
public struct ProcFS: Sendable, Hashable {
    public var root: String

    public init(root: String = "/proc") {
        self.root = root
    }

    /// The absolute path of a file below the root.
    public func path(_ components: String...) -> String {
        components.reduce(root) { joinPath($0, $1) }
    }

    public func read(_ relativePath: String) throws(FileSystemError) -> [UInt8] {
        try FileAccess.read(joinPath(root, relativePath))
    }

    /// `/proc/stat`.
    public func stat() throws -> KernelStat { try KernelStat.parse(read("stat"), file: path("stat")) }

    /// `/proc/loadavg`.
    public func loadAverage() throws -> LoadAverage {
        try LoadAverage.parse(read("loadavg"), file: path("loadavg"))
    }

    /// `/proc/meminfo`.
    public func memInfo() throws -> MemInfo { try MemInfo.parse(read("meminfo"), file: path("meminfo")) }

    /// `/proc/diskstats`.
    public func diskStats() throws -> DiskStats { DiskStats.parse(try read("diskstats")) }

    /// `/proc/net/dev`.
    public func netDev() throws -> NetDev { NetDev.parse(try read("net/dev")) }

    /// `/proc/cpuinfo`.
    public func cpuInfo() throws -> CPUInfo { CPUInfo.parse(try read("cpuinfo")) }

    /// The mount table seen by `pid` (`/proc/<pid>/mountinfo`), or by this process with `"self"`.
    public func mountInfo(pid: String = "1") throws -> MountInfo {
        MountInfo.parse(try read("\(pid)/mountinfo"))
    }

    /// `/proc/self/stat` or another process' stat line.
    public func processStat(pid: String = "self") throws -> ProcessStat {
        try ProcessStat.parse(read("\(pid)/stat"), file: path(pid, "stat"))
    }

    /// `/proc/self/limits` or another process' limits.
    public func processLimits(pid: String = "self") throws -> ProcessLimits {
        ProcessLimits.parse(try read("\(pid)/limits"))
    }

    /// How many file descriptors `pid` has open.
    public func openFileDescriptors(pid: String = "self") throws(FileSystemError) -> Int {
        try FileAccess.listDirectory(path(pid, "fd")).count
    }
}
