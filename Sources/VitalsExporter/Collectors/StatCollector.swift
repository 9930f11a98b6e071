import Logging
import VitalsExposition
import VitalsProcFS

/// `stat`: interrupts, context switches, forks, boot time and process counts from /proc/stat.
struct StatCollector: ConfigurableCollector {
    typealias Options = StatOptions
    static let name = "stat"
    static let enabledByDefault = true

    static let softIRQVectors = [
        "hi", "timer", "net_tx", "net_rx", "block", "block_iopoll", "tasklet", "sched", "hrtimer", "rcu",
    ]

    let procFS: ProcFS
    let options: StatOptions

    init(procFS: ProcFS, options: StatOptions) {
        self.procFS = procFS
        self.options = options
    }

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS, options: StatOptions(flags: configuration.flags))
    }

    func collect() throws -> [MetricFamily] {
        let stat = try procFS.stat()
        var families: [MetricFamily] = [
            .single("node_intr_total", "Total number of interrupts serviced.", .counter, Double(stat.interruptsTotal)),
            .single(
                "node_context_switches_total", "Total number of context switches.", .counter,
                Double(stat.contextSwitches)),
            .single("node_forks_total", "Total number of forks.", .counter, Double(stat.processesCreated)),
            .single("node_boot_time_seconds", "Node boot time, in unixtime.", .gauge, Double(stat.bootTime)),
            .single(
                "node_procs_running", "Number of processes in runnable state.", .gauge, Double(stat.processesRunning)),
            .single(
                "node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", .gauge,
                Double(stat.processesBlocked)),
        ]
        if options.softirq {
            var family = MetricFamily.counter("node_softirqs_total", "Number of softirq calls.")
            for (index, vector) in Self.softIRQVectors.enumerated() {
                let value = index < stat.softIRQ.count ? stat.softIRQ[index] : 0
                family.add(Double(value), Label("vector", vector))
            }
            families.append(family)
        }
        return families
    }
}

struct StatOptions: CollectorOptions {
    static let softirqFlag = CollectorFlag.bool("collector.stat.softirq", help: "Export softirq calls per vector.")
    static let flags = [softirqFlag]

    /// node_softirqs_total{vector}.
    var softirq: Bool

    init(flags: CollectorFlagValues) { softirq = flags.bool(Self.softirqFlag) }
}
