import VitalsExposition
import VitalsProcFS

/// `vmstat`: selected fields of /proc/vmstat as untyped `node_vmstat_<field>`.
struct VmstatCollector: Collector {
    let procFS: ProcFS
    let fields: DeviceFilter

    init(configuration: ExporterConfiguration) throws(ConfigurationError) {
        procFS = configuration.procFS
        fields = try DeviceFilter(exclude: nil, include: configuration.vmstat.fields)
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
