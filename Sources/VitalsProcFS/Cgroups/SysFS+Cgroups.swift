import VitalsSystem

/// Container cgroups under `<sysfs>/fs/cgroup`: v1 controllers each in their own hierarchy
/// (`fs/cgroup/memory/...`), the unified v2 tree at `fs/cgroup` (v2 alone) or `fs/cgroup/unified`
/// (the hybrid layout, where it usually holds no controllers but does hold pressure files).
extension SysFS {
    /// Where the unified hierarchy is mounted, or nil on a v1-only host.
    public func unifiedCgroupRoot() -> String? {
        let root = path("fs/cgroup")
        if FileAccess.exists(joinPath(root, "cgroup.controllers")) { return root }
        let hybrid = joinPath(root, "unified")
        if FileAccess.exists(joinPath(hybrid, "cgroup.controllers")) { return hybrid }
        return nil
    }

    /// A process' cgroup figures: each from its v1 controller when the process is in one, else
    /// from the unified tree. Nil when neither memory nor CPU figures can be read (the cgroup went
    /// away, as it does when a container stops between listing and reading).
    public func cgroupStats(_ cgroups: ProcessCgroups, unifiedRoot: String?) -> CgroupStats? {
        func v1(_ controller: String) -> String? {
            cgroups.controllers[controller].map { joinPath(path("fs/cgroup", controller), $0) }
        }
        let unified = cgroups.unified.flatMap { path in unifiedRoot.map { joinPath($0, path) } }
        func read(_ directory: String?, _ file: String) -> [UInt8]? {
            guard let directory else { return nil }
            return try? FileAccess.read(joinPath(directory, file))
        }
        func number(_ directory: String?, _ file: String) -> UInt64? {
            read(directory, file).flatMap { CgroupStats.limit($0) }.flatMap { $0 }
        }

        var stats = CgroupStats()
        // Memory.
        if let memory = v1("memory"), let usage = number(memory, "memory.usage_in_bytes") {
            stats.version = 1
            stats.memoryUsage = usage
            // v1 writes "unlimited" as a page-rounded 2^63; cAdvisor reports such limits as none.
            stats.memoryLimit = number(memory, "memory.limit_in_bytes").flatMap { $0 > 1 << 62 ? nil : $0 }
            stats.memoryFailcnt = number(memory, "memory.failcnt")
            if let withSwap = number(memory, "memory.memsw.usage_in_bytes") {
                stats.memorySwap = withSwap > usage ? withSwap - usage : 0
            }
            if let stat = read(memory, "memory.stat") { stats.parseMemoryStatV1(stat) }
            if let oom = read(memory, "memory.oom_control") { stats.parseMemoryEvents(oom, failcntFromMax: false) }
        } else if let usage = number(unified, "memory.current") {
            stats.version = 2
            stats.memoryUsage = usage
            stats.memoryLimit = read(unified, "memory.max").flatMap { CgroupStats.limit($0) } ?? nil
            stats.memorySwap = number(unified, "memory.swap.current")
            if let stat = read(unified, "memory.stat") { stats.parseMemoryStatV2(stat) }
            if let events = read(unified, "memory.events") { stats.parseMemoryEvents(events, failcntFromMax: true) }
        }
        // CPU.
        if let cpuacct = v1("cpuacct"), let usage = number(cpuacct, "cpuacct.usage") {
            stats.cpuUsageSeconds = Double(usage) / 1e9
            if let stat = read(cpuacct, "cpuacct.stat") { stats.parseCPUAcctStat(stat) }
            if let stat = read(v1("cpu"), "cpu.stat") { stats.parseCPUStat(stat) }
        } else if let stat = read(unified, "cpu.stat") {
            stats.parseCPUStat(stat)
        }
        guard stats.memoryUsage != nil || stats.cpuUsageSeconds != nil else { return nil }
        // Block IO.
        if let blkio = v1("blkio") {
            if let bytes = read(blkio, "blkio.throttle.io_service_bytes") { stats.parseBlkio(bytes, operations: false) }
            if let operations = read(blkio, "blkio.throttle.io_serviced") {
                stats.parseBlkio(operations, operations: true)
            }
        } else if let io = read(unified, "io.stat") {
            stats.parseIOStat(io)
        }
        // Tasks.
        let pids = v1("pids") ?? unified
        stats.tasks = number(pids, "pids.current")
        stats.tasksLimit = read(pids, "pids.max").flatMap { CgroupStats.limit($0) } ?? nil
        // Pressure lives in the unified tree only, hybrid hosts included.
        stats.cpuPressure = read(unified, "cpu.pressure").map(PressureStats.parse)
        stats.memoryPressure = read(unified, "memory.pressure").map(PressureStats.parse)
        stats.ioPressure = read(unified, "io.pressure").map(PressureStats.parse)
        return stats
    }

    /// `/dev/<name>` of a block device from `dev/block/MAJ:MIN`, or nil.
    public func blockDeviceName(major: Int, minor: Int) -> String? {
        guard let target = try? FileAccess.readLink(path("dev/block/\(major):\(minor)")) else { return nil }
        return target.split(separator: "/").last.map { "/dev/" + $0 }
    }
}

extension ProcFS {
    /// `/proc/<pid>/cgroup`.
    public func processCgroups(pid: Int) throws -> ProcessCgroups {
        counted(ProcessCgroups.parse(try read("\(pid)/cgroup")), "\(pid)/cgroup", \.malformedLines)
    }

    /// `/proc/<pid>/net/dev`: the interfaces of the process' network namespace.
    public func netDev(pid: Int) throws -> NetDev {
        counted(NetDev.parse(try read("\(pid)/net/dev")), "\(pid)/net/dev", \.malformedLines)
    }
}
