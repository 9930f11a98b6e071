import Logging
import VitalsExposition
import VitalsProcFS
import VitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `time`: the system clock, the time zone offset and the kernel's clock sources.
struct TimeCollector: Collector {
    let sysFS: SysFS

    func collect() throws -> [MetricFamily] {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let seconds = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        var local = tm()
        var wallClock = now.tv_sec
        localtime_r(&wallClock, &local)
        let zone = local.tm_zone.map { String(cString: $0) } ?? "UTC"
        var families: [MetricFamily] = [
            .single("node_time_seconds", "System time in seconds since epoch (1970).", .gauge, seconds)
        ]
        var offset = MetricFamily.gauge("node_time_zone_offset_seconds", "System time zone offset in seconds.")
        offset.add(Double(local.tm_gmtoff), Label("time_zone", zone))
        families.append(offset)

        // Like node_exporter's glob, a missing clocksource directory simply yields none.
        let sources: [ClockSource]
        do {
            sources = try sysFS.clockSources()
        } catch {
            guard error.isNotFound else { throw error }
            sources = []
        }
        var available = MetricFamily.gauge(
            "node_time_clocksource_available_info",
            "Available clocksources read from '/sys/devices/system/clocksource'.")
        var current = MetricFamily.gauge(
            "node_time_clocksource_current_info", "Current clocksource read from '/sys/devices/system/clocksource'.")
        for (index, source) in sources.enumerated() {
            let device = String(index)
            // Labels and series in exposition order (with more than one device, the merge sorts).
            for name in source.available.sorted(by: { $0.precedesInByteOrder($1) }) {
                available.add(1, Label("clocksource", name), Label("device", device))
            }
            current.add(1, Label("clocksource", source.current), Label("device", device))
        }
        families.appendIfNotEmpty(available)
        families.appendIfNotEmpty(current)
        return families
    }
}

extension TimeCollector: CollectorDefinition {
    static let name = "time"
    static let enabledByDefault = true

    init(configuration: ExporterConfiguration, logger: Logger) {
        self.init(sysFS: configuration.sysFS)
    }
}
