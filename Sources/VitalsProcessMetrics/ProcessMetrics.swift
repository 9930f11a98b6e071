import VitalsExposition
import VitalsProcFS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// This process's `process_*` families, named and described as client_golang's process collector.
public struct ProcessMetrics: Sendable {
    /// Always /proc of this process, whatever `--path.procfs` says: these describe the daemon itself.
    private let procFS = ProcFS(root: "/proc")
    private let bootTime: Double
    private let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    public init() {
        bootTime = (try? ProcFS(root: "/proc").stat()).map { Double($0.bootTime) } ?? 0
    }

    public func families() throws -> [MetricFamily] {
        let stat = try procFS.processStat()
        let limits = try procFS.processLimits()
        let openFiles = try procFS.openFileDescriptors()
        let userHZ = KernelStat.userHZ
        return [
            .single(
                "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", .counter,
                Double(stat.userTicks + stat.systemTicks) / userHZ),
            .single("process_open_fds", "Number of open file descriptors.", .gauge, Double(openFiles)),
            .single(
                "process_max_fds", "Maximum number of open file descriptors.", .gauge,
                limits.openFiles.map { Double($0) } ?? Double(UInt64.max)),
            .single(
                "process_virtual_memory_bytes", "Virtual memory size in bytes.", .gauge, Double(stat.virtualMemoryBytes)
            ),
            .single(
                "process_virtual_memory_max_bytes", "Maximum amount of virtual memory available in bytes.", .gauge,
                limits.addressSpace.map { Double($0) } ?? Double(UInt64.max)),
            .single(
                "process_resident_memory_bytes", "Resident memory size in bytes.", .gauge,
                Double(stat.residentPages) * pageSize),
            .single(
                "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", .gauge,
                bootTime + Double(stat.startTicks) / userHZ),
        ]
    }
}
