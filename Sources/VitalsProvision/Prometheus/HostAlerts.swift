import VitalsStack

/// Host alerts after the node-mixin (prometheus/node_exporter's docs/node-mixin), on the metric
/// names node_exporter and vitals-exporter share, for the stack's `node` job.
struct HostAlerts {
    /// The stack's job for its nodes.
    let job: String

    var node: String { "job=\"\(job)\"" }
    var filesystem: String { "job=\"\(job)\",fstype!=\"\",mountpoint!=\"\"" }
    var host: [String: String] { ["job": job, "instance": "host-1:9100"] }

    /// A warning's promtool cases over this host's series: each metric with its values when the
    /// alert must fire and when it must stay silent.
    func hostWarningTest(_ series: [(metric: String, firing: String, silent: String)], evalTime: String) -> AlertTest {
        AlertTest(
            firing: series.map { .init(PromQL.series($0.metric, host), $0.firing) },
            silent: series.map { .init(PromQL.series($0.metric, host), $0.silent) },
            evalTime: evalTime, expected: [host.merging(["severity": "warning"]) { $1 }])
    }
    var disk: [String: String] { host.merging(["device": "/dev/sda1", "fstype": "ext4", "mountpoint": "/"]) { $1 } }

    static func group(_ stack: Stack) -> RuleGroup {
        let alerts = HostAlerts(job: PrometheusConfig.nodeJobName(stack))
        let rules =
            alerts.filesystem(space) + alerts.filesystem(inodes)
            + [
                alerts.memory(), alerts.cpu(), alerts.load(), alerts.diskIO(), alerts.oomKill(), alerts.clockSkew(),
                alerts.clockSync(), alerts.conntrack(),
            ]
        return RuleGroup(
            name: "\(stack.name)/host",
            rules: rules.map { rule in
                var rule = rule.reading([alerts.job], dashboard: "host-overview", labels: ["scope": "host"])
                if var test = rule.test {
                    test.expected = test.expected.map { $0.merging(["scope": "host"]) { $1 } }
                    rule.test = test
                }
                return rule
            })
    }

    /// What a filesystem runs out of: space (bytes) or inodes (files), with node-mixin's levels.
    struct Resource {
        var noun: String
        var fillingUpName: String
        var almostOutName: String
        var free: String
        var total: String
        var fillingUpBelow: Int
        var almostOutFor: String
        /// The silent case of the almost-out test: free share, and whether the filesystem is read-only.
        var silentAlmostOut: (free: Int, readonly: Int)
        var almostOutEval: String
    }

    static let space = Resource(
        noun: "space", fillingUpName: "NodeFilesystemSpaceFillingUp", almostOutName: "NodeFilesystemAlmostOutOfSpace",
        free: "node_filesystem_avail_bytes", total: "node_filesystem_size_bytes", fillingUpBelow: 15,
        almostOutFor: "30m",
        silentAlmostOut: (20000, 0), almostOutEval: "45m")
    static let inodes = Resource(
        noun: "inodes", fillingUpName: "NodeFilesystemFilesFillingUp", almostOutName: "NodeFilesystemAlmostOutOfFiles",
        free: "node_filesystem_files_free", total: "node_filesystem_files", fillingUpBelow: 20, almostOutFor: "1h",
        silentAlmostOut: (4000, 1), almostOutEval: "90m")

