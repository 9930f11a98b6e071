import VitalsDocuments
import VitalsStack

/// Workers, task outcomes per task, runtimes, queue wait and retries, on Flower's `/metrics`, and
/// queue lengths from the broker's redis_exporter.
enum CeleryDashboard {
    typealias Q = DashboardPanel.Query

    static func build(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "Celery", slug: "celery",
            about: "Celery workers, tasks and queues, from Flower and the broker's redis_exporter.")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = ServiceDashboards.selector(stack)
        let rate = ServiceDashboards.rate
        let events = { (type: String) in "flower_events_total{\(sel),type=\"\(type)\"}" }
        let brokers = services.compactMap { CeleryAlerts.broker(of: $0, in: stack)?.name }
        let queues = Set(services.flatMap(\.celery.queues)).sorted().map(PromQL.escapeRegex).joined(separator: "|")
        let brokerSel =
            "stack=\"\(stack.name)\",service=~\"\(brokers.map(PromQL.escapeRegex).joined(separator: "|"))\",key=~\"\(queues)\""

        board.row("Overview")
        board.add(
            .stat(
                "Workers online", "Workers Flower sees online.", unit: "none", width: 6,
                thresholds: [(nil, "red"), (1, "green")], Q("sum(flower_worker_online{\(sel)})")))
        board.add(
            .stat(
                "Tasks waiting", "Tasks in the broker's queues.", unit: "none", width: 6,
                Q("sum(redis_key_size{\(brokerSel)})")))
        board.add(
            .stat(
                "Tasks running", "Tasks being executed now.", unit: "none", width: 6,
                Q("sum(flower_worker_number_of_currently_executing_tasks{\(sel)})")))
        board.add(
            .stat(
                "Failure ratio", "Share of finished tasks that failed, all tasks together.", unit: "percentunit",
                width: 6,
                thresholds: [(nil, "green"), (0.05, "orange"), (0.1, "red")],
                Q(
                    "sum(rate(\(events("task-failed"))\(rate))) / (sum(rate(\(events("task-succeeded"))\(rate))) + sum(rate(\(events("task-failed"))\(rate))))"
                )))
        board.row("Tasks")
        board.add(
            .timeseries(
                "Failure ratio per task", "Share of each task's runs that failed: the alert judges tasks one by one.",
                unit: "percentunit", min: 0,
                [
                    Q(
                        "sum by (task) (rate(\(events("task-failed"))\(rate))) / sum by (task) (rate(flower_events_total{\(sel),type=~\"task-failed|task-succeeded\"}\(rate)))",
                        legend: "{{task}}")
                ]))
        board.add(
            .timeseries(
                "Outcomes", "Tasks succeeded, failed and retried per second.", unit: "short", min: 0,
                ["task-succeeded", "task-failed", "task-retried"].map {
                    Q("sum(rate(\(events($0))\(rate)))", legend: $0)
                }))
        board.add(
            .timeseries(
                "Runtime percentiles", "50th, 95th and 99th percentile task runtime.", unit: "s", min: 0,
                [0.5, 0.95, 0.99].map { quantile in
                    Q(
                        "histogram_quantile(\(quantile), sum by (le) (rate(flower_task_runtime_seconds_bucket{\(sel)}\(rate))))",
                        legend: "p\(Int(quantile * 100))")
                }))
        board.add(
            .timeseries(
                "Queue wait", "Time tasks waited between being received and started, per task.", unit: "s", min: 0,
                [Q("max by (task) (flower_task_prefetch_time_seconds{\(sel)})", legend: "{{task}}")]))
        board.add(
            .timeseries(
                "Retries per task", "Retries per second, per task.", unit: "short", min: 0,
                [Q("sum by (task) (rate(\(events("task-retried"))\(rate)))", legend: "{{task}}")]))
        board.row("Queues and workers")
        board.add(
            .timeseries(
                "Queue length", "Tasks waiting, per queue.", unit: "none", min: 0,
                [Q("sum by (key) (redis_key_size{\(brokerSel)})", legend: "{{key}}")]))
        board.add(
            .timeseries(
                "Workers", "Workers online, and tasks each is running.", unit: "none", min: 0,
                [
                    Q("sum(flower_worker_online{\(sel)})", legend: "online"),
                    Q(
                        "sum by (worker) (flower_worker_number_of_currently_executing_tasks{\(sel)})",
                        legend: "{{worker}} running"),
                ]))
        return board.build(stackTag: stack.name)
    }
}
