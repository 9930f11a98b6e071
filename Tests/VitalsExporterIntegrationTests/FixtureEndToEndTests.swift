import Foundation
import Testing
import VitalsExposition
import VitalsTestSupport
import VitalsTestTraits

/// node_exporter's own end-to-end test, in its manner: the real binary on node_exporter's fixture
/// trees with the same flags, compared family by family with node_exporter's golden output.
@Suite(.serialized, .blockingWork) struct FixtureEndToEndTests {
    /// Collectors this project implements, and the expected families that belong to each.
    static let compared: [(collector: String, owns: @Sendable (String) -> Bool)] = [
        ("arp", { $0.hasPrefix("node_arp_") }),
        ("conntrack", { $0.hasPrefix("node_nf_conntrack_") }),
        (
            "cpu",
            {
                $0.hasPrefix("node_cpu_") && !$0.hasPrefix("node_cpu_scaling_")
                    && !$0.hasPrefix("node_cpu_vulnerabilities") && $0 != "node_cpu_frequency_max_hertz"
                    && $0 != "node_cpu_frequency_min_hertz"
            }
        ),
        (
            "cpufreq",
            {
                $0.hasPrefix("node_cpu_scaling_") || $0 == "node_cpu_frequency_max_hertz"
                    || $0 == "node_cpu_frequency_min_hertz"
            }
        ),
        ("diskstats", { $0.hasPrefix("node_disk_") }),
        ("entropy", { $0.hasPrefix("node_entropy_") }),
        ("filefd", { $0.hasPrefix("node_filefd_") }),
        ("hwmon", { $0.hasPrefix("node_hwmon_") }),
        ("interrupts", { $0.hasPrefix("node_interrupts_") }),
        ("loadavg", { ["node_load1", "node_load5", "node_load15"].contains($0) }),
        ("meminfo", { $0.hasPrefix("node_memory_") && !$0.hasPrefix("node_memory_numa_") }),
        ("netclass", { $0.hasPrefix("node_network_") && !NetworkFamilies.isNetdev($0) }),
        ("netdev", { NetworkFamilies.isNetdev($0) }),
        ("netstat", { $0.hasPrefix("node_netstat_") }),
        ("os", { $0.hasPrefix("node_os_") }),
        ("powersupplyclass", { $0.hasPrefix("node_power_supply_") }),
        ("pressure", { $0.hasPrefix("node_pressure_") }),
        ("processes", { $0.hasPrefix("node_processes_") }),
        ("schedstat", { $0.hasPrefix("node_schedstat_") }),
        ("sockstat", { $0.hasPrefix("node_sockstat_") }),
        ("softnet", { $0.hasPrefix("node_softnet_") }),
        (
            "stat",
            {
                [
                    "node_boot_time_seconds", "node_context_switches_total", "node_forks_total", "node_intr_total",
                    "node_procs_blocked", "node_procs_running", "node_softirqs_total",
                ].contains($0)
            }
        ),
        ("textfile", { $0.hasPrefix("node_textfile_") || $0.hasPrefix("testmetric") }),
        ("thermal_zone", { $0.hasPrefix("node_thermal_zone_") || $0.hasPrefix("node_cooling_device_") }),
        ("time", { $0.hasPrefix("node_time_") }),
        ("udp_queues", { $0.hasPrefix("node_udp_") }),
        ("vmstat", { $0.hasPrefix("node_vmstat_") }),
    ]

    /// Collectors that ran upstream and that this project deliberately leaves out, with the reason.
    static let notCompared: [String: String] = [
        "bcache": "bcache caching devices are rare on servers and VMs",
        "bcachefs": "bcachefs is experimental and absent from ordinary servers",
        "bonding": "bonded interfaces are outside the stacks Vitals targets",
        "btrfs": "filesystem-specific internals; the filesystem collector covers capacity",
        "buddyinfo": "off by default upstream; memory fragmentation detail",
        "cgroups": "off by default upstream; container metrics will come from a cgroup v2 collector",
        "cpu_vulnerabilities": "off by default upstream; security inventory, not monitoring",
        "dmi": "hardware inventory; no dashboard or alert in scope uses it",
        "dmmultipath": "SAN multipath devices are outside ordinary servers and VMs",
        "drbd": "off by default upstream; replicated block devices",
        "edac": "ECC memory controllers are not visible in VMs",
        "fibrechannel": "Fibre Channel HBAs are outside ordinary servers and VMs",
        "infiniband": "InfiniBand fabrics are outside ordinary servers and VMs",
        "ipvs": "IPVS load balancers are outside the stacks Vitals targets",
        "kernel_hung": "off by default upstream",
        "ksmd": "off by default upstream",
        "lnstat": "off by default upstream",
        "mdadm": "software RAID is outside the stacks Vitals targets",
        "meminfo_numa": "off by default upstream; NUMA detail",
        "mountstats": "off by default upstream; per-NFS-mount detail",
        "nfs": "NFS client RPC statistics are outside the stacks Vitals targets",
        "nfsd": "NFS server statistics are outside the stacks Vitals targets",
        "nvme": "NVMe inventory; diskstats covers I/O",
        "pcidevice": "off by default upstream; hardware inventory",
        "qdisc": "off by default upstream; traffic control detail",
        "rapl": "RAPL energy counters are not visible in VMs",
        "slabinfo": "off by default upstream; needs root",
        "softirqs": "off by default upstream; stat --collector.stat.softirq covers the totals",
        "sysctl": "off by default upstream",
        "tapestats": "tape drives are outside ordinary servers",
        "watchdog": "hardware watchdogs are outside ordinary servers and VMs",
        "wifi": "off by default upstream; wireless clients",
        "xfrm": "off by default upstream; IPsec",
        "xfs": "filesystem-specific internals; the filesystem collector covers capacity",
        "zfs": "ZFS internals; the filesystem collector covers capacity",
        "zoneinfo": "off by default upstream; memory zone detail",
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
            "--no-collector.timex", "--no-collector.selinux", "--collector.processes", "--collector.interrupts",
            "--collector.arp.device-exclude=nope", "--no-collector.arp.netlink",
            "--collector.hwmon.chip-include=(applesmc|asus_nb_wmi|coretemp|hwmon4|ieee80211|nct6779)",
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
        for name in actual.keys
        where !own.contains(name) && !name.hasPrefix("process_")
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
        #expect(upstream.subtracting(Self.compared.map(\.collector)) == Set(Self.notCompared.keys))
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
