import VitalsExposition
import VitalsProcFS

/// `interrupts` (off by default): interrupt counts per CPU from /proc/interrupts.
struct InterruptsCollector: Collector {
    let procFS: ProcFS
    let filter: DeviceFilter
    let includeZeros: Bool

    init(configuration: ExporterConfiguration) throws(ConfigurationError) {
        procFS = configuration.procFS
        let options = configuration.interrupts
        if options.nameInclude != nil, options.nameExclude != nil {
            throw ConfigurationError(
                "--collector.interrupts.name-include and --collector.interrupts.name-exclude are mutually exclusive")
        }
        filter = try DeviceFilter(exclude: options.nameExclude, include: options.nameInclude)
        includeZeros = options.includeZeros
    }

    func collect() throws -> [MetricFamily] {
        let interrupts = try procFS.interrupts()
        var family = MetricFamily.counter("node_interrupts_total", "Interrupt details.")
        for interrupt in interrupts.interrupts {
            guard !filter.ignores(interrupt.name + ";" + interrupt.info + ";" + interrupt.devices) else { continue }
            for (cpu, text) in interrupt.values.enumerated() {
                guard let value = Double(text) else { continue }
                if !includeZeros, value == 0 { continue }
                family.add(
                    value, Label("cpu", String(cpu)), Label("type", interrupt.name), Label("info", interrupt.info),
                    Label("devices", interrupt.devices))
            }
        }
        return [family]
    }
}
