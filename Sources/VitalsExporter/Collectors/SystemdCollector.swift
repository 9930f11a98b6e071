import Logging
import VitalsDBus
import VitalsExposition
import VitalsRegex

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `systemd` (off by default): unit states, sockets, timers and the system state from systemd
/// over D-Bus, as node_exporter's collector reports them.
///
/// Without a D-Bus system bus (containers, minimal hosts) it fails cleanly: the scrape reports
/// `node_scrape_collector_success{collector="systemd"} 0` and the log says which socket was
/// missing, as node_exporter does. All property reads of a scrape go out in one pipelined batch.
struct SystemdCollector: ConfigurableCollector {
    typealias Options = SystemdOptions
    static let name = "systemd"
    static let enabledByDefault = false

    let options: SystemdOptions
    let include: GoRegex
    let exclude: GoRegex

    static let states = ["active", "activating", "deactivating", "inactive", "failed"]
    static let manager = "/org/freedesktop/systemd1"
    static let destination = "org.freedesktop.systemd1"
    /// systemd versions before this lack SystemState and LastTriggerUSec.
    static let minimumVersionForSystemState = 212.0

    init(configuration: ExporterConfiguration, logger: Logger) throws(ConfigurationError) {
        try self.init(options: SystemdOptions(flags: configuration.flags))
    }

    init(options: SystemdOptions) throws(ConfigurationError) {
        self.options = options
        do {
            include = try GoRegex("^(?:\(options.unitInclude))$")
            exclude = try GoRegex("^(?:\(options.unitExclude))$")
        } catch {
            throw ConfigurationError("--collector.systemd.unit-include/exclude: \(error)")
        }
    }

    /// One row of ListUnits.
    struct Unit {
        var name: String
        var loadState: String
        var activeState: String
        var path: String
    }

    func collect() throws -> [MetricFamily] {
        let connection: DBusConnection
        do {
            connection =
                options.privateConnection
                ? try DBusConnection(path: options.privateSocket, hello: false)
                : try DBusConnection(path: options.busSocket, hello: true)
        } catch {
            throw CollectorError.failed("couldn't get dbus connection: \(error)")
        }
        let managerProperties = try connection.call([
            property(Self.manager, "Manager", "Version"),
            Self.listUnits,
            property(Self.manager, "Manager", "SystemState"),
        ])
        // node_exporter reports version 0 with an empty label when the property cannot be read.
        let versionText = (try? managerProperties[0].get().first?.text) ?? nil
        let version = versionText.flatMap(Self.versionNumber)
        let numericVersion = version ?? 0

        let units: [Unit]
        switch managerProperties[1] {
        case .success(let body): units = Self.units(from: body)
        case .failure(let error): throw CollectorError.failed("couldn't get units: \(error)")
        }
        let selected = units.filter {
            $0.loadState == "loaded" && include.wholeMatches($0.name) && !exclude.wholeMatches($0.name)
        }

        var families: [MetricFamily] = []
        var versionFamily = MetricFamily(name: "node_systemd_version", help: "Detected systemd version", type: .gauge)
        versionFamily.add(numericVersion, Label("version", version == nil ? "" : versionText ?? ""))
        families.append(versionFamily)

        var summary = MetricFamily(name: "node_systemd_units", help: "Summary of systemd unit states", type: .gauge)
        for state in Self.states {
            summary.add(Double(units.filter { $0.activeState == state }.count), Label("state", state))
        }
        families.append(summary)

        families += try unitFamilies(selected, connection: connection, version: numericVersion)

        if numericVersion >= Self.minimumVersionForSystemState {
            switch managerProperties[2] {
            case .success(let body):
                families.append(
                    .single(
                        "node_systemd_system_running",
                        "Whether the system is operational (see 'systemctl is-system-running')",
                        .gauge, body.first?.text == "running" ? 1 : 0))
            case .failure(let error):
                throw CollectorError.failed("couldn't get system state: \(error)")
            }
        }
        return families
    }

