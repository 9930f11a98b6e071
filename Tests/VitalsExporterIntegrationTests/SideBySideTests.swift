import Foundation
import Testing
import VitalsExposition
import VitalsTestSupport
import VitalsTestTraits

/// Debian's node_exporter 1.5.0 and vitals-exporter on this machine's real /proc and /sys,
/// scraped collector by collector (`collect[]`), must agree on family names, types and label names,
/// and on the values of facts that do not move between two scrapes.
@Suite(.serialized, .blockingWork) struct SideBySideTests {
    /// Collectors both exporters have, scraped one at a time (`collect[]`).
    static let collectors = [
        "arp", "conntrack", "cpu", "cpufreq", "diskstats", "entropy", "filefd", "filesystem", "hwmon", "interrupts",
        "loadavg", "meminfo", "netclass", "netdev", "netstat", "os", "powersupplyclass", "pressure", "processes",
        "schedstat", "selinux", "sockstat", "softnet", "stat", "tcpstat", "textfile", "thermal_zone", "time", "timex",
        "udp_queues", "uname", "vmstat",
    ]

    /// Families of node_exporter 1.5.0 that vitals-exporter deliberately does not expose.
    static let exceptions: [String: String] = [
        "node_exporter_build_info": "vitals-exporter identifies itself with vitals_exporter_build_info instead"
    ]

    /// What node_exporter's main added since 1.5.0 and vitals-exporter follows (the superset rule):
    /// family name → label names 1.5.0 does not have. Families listed with no labels are new families.
    static let additionsSince150: [String: Set<String>] = [
        "node_disk_info": ["rotational"],
        "node_network_info": ["adminstate"],
        "node_filesystem_avail_bytes": ["device_error"], "node_filesystem_device_error": ["device_error"],
        "node_filesystem_files": ["device_error"], "node_filesystem_files_free": ["device_error"],
        "node_filesystem_free_bytes": ["device_error"], "node_filesystem_readonly": ["device_error"],
        "node_filesystem_size_bytes": ["device_error"],
        "node_filesystem_mount_info": [],
        "node_netstat_TcpExt_TCPOFOQueue": [], "node_netstat_TcpExt_TCPRcvQDrop": [],
        "node_softnet_backlog_len": [], "node_softnet_cpu_collision_total": [],
        "node_softnet_flow_limit_count_total": [], "node_softnet_received_rps_total": [],
    ]

    /// Both sides in one configuration. Debian patches node_exporter's defaults (netdev excludes lo,
    /// mount points exclude /run, /mnt and /media, a textfile directory), so every such flag is explicit.
    static func sharedFlags(textfileDirectory: String) -> [String] {
        [
            "--collector.filesystem.mount-points-exclude=^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)",
            "--collector.filesystem.fs-types-exclude=^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$",
            "--collector.diskstats.device-exclude=^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$",
            "--collector.netdev.device-exclude=^$",
            "--collector.textfile.directory=\(textfileDirectory)",
            "--collector.processes", "--collector.interrupts", "--collector.tcpstat",
        ]
    }

    struct Shape: Equatable {
        var type: MetricType
        var labelNames: Set<String>
    }

    static func shapes(_ text: String) throws -> [String: Shape] {
        var result: [String: Shape] = [:]
        for family in try TextFormatParser().parse(text).families {
            let names = Set(family.metrics.flatMap { $0.labels.map(\.name) })
            result[family.name] = Shape(type: family.type, labelNames: names)
        }
        return result
    }

    /// One collector's output, scraped again (up to five times) while the collector reports
    /// failure: node_exporter 1.5.0's netclass fails whole when an interface disappears between
    /// its listing and its reads, as the veth pairs of containers that other tests start and stop
    /// do. The comparison is of what each exporter exposes, not of that race.
    static func successfulScrape(_ exporter: ExporterUnderTest, _ collector: String) throws -> String {
        var text = ""
        for _ in 0..<5 {
            text = try exporter.scrape("/metrics?collect[]=\(collector)")
            if text.contains("node_scrape_collector_success{collector=\"\(collector)\"} 1") { return text }
        }
        return text
    }

