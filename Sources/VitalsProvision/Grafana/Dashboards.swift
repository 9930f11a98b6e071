import VitalsDocuments
import VitalsStack

/// The dashboards of a stack: host overview, stack health, and one per kind of service present.
enum Dashboards {
    /// File name (under `grafana/dashboards/`) and dashboard.
    static func all(_ stack: Stack) -> [(file: String, dashboard: JSONNode)] {
        var result: [(String, JSONNode)] = []
        if !stack.hosts.isEmpty { result.append(("host-overview.json", HostOverviewDashboard.build(stack))) }
        result.append(("stack-health.json", StackHealthDashboard.build(stack)))
        if stack.usesContainers { result.append(("containers.json", ContainersDashboard.build(stack))) }
        let fastapi = stack.services(of: .fastapi).filter { $0.metrics != nil }
        if !fastapi.isEmpty { result.append(("http-red.json", HTTPDashboard.build(stack, fastapi))) }
        let llm = fastapi.filter { $0.llm != nil }
        if !llm.isEmpty { result.append(("llm-usage.json", LLMDashboard.build(stack, llm))) }
        let redis = stack.services(of: .redis).filter { $0.metrics != nil }
        if !redis.isEmpty { result.append(("redis.json", RedisDashboard.build(stack, redis))) }
        let celery = stack.services(of: .celery).filter { $0.metrics != nil }
        if !celery.isEmpty { result.append(("celery.json", CeleryDashboard.build(stack, celery))) }
        let postgres = stack.services(of: .postgres).filter { $0.metrics != nil }
        if !postgres.isEmpty { result.append(("postgres.json", PostgresDashboard.build(stack, postgres))) }
        return result
    }

    static func builder(_ stack: Stack, title: String, slug: String, about: String) -> DashboardBuilder {
        DashboardBuilder(
            title: "\(stack.name) / \(title)", uid: GrafanaIdentifiers.uid(stack.name, slug),
            description: "\(about) \(Provisioner.marker) from the stack file of \(stack.name); edits are overwritten.",
            tags: ["vitals", stack.name], datasourceUID: GrafanaIdentifiers.datasourceUID(stack))
    }
}

