import Logging
import VitalsExposition
import VitalsProcFS

/// `loadavg`: the 1, 5 and 15 minute load averages.
struct LoadavgCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let load = try procFS.loadAverage()
        return [
            .single("node_load1", "1m load average.", .gauge, load.load1),
            .single("node_load5", "5m load average.", .gauge, load.load5),
            .single("node_load15", "15m load average.", .gauge, load.load15),
        ]
    }
}

extension LoadavgCollector: CollectorDefinition {
    static let name = "loadavg"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
