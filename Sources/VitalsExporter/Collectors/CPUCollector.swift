import Logging
import Synchronization
import VitalsExposition
import VitalsProcFS

/// `cpu`: time per CPU and mode from /proc/stat, guest time, isolation, thermal throttling and,
/// with `--collector.cpu.info`, the cpuinfo labels.
final class CPUCollector: ConfigurableCollector {
    typealias Options = CPUOptions
    static let name = "cpu"
    static let enabledByDefault = true

    /// An idle counter that drops by more than this many seconds means a hotplugged CPU: start over.
    static let jumpBackSeconds = 3.0

    private let procFS: ProcFS
    private let sysFS: SysFS
    private let options: CPUOptions
    private let flagsInclude: DeviceFilter?
    private let bugsInclude: DeviceFilter?
    private let isolated: [Int]
    /// The last counters seen per CPU, so that counters never go backwards in the output.
    private let lastTimes = Mutex<[Int: CPUTimes]>([:])

    /// node_exporter adds node_cpu_frequency_hertz from cpuinfo only when the cpufreq collector is on.
    private let cpufreqEnabled: Bool

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        procFS = configuration.procFS
        sysFS = configuration.sysFS
        let options = CPUOptions(flags: configuration.flags)
        self.options = options
        cpufreqEnabled = configuration.enabledCollectors.contains(CPUFreqCollector.name)
        flagsInclude = try options.flagsInclude.map { pattern throws(ConfigurationError) in
            try DeviceFilter(exclude: nil, include: pattern)
        }
        bugsInclude = try options.bugsInclude.map { pattern throws(ConfigurationError) in
            try DeviceFilter(exclude: nil, include: pattern)
        }
        isolated = (try? configuration.sysFS.isolatedCPUs()) ?? []
    }

    func collect() throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        if options.info { try collectInfo(into: &families) }
        try collectTimes(into: &families)
        if !isolated.isEmpty {
            var family = MetricFamily.gauge(
                "node_cpu_isolated", "Whether each core is isolated, information from /sys/devices/system/cpu/isolated."
            )
            for cpu in isolated { family.add(1, Label("cpu", String(cpu))) }
            families.append(family)
        }
        collectTopology(into: &families)
        return families
    }

    private func collectInfo(into families: inout [MetricFamily]) throws {
        let info = try procFS.cpuInfo()
        var infoFamily = MetricFamily.gauge("node_cpu_info", "CPU information from /proc/cpuinfo.")
        var frequency = MetricFamily.gauge("node_cpu_frequency_hertz", "CPU frequency in hertz from /proc/cpuinfo.")
        for cpu in info.processors {
            infoFamily.add(
                1, Label("package", cpu.physicalID), Label("core", cpu.coreID), Label("cpu", String(cpu.processor)),
                Label("vendor", cpu.vendorID), Label("family", cpu.cpuFamily), Label("model", cpu.model),
                Label("model_name", cpu.modelName), Label("microcode", cpu.microcode),
                Label("stepping", cpu.stepping), Label("cachesize", cpu.cacheSize))
            if cpufreqEnabled {
                frequency.add(
                    cpu.cpuMHz * 1e6, Label("package", cpu.physicalID), Label("core", cpu.coreID),
                    Label("cpu", String(cpu.processor)))
            }
        }
        families.appendIfNotEmpty(infoFamily)
        families.appendIfNotEmpty(frequency)
        guard let first = info.processors.first else { return }
        if let flagsInclude {
            var family = MetricFamily.gauge(
                "node_cpu_flag_info",
                "The `flags` field of CPU information from /proc/cpuinfo taken from the first core.")
            for flag in first.flags where !flagsInclude.ignores(flag) { family.add(1, Label("flag", flag)) }
            families.append(family)
        }
        if let bugsInclude {
            var family = MetricFamily.gauge(
                "node_cpu_bug_info", "The `bugs` field of CPU information from /proc/cpuinfo taken from the first core."
            )
            for bug in first.bugs where !bugsInclude.ignores(bug) { family.add(1, Label("bug", bug)) }
            families.append(family)
        }
    }

    private func collectTimes(into families: inout [MetricFamily]) throws {
        let stat = try procFS.stat()
        let current = lastTimes.withLock { last in
            var seen: Set<Int> = []
            for cpu in stat.cpus {
                seen.insert(cpu.number)
                last[cpu.number] = Self.monotonic(previous: last[cpu.number], next: cpu.times)
            }
            if seen.count != last.count { last = last.filter { seen.contains($0.key) } }
            return last
        }
        var seconds = MetricFamily.counter("node_cpu_seconds_total", "Seconds the CPUs spent in each mode.")
        var guest = MetricFamily.counter(
            "node_cpu_guest_seconds_total", "Seconds the CPUs spent in guests (VMs) for each mode.")
        seconds.metrics.reserveCapacity(current.count * 8)
        // In the exposition's order (cpu as text, then mode), so that the family needs no sorting:
        // on a 64-core host that is 512 series sorted on every scrape.
        let cpus = current.map { (cpu: String($0.key), times: $0.value) }.sorted { $0.cpu.precedesInByteOrder($1.cpu) }
        for (cpu, times) in cpus {
            seconds.add(times.idle, Label("cpu", cpu), Label("mode", "idle"))
            seconds.add(times.iowait, Label("cpu", cpu), Label("mode", "iowait"))
            seconds.add(times.irq, Label("cpu", cpu), Label("mode", "irq"))
            seconds.add(times.nice, Label("cpu", cpu), Label("mode", "nice"))
            seconds.add(times.softirq, Label("cpu", cpu), Label("mode", "softirq"))
            seconds.add(times.steal, Label("cpu", cpu), Label("mode", "steal"))
            seconds.add(times.system, Label("cpu", cpu), Label("mode", "system"))
            seconds.add(times.user, Label("cpu", cpu), Label("mode", "user"))
            if options.guest {
                // Guest time is also counted in user and nice; exposed separately.
                guest.add(times.guestNice, Label("cpu", cpu), Label("mode", "nice"))
                guest.add(times.guest, Label("cpu", cpu), Label("mode", "user"))
            }
        }
        families.append(seconds)
        if options.guest { families.append(guest) }
    }

    /// node_exporter's guard against counters that jump backwards (iowait is known to).
    static func monotonic(previous: CPUTimes?, next: CPUTimes) -> CPUTimes {
        guard var kept = previous else { return next }
        if kept.idle - next.idle >= jumpBackSeconds { return next }
        kept.user = max(kept.user, next.user)
        kept.nice = max(kept.nice, next.nice)
        kept.system = max(kept.system, next.system)
        kept.idle = max(kept.idle, next.idle)
        kept.iowait = max(kept.iowait, next.iowait)
        kept.irq = max(kept.irq, next.irq)
        kept.softirq = max(kept.softirq, next.softirq)
        kept.steal = max(kept.steal, next.steal)
        kept.guest = max(kept.guest, next.guest)
        kept.guestNice = max(kept.guestNice, next.guestNice)
        return kept
    }

    private func collectTopology(into families: inout [MetricFamily]) {
        guard let numbers = try? sysFS.cpuNumbers(), !numbers.isEmpty else { return }
        var packageThrottles: [UInt64: UInt64] = [:]
        var coreThrottles: [UInt64: [UInt64: UInt64]] = [:]
        var online: [(Int, Bool)] = []
        var onlineSupported = false
        for number in numbers {
            let topology = sysFS.cpuTopology(number)
            if number == numbers[0] { onlineSupported = topology.online != nil }
            online.append((number, topology.online ?? false))
            guard let package = topology.physicalPackageID, let core = topology.coreID else { continue }
            if coreThrottles[package]?[core] == nil, let count = topology.coreThrottleCount {
                coreThrottles[package, default: [:]][core] = count
            }
            if packageThrottles[package] == nil, let count = topology.packageThrottleCount {
                packageThrottles[package] = count
            }
        }
        var coreFamily = MetricFamily.counter(
            "node_cpu_core_throttles_total", "Number of times this CPU core has been throttled.")
        for (package, cores) in coreThrottles {
            for (core, count) in cores {
                coreFamily.add(Double(count), Label("package", String(package)), Label("core", String(core)))
            }
        }
        var packageFamily = MetricFamily.counter(
            "node_cpu_package_throttles_total", "Number of times this CPU package has been throttled.")
        for (package, count) in packageThrottles {
            packageFamily.add(Double(count), Label("package", String(package)))
        }
        families.appendIfNotEmpty(coreFamily)
        families.appendIfNotEmpty(packageFamily)
        if onlineSupported {
            var onlineFamily = MetricFamily.gauge("node_cpu_online", "CPUs that are online and being scheduled.")
            for (number, isOnline) in online { onlineFamily.add(isOnline ? 1 : 0, Label("cpu", String(number))) }
            families.append(onlineFamily)
        }
    }
}

