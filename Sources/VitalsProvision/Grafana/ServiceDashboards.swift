import VitalsDocuments
import VitalsStack

/// One dashboard per kind of service present: HTTP RED for FastAPI services, LLM usage, Redis
/// and Celery, each with a `service` variable over the stack's services of that kind.
enum ServiceDashboards {
    typealias Q = DashboardPanel.Query
    static let rate = "[$__rate_interval]"

    static func selector(_ stack: Stack) -> String { "stack=\"\(stack.name)\",service=~\"$service\"" }

    /// Request rate, errors and duration per handler, on prometheus-fastapi-instrumentator's names.
    static func http(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "HTTP services", slug: "http-red",
            about: "Requests, errors and latency of the FastAPI services (prometheus-fastapi-instrumentator metrics).")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = selector(stack)
        let requests = "http_requests_total{\(sel)}"
        let buckets = "http_request_duration_seconds_bucket{\(sel)}"
        board.row("Rate")
        board.add(.stat("Requests/s", "All requests per second.", unit: "reqps", width: 6, Q("sum(rate(\(requests)\(rate)))")))
        board.add(
            .stat(
                "Error ratio", "Share of requests answered with a 5xx status.", unit: "percentunit", width: 6,
                thresholds: [(nil, "green"), (0.01, "orange"), (0.05, "red")],
                Q("sum(rate(http_requests_total{\(sel),status=~\"5..\"}\(rate))) / sum(rate(\(requests)\(rate)))")))
        board.add(
            .stat(
                "p95 latency", "95th percentile request duration.", unit: "s", width: 6,
                Q("histogram_quantile(0.95, sum by (le) (rate(\(buckets)\(rate))))")))
        board.add(
            .stat(
                "Replicas up", "Replicas Prometheus can scrape.", unit: "none", width: 6,
                Q("sum(up{\(sel)})")))
        board.add(
            .timeseries(
                "Request rate per handler", "Requests per second, per handler.", unit: "reqps", min: 0,
                [Q("sum by (handler) (rate(\(requests)\(rate)))", legend: "{{handler}}")]))
        board.add(
            .timeseries(
                "Requests per status", "Requests per second, per status class.", unit: "reqps", min: 0, stacked: true,
                [Q("sum by (status) (rate(\(requests)\(rate)))", legend: "{{status}}")]))
        board.row("Errors")
        board.add(
            .timeseries(
                "Error ratio per handler", "Share of each handler's requests answered with a 5xx status.", unit: "percentunit", min: 0,
                [
                    Q(
                        "sum by (handler) (rate(http_requests_total{\(sel),status=~\"5..\"}\(rate))) / sum by (handler) (rate(\(requests)\(rate)))",
                        legend: "{{handler}}")
                ]))
        board.add(
            .timeseries(
                "Errors per handler", "5xx responses per second, per handler.", unit: "reqps", min: 0,
                [Q("sum by (handler) (rate(http_requests_total{\(sel),status=~\"5..\"}\(rate)))", legend: "{{handler}}")]))
        board.row("Duration")
        board.add(
            .timeseries(
                "Latency percentiles", "50th, 95th and 99th percentile request duration over all handlers.", unit: "s", min: 0,
                [0.5, 0.95, 0.99].map { quantile in
                    Q("histogram_quantile(\(quantile), sum by (le) (rate(\(buckets)\(rate))))", legend: "p\(Int(quantile * 100))")
                }))
        board.add(
            .timeseries(
                "p95 latency per handler", "95th percentile request duration, per handler.", unit: "s", min: 0,
                [Q("histogram_quantile(0.95, sum by (handler, le) (rate(\(buckets)\(rate))))", legend: "{{handler}}")]))
        return board.build(stackTag: stack.name)
    }

    /// Tokens, cost, latency and cache hits of the LLM calls the services make.
    static func llm(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(
            stack, title: "LLM usage", slug: "llm-usage", about: "Tokens, cost, latency and cache hit ratio of the LLM calls.")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = selector(stack)
        board.row("Spend")
        board.add(
            .stat("Cost, last hour", "USD spent on LLM calls in the last hour.", unit: "currencyUSD", width: 6, Q("sum(increase(llm_cost_usd_total{\(sel)}[1h]))")))
        board.add(
            .stat("LLM requests/s", "LLM calls per second.", unit: "reqps", width: 6, Q("sum(rate(llm_requests_total{\(sel)}\(rate)))")))
        board.add(
            .stat(
                "Cache hit ratio", "Share of LLM requests served from the cache.", unit: "percentunit", width: 6,
                thresholds: [(nil, "red"), (0.2, "orange"), (0.5, "green")],
                Q("sum(rate(llm_cache_hits_total{\(sel)}\(rate))) / sum(rate(llm_requests_total{\(sel)}\(rate)))")))
        board.add(
            .stat(
                "p95 LLM latency", "95th percentile duration of an LLM call.", unit: "s", width: 6,
                Q("histogram_quantile(0.95, sum by (le) (rate(llm_request_duration_seconds_bucket{\(sel)}\(rate))))")))
        board.add(
            .timeseries(
                "Cost per hour", "Spend rate in USD per hour, per model.", unit: "currencyUSD", min: 0,
                [Q("sum by (model) (rate(llm_cost_usd_total{\(sel)}\(rate))) * 3600", legend: "{{model}}")]))
        board.add(
            .timeseries(
                "Tokens per second", "Tokens used per second, per model.", unit: "short", min: 0, stacked: true,
                [Q("sum by (model) (rate(llm_tokens_used_total{\(sel)}\(rate)))", legend: "{{model}}")]))
        board.row("Calls")
        board.add(
            .timeseries(
                "Requests per model", "LLM calls per second, per model.", unit: "reqps", min: 0,
                [Q("sum by (model) (rate(llm_requests_total{\(sel)}\(rate)))", legend: "{{model}}")]))
        board.add(
            .timeseries(
                "LLM latency", "50th and 95th percentile duration of an LLM call.", unit: "s", min: 0,
                [0.5, 0.95].map { quantile in
                    Q(
                        "histogram_quantile(\(quantile), sum by (le) (rate(llm_request_duration_seconds_bucket{\(sel)}\(rate))))",
                        legend: "p\(Int(quantile * 100))")
                }))
        board.add(
            .timeseries(
                "Cache hit ratio", "Share of LLM requests served from the cache.", unit: "percentunit", min: 0, max: 1,
                [Q("sum by (service) (rate(llm_cache_hits_total{\(sel)}\(rate))) / sum by (service) (rate(llm_requests_total{\(sel)}\(rate)))", legend: "{{service}}")]))
        return board.build(stackTag: stack.name)
    }

    /// Hit ratio, memory, clients and commands, on redis_exporter's names.
    static func redis(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(stack, title: "Redis", slug: "redis", about: "Redis, from redis_exporter.")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = selector(stack)
        board.row("Overview")
        board.add(.stat("Up", "1 when redis_exporter reaches Redis.", unit: "bool", thresholds: [(nil, "red"), (1, "green")], Q("min(redis_up{\(sel)})")))
        board.add(.stat("Uptime", "Time since Redis started.", unit: "s", Q("min(redis_uptime_in_seconds{\(sel)})")))
        board.add(.stat("Clients", "Connected clients.", unit: "none", Q("sum(redis_connected_clients{\(sel)})")))
        board.add(.stat("Memory used", "Memory Redis has allocated.", unit: "bytes", Q("sum(redis_memory_used_bytes{\(sel)})")))
        board.add(.stat("Keys", "Keys in all databases.", unit: "none", Q("sum(redis_db_keys{\(sel)})")))
        board.add(
            .stat(
                "Hit ratio", "Share of key lookups that found the key.", unit: "percentunit",
                Q("sum(rate(redis_keyspace_hits_total{\(sel)}\(rate))) / (sum(rate(redis_keyspace_hits_total{\(sel)}\(rate))) + sum(rate(redis_keyspace_misses_total{\(sel)}\(rate))))")))
        board.row("Load")
        board.add(
            .timeseries(
                "Commands per second", "Commands processed per second, top 10 commands.", unit: "ops", min: 0,
                [Q("topk(10, sum by (cmd) (rate(redis_commands_total{\(sel)}\(rate))))", legend: "{{cmd}}")]))
        board.add(
            .timeseries(
                "Hit ratio", "Share of key lookups that found the key.", unit: "percentunit", min: 0, max: 1,
                [
                    Q(
                        "sum by (service) (rate(redis_keyspace_hits_total{\(sel)}\(rate))) / (sum by (service) (rate(redis_keyspace_hits_total{\(sel)}\(rate))) + sum by (service) (rate(redis_keyspace_misses_total{\(sel)}\(rate))))",
                        legend: "{{service}}")
                ]))
        board.row("Memory and clients")
        board.add(
            .timeseries(
                "Memory", "Memory used against maxmemory (0 when unlimited).", unit: "bytes", min: 0,
                [
                    Q("redis_memory_used_bytes{\(sel)}", legend: "{{service}} used"),
                    Q("redis_memory_max_bytes{\(sel)}", legend: "{{service}} max"),
                ]))
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
                "Evicted and expired keys", "Keys evicted for memory and expired, per second.", unit: "short", min: 0,
                [
                    Q("rate(redis_evicted_keys_total{\(sel)}\(rate))", legend: "{{service}} evicted"),
                    Q("rate(redis_expired_keys_total{\(sel)}\(rate))", legend: "{{service}} expired"),
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

    /// Queues, task rates, failures and workers, on celery-exporter's names.
    static func celery(_ stack: Stack, _ services: [Service]) -> JSONNode {
        var board = Dashboards.builder(stack, title: "Celery", slug: "celery", about: "Celery workers and queues, from celery-exporter.")
        board.customVariable("service", label: "Service", values: services.map(\.name))
        let sel = selector(stack)
        board.row("Overview")
        board.add(.stat("Workers up", "Workers reporting in.", unit: "none", width: 6, thresholds: [(nil, "red"), (1, "green")], Q("sum(celery_worker_up{\(sel)})")))
        board.add(.stat("Tasks waiting", "Tasks in all queues.", unit: "none", width: 6, Q("sum(celery_queue_length{\(sel)})")))
        board.add(.stat("Tasks running", "Tasks being executed now.", unit: "none", width: 6, Q("sum(celery_worker_tasks_active{\(sel)})")))
        board.add(
            .stat(
                "Failure ratio", "Share of finished tasks that failed.", unit: "percentunit", width: 6,
                thresholds: [(nil, "green"), (0.05, "orange"), (0.1, "red")],
                Q("sum(rate(celery_task_failed_total{\(sel)}\(rate))) / (sum(rate(celery_task_succeeded_total{\(sel)}\(rate))) + sum(rate(celery_task_failed_total{\(sel)}\(rate))))")))
        board.row("Queues and tasks")
        board.add(
            .timeseries(
                "Queue length", "Tasks waiting, per queue.", unit: "none", min: 0,
                [Q("sum by (queue_name) (celery_queue_length{\(sel)})", legend: "{{queue_name}}")]))
        board.add(
            .timeseries(
                "Task rates", "Tasks received, succeeded and failed per second.", unit: "short", min: 0,
                [
                    Q("sum(rate(celery_task_received_total{\(sel)}\(rate)))", legend: "received"),
                    Q("sum(rate(celery_task_succeeded_total{\(sel)}\(rate)))", legend: "succeeded"),
                    Q("sum(rate(celery_task_failed_total{\(sel)}\(rate)))", legend: "failed"),
                ]))
        board.add(
            .timeseries(
                "Failures per task", "Failed tasks per second, per task name.", unit: "short", min: 0,
                [Q("sum by (name) (rate(celery_task_failed_total{\(sel)}\(rate)))", legend: "{{name}}")]))
        board.add(
            .timeseries(
                "Workers", "Workers up, and tasks each is running.", unit: "none", min: 0,
                [
                    Q("sum(celery_worker_up{\(sel)})", legend: "workers up"),
                    Q("sum by (hostname) (celery_worker_tasks_active{\(sel)})", legend: "{{hostname}} active"),
                ]))
        return board.build(stackTag: stack.name)
    }
}
