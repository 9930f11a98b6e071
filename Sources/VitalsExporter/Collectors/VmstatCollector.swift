import Logging
import VitalsExposition
import VitalsProcFS

/// `vmstat`: selected fields of /proc/vmstat as untyped `node_vmstat_<field>`.
struct VmstatCollector: ConfigurableCollector {
    typealias Options = VmstatOptions
    static let name = "vmstat"
    static let enabledByDefault = true

    let procFS: ProcFS
    let fields: DeviceFilter

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        procFS = configuration.procFS
        fields = try DeviceFilter(exclude: nil, include: VmstatOptions(flags: configuration.flags).fields)
    }

    func collect() throws -> [MetricFamily] {
        let stats = try procFS.vmstat()
        return stats.entries.compactMap { entry in
            guard !fields.ignores(entry.name) else { return nil }
            return .single(
                "node_vmstat_" + entry.name, "/proc/vmstat information field \(entry.name).", .untyped, entry.value)
        }
    }
}

struct VmstatOptions: CollectorOptions {
    static let fieldsFlag = CollectorFlag.value(
        "collector.vmstat.fields", default: "^(oom_kill|pgpg|pswp|pg.*fault).*",
        help: "Regexp of fields to return for vmstat collector.")
    static let flags = [fieldsFlag]

    var fields: String?

    init(flags: CollectorFlagValues) { fields = flags.value(Self.fieldsFlag) }
}
