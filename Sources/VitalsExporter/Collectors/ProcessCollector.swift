import VitalsExposition
import VitalsProcFS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A daemon's own `process_*` metrics, named and described as client_golang's process collector.
public struct ProcessCollector: Collector {
    /// Always /proc of this process, whatever `--path.procfs` says: these describe the exporter itself.
    let procFS = ProcFS(root: "/proc")
    let bootTime: Double
    let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))

    public init() {
        bootTime = (try? ProcFS(root: "/proc").stat()).map { Double($0.bootTime) } ?? 0
    }

    public func collect() throws -> [MetricFamily] {
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

/// `vitals_exporter_build_info`: which build is running.
struct BuildInfoCollector: Collector {
    let version: String

    func collect() throws -> [MetricFamily] {
        var family = MetricFamily.gauge(
            "vitals_exporter_build_info",
            "A metric with a constant '1' value labeled by version and the Swift compiler from which vitals-exporter was built."
        )
        family.add(1, Label("version", version), Label("swiftversion", Self.swiftVersion))
        return [family]
    }

    static var swiftVersion: String {
        #if compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}
