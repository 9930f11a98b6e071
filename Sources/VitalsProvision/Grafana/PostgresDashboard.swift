import VitalsDocuments
import VitalsStack

/// Connections, transactions, rollbacks, deadlocks, long transactions, cache hits and sizes, on
/// postgres_exporter's names.
enum PostgresDashboard {
    typealias Q = DashboardPanel.Query

    static func build(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "PostgreSQL", slug: "postgres", about: "PostgreSQL, from postgres_exporter.")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = ServiceDashboards.selector(stack)
        let rate = ServiceDashboards.rate
        board.row("Overview")
        board.add(
            .stat(
                "Up", "1 when postgres_exporter can connect.", unit: "bool", thresholds: [(nil, "red"), (1, "green")],
                Q("min(pg_up{\(sel)})")))
        board.add(
            .stat(
                "Connections used", "Connections against max_connections.", unit: "percentunit",
                thresholds: [(nil, "green"), (0.7, "orange"), (0.8, "red")],
                Q("sum(pg_stat_activity_count{\(sel)}) / max(pg_settings_max_connections{\(sel)})")))
        board.add(
            .stat(
                "Transactions/s", "Commits and rollbacks per second.", unit: "ops",
                Q(
                    "sum(rate(pg_stat_database_xact_commit{\(sel)}\(rate))) + sum(rate(pg_stat_database_xact_rollback{\(sel)}\(rate)))"
                )))
        board.add(
            .stat(
                "Cache hit ratio", "Share of block reads served from shared buffers.", unit: "percentunit",
                Q(
                    "sum(rate(pg_stat_database_blks_hit{\(sel)}\(rate))) / (sum(rate(pg_stat_database_blks_hit{\(sel)}\(rate))) + sum(rate(pg_stat_database_blks_read{\(sel)}\(rate))))"
                )))
        board.add(
            .stat(
                "Oldest transaction", "Age of the oldest open transaction.", unit: "s",
                Q("max(pg_stat_activity_max_tx_duration{\(sel)})")))
        board.add(
            .stat("Database size", "Size of all databases.", unit: "bytes", Q("sum(pg_database_size_bytes{\(sel)})")))
        board.row("Connections and transactions")
        board.add(
            .timeseries(
                "Connections by state", "Sessions per state (active, idle, idle in transaction).", unit: "none", min: 0,
                stacked: true,
                [Q("sum by (state) (pg_stat_activity_count{\(sel)})", legend: "{{state}}")]))
        board.add(
            .timeseries(
                "Transactions", "Commits and rollbacks per second, per database.", unit: "ops", min: 0,
                [
                    Q(
                        "sum by (datname) (rate(pg_stat_database_xact_commit{\(sel)}\(rate)))",
                        legend: "{{datname}} commit"),
                    Q(
                        "sum by (datname) (rate(pg_stat_database_xact_rollback{\(sel)}\(rate)))",
                        legend: "{{datname}} rollback"),
                ]))
        board.add(
            .timeseries(
                "Deadlocks and conflicts", "Deadlocks and replication conflicts per second, per database.",
                unit: "short", min: 0,
                [
                    Q(
                        "sum by (datname) (rate(pg_stat_database_deadlocks{\(sel)}\(rate)))",
                        legend: "{{datname}} deadlocks"),
                    Q(
                        "sum by (datname) (rate(pg_stat_database_conflicts{\(sel)}\(rate)))",
                        legend: "{{datname}} conflicts"),
                ]))
        board.add(
            .timeseries(
                "Longest transaction", "Age of the oldest open transaction, per database and state.", unit: "s", min: 0,
                [
                    Q(
                        "max by (datname, state) (pg_stat_activity_max_tx_duration{\(sel)})",
                        legend: "{{datname}} {{state}}")
                ]))
        board.row("Storage")
        board.add(
            .timeseries(
                "Rows", "Rows fetched, inserted, updated and deleted per second.", unit: "short", min: 0,
                ["fetched", "inserted", "updated", "deleted"].map {
                    Q("sum(rate(pg_stat_database_tup_\($0){\(sel)}\(rate)))", legend: $0)
                }))
        board.add(
            .timeseries(
                "Temporary files", "Bytes written to temporary files per second: queries spilling to disk.",
                unit: "Bps", min: 0,
                [Q("sum by (datname) (rate(pg_stat_database_temp_bytes{\(sel)}\(rate)))", legend: "{{datname}}")]))
        return board.build(stackTag: stack.name)
    }
}