/// CPU, memory, filesystems, disk IO, network, load and uptime for any number of nodes, on the
/// metric names node_exporter and vitals-exporter share.
enum HostOverviewDashboard {
    static func build(_ stack: Stack) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "Host overview", slug: "host-overview",
            about: "Hosts of the stack, from vitals-exporter or node_exporter.")
        board.queryVariable("job", label: "Job", query: "label_values(node_uname_info, job)")
        board.queryVariable(
            "instance", label: "Instance", query: "label_values(node_uname_info{job=~\"$job\"}, instance)")
        let host = "job=~\"$job\",instance=~\"$instance\""
        let fs = "\(host),fstype!=\"\",mountpoint!=\"\""
        let rate = "[$__rate_interval]"
        typealias Q = DashboardPanel.Query

        board.row("Overview")
        board.add(
            .stat(
                "Uptime", "Time since the host booted.", unit: "s",
                Q("min(node_time_seconds{\(host)} - node_boot_time_seconds{\(host)})")))
        board.add(
            .stat(
                "CPU cores", "Logical CPUs, summed over the selected hosts.", unit: "none",
                Q("count(node_cpu_seconds_total{\(host),mode=\"idle\"})")))
        board.add(
            .stat(
                "Memory", "Physical memory, summed over the selected hosts.", unit: "bytes",
                Q("sum(node_memory_MemTotal_bytes{\(host)})")))
        board.add(
            .stat(
                "CPU busy", "Share of CPU time not idle, averaged over the selected hosts.", unit: "percentunit",
                thresholds: [(nil, "green"), (0.8, "orange"), (0.9, "red")],
                Q("1 - avg(rate(node_cpu_seconds_total{\(host),mode=\"idle\"}\(rate)))")))
        board.add(
            .stat(
                "Memory used", "Share of memory not available to new processes, on the fullest host.",
                unit: "percentunit",
                thresholds: [(nil, "green"), (0.8, "orange"), (0.9, "red")],
                Q("max(1 - node_memory_MemAvailable_bytes{\(host)} / node_memory_MemTotal_bytes{\(host)})")))
        board.add(
            .stat(
                "Fullest filesystem", "Share of space used on the fullest filesystem.", unit: "percentunit",
                thresholds: [(nil, "green"), (0.85, "orange"), (0.95, "red")],
                Q("max(1 - node_filesystem_avail_bytes{\(fs)} / node_filesystem_size_bytes{\(fs)})")))

        board.row("CPU and load")
        board.add(
            .timeseries(
                "CPU usage by mode", "Share of each host's CPU time per mode (idle left out).", unit: "percentunit",
                min: 0, stacked: true,
                [
                    Q(
                        "sum by (instance, mode) (rate(node_cpu_seconds_total{\(host),mode!=\"idle\"}\(rate))) / on (instance) group_left () count by (instance) (node_cpu_seconds_total{\(host),mode=\"idle\"})",
                        legend: "{{instance}} {{mode}}")
                ]))
        board.add(
            .timeseries(
                "Load average", "Run-queue length over 1, 5 and 15 minutes, per core.", unit: "short", min: 0,
                [1, 5, 15].map { minutes in
                    Q(
                        "node_load\(minutes){\(host)} / on (instance) group_left () count by (instance) (node_cpu_seconds_total{\(host),mode=\"idle\"})",
                        legend: "{{instance}} load\(minutes)")
                }))

        board.row("Memory")
        board.add(
            .timeseries(
                "Memory", "Used (total minus available), page cache and buffers, per host.", unit: "bytes", min: 0,
                [
                    Q(
                        "node_memory_MemTotal_bytes{\(host)} - node_memory_MemAvailable_bytes{\(host)}",
                        legend: "{{instance}} used"),
                    Q(
                        "node_memory_Cached_bytes{\(host)} + node_memory_Buffers_bytes{\(host)}",
                        legend: "{{instance}} cache and buffers"),
                    Q("node_memory_MemTotal_bytes{\(host)}", legend: "{{instance}} total"),
                ]))
        board.add(
            .timeseries(
                "Swap and OOM kills", "Swap in use, and processes the kernel killed for lack of memory.", unit: "short",
                min: 0,
                [
                    Q(
                        "node_memory_SwapTotal_bytes{\(host)} - node_memory_SwapFree_bytes{\(host)}",
                        legend: "{{instance}} swap used (bytes)"),
                    Q("increase(node_vmstat_oom_kill{\(host)}\(rate))", legend: "{{instance}} OOM kills"),
                ]))

        board.row("Filesystems and disks")
        board.add(
            .timeseries(
                "Filesystem space used", "Share of each filesystem's space in use.", unit: "percentunit", min: 0,
                max: 1,
                [
                    Q(
                        "1 - node_filesystem_avail_bytes{\(fs)} / node_filesystem_size_bytes{\(fs)}",
                        legend: "{{instance}} {{mountpoint}}")
                ]))
        board.add(
            .timeseries(
                "Disk throughput", "Bytes read and written per second, per device.", unit: "Bps", min: 0,
                [
                    Q("rate(node_disk_read_bytes_total{\(host)}\(rate))", legend: "{{instance}} {{device}} read"),
                    Q("rate(node_disk_written_bytes_total{\(host)}\(rate))", legend: "{{instance}} {{device}} written"),
                ]))
        board.add(
            .timeseries(
                "Disk IO utilisation", "Share of time each device was busy with IO.", unit: "percentunit", min: 0,
                [Q("rate(node_disk_io_time_seconds_total{\(host)}\(rate))", legend: "{{instance}} {{device}}")]))
        board.add(
            .timeseries(
                "Disk IO queue", "Average number of IO requests in flight (aqu-sq).", unit: "short", min: 0,
                [Q("rate(node_disk_io_time_weighted_seconds_total{\(host)}\(rate))", legend: "{{instance}} {{device}}")]
            ))

        board.row("Network")
        let nic = "\(host),device!=\"lo\""
        board.add(
            .timeseries(
                "Network traffic", "Bytes received and transmitted per second, per interface.", unit: "Bps", min: 0,
                [
                    Q("rate(node_network_receive_bytes_total{\(nic)}\(rate))", legend: "{{instance}} {{device}} in"),
                    Q("rate(node_network_transmit_bytes_total{\(nic)}\(rate))", legend: "{{instance}} {{device}} out"),
                ]))
        board.add(
            .timeseries(
                "Network errors and drops", "Packets per second that failed or were dropped, per interface.",
                unit: "pps", min: 0,
                [
                    Q(
                        "rate(node_network_receive_errs_total{\(nic)}\(rate)) + rate(node_network_transmit_errs_total{\(nic)}\(rate))",
                        legend: "{{instance}} {{device}} errors"),
                    Q(
                        "rate(node_network_receive_drop_total{\(nic)}\(rate)) + rate(node_network_transmit_drop_total{\(nic)}\(rate))",
                        legend: "{{instance}} {{device}} drops"),
                ]))
        board.add(
            .timeseries(
                "TCP connections",
                "Established TCP connections, sockets in TIME_WAIT, and conntrack entries against the limit.",
                unit: "short", min: 0,
                [
                    Q("node_netstat_Tcp_CurrEstab{\(host)}", legend: "{{instance}} established"),
                    Q("node_sockstat_TCP_tw{\(host)}", legend: "{{instance}} time-wait"),
                    Q("node_nf_conntrack_entries{\(host)}", legend: "{{instance}} conntrack"),
                    Q("node_nf_conntrack_entries_limit{\(host)}", legend: "{{instance}} conntrack limit"),
                ]))
        board.add(
            .timeseries(
                "TCP retransmissions", "Segments retransmitted per second: packet loss on the way.", unit: "short",
                min: 0,
                [Q("rate(node_netstat_Tcp_RetransSegs{\(host)}\(rate))", legend: "{{instance}}")]))

        board.row("Pressure and limits")
        board.add(
            .timeseries(
                "Pressure (PSI)", "Share of time tasks waited for CPU, memory or IO: the clearest sign of saturation.",
                unit: "percentunit", min: 0,
                [
                    Q("rate(node_pressure_cpu_waiting_seconds_total{\(host)}\(rate))", legend: "{{instance}} cpu"),
                    Q(
                        "rate(node_pressure_memory_waiting_seconds_total{\(host)}\(rate))",
                        legend: "{{instance}} memory"),
                    Q("rate(node_pressure_io_waiting_seconds_total{\(host)}\(rate))", legend: "{{instance}} io"),
                ]))
        board.add(
            .timeseries(
                "Inodes used", "Share of inodes used, per filesystem.", unit: "percentunit", min: 0, max: 1,
                [
                    Q(
                        "1 - node_filesystem_files_free{\(fs)} / node_filesystem_files{\(fs)}",
                        legend: "{{instance}} {{mountpoint}}")
                ]))
        board.add(
            .timeseries(
                "Disk IOPS", "Reads and writes completed per second, per device.", unit: "iops", min: 0,
                [
                    Q("rate(node_disk_reads_completed_total{\(host)}\(rate))", legend: "{{instance}} {{device}} read"),
                    Q(
                        "rate(node_disk_writes_completed_total{\(host)}\(rate))",
                        legend: "{{instance}} {{device}} write"),
                ]))
        board.add(
            .timeseries(
                "Disk latency", "Average time per read and per write, per device.", unit: "s", min: 0,
                [
                    Q(
                        "rate(node_disk_read_time_seconds_total{\(host)}\(rate)) / rate(node_disk_reads_completed_total{\(host)}\(rate))",
                        legend: "{{instance}} {{device}} read"),
                    Q(
                        "rate(node_disk_write_time_seconds_total{\(host)}\(rate)) / rate(node_disk_writes_completed_total{\(host)}\(rate))",
                        legend: "{{instance}} {{device}} write"),
                ]))
        board.add(
            .timeseries(
                "File descriptors", "Allocated file handles against the kernel's limit.", unit: "short", min: 0,
                [
                    Q("node_filefd_allocated{\(host)}", legend: "{{instance}} allocated"),
                    Q("node_filefd_maximum{\(host)}", legend: "{{instance}} maximum"),
                ]))
        board.add(
            .timeseries(
                "Time sync", "Clock offset from NTP, and whether the clock is synchronised (1).", unit: "s",
                [
                    Q("node_timex_offset_seconds{\(host)}", legend: "{{instance}} offset"),
                    Q("node_timex_sync_status{\(host)}", legend: "{{instance}} synchronised"),
                ]))

        board.row("Exporter")
        board.add(
            .timeseries(
                "Failed systemd units", "Units in the failed state (needs --collector.systemd).", unit: "none", min: 0,
                [Q("sum by (instance) (node_systemd_unit_state{\(host),state=\"failed\"})", legend: "{{instance}}")]))
        board.add(
            .table(
                "Collectors that failed",
                "Collectors of vitals-exporter or node_exporter that failed in the last scrape.", width: 12,
                Q("node_scrape_collector_success{\(host)} == 0")))
        return board.build(stackTag: stack.name)
    }
}