    /// Predicted to fill up within a day, and almost out (warning at 5%, critical at 3%).
    func filesystem(_ resource: Resource) -> [AlertRule] {
        let free = "\(resource.free){\(filesystem)}"
        let total = "\(resource.total){\(filesystem)}"
        let readonly = "node_filesystem_readonly{\(filesystem)}"
        let place = "Filesystem on {{ $labels.device }} at {{ $labels.instance }} (mounted at {{ $labels.mountpoint }})"
        func series(free: String, readonly: Int, samples: Int) -> [AlertTest.Series] {
            [
                .init(PromQL.series(resource.free, disk), "\(free)x\(samples)"),
                .init(PromQL.series(resource.total, disk), "100000x\(samples)"),
                .init(PromQL.series("node_filesystem_readonly", disk), "\(readonly)x\(samples)"),
            ]
        }
        let fillingUp = AlertRule(
            name: resource.fillingUpName,
            expr:
                "(\(free) / \(total) * 100 < \(resource.fillingUpBelow) and predict_linear(\(free)[6h], 24 * 60 * 60) < 0 and \(readonly) == 0)",
            duration: "1h", severity: .warning,
            summary: "Filesystem is predicted to run out of \(resource.noun) within the next 24 hours.",
            description: "\(place) has less than \(resource.fillingUpBelow)% \(resource.noun) left and is filling up.",
            test: AlertTest(
                // Ten hours of a steady decline, from 10% free; the silent one declines from 90%.
                firing: series(free: "10000-10", readonly: 0, samples: 600),
                silent: series(free: "90000-10", readonly: 0, samples: 600),
                evalTime: "10h", expected: [disk.merging(["severity": "warning"]) { $1 }]))
        let almostOut = { (severity: AlertRule.Severity, percent: Int) in
            AlertRule(
                name: resource.almostOutName,
                expr: "(\(free) / \(total) * 100 < \(percent) and \(readonly) == 0)",
                duration: resource.almostOutFor, severity: severity,
                summary: "Filesystem has less than \(percent)% \(resource.noun) left.",
                description: "\(place) has less than \(percent)% \(resource.noun) left.",
                test: nil)
        }
        var warning = almostOut(.warning, 5)
        warning.test = AlertTest(
            // 2% free fires both levels.
            firing: series(free: "2000", readonly: 0, samples: 120),
            silent: series(
                free: String(resource.silentAlmostOut.free), readonly: resource.silentAlmostOut.readonly, samples: 120),
            evalTime: resource.almostOutEval,
            expected: [disk.merging(["severity": "warning"]) { $1 }, disk.merging(["severity": "critical"]) { $1 }])
        return [fillingUp, warning, almostOut(.critical, 3)]
    }

    func memory() -> AlertRule {
        AlertRule(
            name: "NodeMemoryHighUtilization",
            expr: "100 - (node_memory_MemAvailable_bytes{\(node)} / node_memory_MemTotal_bytes{\(node)} * 100) > 90",
            duration: "15m", severity: .warning,
            summary: "Host is running out of memory.",
            description: "Memory on {{ $labels.instance }} is more than 90% used.",
            test: hostWarningTest(
                [
                    ("node_memory_MemAvailable_bytes", "5x40", "50x40"),
                    ("node_memory_MemTotal_bytes", "100x40", "100x40"),
                ],
                evalTime: "30m"))
    }

    func cpu() -> AlertRule {
        let user = host.merging(["cpu": "0", "mode": "user"]) { $1 }
        return AlertRule(
            name: "NodeCPUHighUsage",
            expr:
                "sum without (mode) (avg without (cpu) (rate(node_cpu_seconds_total{\(node),mode!=\"idle\"}[2m]))) * 100 > 90",
            duration: "15m", severity: .warning,
            summary: "High CPU usage.",
            description: "CPU on {{ $labels.instance }} has been more than 90% busy for 15 minutes.",
            test: AlertTest(
                firing: [.init(PromQL.series("node_cpu_seconds_total", user), "0+57x40")],
                silent: [.init(PromQL.series("node_cpu_seconds_total", user), "0+6x40")],
                evalTime: "30m", expected: [host.merging(["severity": "warning"]) { $1 }]))
    }

