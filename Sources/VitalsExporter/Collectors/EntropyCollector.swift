import VitalsExposition
import VitalsProcFS

/// `entropy`: the kernel's random pool from /proc/sys/kernel/random.
struct EntropyCollector: Collector {
    let procFS: ProcFS

    func collect() throws -> [MetricFamily] {
        func read(_ file: String) throws -> Double {
            let path = procFS.path("sys/kernel/random", file)
            guard let value = Double(try FileAccess.readAttribute(path)) else {
                throw CollectorError.failed("couldn't parse \(path)")
            }
            return value
        }
        return [
            .single("node_entropy_available_bits", "Bits of available entropy.", .gauge, try read("entropy_avail")),
            .single("node_entropy_pool_size_bits", "Bits of entropy pool.", .gauge, try read("poolsize")),
        ]
    }
}