/// Readiness and liveness of every service over time, probe latency, failing probes and
/// dependency blocks, from `vitals serve`.
enum StackHealthDashboard {
    static func build(_ stack: Stack) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "Stack health", slug: "stack-health",
            about: "Service health of the stack, as vitals serve probes it.")
        board.customVariable("service", label: "Service", values: stack.services.map(\.name))
        let inStack = "stack=\"\(stack.name)\""
        let sel = "\(inStack),service=~\"$service\""
        typealias Q = DashboardPanel.Query
        let readyColours: [(Double?, String)] = [(nil, "red"), (1, "green")]

        board.row("Stack")
        board.add(
            .stat(
                "Stack ready", "1 when every service, and everything it depends on, is ready.", unit: "bool", width: 6,
                thresholds: readyColours, Q("min(vitals_stack_ready{\(inStack)})")))
        board.add(
            .stat(
                "Services ready", "Services that are effectively ready.", unit: "none", width: 6,
                Q("sum(vitals_service_effectively_ready{\(sel)})")))
        board.add(
            .stat(
                "Failing probes", "Probes whose last run failed.", unit: "none", width: 6,
                thresholds: [(nil, "green"), (1, "red")],
                Q("count(probe_success{\(sel)} == 0) or vector(0)")))
        board.add(
            .stat(
                "Blocked by a dependency", "Services that are ready but wait for a dependency.", unit: "none", width: 6,
                thresholds: [(nil, "green"), (1, "orange")], Q("sum(vitals_service_dependency_blocked{\(sel)})")))

        board.row("Services")
        board.add(
            .timeseries(
                "Readiness", "1 while every replica of the service is ready.", unit: "bool", min: 0, max: 1,
                [Q("vitals_service_ready{\(sel)}", legend: "{{service}}")]))
        board.add(
            .timeseries(
                "Liveness", "1 while every replica of the service is live.", unit: "bool", min: 0, max: 1,
                [Q("vitals_service_live{\(sel)}", legend: "{{service}}")]))
        board.add(
            .timeseries(
                "Ready replicas", "Replicas of each service whose readiness holds.", unit: "none", min: 0,
                [Q("vitals_service_ready_replicas{\(sel)}", legend: "{{service}}")]))
        board.add(
            .timeseries(
                "Dependency blocked", "1 while the service is ready but a dependency is not.", unit: "bool", min: 0,
                max: 1,
                [Q("vitals_service_dependency_blocked{\(sel)}", legend: "{{service}}")]))

        board.row("Probes")
        board.add(
            .timeseries(
                "Probe latency", "How long each probe took.", unit: "s", min: 0,
                [Q("probe_duration_seconds{\(sel)}", legend: "{{service}} {{instance}} {{probe}}")]))
        board.add(
            .timeseries(
                "Failing probes per service", "Probes of each service whose last run failed.", unit: "none", min: 0,
                [Q("sum by (service) (1 - probe_success{\(sel)})", legend: "{{service}}")]))
        board.add(
            .timeseries(
                "State changes", "Probe state transitions per service (flapping shows here).", unit: "none", min: 0,
                [
                    Q(
                        "sum by (service) (increase(vitals_probe_transitions_total{\(sel)}[$__rate_interval]))",
                        legend: "{{service}}")
                ]))
        board.add(
            .timeseries(
                "Probe rate and lateness", "Probes run per second, and the 99th percentile of how late they started.",
                unit: "short", min: 0,
                [
                    Q("sum(rate(vitals_probes_total{\(inStack)}[$__rate_interval]))", legend: "probes/s"),
                    Q(
                        "histogram_quantile(0.99, sum by (le) (rate(vitals_probe_schedule_lateness_seconds_bucket{\(inStack)}[$__rate_interval])))",
                        legend: "p99 lateness (s)"),
                ]))
        board.add(
            .table(
                "Probe results", "Every probe's last result, status and latency.",
                Q("probe_success{\(sel)}")))
        return board.build(stackTag: stack.name)
    }
}
