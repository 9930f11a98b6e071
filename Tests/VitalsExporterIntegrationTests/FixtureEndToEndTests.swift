import Foundation
import Testing
import VitalsExposition
import VitalsTestSupport

/// node_exporter's own end-to-end test, in its manner: the real binary on node_exporter's fixture
/// trees with the same flags, compared family by family with node_exporter's golden output.
@Suite(.serialized) struct FixtureEndToEndTests {
    /// Collectors this project implements, and the expected families that belong to each.
    static let compared: [(collector: String, owns: @Sendable (String) -> Bool)] = [
        (
            "cpu",
            {
                $0.hasPrefix("node_cpu_") && !$0.hasPrefix("node_cpu_scaling_")
                    && !$0.hasPrefix("node_cpu_vulnerabilities") && !$0.hasPrefix("node_cpu_frequency_")
            }
        ),
        (
            "stat",
            {
                [
                    "node_boot_time_seconds", "node_context_switches_total", "node_forks_total", "node_intr_total",
                    "node_procs_blocked", "node_procs_running", "node_softirqs_total",
                ].contains($0)
            }
        ),
        ("loadavg", { ["node_load1", "node_load5", "node_load15"].contains($0) }),
        ("meminfo", { $0.hasPrefix("node_memory_") && !$0.hasPrefix("node_memory_numa_") }),
        ("diskstats", { $0.hasPrefix("node_disk_") }),
        ("netdev", { NetworkFamilies.isNetdev($0) }),
        ("netclass", { $0.hasPrefix("node_network_") && !NetworkFamilies.isNetdev($0) }),
        ("os", { $0.hasPrefix("node_os_") }),
        ("time", { $0.hasPrefix("node_time_") }),
        ("textfile", { $0.hasPrefix("node_textfile_") || $0.hasPrefix("testmetric") }),
    ]

    /// Collectors that ran upstream and are not compared yet, because this project does not have them yet.
    /// (`node_cpu_frequency_hertz` comes from the cpu collector only when cpufreq is enabled, so it
    /// counts as cpufreq's.)
    static let notCompared = [
        "arp", "bcache", "bcachefs", "bonding", "btrfs", "buddyinfo", "cgroups", "conntrack", "cpu_vulnerabilities",
        "cpufreq", "dmi", "dmmultipath", "drbd", "edac", "entropy", "fibrechannel", "filefd", "hwmon", "infiniband",
        "interrupts", "ipvs", "kernel_hung", "ksmd", "lnstat", "mdadm", "meminfo_numa", "mountstats", "netstat", "nfs",
        "nfsd", "nvme", "pcidevice", "powersupplyclass", "pressure", "processes", "qdisc", "rapl", "schedstat",
        "slabinfo", "sockstat", "softirqs", "softnet", "sysctl", "tapestats", "thermal_zone", "udp_queues", "vmstat",
        "watchdog", "wifi", "xfrm", "xfs", "zfs", "zoneinfo",
    ]

    /// Sample lines upstream filters out of its golden file before comparing.
    static let unstablePattern =
        #"^(go_|node_exporter_build_info|node_scrape_collector_duration_seconds|process_|node_textfile_mtime_seconds|node_time_(zone|seconds)|node_network_(receive|transmit)_(bytes|packets)_total)"#

    /// Upstream's flags, with paths relative to the working directory as upstream gives them.
    static func flags() -> [String] {
        let root = "collector/fixtures"
        return [
            "--path.rootfs=\(root)", "--path.procfs=\(root)/proc", "--path.sysfs=\(root)/sys",
            "--path.udev.data=\(root)/udev/data", "--no-collector.filesystem", "--no-collector.uname",
            "--collector.cpu.info", "--collector.cpu.info.bugs-include=^(cpu_meltdown|spectre_.*|mds)$",
            "--collector.cpu.info.flags-include=^(aes|avx.?|constant_tsc)$",
            "--collector.netclass.ignore-invalid-speed", "--collector.netclass.ignored-devices=(dmz|int)",
            "--collector.netdev.device-include=lo", "--collector.stat.softirq",
            "--collector.textfile.directory=\(root)/textfile/two_metric_files/",
        ]
    }

