import Logging
import VitalsExposition
import VitalsProcFS

/// `cpufreq`: CPU frequencies and scaling governors from /sys/devices/system/cpu/cpu*/cpufreq.
struct CPUFreqCollector: Collector {
    let sysFS: SysFS

    func collect() throws -> [MetricFamily] {
        let frequencies = try sysFS.cpuFrequencies()
        guard !frequencies.isEmpty else { throw CollectorError.noData("could not find any cpufreq files") }
        var current = MetricFamily.gauge("node_cpu_frequency_hertz", "Current CPU thread frequency in hertz.")
        var average = MetricFamily.gauge("node_cpu_frequency_avg_hertz", "Average CPU thread frequency in hertz.")
        var minimum = MetricFamily.gauge("node_cpu_frequency_min_hertz", "Minimum CPU thread frequency in hertz.")
        var maximum = MetricFamily.gauge("node_cpu_frequency_max_hertz", "Maximum CPU thread frequency in hertz.")
        var scaling = MetricFamily.gauge(
            "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz.")
        var scalingMinimum = MetricFamily.gauge(
            "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz.")
        var scalingMaximum = MetricFamily.gauge(
            "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz.")
        var governor = MetricFamily.gauge("node_cpu_scaling_governor", "Current enabled CPU frequency governor.")
        for frequency in frequencies {
            let cpu = Label("cpu", frequency.cpu)
            if let value = frequency.currentKHz { current.add(Double(value) * 1000.0, cpu) }
            if let value = frequency.averageKHz { average.add(Double(value) * 1000.0, cpu) }
            if let value = frequency.minimumKHz { minimum.add(Double(value) * 1000.0, cpu) }
            if let value = frequency.maximumKHz { maximum.add(Double(value) * 1000.0, cpu) }
            if let value = frequency.scalingCurrentKHz { scaling.add(Double(value) * 1000.0, cpu) }
            if let value = frequency.scalingMinimumKHz { scalingMinimum.add(Double(value) * 1000.0, cpu) }
            if let value = frequency.scalingMaximumKHz { scalingMaximum.add(Double(value) * 1000.0, cpu) }
            if !frequency.governor.isEmpty {
                for name in frequency.availableGovernors.split(separator: " ", omittingEmptySubsequences: false) {
                    governor.add(name == frequency.governor ? 1 : 0, cpu, Label("governor", String(name)))
                }
            }
        }
        return [current, average, minimum, maximum, scaling, scalingMinimum, scalingMaximum, governor]
            .filter { !$0.metrics.isEmpty }
    }
}

extension CPUFreqCollector: CollectorDefinition {
    static let name = "cpufreq"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(sysFS: configuration.sysFS)
    }
}
