import VitalsStack

/// Alerts for PostgreSQL on prometheus-community/postgres_exporter's metrics (as Debian's
/// prometheus-postgres-exporter 0.11 names them).
enum PostgresAlerts {
    static func rules(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let sel = ServiceAlerts.selector(service, stack)
        let target = ServiceAlerts.target(service, stack, instance: "postgres-exporter:9187")
        let server = target.merging(["server": "postgres:5432"]) { $1 }
        let database = server.merging(["datname": "chat"]) { $1 }
        // pg_stat_database_* carry the database's oid as well; pg_stat_activity_* do not.
        let databaseStats = database.merging(["datid": "16384"]) { $1 }
        let connections = service.threshold("connectionsRatio")
        let longTransaction = service.threshold("longTransactionSeconds")
        let rollbacks = service.threshold("rollbackRatio")
        let by = "stack, service, instance"
        let instance = ServiceAlerts.labels(service, stack).merging(["instance": "postgres-exporter:9187"]) { $1 }
        let metrics = ["source": "metrics"]
        func activity(_ count: Int) -> [AlertTest.Series] {
            [
                .init(
                    PromQL.series("pg_stat_activity_count", database.merging(["state": "active"]) { $1 }), "\(count)x20"
                ),
                .init(PromQL.series("pg_stat_activity_count", database.merging(["state": "idle"]) { $1 }), "0x20"),
                .init(PromQL.series("pg_settings_max_connections", server), "1000x20"),
            ]
        }
        func transactions(rolledBack: Int) -> [AlertTest.Series] {
            [
                .init(PromQL.series("pg_stat_database_xact_commit", databaseStats), "0+\(1000 - rolledBack)x40"),
                .init(PromQL.series("pg_stat_database_xact_rollback", databaseStats), "0+\(rolledBack)x40"),
            ]
        }
        return [
            ServiceAlerts.serverDown(
                name: "PostgresDown", upMetric: "pg_up", product: "PostgreSQL", exporter: "postgres_exporter",
                selector: sel,
                target: target, dashboard: "postgres"),
            AlertRule(
                name: "PostgresTooManyConnections",
                expr:
                    "sum by (\(by)) (pg_stat_activity_count{\(sel)}) / on (\(by)) max by (\(by)) (pg_settings_max_connections{\(sel)}) > \(PromQL.number(connections))",
                duration: "5m", severity: .warning,
                summary: "PostgreSQL {{ $labels.service }} is close to max_connections.",
                description:
                    "PostgreSQL {{ $labels.service }} at {{ $labels.instance }} has more than \(PromQL.human(connections, percent: true)) of its max_connections in use; new connections will soon be refused.",
                test: AlertTest(
                    firing: activity(ServiceAlerts.above(connections)),
                    silent: activity(ServiceAlerts.below(connections)), evalTime: "10m",
                    expected: ServiceAlerts.expected(instance, .warning, extra: metrics)),
                dashboard: "postgres"),
            AlertRule(
                name: "PostgresDeadlocks",
                expr: "increase(pg_stat_database_deadlocks{\(sel)}[5m]) > 0", duration: "0m", severity: .warning,
                summary: "Deadlocks in database {{ $labels.datname }} of {{ $labels.service }}.",
                description:
                    "PostgreSQL {{ $labels.service }} detected deadlocks in database {{ $labels.datname }} in the last 5 minutes; transactions were aborted.",
                test: AlertTest(
                    firing: [.init(PromQL.series("pg_stat_database_deadlocks", databaseStats), "0x10 2x10")],
                    silent: [.init(PromQL.series("pg_stat_database_deadlocks", databaseStats), "2x20")],
                    evalTime: "12m", expected: ServiceAlerts.expected(databaseStats, .warning, extra: metrics)),
                dashboard: "postgres"),
            AlertRule(
                name: "PostgresLongTransaction",
                expr:
                    "max by (\(by), datname) (pg_stat_activity_max_tx_duration{\(sel),state!~\"idle|disabled\"}) > \(PromQL.number(longTransaction))",
                duration: "2m", severity: .warning,
                summary: "A long transaction is open in {{ $labels.datname }} of {{ $labels.service }}.",
                description:
                    "A transaction in database {{ $labels.datname }} of {{ $labels.service }} has been open for more than \(PromQL.human(longTransaction))s: it holds locks and keeps vacuum from cleaning up.",
                test: AlertTest(
                    firing: [
                        .init(
                            PromQL.series(
                                "pg_stat_activity_max_tx_duration",
                                database.merging(["state": "idle in transaction"]) { $1 }),
                            "\(Int(longTransaction * 2))x10")
                    ],
                    silent: [
                        .init(
                            PromQL.series(
                                "pg_stat_activity_max_tx_duration", database.merging(["state": "active"]) { $1 }),
                            "1x10")
                    ],
                    evalTime: "5m",
                    expected: ServiceAlerts.expected(
                        instance.merging(["datname": "chat"]) { $1 }, .warning, extra: metrics)),
                dashboard: "postgres"),
            AlertRule(
                name: "PostgresHighRollbackRatio",
                expr:
                    "sum by (\(by), datname) (rate(pg_stat_database_xact_rollback{\(sel)}[10m])) / (sum by (\(by), datname) (rate(pg_stat_database_xact_commit{\(sel)}[10m])) + sum by (\(by), datname) (rate(pg_stat_database_xact_rollback{\(sel)}[10m]))) > \(PromQL.number(rollbacks))",
                duration: "10m", severity: .warning,
                summary: "Many transactions roll back in {{ $labels.datname }} of {{ $labels.service }}.",
                description:
                    "More than \(PromQL.human(rollbacks, percent: true)) of the transactions in database {{ $labels.datname }} of {{ $labels.service }} have rolled back for 10 minutes: the application is failing somewhere.",
                test: AlertTest(
                    firing: transactions(rolledBack: ServiceAlerts.above(rollbacks)),
                    silent: transactions(rolledBack: ServiceAlerts.below(rollbacks)),
                    evalTime: "30m",
                    expected: ServiceAlerts.expected(
                        instance.merging(["datname": "chat"]) { $1 }, .warning, extra: metrics)),
                dashboard: "postgres"),
            AlertRule(
                name: "PostgresExporterErrors",
                expr: "pg_exporter_last_scrape_error{\(sel)} == 1", duration: "5m", severity: .warning,
                summary: "postgres_exporter of {{ $labels.service }} fails to collect.",
                description:
                    "postgres_exporter at {{ $labels.instance }} has failed its queries for 5 minutes; the PostgreSQL alerts of {{ $labels.service }} are blind.",
                test: AlertTest(
                    firing: [.init(PromQL.series("pg_exporter_last_scrape_error", target), "1x20")],
                    silent: [.init(PromQL.series("pg_exporter_last_scrape_error", target), "0x20")],
                    evalTime: "10m", expected: ServiceAlerts.expected(target, .warning, extra: metrics)),
                dashboard: "postgres"),
        ]
    }
}
