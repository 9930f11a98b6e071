import Logging
import VitalsExposition
import VitalsProcFS

/// `schedstat`: per-CPU scheduler statistics from /proc/schedstat.
struct SchedstatCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        guard let stat = try procFS.schedstat() else { throw CollectorError.noData("schedstat file does not exist") }
        var running = MetricFamily.counter(
            "node_schedstat_running_seconds_total", "Number of seconds CPU spent running a process.")
        var waiting = MetricFamily.counter(
            "node_schedstat_waiting_seconds_total", "Number of seconds spent by processing waiting for this CPU.")
        var slices = MetricFamily.counter("node_schedstat_timeslices_total", "Number of timeslices executed by CPU.")
        for cpu in stat.cpus {
            running.add(Double(cpu.runningNanoseconds) / 1e9, Label("cpu", cpu.cpu))
            waiting.add(Double(cpu.waitingNanoseconds) / 1e9, Label("cpu", cpu.cpu))
            slices.add(Double(cpu.timeslices), Label("cpu", cpu.cpu))
        }
        return [running, waiting, slices]
    }
}

extension SchedstatCollector: CollectorDefinition {
    static let name = "schedstat"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