struct CPUOptions: CollectorOptions {
    static let guestFlag = CollectorFlag.bool(
        "collector.cpu.guest", default: true, help: "Enables metric node_cpu_guest_seconds_total.")
    static let infoFlag = CollectorFlag.bool("collector.cpu.info", help: "Enables metric cpu_info.")
    static let flagsIncludeFlag = CollectorFlag.value(
        "collector.cpu.info.flags-include",
        help: "Filter the `flags` field in cpuInfo with a value that must be a regular expression.")
    static let bugsIncludeFlag = CollectorFlag.value(
        "collector.cpu.info.bugs-include",
        help: "Filter the `bugs` field in cpuInfo with a value that must be a regular expression.")
    static let flags = [guestFlag, infoFlag, flagsIncludeFlag, bugsIncludeFlag]

    /// node_cpu_guest_seconds_total.
    var guest: Bool
    /// node_cpu_info and friends from /proc/cpuinfo; implied by either filter.
    var info: Bool
    var flagsInclude: String?
    var bugsInclude: String?

    init(flags: CollectorFlagValues) {
        guest = flags.bool(Self.guestFlag)
        flagsInclude = flags.value(Self.flagsIncludeFlag)
        bugsInclude = flags.value(Self.bugsIncludeFlag)
        info = flags.bool(Self.infoFlag) || flagsInclude != nil || bugsInclude != nil
    }
}