    /// Per-unit families: one batch of property reads for all of them.
    func unitFamilies(_ units: [Unit], connection: DBusConnection, version: Double) throws -> [MetricFamily] {
        enum Read {
            case serviceType, mountType, restarts, startTime, tasksCurrent, tasksMax, lastTrigger, accepted,
                connections, refused
        }
        var reads: [(unit: Int, what: Read)] = []
        var calls: [DBusConnection.Call] = []
        func read(_ index: Int, _ what: Read, _ interface: String, _ name: String) {
            reads.append((index, what))
            calls.append(property(units[index].path, interface, name))
        }
        for (index, unit) in units.enumerated() {
            if unit.name.hasSuffix(".service") {
                read(index, .serviceType, "Service", "Type")
                if options.enableRestartsMetrics { read(index, .restarts, "Service", "NRestarts") }
                if options.enableTaskMetrics {
                    read(index, .tasksCurrent, "Service", "TasksCurrent")
                    read(index, .tasksMax, "Service", "TasksMax")
                }
            } else if unit.name.hasSuffix(".mount") {
                read(index, .mountType, "Mount", "Type")
            }
            if options.enableStartTimeMetrics, unit.activeState == "active" {
                read(index, .startTime, "Unit", "ActiveEnterTimestamp")
            }
            if unit.name.hasSuffix(".timer"), version >= Self.minimumVersionForSystemState {
                read(index, .lastTrigger, "Timer", "LastTriggerUSec")
            }
            if unit.name.hasSuffix(".socket") {
                read(index, .accepted, "Socket", "NAccepted")
                read(index, .connections, "Socket", "NConnections")
                read(index, .refused, "Socket", "NRefused")
            }
        }
        let results = calls.isEmpty ? [] : try connection.call(calls)
        var values: [Int: [Read: DBusValue]] = [:]
        for (position, read) in reads.enumerated() {
            if case .success(let body) = results[position], let value = body.first {
                values[read.unit, default: [:]][read.what] = value
            }
        }

        var state = MetricFamily(name: "node_systemd_unit_state", help: "Systemd unit", type: .gauge)
        var restarts = MetricFamily(
            name: "node_systemd_service_restart_total", help: "Service unit count of Restart triggers", type: .counter)
        var startTime = MetricFamily(
            name: "node_systemd_unit_start_time_seconds", help: "Start time of the unit since unix epoch in seconds.",
            type: .gauge)
        var tasksCurrent = MetricFamily(
            name: "node_systemd_unit_tasks_current", help: "Current number of tasks per Systemd unit", type: .gauge)
        var tasksMax = MetricFamily(
            name: "node_systemd_unit_tasks_max", help: "Maximum number of tasks per Systemd unit", type: .gauge)
        var lastTrigger = MetricFamily(
            name: "node_systemd_timer_last_trigger_seconds", help: "Seconds since epoch of last trigger.", type: .gauge)
        var accepted = MetricFamily(
            name: "node_systemd_socket_accepted_connections_total", help: "Total number of accepted socket connections",
            type: .counter)
        var connections = MetricFamily(
            name: "node_systemd_socket_current_connections", help: "Current number of socket connections", type: .gauge)
        var refused = MetricFamily(
            name: "node_systemd_socket_refused_connections_total", help: "Total number of refused socket connections",
            type: .gauge)

        for (index, unit) in units.enumerated() {
            let read = values[index] ?? [:]
            let name = Label("name", unit.name)
            let type = (read[.serviceType] ?? read[.mountType])?.text ?? ""
            for candidate in Self.states {
                state.add(candidate == unit.activeState ? 1 : 0, name, Label("state", candidate), Label("type", type))
            }
            if let value = read[.restarts]?.integer { restarts.add(Double(value), name) }
            if options.enableStartTimeMetrics {
                if unit.activeState != "active" {
                    startTime.add(0, name)
                } else if let value = read[.startTime]?.integer {
                    startTime.add(Double(value) / 1e6, name)
                }
            }
            if let value = read[.tasksCurrent]?.integer, value != UInt64.max { tasksCurrent.add(Double(value), name) }
            if let value = read[.tasksMax]?.integer, value != UInt64.max { tasksMax.add(Double(value), name) }
            if let value = read[.lastTrigger]?.integer { lastTrigger.add(Double(value) / 1e6, name) }
            // node_exporter skips the rest of a socket's metrics once one read fails.
            if let value = read[.accepted]?.integer {
                accepted.add(Double(value), name)
                if let value = read[.connections]?.integer {
                    connections.add(Double(value), name)
                    if let value = read[.refused]?.integer { refused.add(Double(value), name) }
                }
            }
        }
        return [state, restarts, startTime, tasksCurrent, tasksMax, lastTrigger, accepted, connections, refused].filter
        { !$0.metrics.isEmpty }
    }

