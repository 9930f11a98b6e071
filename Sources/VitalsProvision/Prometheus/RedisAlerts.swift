import VitalsStack

/// Alerts for Redis on oliver006/redis_exporter's metrics.
enum RedisAlerts {
    /// Redis' default `maxclients`, used where `CONFIG` is disabled and redis_exporter cannot read it.
    static let defaultMaxClients = 10_000

    static func rules(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let sel = ServiceAlerts.selector(service, stack)
        let target = ServiceAlerts.target(service, stack, instance: "redis-exporter:9121")
        let memory = service.threshold("memoryRatio")
        let clients = service.threshold("clientsRatio")
        let on = "on (stack, service, instance)"
        // Divisions `on (stack, service, instance)` keep only those labels.
        let matched = target.filter { $0.key != "job" }
        let expectedMetrics = { (severity: AlertRule.Severity) in
            ServiceAlerts.expected(matched, severity, extra: ["source": "metrics"])
        }
        // Memory: against maxmemory, or the host's memory where maxmemory is 0 (Redis' default).
        func memorySeries(used: Int, max: Int) -> [AlertTest.Series] {
            [
                .init(PromQL.series("redis_memory_used_bytes", target), "\(used)x20"),
                .init(PromQL.series("redis_memory_max_bytes", target), "\(max)x20"),
                .init(PromQL.series("redis_total_system_memory_bytes", target), "1000x20"),
            ]
        }
        return [
            ServiceAlerts.serverDown(
                name: "RedisDown", upMetric: "redis_up", product: "Redis", exporter: "redis_exporter", selector: sel,
                target: target, dashboard: "redis"),
            AlertRule(
                name: "RedisMemoryHigh",
                expr:
                    "redis_memory_used_bytes{\(sel)} / \(on) (redis_memory_max_bytes{\(sel)} > 0 or redis_total_system_memory_bytes{\(sel)}) > \(PromQL.number(memory))",
                duration: "5m", severity: .warning,
                summary: "Redis {{ $labels.service }} is running out of memory.",
                description:
                    "Redis {{ $labels.service }} at {{ $labels.instance }} uses more than \(PromQL.human(memory, percent: true)) of its maxmemory, or of the host's memory where maxmemory is not set.",
                test: AlertTest(
                    // maxmemory 0: judged against the host's 1000 bytes.
                    firing: memorySeries(used: ServiceAlerts.above(memory), max: 0),
                    silent: memorySeries(used: ServiceAlerts.below(memory), max: 0),
                    evalTime: "10m", expected: expectedMetrics(.warning)),
                dashboard: "redis"),
            AlertRule(
                name: "RedisTooManyConnections",
                expr:
                    "redis_connected_clients{\(sel)} / \(on) (redis_config_maxclients{\(sel)} or redis_connected_clients{\(sel)} * 0 + \(defaultMaxClients)) > \(PromQL.number(clients))",
                duration: "5m", severity: .warning,
                summary: "Redis {{ $labels.service }} has too many clients.",
                description:
                    "Redis {{ $labels.service }} at {{ $labels.instance }} has more than \(PromQL.human(clients, percent: true)) of its maxclients connected (10000 is assumed where CONFIG is disabled).",
                test: AlertTest(
                    // No redis_config_maxclients: CONFIG is disabled, Redis' default applies.
                    firing: [
                        .init(
                            PromQL.series("redis_connected_clients", target), "\(ServiceAlerts.above(clients) * 10)x20")
                    ],
                    silent: [
                        .init(
                            PromQL.series("redis_connected_clients", target), "\(ServiceAlerts.below(clients) * 10)x20")
                    ],
                    evalTime: "10m", expected: expectedMetrics(.warning)),
                dashboard: "redis"),
            AlertRule(
                name: "RedisRejectedConnections",
                expr: "increase(redis_rejected_connections_total{\(sel)}[5m]) > 0", duration: "0m", severity: .warning,
                summary: "Redis {{ $labels.service }} rejects connections.",
                description:
                    "Redis {{ $labels.service }} at {{ $labels.instance }} rejected connections in the last 5 minutes: maxclients is reached.",
                test: AlertTest(
                    firing: [.init(PromQL.series("redis_rejected_connections_total", target), "0x10 5x10")],
                    silent: [.init(PromQL.series("redis_rejected_connections_total", target), "5x20")],
                    evalTime: "12m", expected: ServiceAlerts.expected(target, .warning, extra: ["source": "metrics"])),
                dashboard: "redis"),
        ]
    }
}
