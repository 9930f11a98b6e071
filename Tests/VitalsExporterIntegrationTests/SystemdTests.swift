import Foundation
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// The systemd collector over a real D-Bus daemon, side by side with Debian's node_exporter.
///
/// The test machines are containers without systemd, so `Tests/Fixtures/fake_systemd.py`
/// stands in for systemd's D-Bus API on a private `dbus-daemon`; both exporters talk to it
/// through `DBUS_SYSTEM_BUS_ADDRESS` and must report the same `node_systemd_*` series.
@Suite(.serialized, .blockingWork) struct SystemdTests {
    /// A private system bus and, optionally, the fake systemd on it.
    final class Bus: @unchecked Sendable {
        let address: String
        let daemon: ManagedProcess
        var fake: ManagedProcess?

        init(withSystemd: Bool) throws {
            guard let dbusDaemon = TestPaths.tool("dbus-daemon") else {
                throw MissingPrerequisite(
                    "dbus-daemon is not installed; scripts/test installs it (apt-get install dbus-daemon)")
            }
            let directory = try TestPaths.temporaryDirectory("bus")
            address = "unix:path=\(directory)/bus"
            let config = """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>system</type>
                  <listen>\(address)</listen>
                  <auth>EXTERNAL</auth>
                  <policy context="default">
                    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
                  </policy>
                </busconfig>
                """
            try config.write(toFile: directory + "/bus.conf", atomically: true, encoding: .utf8)
            daemon = try ManagedProcess(
                dbusDaemon, ["--config-file=\(directory)/bus.conf", "--nofork", "--print-address"])
            guard daemon.output(contains: "guid=", within: 10) else {
                throw MissingPrerequisite("dbus-daemon did not start: \(daemon.outputText)")
            }
            if withSystemd {
                let script = TestPaths.packageRoot + "/Tests/Fixtures/fake_systemd.py"
                let fake = try ManagedProcess("/usr/bin/python3", [script, address])
                guard fake.output(contains: "ready", within: 15) else {
                    throw MissingPrerequisite(
                        "the fake systemd did not start (scripts/test installs python3-dbus-next): \(fake.outputText)")
                }
                self.fake = fake
            }
        }

        deinit {
            fake?.stop()
            daemon.stop()
        }
    }

    /// node_exporter's own defaults; Debian's package adds `target` to the exclude pattern.
    static let exclude = "--collector.systemd.unit-exclude=.+\\.(automount|device|mount|scope|slice)"

    static func systemdLines(_ body: String) -> [String] {
        body.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("node_systemd") || $0.hasPrefix("# HELP node_systemd") || $0.hasPrefix("# TYPE node_systemd")
        }.sorted()
    }

    @Test(arguments: [
        [String](),
        [
            "--collector.systemd.enable-task-metrics", "--collector.systemd.enable-restarts-metrics",
            "--collector.systemd.enable-start-time-metrics",
        ],
    ])
    func unitsMatchNodeExporter(extraFlags: [String]) throws {
        let bus = try Bus(withSystemd: true)
        let environment = ["DBUS_SYSTEM_BUS_ADDRESS": bus.address]
        let flags = ["--collector.disable-defaults", "--collector.systemd", Self.exclude] + extraFlags
        let node = try ExporterUnderTest(nodeExporterArguments: flags, environment: environment)
        let vitals = try ExporterUnderTest(vitalsArguments: flags, environment: environment)
        let expected = Self.systemdLines(try node.scrape())
        let actual = Self.systemdLines(try vitals.scrape())
        #expect(expected.count > 40, "node_exporter read the fake systemd: \(expected)")
        #expect(actual == expected, "differences: \(Set(actual).symmetricDifference(expected).sorted())")
        #expect(try vitals.scrape().contains("node_scrape_collector_success{collector=\"systemd\"} 1"))
        // Spot checks of what the fixture sets up, beyond agreeing with node_exporter.
        #expect(actual.contains("node_systemd_unit_state{name=\"ssh.service\",state=\"active\",type=\"notify\"} 1"))
        #expect(actual.contains("node_systemd_units{state=\"failed\"} 1"))
        #expect(actual.contains("node_systemd_system_running 0"), "the fake system is degraded")
        #expect(!actual.contains { $0.contains("gone.service") }, "units that are not loaded are left out")
        #expect(!actual.contains { $0.contains("home.mount") }, "the exclude pattern applies")
    }

    @Test func aBusWithoutSystemdFailsTheCollectorCleanly() throws {
        let bus = try Bus(withSystemd: false)
        let vitals = try ExporterUnderTest(
            vitalsArguments: ["--collector.disable-defaults", "--collector.systemd", "--collector.loadavg"],
            environment: ["DBUS_SYSTEM_BUS_ADDRESS": bus.address])
        let body = try vitals.scrape()
        #expect(body.contains("node_scrape_collector_success{collector=\"systemd\"} 0"))
        #expect(body.contains("node_load1 "), "the other collectors still report")
        #expect(
            vitals.process.output(contains: "org.freedesktop.DBus.Error.ServiceUnknown", within: 5),
            "\(vitals.process.outputText)")
    }
}