    func load() -> AlertRule {
        AlertRule(
            name: "NodeSystemSaturation",
            expr: "node_load1{\(node)} / count without (cpu, mode) (node_cpu_seconds_total{\(node),mode=\"idle\"}) > 2",
            duration: "15m", severity: .warning,
            summary: "System saturated, load per core is very high.",
            description:
                "Load per core on {{ $labels.instance }} has been above 2 for 15 minutes: the host is overloaded.",
            test: AlertTest(
                firing: [
                    .init(PromQL.series("node_load1", host), "5x40"),
                    .init(
                        PromQL.series("node_cpu_seconds_total", host.merging(["cpu": "0", "mode": "idle"]) { $1 }),
                        "0+30x40"),
                    .init(
                        PromQL.series("node_cpu_seconds_total", host.merging(["cpu": "1", "mode": "idle"]) { $1 }),
                        "0+30x40"),
                ],
                silent: [
                    .init(PromQL.series("node_load1", host), "1x40"),
                    .init(
                        PromQL.series("node_cpu_seconds_total", host.merging(["cpu": "0", "mode": "idle"]) { $1 }),
                        "0+30x40"),
                    .init(
                        PromQL.series("node_cpu_seconds_total", host.merging(["cpu": "1", "mode": "idle"]) { $1 }),
                        "0+30x40"),
                ],
                evalTime: "30m", expected: [host.merging(["severity": "warning"]) { $1 }]))
    }

    func diskIO() -> AlertRule {
        let device = host.merging(["device": "sda"]) { $1 }
        return AlertRule(
            name: "NodeDiskIOSaturation",
            expr: "rate(node_disk_io_time_weighted_seconds_total{\(node),device!=\"\"}[5m]) > 10",
            duration: "30m", severity: .warning,
            summary: "Disk IO queue is high.",
            description:
                "Disk IO queue (aqu-sq) of {{ $labels.device }} on {{ $labels.instance }} has been above 10 for 30 minutes.",
            test: AlertTest(
                firing: [.init(PromQL.series("node_disk_io_time_weighted_seconds_total", device), "0+900x60")],
                silent: [.init(PromQL.series("node_disk_io_time_weighted_seconds_total", device), "0+60x60")],
                evalTime: "50m", expected: [device.merging(["severity": "warning"]) { $1 }]))
    }

    func oomKill() -> AlertRule {
        AlertRule(
            name: "NodeOOMKillDetected",
            expr: "increase(node_vmstat_oom_kill{\(node)}[5m]) > 0",
            duration: "0m", severity: .warning,
            summary: "An OOM kill was detected.",
            description: "The kernel killed a process on {{ $labels.instance }} because it ran out of memory.",
            test: hostWarningTest([("node_vmstat_oom_kill", "0x10 1x10", "3x20")], evalTime: "12m"))
    }

    func clockSkew() -> AlertRule {
        let offset = "node_timex_offset_seconds{\(node)}"
        return AlertRule(
            name: "NodeClockSkewDetected",
            expr:
                "(\(offset) > 0.05 and deriv(\(offset)[5m]) >= 0) or (\(offset) < -0.05 and deriv(\(offset)[5m]) <= 0)",
            duration: "10m", severity: .warning,
            summary: "Clock skew detected.",
            description: "The clock of {{ $labels.instance }} is more than 50 ms off and not converging; check NTP.",
            test: hostWarningTest([("node_timex_offset_seconds", "0.1x30", "0.001x30")], evalTime: "20m"))
    }

    func clockSync() -> AlertRule {
        AlertRule(
            name: "NodeClockNotSynchronising",
            expr:
                "min_over_time(node_timex_sync_status{\(node)}[5m]) == 0 and node_timex_maxerror_seconds{\(node)} >= 16",
            duration: "10m", severity: .warning,
            summary: "Clock not synchronising.",
            description: "The clock of {{ $labels.instance }} is not synchronising; check NTP.",
            test: hostWarningTest(
                [("node_timex_sync_status", "0x30", "1x30"), ("node_timex_maxerror_seconds", "16x30", "0.1x30")],
                evalTime: "20m"))
    }

    func conntrack() -> AlertRule {
        AlertRule(
            name: "NodeConntrackTableFilling",
            expr: "node_nf_conntrack_entries{\(node)} / node_nf_conntrack_entries_limit{\(node)} > 0.75",
            duration: "5m", severity: .warning,
            summary: "The conntrack table is filling up.",
            description:
                "The conntrack table on {{ $labels.instance }} is more than 75% full; new connections will be dropped when it is full.",
            test: hostWarningTest(
                [
                    ("node_nf_conntrack_entries", "90x20", "10x20"),
                    ("node_nf_conntrack_entries_limit", "100x20", "100x20"),
                ],
                evalTime: "10m"))
    }
}
