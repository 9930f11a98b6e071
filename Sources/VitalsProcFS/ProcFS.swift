import VitalsSystem

/// The root of a procfs mount, `/proc` unless the exporter runs with `--path.procfs`.
///
/// Each accessor reads one kernel file and hands its bytes to the pure `parse` function of
/// the matching snapshot type, so parsing can be tested on fixture bytes alone.
public struct ProcFS: Sendable, Hashable {
    public var root: String
    /// Where skipped malformed lines are counted; nil to not count.
    public var tally: MalformedInputTally?

    public init(root: String = "/proc", tally: MalformedInputTally? = nil) {
        self.root = root
        self.tally = tally
    }

    public static func == (lhs: ProcFS, rhs: ProcFS) -> Bool { lhs.root == rhs.root }

    public func hash(into hasher: inout Hasher) { hasher.combine(root) }

    /// Records a snapshot's skipped lines and hands the snapshot back.
    func counted<Snapshot>(_ snapshot: Snapshot, _ file: String, _ lines: KeyPath<Snapshot, Int>) -> Snapshot {
        tally?.record(snapshot[keyPath: lines], in: path(file))
        return snapshot
    }

    /// The absolute path of a file below the root.
    public func path(_ components: String...) -> String {
        var result = root
        for component in components { appendPathComponent(&result, component) }
        return result
    }

    public func read(_ relativePath: String) throws(FileSystemError) -> [UInt8] {
        try FileAccess.read(joinPath(root, relativePath))
    }

    /// `/proc/stat`.
    public func stat() throws -> KernelStat {
        counted(try KernelStat.parse(read("stat"), file: path("stat")), "stat", \.malformedLines)
    }

    /// `/proc/loadavg`.
    public func loadAverage() throws -> LoadAverage {
        try LoadAverage.parse(read("loadavg"), file: path("loadavg"))
    }

    /// `/proc/meminfo` field by field (``MemInfo/forEachField(_:_:)``).
    public func memInfo(
        _ body: (_ position: Int, _ name: ArraySlice<UInt8>, _ value: Double, _ hasUnit: Bool) -> Void
    ) throws {
        var fields = 0
        let malformed = MemInfo.forEachField(try read("meminfo")) { position, name, value, hasUnit in
            fields += 1
            body(position, name, value, hasUnit)
        }
        tally?.record(malformed, in: path("meminfo"))
        guard fields > 0 else { throw MemInfo.noFields(path("meminfo")) }
    }

    /// `/proc/diskstats`.
    public func diskStats() throws -> DiskStats {
        counted(DiskStats.parse(try read("diskstats")), "diskstats", \.malformedLines)
    }

    /// `/proc/net/dev`.
    public func netDev() throws -> NetDev { counted(NetDev.parse(try read("net/dev")), "net/dev", \.malformedLines) }

    /// `/proc/cpuinfo`.
    public func cpuInfo() throws -> CPUInfo { counted(CPUInfo.parse(try read("cpuinfo")), "cpuinfo", \.malformedLines) }

    /// The mount table seen by `pid` (`/proc/<pid>/mountinfo`), or by this process with `"self"`.
    /// - Parameter memo: where a caller that reads the file on every scrape keeps the last parse.
    public func mountInfo(pid: String = "1", memo: InputMemo<[UInt8], MountInfo>? = nil) throws -> MountInfo {
        let bytes = try read("\(pid)/mountinfo")
        let info = memo?.value(for: bytes, make: MountInfo.parse) ?? MountInfo.parse(bytes)
        return counted(info, "\(pid)/mountinfo", \.malformedLines)
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
