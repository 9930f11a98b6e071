import VitalsDocuments
import VitalsStack

/// Per-container CPU, throttling, memory against its limit, OOM kills, network, block IO and
/// pressure from vitals-exporter's `cgroups` collector (cAdvisor's names, so cAdvisor works too),
/// beside each container's state, health and restarts as `vitals serve` reads them from the engine.
enum ContainersDashboard {
    typealias Q = DashboardPanel.Query

    static func build(_ stack: Stack) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "Containers", slug: "containers",
            about: "Containers of the stack, from vitals-exporter --collector.cgroups and vitals serve.")
        let job = "job=\"\(PrometheusConfig.nodeJobName(stack))\""
        board.queryVariable(
            "container", label: "Container", query: "label_values(container_memory_usage_bytes{\(job)}, name)")
        let sel = "\(job),name=~\"$container\""
        let inStack = "stack=\"\(stack.name)\""
        let rate = "[$__rate_interval]"

        board.row("Overview")
        board.add(
            .stat(
                "Containers", "Running containers the host exporters report.", unit: "none",
                Q("count(container_memory_usage_bytes{\(sel)})")))
        board.add(
            .stat(
                "Not running", "Containers of the stack's services that the engine reports as not running.",
                unit: "none", thresholds: [(nil, "green"), (1, "red")],
                Q("count(vitals_container_running{\(inStack)} == 0) or vector(0)")))
        board.add(
            .stat(
                "Unhealthy", "Containers whose own healthcheck does not pass.", unit: "none",
                thresholds: [(nil, "green"), (1, "orange")],
                Q("count(vitals_container_healthy{\(inStack)} == 0) or vector(0)")))
        board.add(
            .stat(
                "OOM kills", "Processes killed for memory inside the running containers since each started.",
                unit: "none", thresholds: [(nil, "green"), (1, "red")],
                Q("sum(container_oom_events_total{\(sel)}) or vector(0)")))
        board.add(
            .stat(
                "Restarts", "Restarts of the stack's containers by the engine's restart policy.", unit: "none",
                thresholds: [(nil, "green"), (1, "orange")],
                Q("sum(vitals_container_restarts{\(inStack)}) or vector(0)")))
        board.add(
            .stat(
                "Exited OOM-killed", "Containers whose last exit was the kernel's OOM killer.", unit: "none",
                thresholds: [(nil, "green"), (1, "red")],
                Q("sum(vitals_container_oom_killed{\(inStack)}) or vector(0)")))

        board.row("CPU")
        board.add(
            .timeseries(
                "CPU usage", "CPU seconds per second used by each container (1 = one core).", unit: "short", min: 0,
                [Q("rate(container_cpu_usage_seconds_total{\(sel),cpu=\"total\"}\(rate))", legend: "{{name}}")]))
        board.add(
            .timeseries(
                "CPU throttling", "Share of CFS periods in which the container hit its CPU limit.",
                unit: "percentunit", min: 0, max: 1,
                [
                    Q(
                        "rate(container_cpu_cfs_throttled_periods_total{\(sel)}\(rate)) / rate(container_cpu_cfs_periods_total{\(sel)}\(rate))",
                        legend: "{{name}}")
                ]))

        board.row("Memory")
        board.add(
            .timeseries(
                "Working set against limit",
                "Working set (usage minus inactive file pages, what the OOM killer weighs) as a share of the limit; containers without a limit are left out.",
                unit: "percentunit", min: 0, max: 1,
                [
                    Q(
                        "container_memory_working_set_bytes{\(sel)} / (container_spec_memory_limit_bytes{\(sel)} > 0)",
                        legend: "{{name}}")
                ]))
        board.add(
            .timeseries(
                "Memory", "Working set, RSS and page cache per container.", unit: "bytes", min: 0,
                [
                    Q("container_memory_working_set_bytes{\(sel)}", legend: "{{name}} working set"),
                    Q("container_memory_rss{\(sel)}", legend: "{{name}} rss"),
                    Q("container_memory_cache{\(sel)}", legend: "{{name}} cache"),
                ]))
        board.add(
            .timeseries(
                "OOM kills", "Processes the kernel killed for memory inside each container.", unit: "none", min: 0,
                [Q("increase(container_oom_events_total{\(sel)}\(rate))", legend: "{{name}}")]))
        board.add(
            .timeseries(
                "Pressure (PSI)", "Share of time tasks in each container waited for CPU, memory or IO (cgroup v2).",
                unit: "percentunit", min: 0,
                [
                    Q("rate(container_pressure_cpu_waiting_seconds_total{\(sel)}\(rate))", legend: "{{name}} cpu"),
                    Q(
                        "rate(container_pressure_memory_waiting_seconds_total{\(sel)}\(rate))",
                        legend: "{{name}} memory"),
                    Q("rate(container_pressure_io_waiting_seconds_total{\(sel)}\(rate))", legend: "{{name}} io"),
                ]))

        board.row("Network and IO")
        board.add(
            .timeseries(
                "Network traffic", "Bytes received and transmitted per second by each container.", unit: "Bps", min: 0,
                [
                    Q(
                        "sum by (name) (rate(container_network_receive_bytes_total{\(sel)}\(rate)))",
                        legend: "{{name}} in"),
                    Q(
                        "sum by (name) (rate(container_network_transmit_bytes_total{\(sel)}\(rate)))",
                        legend: "{{name}} out"),
                ]))
        board.add(
            .timeseries(
                "Block IO", "Bytes read and written per second by each container.", unit: "Bps", min: 0,
                [
                    Q("sum by (name) (rate(container_fs_reads_bytes_total{\(sel)}\(rate)))", legend: "{{name}} read"),
                    Q(
                        "sum by (name) (rate(container_fs_writes_bytes_total{\(sel)}\(rate)))",
                        legend: "{{name}} written"),
                ]))
        board.add(
            .timeseries(
                "Threads", "Tasks in each container against its pids limit (0 = none).", unit: "none", min: 0,
                [
                    Q("container_threads{\(sel)}", legend: "{{name}}"),
                    Q("container_threads_max{\(sel)} > 0", legend: "{{name}} limit"),
                ]))

        board.row("Engine")
        board.add(
            .timeseries(
                "Running and healthy", "1 while the engine reports the container running, and healthy.", unit: "bool",
                min: 0, max: 1,
                [
                    Q("vitals_container_running{\(inStack)}", legend: "{{container}} running"),
                    Q("vitals_container_healthy{\(inStack)}", legend: "{{container}} healthy"),
                ]))
        board.add(
            .timeseries(
                "Restarts", "Restarts of each container by the engine's restart policy.", unit: "none", min: 0,
                [Q("vitals_container_restarts{\(inStack)}", legend: "{{container}}")]))
        return board.build(stackTag: stack.name)
    }
}
