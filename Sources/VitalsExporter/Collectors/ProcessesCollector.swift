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
        for entry in try FileAccess.listDirectory(procFS.root) {
            guard let pid = Int(entry.name) else { continue }
            // Processes come and go between listing and reading: a vanished one is skipped.
            guard let stat = try? procFS.processStat(pid: entry.name) else { continue }
            pids += 1
            states[stat.state, default: 0] += 1
            threads += Int(stat.threads)
            let tasks = (try? FileAccess.listDirectory(procFS.path(entry.name, "task"))) ?? []
            for task in tasks {
                guard let taskID = Int(task.name) else { continue }
                if taskID == pid {
                    threadStates[stat.state, default: 0] += 1
                    continue
                }
                let taskFS = ProcFS(root: procFS.path(entry.name, "task"))
                guard let taskStat = try? taskFS.processStat(pid: task.name) else { continue }
                threadStates[taskStat.state, default: 0] += 1
            }
        }
        func limit(_ file: String) throws -> Double {
            guard let value = Double(try FileAccess.readAttribute(procFS.path(file))) else {
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
