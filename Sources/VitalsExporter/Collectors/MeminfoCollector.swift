import Logging
import VitalsExposition
import VitalsProcFS

/// `meminfo`: every /proc/meminfo field as `node_memory_<Field>[_bytes]`, with node_exporter
/// 1.5.0's name mangling (`Active(anon)` becomes `Active_anon`; kB fields gain `_bytes`).
///
/// Taking every field, rather than a fixed list, keeps fields that newer kernels add.
struct MeminfoCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let info = try procFS.memInfo()
        var families: [MetricFamily] = []
        families.reserveCapacity(info.fields.count)
        var seen: Set<String> = []
        for field in info.fields {
            var key = Self.mangle(field.name)
            var value = field.value
            if field.hasUnit {
                value *= 1024
                key += "_bytes"
            }
            guard seen.insert(key).inserted else { continue }
            let type: MetricType = key.hasSuffix("_total") ? .counter : .gauge
            families.append(
                .single("node_memory_" + key, "Memory information field \(key).", type, value))
        }
        return families
    }

    /// `Active(anon)` → `Active_anon`, like node_exporter's `\((.*)\)` → `_${1}` replacement.
    static func mangle(_ name: String) -> String {
        guard let open = name.firstIndex(of: "("), let close = name.lastIndex(of: ")"), open < close else {
            return name
        }
        return String(name[..<open]) + "_" + String(name[name.index(after: open)..<close])
            + String(name[name.index(after: close)...])
    }
}

extension MeminfoCollector: CollectorDefinition {
    static let name = "meminfo"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
