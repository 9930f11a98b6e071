import ArgumentParser
import VitalsExporter

/// `--collector.<name>` / `--no-collector.<name>` for every collector, and `--collector.disable-defaults`.
///
/// A nil toggle means "not given": the collector then runs if it is on by default and
/// `--collector.disable-defaults` is absent, exactly as with node_exporter.
struct CollectorToggles: ParsableArguments {
    @Flag(
        name: .customLong("collector.disable-defaults"),
        help: "Set all collectors to disabled by default; enable the ones you want with --collector.<name>.")
    var disableDefaults = false

    @Flag(name: .customLong("collector.cpu"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the cpu collector (default: enabled).")
    var cpu: Bool?
    @Flag(name: .customLong("collector.diskstats"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the diskstats collector (default: enabled).")
    var diskstats: Bool?
    @Flag(name: .customLong("collector.filesystem"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the filesystem collector (default: enabled).")
    var filesystem: Bool?
    @Flag(name: .customLong("collector.loadavg"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the loadavg collector (default: enabled).")
    var loadavg: Bool?
    @Flag(name: .customLong("collector.meminfo"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the meminfo collector (default: enabled).")
    var meminfo: Bool?
    @Flag(name: .customLong("collector.netclass"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the netclass collector (default: enabled).")
    var netclass: Bool?
    @Flag(name: .customLong("collector.netdev"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the netdev collector (default: enabled).")
    var netdev: Bool?
    @Flag(name: .customLong("collector.os"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the os collector (default: enabled).")
    var os: Bool?
    @Flag(name: .customLong("collector.stat"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the stat collector (default: enabled).")
    var stat: Bool?
    @Flag(name: .customLong("collector.textfile"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the textfile collector (default: enabled).")
    var textfile: Bool?
    @Flag(name: .customLong("collector.time"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the time collector (default: enabled).")
    var time: Bool?
    @Flag(name: .customLong("collector.uname"), inversion: .prefixedNo, exclusivity: .chooseLast,
        help: "Enable the uname collector (default: enabled).")
    var uname: Bool?

    /// The toggle behind each collector name; a test checks that it covers the whole catalog.
    static let toggles: [String: @Sendable (CollectorToggles) -> Bool?] = [
        "cpu": { $0.cpu }, "diskstats": { $0.diskstats }, "filesystem": { $0.filesystem },
        "loadavg": { $0.loadavg }, "meminfo": { $0.meminfo }, "netclass": { $0.netclass },
        "netdev": { $0.netdev }, "os": { $0.os }, "stat": { $0.stat }, "textfile": { $0.textfile },
        "time": { $0.time }, "uname": { $0.uname },
    ]

    /// The collectors that will run.
    func enabledCollectors() -> Set<String> {
        var enabled: Set<String> = []
        for descriptor in CollectorCatalog.all {
            let explicit = Self.toggles[descriptor.name].flatMap { $0(self) }
            if explicit ?? (descriptor.enabledByDefault && !disableDefaults) { enabled.insert(descriptor.name) }
        }
        return enabled
    }
}
