import Logging
import VitalsExposition
import VitalsProcFS

/// `interrupts` (off by default): interrupt counts per CPU from /proc/interrupts.
struct InterruptsCollector: ConfigurableCollector {
    typealias Options = InterruptsOptions
    static let name = "interrupts"
    static let enabledByDefault = false

    let procFS: ProcFS
    let filter: DeviceFilter
    let includeZeros: Bool

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        procFS = configuration.procFS
        let options = try InterruptsOptions(flags: configuration.flags)
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

struct InterruptsOptions: CollectorOptions {
    static let nameIncludeFlag = CollectorFlag.value(
        "collector.interrupts.name-include",
        help: "Regexp of interrupts name to include (mutually exclusive to --collector.interrupts.name-exclude).")
    static let nameExcludeFlag = CollectorFlag.value(
        "collector.interrupts.name-exclude",
        help: "Regexp of interrupts name to exclude (mutually exclusive to --collector.interrupts.name-include).")
    static let includeZerosFlag = CollectorFlag.bool(
        "collector.interrupts.include-zeros", default: true, help: "Include interrupts that have a zero value.")
    static let flags = [nameIncludeFlag, nameExcludeFlag, includeZerosFlag]

    var nameInclude: String?
    var nameExclude: String?
    var includeZeros: Bool

    init(flags: CollectorFlagValues) throws(ConfigurationError) {
        (nameInclude, nameExclude) = try flags.includeOrExclude(
            include: Self.nameIncludeFlag, exclude: Self.nameExcludeFlag)
        includeZeros = flags.bool(Self.includeZerosFlag)
    }
}
