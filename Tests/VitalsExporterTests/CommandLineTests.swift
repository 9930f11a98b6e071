import ArgumentParser
import Testing

@testable import VitalsExporter
@testable import VitalsExporterApp

@Suite struct CommandLineTests {
    /// The collectors' names are unique, and so are their flags, and every flag is spelled
    /// `collector.<its collector's name>.…`, as node_exporter's are.
    @Test func everyCollectorOwnsItsFlags() {
        #expect(Set(CollectorCatalog.names).count == CollectorCatalog.all.count)
        let flags = CollectorCatalog.all.flatMap { $0.flags }
        #expect(Set(flags.map(\.name)).count == flags.count)
        for collector in CollectorCatalog.all {
            // powersupplyclass's options keep node_exporter's `collector.powersupply.` prefix.
            let prefix =
                collector.name == "powersupplyclass" ? "collector.powersupply." : "collector.\(collector.name)."
            for flag in collector.flags {
                #expect(flag.name.hasPrefix(prefix), "\(flag.name) is not \(collector.name)'s")
            }
        }
    }

    @Test func defaultsAndToggles() throws {
        let defaults = Set(CollectorCatalog.all.filter { $0.enabledByDefault }.map { $0.name })
        #expect(try ExporterCommand.parse([]).collectorSettings().enabledCollectors() == defaults)
        #expect(!defaults.contains("processes") && !defaults.contains("systemd") && defaults.contains("vmstat"))
        #expect(
            try ExporterCommand.parse(["--collector.systemd"]).collectorSettings().enabledCollectors().contains(
                "systemd"))
        #expect(
            !(try ExporterCommand.parse(["--no-collector.cpu"]).collectorSettings().enabledCollectors().contains("cpu"))
        )
        // Names with an underscore keep node_exporter's `--no-collector.` spelling.
        let underscored = try ExporterCommand.parse(["--no-collector.thermal_zone", "--no-collector.udp_queues"])
            .collectorSettings().enabledCollectors()
        #expect(
            !underscored.contains("thermal_zone") && !underscored.contains("udp_queues") && underscored.contains("cpu"))
        #expect(
            try ExporterCommand.parse(["--no-collector.udp_queues", "--collector.udp_queues"]).collectorSettings()
                .enabledCollectors().contains("udp_queues"))
        #expect(
            try ExporterCommand.parse(["--collector.disable-defaults", "--collector.meminfo"]).collectorSettings()
                .enabledCollectors() == ["meminfo"])
        #expect(
            try ExporterCommand.parse(["--collector.cpu", "--no-collector.cpu"]).collectorSettings().enabledCollectors()
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
        let filesystem = try FilesystemOptions(flags: configuration.flags)
        #expect(filesystem.mountPointsInclude == "^/data")
        #expect(filesystem.mountPointsExclude == nil)
        #expect(filesystem.mountTimeout == .seconds(90))
        #expect(TextfileOptions(flags: configuration.flags).directories == ["/a", "/b"])
        #expect(try !NetdevOptions(flags: configuration.flags).netlink)
        #expect(try DiskstatsOptions(flags: configuration.flags).deviceExclude == "^sd")
        // Defaults hold where nothing was given, and both spellings of a value flag work.
        #expect(
            try DiskstatsOptions(flags: ExporterCommand.parse([]).exporterConfiguration().flags).deviceExclude
                == DiskstatsOptions.defaultExclude)
        let spaced = try ExporterCommand.parse(["--collector.vmstat.fields", "^oom"]).exporterConfiguration()
        #expect(VmstatOptions(flags: spaced.flags).fields == "^oom")
        #expect(
            try ExporterCommand.parse(["--collector.cpufreq"]).exporterConfiguration().enabledCollectors.contains(
                "cpufreq"))
    }

    @Test(arguments: [
        ["--collector.netdev.device-include=a", "--collector.netdev.device-exclude=b"],
        ["--collector.filesystem.mount-points-include=a", "--collector.filesystem.mount-points-exclude=b"],
        ["--collector.diskstats.device-exclude=a", "--collector.diskstats.ignored-devices=b"],
        ["--collector.filesystem.mount-timeout=soon"],
        ["--collector.interrupts.name-include=a", "--collector.interrupts.name-exclude=b"],
        ["--collector.vmstat.fields"],
        ["--collector.cpu.guest=yes"],
        ["--collector.nosuch"],
        ["--no-collector.vmstat.fields"],
    ])
    func conflictingOrInvalidOptionsAreRejected(arguments: [String]) throws {
        // A usage error (exit 2) at parse time, even for a collector that is off, whose message
        // names the flag at fault.
        let error = try #require(throws: (any Error).self) { try ExporterCommand.parse(arguments) }
        #expect(ExporterCommand.exitCode(for: error) == .validationFailure)
        let flag = String(arguments.last!.split(separator: "=")[0])
        #expect(ExporterCommand.message(for: error).contains(flag), "\(ExporterCommand.message(for: error))")
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
        let help = ExporterCommand.fullHelp(columns: 200)
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
            if line.hasPrefix("--collector.\(name)/--no-collector.\(name)") || lines.contains("--no-collector.\(name)")
            {
                toggles.insert(name)
            }
        }
        #expect(toggles == Set(CollectorCatalog.names))
        // Every visible flag of every collector is there with its default (compared with the
        // help's lines joined, since a long text wraps).
        let flat = help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for flag in CollectorCatalog.all.flatMap({ $0.flags }) {
            switch flag.kind {
            case .bool(let value):
                let entry = "--\(flag.name)/--no-\(flag.name)"
                #expect(flag.isHidden != help.contains(entry), "\(entry)")
                if !flag.isHidden {
                    #expect(
                        flat.contains(flag.help + " (default: --\(value ? "" : "no-")\(flag.name))"), "\(flag.name)")
                }
            case .value(let value):
                #expect(flag.isHidden != help.contains("--\(flag.name) <value>"), "\(flag.name)")
                if let value, !flag.isHidden { #expect(flat.contains("(default: \(value))"), "\(flag.name)") }
            case .values:
                #expect(help.contains("--\(flag.name) <value>"), "\(flag.name)")
            }
        }
    }
}
