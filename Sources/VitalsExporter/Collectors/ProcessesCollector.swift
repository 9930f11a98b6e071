import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `processes` (off by default): processes and threads by state, and the PID and thread limits.
struct ProcessesCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        var pids = 0
        var threads = 0
        var states: [String: Int] = [:]
        var threadStates: [String: Int] = [:]
        for pid in try procFS.processIDs() {
            // Processes come and go between listing and reading: a vanished one is skipped.
            guard let stat = try? procFS.processStat(pid: pid) else { continue }
            pids += 1
            states[stat.state, default: 0] += 1
            threads &+= Int(clamping: stat.threads)
            for thread in procFS.threadIDs(of: pid) {
                if thread == pid {
                    threadStates[stat.state, default: 0] += 1
                    continue
                }
                guard let taskStat = try? procFS.threadStat(pid: pid, thread: thread) else { continue }
                threadStates[taskStat.state, default: 0] += 1
            }
        }
        func limit(_ file: String) throws -> Double {
            guard let value = Double(try procFS.kernelLimit(file)) else {
                throw CollectorError.failed("unable to parse \(procFS.path(file))")
            }
            return value
        }
        var stateFamily = MetricFamily.gauge("node_processes_state", "Number of processes in each state.")
        for (state, count) in states { stateFamily.add(Double(count), Label("state", state)) }
        var threadStateFamily = MetricFamily.gauge("node_processes_threads_state", "Number of threads in each state.")
        for (state, count) in threadStates { threadStateFamily.add(Double(count), Label("thread_state", state)) }
        return [
            .single("node_processes_threads", "Allocated threads in system", .gauge, Double(threads)),
            .single(
                "node_processes_max_threads", "Limit of threads in the system", .gauge,
                try limit("sys/kernel/threads-max")),
            stateFamily, threadStateFamily,
            .single("node_processes_pids", "Number of PIDs", .gauge, Double(pids)),
            .single(
                "node_processes_max_processes", "Number of max PIDs limit", .gauge, try limit("sys/kernel/pid_max")),
        ]
    }
}

extension ProcessesCollector: CollectorDefinition {
    static let name = "processes"
    static let enabledByDefault = false

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
