import VitalsDocuments
import VitalsStack

/// Hit ratio, memory, clients, commands and their latency, on redis_exporter's names.
enum RedisDashboard {
    typealias Q = DashboardPanel.Query

    static func build(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(stack, title: "Redis", slug: "redis", about: "Redis, from redis_exporter.")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = ServiceDashboards.selector(stack)
        let rate = ServiceDashboards.rate
        board.row("Overview")
        board.add(
            .stat(
                "Up", "1 when redis_exporter reaches Redis.", unit: "bool", thresholds: [(nil, "red"), (1, "green")],
                Q("min(redis_up{\(sel)})")))
        board.add(.stat("Uptime", "Time since Redis started.", unit: "s", Q("min(redis_uptime_in_seconds{\(sel)})")))
        board.add(.stat("Clients", "Connected clients.", unit: "none", Q("sum(redis_connected_clients{\(sel)})")))
        board.add(
            .stat(
                "Memory used", "Memory Redis has allocated.", unit: "bytes", Q("sum(redis_memory_used_bytes{\(sel)})")))
        board.add(.stat("Keys", "Keys in all databases.", unit: "none", Q("sum(redis_db_keys{\(sel)})")))
        board.add(
            .stat(
                "Hit ratio", "Share of key lookups that found the key.", unit: "percentunit",
                Q(
                    "sum(rate(redis_keyspace_hits_total{\(sel)}\(rate))) / (sum(rate(redis_keyspace_hits_total{\(sel)}\(rate))) + sum(rate(redis_keyspace_misses_total{\(sel)}\(rate))))"
                )))
        board.row("Commands")
        board.add(
            .timeseries(
                "Commands per second", "Commands processed per second, top 10 commands.", unit: "ops", min: 0,
                [Q("topk(10, sum by (cmd) (rate(redis_commands_total{\(sel)}\(rate))))", legend: "{{cmd}}")]))
        board.add(
            .timeseries(
                "Command latency", "Average time Redis spends per call, top 10 commands.", unit: "s", min: 0,
                [
                    Q(
                        "topk(10, sum by (cmd) (rate(redis_commands_duration_seconds_total{\(sel)}\(rate))) / sum by (cmd) (rate(redis_commands_total{\(sel)}\(rate))))",
                        legend: "{{cmd}}")
                ]))
        board.row("Memory and keys")
        board.add(
            .timeseries(
                "Memory", "Memory used against maxmemory, or the host's memory where maxmemory is 0.", unit: "bytes",
                min: 0,
                [
                    Q("redis_memory_used_bytes{\(sel)}", legend: "{{service}} used"),
                    Q(
                        "redis_memory_max_bytes{\(sel)} > 0 or redis_total_system_memory_bytes{\(sel)}",
                        legend: "{{service}} limit"),
                ]))
        board.add(
            .timeseries(
                "Fragmentation", "RSS over allocated memory: above 1.5 memory is wasted to fragmentation.",
                unit: "none", min: 0,
                [Q("redis_mem_fragmentation_ratio{\(sel)}", legend: "{{service}}")]))
        board.add(
            .timeseries(
                "Keys per database", "Keys in each database.", unit: "none", min: 0,
                [Q("sum by (db) (redis_db_keys{\(sel)})", legend: "{{db}}")]))
        board.add(
            .timeseries(
                "Evicted and expired keys", "Keys evicted for memory and expired, per second.", unit: "short", min: 0,
                [
                    Q("rate(redis_evicted_keys_total{\(sel)}\(rate))", legend: "{{service}} evicted"),
                    Q("rate(redis_expired_keys_total{\(sel)}\(rate))", legend: "{{service}} expired"),
                ]))
        board.row("Clients")
        board.add(
            .timeseries(
                "Clients", "Connected and blocked clients, and connections rejected per second.", unit: "short", min: 0,
                [
                    Q("redis_connected_clients{\(sel)}", legend: "{{service}} connected"),
                    Q("redis_blocked_clients{\(sel)}", legend: "{{service}} blocked"),
                    Q("rate(redis_rejected_connections_total{\(sel)}\(rate))", legend: "{{service}} rejected/s"),
                ]))
        board.add(
            .timeseries(
                "Network", "Bytes received and sent per second.", unit: "Bps", min: 0,
                [
                    Q("rate(redis_net_input_bytes_total{\(sel)}\(rate))", legend: "{{service}} in"),
                    Q("rate(redis_net_output_bytes_total{\(sel)}\(rate))", legend: "{{service}} out"),
                ]))
        return board.build(stackTag: stack.name)
    }
}
