import Logging
import VitalsExposition
import VitalsProcFS

/// `entropy`: the kernel's random pool from /proc/sys/kernel/random.
struct EntropyCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        let pool = try procFS.entropyPool()
        return [
            .single("node_entropy_available_bits", "Bits of available entropy.", .gauge, pool.availableBits),
            .single("node_entropy_pool_size_bits", "Bits of entropy pool.", .gauge, pool.poolSizeBits),
        ]
    }
}

extension EntropyCollector: CollectorDefinition {
    static let name = "entropy"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
