import Logging
import Synchronization
import VitalsExposition
import VitalsProcFS

/// `meminfo`: every /proc/meminfo field as `node_memory_<Field>[_bytes]`, with node_exporter
/// 1.5.0's name mangling (`Active(anon)` becomes `Active_anon`; kB fields gain `_bytes`).
///
/// Taking every field, rather than a fixed list, keeps fields that newer kernels add. Each line's
/// family name, HELP and type are worked out once and remembered (``KeyMemo``).
final class MeminfoCollector: Collector {
    let procFS: ProcFS
    /// A line's family, by the line's key and whether it had a unit.
    private struct Naming {
        var hasUnit: Bool
        var key: String
        var name: String
        var help: String
        var type: MetricType
    }
    private let namings = Mutex(KeyMemo<Naming>())

    init(procFS: ProcFS) {
        self.procFS = procFS
    }

    func collect() throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        families.reserveCapacity(64)
        // A kernel never repeats a key, but a file that did must not yield duplicate series.
        var seen = Set<String>(minimumCapacity: 128)
        try namings.withLock { namings in
            try procFS.memInfo { position, field, value, hasUnit in
                var naming = namings.info(at: position, key: field) { Self.naming($0, hasUnit: hasUnit) }
                if naming.hasUnit != hasUnit {
                    // Same key, unit added or dropped: name it afresh (rare enough not to remember).
                    naming = Self.naming(field, hasUnit: hasUnit)
                }
                guard seen.insert(naming.key).inserted else { return }
                families.append(.single(naming.name, naming.help, naming.type, hasUnit ? value * 1024 : value))
            }
        }
        return families
    }

    private static func naming(_ field: ArraySlice<UInt8>, hasUnit: Bool) -> Naming {
        var key = mangle(ByteText.string(field))
        if hasUnit { key += "_bytes" }
        return Naming(
            hasUnit: hasUnit, key: key, name: "node_memory_" + key, help: "Memory information field \(key).",
            type: key.hasSuffix("_total") ? .counter : .gauge)
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

    convenience init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
