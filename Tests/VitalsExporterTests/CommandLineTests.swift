import ArgumentParser
import Testing

@testable import VitalsExporter
@testable import VitalsExporterApp

@Suite struct CommandLineTests {
    @Test func everyCollectorHasItsToggle() {
        #expect(Set(CollectorToggles.toggles.keys) == Set(CollectorCatalog.names))
    }

    @Test func defaultsAndToggles() throws {
        let defaults = Set(CollectorCatalog.all.filter(\.enabledByDefault).map(\.name))
        #expect(try ExporterCommand.parse([]).toggles.enabledCollectors() == defaults)
        #expect(!defaults.contains("processes") && !defaults.contains("systemd") && defaults.contains("vmstat"))
        #expect(try ExporterCommand.parse(["--collector.systemd"]).toggles.enabledCollectors().contains("systemd"))
        #expect(!(try ExporterCommand.parse(["--no-collector.cpu"]).toggles.enabledCollectors().contains("cpu")))
        // Names with an underscore keep node_exporter's `--no-collector.` spelling.
        let underscored = try ExporterCommand.parse(["--no-collector.thermal_zone", "--no-collector.udp_queues"]).toggles.enabledCollectors()
        #expect(!underscored.contains("thermal_zone") && !underscored.contains("udp_queues") && underscored.contains("cpu"))
        #expect(try ExporterCommand.parse(["--no-collector.udp_queues", "--collector.udp_queues"]).toggles.enabledCollectors().contains("udp_queues"))
        #expect(
            try ExporterCommand.parse(["--collector.disable-defaults", "--collector.meminfo"]).toggles
                .enabledCollectors() == ["meminfo"])
        #expect(
            try ExporterCommand.parse(["--collector.cpu", "--no-collector.cpu"]).toggles.enabledCollectors()
                .contains("cpu") == false)
    }

    @Test func collectorOptionsReachTheConfiguration() throws {
        let command = try ExporterCommand.parse([
            "--path.rootfs=/host", "--collector.filesystem.mount-points-include=^/data",
            "--collector.textfile.directory=/a", "--collector.textfile.directory=/b", "--no-collector.netdev.netlink",
            "--collector.filesystem.mount-timeout=1m30s", "--collector.diskstats.ignored-devices=^sd",
        ])
        let configuration = try command.exporterConfiguration()
        #expect(configuration.rootFS == "/host")
        #expect(configuration.filesystem.mountPointsInclude == "^/data")
        #expect(configuration.filesystem.mountPointsExclude == nil)
        #expect(configuration.textfile.directories == ["/a", "/b"])
        #expect(!configuration.netdev.netlink)
        #expect(configuration.filesystem.mountTimeout == .seconds(90))
        #expect(configuration.diskstats.deviceExclude == "^sd")
    }

    @Test(arguments: [
        ["--collector.netdev.device-include=a", "--collector.netdev.device-exclude=b"],
        ["--collector.filesystem.mount-points-include=a", "--collector.filesystem.mount-points-exclude=b"],
        ["--collector.diskstats.device-exclude=a", "--collector.diskstats.ignored-devices=b"],
        ["--collector.filesystem.mount-timeout=soon"],
    ])
    func conflictingOrInvalidOptionsAreRejected(arguments: [String]) throws {
        let command = try ExporterCommand.parse(arguments)
        let error = #expect(throws: ValidationError.self) { try command.exporterConfiguration() }
        // The message names the flag at fault.
        let flag = String(arguments.last!.split(separator: "=")[0])
        #expect(error?.message.contains(flag) == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [
        ["--web.listen-address=9100"], ["--web.telemetry-path=metrics"], ["--log.level=loud"],
        ["--web.max-requests=-1"],
    ])
    func invalidFlagsFailValidation(arguments: [String]) throws {
        let error = try #require(throws: (any Error).self) { try ExporterCommand.parse(arguments) }
        // A usage error (exit 2) whose message names the flag at fault.
        #expect(ExporterCommand.exitCode(for: error) == .validationFailure)
        let flag = String(arguments[0].split(separator: "=")[0])
        #expect(ExporterCommand.message(for: error).contains(flag), "\(ExporterCommand.message(for: error))")
    }

    /// `--help` states each collector's default as the catalog has it, and offers no toggle for a
    /// collector the catalog lacks.
    @Test func helpStatesEveryCollectorsDefault() {
        let help = ExporterCommand.helpMessage(columns: 200)
        for collector in CollectorCatalog.all {
            let state = collector.enabledByDefault ? "enabled" : "disabled"
            #expect(
                help.contains("Enable the \(collector.name) collector (default: \(state))."),
                "\(collector.name): --help does not say \(state)")
        }
        // node_exporter's spelling of both toggles, `--collector.NAME` and `--no-collector.NAME`,
        // for every collector: in one entry, or (names with `_`) in two.
        let lines = help.split(separator: "\n").map { String($0.drop(while: { $0 == " " })) }
        var toggles: Set<String> = []
        for line in lines where line.hasPrefix("--collector.") {
            let name = String(line.dropFirst(12).prefix { $0 != "/" && $0 != " " })
            guard !name.contains(".") else { continue }  // an option of a collector
            if line.hasPrefix("--collector.\(name)/--no-collector.\(name)") || lines.contains("--no-collector.\(name)") {
                toggles.insert(name)
            }
        }
        #expect(toggles == Set(CollectorCatalog.all.map(\.name)))
    }
}
