import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

/// `pressure`: pressure stall information from /proc/pressure.
struct PressureCollector: Collector {
    let procFS: ProcFS

    /// node_exporter divides microseconds by 1000 twice; so does this, for identical floats.
    static func seconds(_ microseconds: UInt64) -> Double { Double(microseconds) / 1000.0 / 1000.0 }

    func collect() throws -> [MetricFamily] {
        var families: [MetricFamily] = []
        for resource in ["cpu", "io", "memory", "irq"] {
            let read: PressureStats?
            do {
                read = try procFS.pressure(resource)
            } catch {
                guard error.errorNumber == 95 else { throw error }  // EOPNOTSUPP: booted with psi=0
                throw CollectorError.noData("pressure information is disabled; boot with psi=1 to enable it")
            }
            guard let stats = read else { continue }
            if resource != "irq", stats.someTotal == nil { throw CollectorError.noData("no 'some' pressure data") }
            if resource != "cpu", stats.fullTotal == nil { throw CollectorError.noData("no 'full' pressure data") }
            switch resource {
            case "cpu":
                families.append(
                    .single(
                        "node_pressure_cpu_waiting_seconds_total",
                        "Total time in seconds that processes have waited for CPU time", .counter,
                        Self.seconds(stats.someTotal!)))
            case "io":
                families.append(
                    .single(
                        "node_pressure_io_waiting_seconds_total",
                        "Total time in seconds that processes have waited due to IO congestion", .counter,
                        Self.seconds(stats.someTotal!)))
                families.append(
                    .single(
                        "node_pressure_io_stalled_seconds_total",
                        "Total time in seconds no process could make progress due to IO congestion", .counter,
                        Self.seconds(stats.fullTotal!)))
            case "memory":
                families.append(
                    .single(
                        "node_pressure_memory_waiting_seconds_total",
                        "Total time in seconds that processes have waited for memory", .counter,
                        Self.seconds(stats.someTotal!)))
                families.append(
                    .single(
                        "node_pressure_memory_stalled_seconds_total",
                        "Total time in seconds no process could make progress due to memory congestion", .counter,
                        Self.seconds(stats.fullTotal!)))
            default:
                families.append(
                    .single(
                        "node_pressure_irq_stalled_seconds_total",
                        "Total time in seconds no process could make progress due to IRQ congestion", .counter,
                        Self.seconds(stats.fullTotal!)))
            }
        }
        guard !families.isEmpty else {
            throw CollectorError.noData("pressure information is unavailable; it needs Linux 4.20+ with CONFIG_PSI")
        }
        return families
    }
}

extension PressureCollector: CollectorDefinition {
    static let name = "pressure"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(procFS: configuration.procFS)
    }
}
