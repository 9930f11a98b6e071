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
        #expect(throws: (any Error).self) { try command.exporterConfiguration() }
    }

    @Test(arguments: [
        ["--web.listen-address=9100"], ["--web.telemetry-path=metrics"], ["--log.level=loud"],
        ["--web.max-requests=-1"],
    ])
    func invalidFlagsFailValidation(arguments: [String]) {
        #expect(throws: (any Error).self) { try ExporterCommand.parse(arguments) }
    }
}