    /// Parses an exposition and drops upstream's unstable sample lines, keeping the families.
    static func families(_ text: String) throws -> [String: MetricFamily] {
        let unstable = try Regex(unstablePattern)
        let stable = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.hasPrefix("#") || !$0.contains(unstable) }
            .joined(separator: "\n")
        var byName: [String: MetricFamily] = [:]
        for family in try TextFormatParser().parse(stable).families { byName[family.name] = family }
        return byName
    }

    @Test func everyImplementedCollectorMatchesNodeExporterGoldenOutput() throws {
        let root = try FixtureTree.root()
        let exporter = try ExporterUnderTest(
            vitalsArguments: Self.flags(), currentDirectory: try FixtureTree.workingDirectory())
        let expectedText = try String(contentsOfFile: root + "/e2e-output.txt", encoding: .utf8)
        let expected = try Self.families(expectedText)
        let scraped = try exporter.scrape()
        let actual = try Self.families(scraped)

        // Every collector we compare ran and succeeded, as upstream's did.
        for (collector, _) in Self.compared {
            #expect(
                scraped.contains("node_scrape_collector_success{collector=\"\(collector)\"} 1"),
                "collector \(collector) did not succeed")
        }
        for (collector, owns) in Self.compared {
            let expectedNames = Set(expected.keys.filter(owns))
            let actualNames = Set(actual.keys.filter(owns))
            #expect(!expectedNames.isEmpty, "no expected families attributed to \(collector)")
            #expect(
                expectedNames == actualNames,
                "\(collector): missing \(expectedNames.subtracting(actualNames).sorted()), extra \(actualNames.subtracting(expectedNames).sorted())"
            )
            for name in expectedNames.intersection(actualNames).sorted() {
                let want = expected[name]!
                let got = actual[name]!
                #expect(got.help == want.help, "HELP of \(name)")
                #expect(got.type == want.type, "TYPE of \(name)")
                #expect(got.metrics == want.metrics, "series of \(name) differ:\n\(Self.diff(want, got))")
            }
        }
        // Nothing in our output is unaccounted for: every family belongs to a compared collector
        // or is one of the exporter's own.
        let own: Set<String> = ["node_scrape_collector_success", "node_scrape_collector_duration_seconds"]
        for name in actual.keys where !own.contains(name) && !name.hasPrefix("process_")
            && !name.hasPrefix("promhttp_") && !name.hasPrefix("vitals_")
        {
            #expect(Self.compared.contains { $0.owns(name) }, "family \(name) is not attributed to a collector")
        }
        // The list of collectors not compared is exactly upstream's enabled set minus ours.
        let upstream = Set(
            expectedText.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("node_scrape_collector_success{collector=\"") else { return nil }
                return String(line.dropFirst("node_scrape_collector_success{collector=\"".count).prefix { $0 != "\"" })
            })
        #expect(upstream.subtracting(Self.compared.map(\.collector)) == Set(Self.notCompared))
    }

    static func diff(_ want: MetricFamily, _ got: MetricFamily) -> String {
        let writer = TextFormatWriter()
        let wantLines = Set(writer.string([want]).split(separator: "\n"))
        let gotLines = Set(writer.string([got]).split(separator: "\n"))
        return (wantLines.subtracting(gotLines).map { "- \($0)" } + gotLines.subtracting(wantLines).map { "+ \($0)" })
            .sorted().joined(separator: "\n")
    }
}

enum NetworkFamilies {
    /// `node_network_<stat>_total` from the netdev collector (as opposed to netclass properties).
    static func isNetdev(_ name: String) -> Bool {
        guard name.hasPrefix("node_network_receive_") || name.hasPrefix("node_network_transmit_") else { return false }
        return name != "node_network_transmit_queue_length"
    }
}