    static let listUnits = DBusConnection.Call(
        destination: destination, path: manager, interface: "org.freedesktop.systemd1.Manager", member: "ListUnits")

    func property(_ path: String, _ interface: String, _ name: String) -> DBusConnection.Call {
        DBusConnection.Call(
            destination: options.privateConnection ? nil : Self.destination, path: path,
            interface: "org.freedesktop.DBus.Properties", member: "Get",
            arguments: ["org.freedesktop.systemd1.\(interface)", name])
    }

    /// ListUnits' `a(ssssssouso)`: name, description, load state, active state, sub state,
    /// followed, object path, job id, job type, job path.
    static func units(from body: [DBusValue]) -> [Unit] {
        (body.first?.elements ?? []).compactMap { row in
            guard let fields = row.elements, fields.count >= 7, let name = fields[0].text, let load = fields[2].text,
                let active = fields[3].text, let path = fields[6].text
            else { return nil }
            return Unit(name: name, loadState: load, activeState: active, path: path)
        }
    }

    /// The first run of 3 or more digits, with an optional fraction, as node_exporter reads it
    /// (`252.22-1~deb12u1` is 252.22).
    static func versionNumber(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            if end - index >= 3 {
                if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), bytes[end + 1] >= 0x30,
                    bytes[end + 1] <= 0x39
                {
                    end += 1
                    while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
                }
                return Double(String(decoding: bytes[index..<end], as: UTF8.self))
            }
            index = max(end, index + 1)
        }
        return nil
    }
}

struct SystemdOptions: CollectorOptions {
    static let unitIncludeFlag = CollectorFlag.value(
        "collector.systemd.unit-include", default: ".+",
        help: "Regexp of systemd units to include. Units must both match include and not match exclude to be included.")
    static let unitExcludeFlag = CollectorFlag.value(
        "collector.systemd.unit-exclude", default: ".+\\.(automount|device|mount|scope|slice)",
        help: "Regexp of systemd units to exclude. Units must both match include and not match exclude to be included.")
    static let privateFlag = CollectorFlag.bool(
        "collector.systemd.private",
        help:
            "Establish a private, direct connection to systemd without dbus (Strongly discouraged since it requires root. For testing purposes only).",
        hidden: true)
    static let taskMetricsFlag = CollectorFlag.bool(
        "collector.systemd.enable-task-metrics",
        help: "Enables service unit tasks metrics unit_tasks_current and unit_tasks_max")
    static let restartsMetricsFlag = CollectorFlag.bool(
        "collector.systemd.enable-restarts-metrics", help: "Enables service unit metric service_restart_total")
    static let startTimeMetricsFlag = CollectorFlag.bool(
        "collector.systemd.enable-start-time-metrics", help: "Enables service unit metric unit_start_time_seconds")
    static let flags = [
        unitIncludeFlag, unitExcludeFlag, privateFlag, taskMetricsFlag, restartsMetricsFlag, startTimeMetricsFlag,
    ]

    var unitInclude = ".+"
    var unitExclude = ".+\\.(automount|device|mount|scope|slice)"
    /// The D-Bus system bus socket (from `DBUS_SYSTEM_BUS_ADDRESS` when set, as go-dbus finds it).
    var busSocket = "/var/run/dbus/system_bus_socket"
    /// systemd's own socket, for `--collector.systemd.private` (root only; for testing).
    var privateSocket = "/run/systemd/private"
    var privateConnection = false
    var enableTaskMetrics = false
    var enableRestartsMetrics = false
    var enableStartTimeMetrics = false

    init() {}

    init(flags: CollectorFlagValues) {
        unitInclude = flags.value(Self.unitIncludeFlag) ?? unitInclude
        unitExclude = flags.value(Self.unitExcludeFlag) ?? unitExclude
        privateConnection = flags.bool(Self.privateFlag)
        enableTaskMetrics = flags.bool(Self.taskMetricsFlag)
        enableRestartsMetrics = flags.bool(Self.restartsMetricsFlag)
        enableStartTimeMetrics = flags.bool(Self.startTimeMetricsFlag)
        busSocket = DBusConnection.systemBusPath(
            environment: getenv("DBUS_SYSTEM_BUS_ADDRESS").map { String(cString: $0) })
    }
}
