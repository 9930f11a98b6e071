import Logging
import Synchronization
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `vmstat`: selected fields of /proc/vmstat as untyped `node_vmstat_<field>`.
///
/// The file has about 180 fields of which the default filter keeps about ten; which ones, and
/// their names, are remembered per line (``KeyMemo``), so a scrape builds nothing for the rest.
final class VmstatCollector: ConfigurableCollector {
    typealias Options = VmstatOptions
    static let name = "vmstat"
    static let enabledByDefault = true

    let procFS: ProcFS
    let fields: DeviceFilter
    /// Per line of the file: the kept field's family name and HELP text, or nil.
    private let selection = Mutex(KeyMemo<(name: String, help: String)?>())

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        procFS = configuration.procFS
        fields = try DeviceFilter(exclude: nil, include: VmstatOptions(flags: configuration.flags).fields)
    }

    func collect() throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        try selection.withLock { selection throws(FileSystemError) in
            try procFS.vmstat { position, key, value in
                guard let kept = selection.info(at: position, key: key, make: select) else { return }
                families.append(.single(kept.name, kept.help, .untyped, value))
            }
        }
        return families
    }

    private func select(_ key: ArraySlice<UInt8>) -> (name: String, help: String)? {
        let field = ByteText.string(key)
        guard !fields.ignores(field) else { return nil }
        return ("node_vmstat_" + field, "/proc/vmstat information field \(field).")
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