    @Test func familiesTypesAndLabelsMatchNodeExporter150() throws {
        let textfiles = try TestPaths.temporaryDirectory("textfile")
        let node = try ExporterUnderTest(nodeExporterArguments: Self.sharedFlags(textfileDirectory: textfiles))
        let vitals = try ExporterUnderTest(vitalsArguments: Self.sharedFlags(textfileDirectory: textfiles))
        for collector in Self.collectors {
            let nodeShapes = try Self.shapes(try Self.successfulScrape(node, collector))
                .filter { $0.key.hasPrefix("node_") && !$0.key.hasPrefix("node_exporter_") }
            let vitalsShapes = try Self.shapes(try Self.successfulScrape(vitals, collector))
                .filter { $0.key.hasPrefix("node_") }
            #expect(!nodeShapes.isEmpty, "node_exporter exposed nothing for \(collector)")
            for (name, shape) in nodeShapes {
                guard let ours = vitalsShapes[name] else {
                    Issue.record("\(collector): vitals-exporter lacks \(name)")
                    continue
                }
                #expect(ours.type == shape.type, "\(name): type \(ours.type) instead of \(shape.type)")
                let added = Self.additionsSince150[name] ?? []
                #expect(
                    ours.labelNames == shape.labelNames.union(added),
                    "\(name): labels \(ours.labelNames.sorted()) instead of \(shape.labelNames.sorted())")
            }
            for name in vitalsShapes.keys where nodeShapes[name] == nil {
                #expect(
                    Self.additionsSince150[name] != nil, "\(collector): \(name) is not exposed by node_exporter 1.5.0")
            }
        }
    }

    /// The parity target: every node_* family 1.5.0 exposes here, vitals-exporter exposes too.
    @Test func everyFamilyOfNodeExporter150IsExposed() throws {
        let textfiles = try TestPaths.temporaryDirectory("textfile")
        let node = try ExporterUnderTest(nodeExporterArguments: Self.sharedFlags(textfileDirectory: textfiles))
        let vitals = try ExporterUnderTest(vitalsArguments: Self.sharedFlags(textfileDirectory: textfiles))
        let nodeNames = Set(try Self.shapes(try node.scrape()).keys.filter { $0.hasPrefix("node_") })
        let vitalsNames = Set(try Self.shapes(try vitals.scrape()).keys)
        #expect(nodeNames.count > 200, "node_exporter exposed only \(nodeNames.count) families")
        let missing = nodeNames.subtracting(vitalsNames).subtracting(Self.exceptions.keys)
        #expect(missing.isEmpty, "vitals-exporter lacks \(missing.sorted())")
    }

    @Test func stableFactsHaveEqualValues() throws {
        let textfiles = try TestPaths.temporaryDirectory("textfile")
        let node = try ExporterUnderTest(nodeExporterArguments: Self.sharedFlags(textfileDirectory: textfiles))
        let vitals = try ExporterUnderTest(vitalsArguments: Self.sharedFlags(textfileDirectory: textfiles))
        let nodeFamilies = try TextFormatParser().parse(try node.scrape()).families
        let vitalsFamilies = try TextFormatParser().parse(try vitals.scrape()).families
        func family(_ families: [MetricFamily], _ name: String) throws -> MetricFamily {
            try #require(families.first { $0.name == name }, "\(name) missing")
        }
        func values(_ family: MetricFamily, keyedBy keys: [String]) -> [String: MetricValue] {
            var result: [String: MetricValue] = [:]
            for metric in family.metrics {
                let key = keys.map { name in metric.labels.first { $0.name == name }?.value ?? "" }.joined(
                    separator: "|")
                result[key] = metric.value
            }
            return result
        }
        for name in ["node_memory_MemTotal_bytes", "node_boot_time_seconds"] {
            #expect(try family(nodeFamilies, name).metrics == family(vitalsFamilies, name).metrics, "\(name)")
        }
        let cpus = { (families: [MetricFamily]) throws -> Set<String> in
            Set(
                try family(families, "node_cpu_seconds_total").metrics.compactMap {
                    $0.labels.first { $0.name == "cpu" }?.value
                })
        }
        #expect(try cpus(nodeFamilies) == cpus(vitalsFamilies))
        #expect(try cpus(vitalsFamilies).count == ProcessInfo.processInfo.activeProcessorCount)
        #expect(
            try family(nodeFamilies, "node_uname_info").metrics == family(vitalsFamilies, "node_uname_info").metrics)
        for name in ["node_filesystem_size_bytes", "node_filesystem_files"] {
            let nodeValues = values(try family(nodeFamilies, name), keyedBy: ["device", "mountpoint", "fstype"])
            let vitalsValues = values(try family(vitalsFamilies, name), keyedBy: ["device", "mountpoint", "fstype"])
            #expect(!nodeValues.isEmpty)
            #expect(nodeValues == vitalsValues, "\(name)")
        }
    }
}
