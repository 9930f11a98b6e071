import FuzzSupport
import VitalsProcFS

/// Every /proc and /sys parser, chosen by the input's first byte: malformed kernel text is skipped
/// and counted, never a trap.
let parsers: [([UInt8]) -> Void] = [
    { _ = try? MemInfo.parse($0) },
    { _ = CPUInfo.parse($0) },
    { _ = try? KernelStat.parse($0) },
    { _ = SocketQueueSummary.parse($0) },
    { _ = ARPTable.parse($0) },
    { _ = NetDev.parse($0) },
    { _ = try? LoadAverage.parse($0) },
    { _ = DiskStats.parse($0) },
    { _ = UdevProperties.parse($0) },
    { _ = SoftnetStat.parse($0) },
    { _ = Sockstat.parse($0) },
    { _ = try? ProcessStat.parse($0) },
    { _ = ProcessLimits.parse($0) },
    { _ = OSRelease.parse($0) },
    { _ = MountInfo.parse($0) },
    { _ = Schedstat.parse($0) },
    { _ = try? Interrupts.parse($0) },
    { _ = ConntrackStat.parse($0) },
    { _ = PressureStats.parse($0) },
    { _ = KeyValueStats.parse($0) },
    {
        var memo = KeyMemo<Int>()
        _ = KeyValueStats.forEachEntry($0) { position, key, _ in _ = memo.info(at: position, key: key) { $0.count } }
    },
    { _ = MemInfo.forEachField($0) { _, _, _, _ in } },
    { _ = try? CPUList.parse(String(decoding: $0, as: UTF8.self)) },
    { _ = try? FileHandles.parse($0) },
    {
        _ = ProtocolTables<Int>.parse($0) { _, header in
            header.isEmpty ? [] : [(index: 1, column: 0), (index: 3, column: 1)]
        }
    },
    { _ = try? EntropyPool.parseValue(String(decoding: $0, as: UTF8.self), file: "entropy_avail") },
    { _ = ProcessCgroups.parse($0) },
    { bytes in
        // Every cgroup file a container's figures come from, v1 and v2.
        var stats = CgroupStats()
        stats.memoryUsage = 1 << 30
        stats.parseCPUAcctStat(bytes)
        stats.parseCPUStat(bytes)
        stats.parseMemoryStatV1(bytes)
        stats.parseMemoryStatV2(bytes)
        stats.parseMemoryEvents(bytes, failcntFromMax: true)
        stats.parseBlkio(bytes, operations: false)
        stats.parseIOStat(bytes)
    },
]

FuzzDriver.run { bytes in
    guard let selector = bytes.first else { return }
    parsers[Int(selector) % parsers.count](Array(bytes.dropFirst()))
}
