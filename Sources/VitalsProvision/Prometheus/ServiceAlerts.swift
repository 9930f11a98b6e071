import VitalsStack

/// Per-service alerts for the kinds that have them, on the metric names their usual exporters
/// use, with the thresholds of the stack file (or their defaults).
enum ServiceAlerts {
    /// The rule group of one service, or nil when its kind has no alerts.
    static func group(_ service: Service, in stack: Stack) -> RuleGroup? {
        let rules: [AlertRule]
        switch service.kind {
        case .fastapi: rules = fastAPI(service, stack) + (service.llm ? llm(service, stack) : [])
        case .redis: rules = redis(service, stack)
        case .celery: rules = celery(service, stack)
        default: return nil
        }
        return RuleGroup(name: service.name, rules: rules)
    }

    /// Per-minute counts for a ratio test: one clearly above the threshold, one clearly below.
    static func above(_ threshold: Double) -> Int { min(1000, Int(((threshold + 1) / 2 * 1000).rounded(.up))) }
    static func below(_ threshold: Double) -> Int { Int((threshold / 2 * 1000).rounded(.down)) }

    static func labels(_ service: Service, _ stack: Stack) -> [String: String] {
        ["stack": stack.name, "service": service.name]
    }

    static func selector(_ service: Service, _ stack: Stack) -> String {
        PromQL.matchers([("stack", stack.name), ("service", service.name)])
    }

    static func expected(_ labels: [String: String], _ severity: AlertRule.Severity) -> [[String: String]] {
        [labels.merging(["severity": severity.rawValue]) { $1 }]
    }

    // MARK: FastAPI (prometheus-fastapi-instrumentator)

    static func fastAPI(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let sel = selector(service, stack)
        let base = labels(service, stack)
        let ratio = service.threshold("errorRatio")
        let latency = service.threshold("latencyP95Seconds")
        let target = base.merging(["job": service.name, "instance": "backend-1:8000", "handler": "/chat", "method": "POST"]) { $1 }
        func requests(_ errors: Int) -> [AlertTest.Series] {
            [
                .init(PromQL.series("http_requests_total", target.merging(["status": "2xx"]) { $1 }), "0+\(1000 - errors)x30"),
                .init(PromQL.series("http_requests_total", target.merging(["status": "5xx"]) { $1 }), "0+\(errors)x30"),
            ]
        }
        func buckets(fast: Int) -> [AlertTest.Series] {
            [
                (latency / 2, fast), (latency * 4, 100), (Double.infinity, 100),
            ].map { bound, perMinute in
                let le = bound.isInfinite ? "+Inf" : PromQL.number(bound)
                return .init(PromQL.series("http_request_duration_seconds_bucket", target.merging(["le": le]) { $1 }), "0+\(perMinute)x40")
            }
        }
        return [
            AlertRule(
                name: "FastAPIHighErrorRatio",
                expr: "sum by (stack, service) (rate(http_requests_total{\(sel),status=~\"5..\"}[5m])) / sum by (stack, service) (rate(http_requests_total{\(sel)}[5m])) > \(PromQL.number(ratio))",
                duration: "5m", severity: .critical,
                summary: "{{ $labels.service }} answers too many requests with 5xx.",
                description: "More than \(PromQL.human(ratio, percent: true)) of the requests to {{ $labels.service }} (stack {{ $labels.stack }}) have failed with a 5xx status for 5 minutes.",
                test: AlertTest(firing: requests(above(ratio)), silent: requests(below(ratio)), evalTime: "15m", expected: expected(base, .critical))),
            AlertRule(
                name: "FastAPIHighLatency",
                expr: "histogram_quantile(0.95, sum by (stack, service, le) (rate(http_request_duration_seconds_bucket{\(sel)}[5m]))) > \(PromQL.number(latency))",
                duration: "10m", severity: .warning,
                summary: "{{ $labels.service }} is slow.",
                description: "The 95th percentile latency of {{ $labels.service }} (stack {{ $labels.stack }}) has been above \(PromQL.human(latency))s for 10 minutes.",
                test: AlertTest(firing: buckets(fast: 0), silent: buckets(fast: 100), evalTime: "20m", expected: expected(base, .warning))),
        ]
    }

    // MARK: LLM usage (llm_* metrics of the chatbot backends)

    static func llm(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let sel = selector(service, stack)
        let base = labels(service, stack)
        let cost = service.threshold("llmCostPerHourUSD")
        let hitRatio = service.threshold("llmCacheHitRatio")
        let target = base.merging(["job": service.name, "instance": "backend-1:8000", "model": "gpt-4o"]) { $1 }
        // Spend per minute: twice the hourly threshold over an hour, or half of it.
        let spend = { (hourly: Double) in AlertTest.Series(PromQL.series("llm_cost_usd_total", target), "0+\(PromQL.number(hourly / 60))x90") }
        func cache(hits: Int) -> [AlertTest.Series] {
            [
                .init(PromQL.series("llm_requests_total", target), "0+1000x60"),
                .init(PromQL.series("llm_cache_hits_total", target), "0+\(hits)x60"),
            ]
        }
        return [
            AlertRule(
                name: "LLMCostPerHourHigh",
                expr: "sum by (stack, service) (increase(llm_cost_usd_total{\(sel)}[1h])) > \(PromQL.number(cost))",
                duration: "5m", severity: .warning,
                summary: "LLM spend of {{ $labels.service }} is high.",
                description: "{{ $labels.service }} (stack {{ $labels.stack }}) has spent more than \(PromQL.human(cost)) USD on LLM calls in the last hour.",
                test: AlertTest(firing: [spend(cost * 2)], silent: [spend(cost / 2)], evalTime: "80m", expected: expected(base, .warning))),
            AlertRule(
                name: "LLMCacheHitRatioLow",
                expr: "sum by (stack, service) (rate(llm_cache_hits_total{\(sel)}[15m])) / sum by (stack, service) (rate(llm_requests_total{\(sel)}[15m])) < \(PromQL.number(hitRatio))",
                duration: "30m", severity: .warning,
                summary: "The LLM cache of {{ $labels.service }} is rarely hit.",
                description: "Fewer than \(PromQL.human(hitRatio, percent: true)) of the LLM requests of {{ $labels.service }} (stack {{ $labels.stack }}) have been served from the cache for 30 minutes.",
                test: AlertTest(firing: cache(hits: below(hitRatio)), silent: cache(hits: above(hitRatio)), evalTime: "55m", expected: expected(base, .warning))),
        ]
    }

    // MARK: Redis (oliver006/redis_exporter)

    static func redis(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let sel = selector(service, stack)
        let target = labels(service, stack).merging(["job": service.name, "instance": "redis-exporter:9121"]) { $1 }
        let memory = service.threshold("memoryRatio")
        let clients = service.threshold("clientsRatio")
        func pair(_ used: String, _ limit: String, _ count: Int) -> [AlertTest.Series] {
            [.init(PromQL.series(used, target), "\(count)x20"), .init(PromQL.series(limit, target), "1000x20")]
        }
        return [
            AlertRule(
                name: "RedisDown", expr: "redis_up{\(sel)} == 0", duration: "1m", severity: .critical,
                summary: "Redis {{ $labels.service }} is down.",
                description: "redis_exporter at {{ $labels.instance }} cannot reach Redis {{ $labels.service }} (stack {{ $labels.stack }}).",
                test: AlertTest(
                    firing: [.init(PromQL.series("redis_up", target), "0x10")], silent: [.init(PromQL.series("redis_up", target), "1x10")],
                    evalTime: "5m", expected: expected(target, .critical))),
            AlertRule(
                name: "RedisMemoryHigh",
                expr: "redis_memory_used_bytes{\(sel)} / redis_memory_max_bytes{\(sel)} > \(PromQL.number(memory)) and redis_memory_max_bytes{\(sel)} > 0",
                duration: "5m", severity: .warning,
                summary: "Redis {{ $labels.service }} is running out of memory.",
                description: "Redis {{ $labels.service }} at {{ $labels.instance }} uses more than \(PromQL.human(memory, percent: true)) of its maxmemory.",
                test: AlertTest(
                    firing: pair("redis_memory_used_bytes", "redis_memory_max_bytes", above(memory)),
                    silent: pair("redis_memory_used_bytes", "redis_memory_max_bytes", below(memory)),
                    evalTime: "10m", expected: expected(target, .warning))),
            AlertRule(
                name: "RedisTooManyConnections",
                expr: "redis_connected_clients{\(sel)} / redis_config_maxclients{\(sel)} > \(PromQL.number(clients))",
                duration: "5m", severity: .warning,
                summary: "Redis {{ $labels.service }} has too many clients.",
                description: "Redis {{ $labels.service }} at {{ $labels.instance }} has more than \(PromQL.human(clients, percent: true)) of its maxclients connected.",
                test: AlertTest(
                    firing: pair("redis_connected_clients", "redis_config_maxclients", above(clients)),
                    silent: pair("redis_connected_clients", "redis_config_maxclients", below(clients)),
                    evalTime: "10m", expected: expected(target, .warning))),
            AlertRule(
                name: "RedisRejectedConnections",
                expr: "increase(redis_rejected_connections_total{\(sel)}[5m]) > 0", duration: "0m", severity: .warning,
                summary: "Redis {{ $labels.service }} rejects connections.",
                description: "Redis {{ $labels.service }} at {{ $labels.instance }} rejected connections in the last 5 minutes: maxclients is reached.",
                test: AlertTest(
                    firing: [.init(PromQL.series("redis_rejected_connections_total", target), "0x10 5x10")],
                    silent: [.init(PromQL.series("redis_rejected_connections_total", target), "5x20")],
                    evalTime: "12m", expected: expected(target, .warning))),
        ]
    }

    // MARK: Celery (danihodovic/celery-exporter)

    static func celery(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let sel = selector(service, stack)
        let base = labels(service, stack)
        let target = base.merging(["job": service.name, "instance": "celery-exporter:9808"]) { $1 }
        let backlog = service.threshold("queueLength")
        let failures = service.threshold("taskFailureRatio")
        let queue = base.merging(["queue_name": "celery"]) { $1 }
        func tasks(failed: Int) -> [AlertTest.Series] {
            let task = target.merging(["name": "app.tasks.summarize"]) { $1 }
            return [
                .init(PromQL.series("celery_task_succeeded_total", task), "0+\(1000 - failed)x40"),
                .init(PromQL.series("celery_task_failed_total", task), "0+\(failed)x40"),
            ]
        }
        let worker = target.merging(["hostname": "worker-1"]) { $1 }
        return [
            AlertRule(
                name: "CeleryNoActiveWorkers",
                expr: "(sum by (stack, service) (celery_worker_up{\(sel)}) == 0) or absent(celery_worker_up{\(sel)})",
                duration: "5m", severity: .critical,
                summary: "{{ $labels.service }} has no Celery workers.",
                description: "No Celery worker of {{ $labels.service }} (stack {{ $labels.stack }}) has been up for 5 minutes; tasks are not processed.",
                test: AlertTest(
                    firing: [.init(PromQL.series("celery_worker_up", worker), "0x20")],
                    silent: [.init(PromQL.series("celery_worker_up", worker), "1x20")],
                    evalTime: "10m", expected: expected(base, .critical))),
            AlertRule(
                name: "CeleryQueueBacklog",
                expr: "sum by (stack, service, queue_name) (celery_queue_length{\(sel)}) > \(PromQL.number(backlog))",
                duration: "10m", severity: .warning,
                summary: "Celery queue {{ $labels.queue_name }} is backing up.",
                description: "More than \(PromQL.human(backlog)) tasks have been waiting in queue {{ $labels.queue_name }} of {{ $labels.service }} (stack {{ $labels.stack }}) for 10 minutes.",
                test: AlertTest(
                    firing: [.init(PromQL.series("celery_queue_length", target.merging(["queue_name": "celery"]) { $1 }), "\(PromQL.number((backlog * 2).rounded(.up)))x30")],
                    silent: [.init(PromQL.series("celery_queue_length", target.merging(["queue_name": "celery"]) { $1 }), "\(PromQL.number((backlog / 2).rounded(.down)))x30")],
                    evalTime: "20m", expected: expected(queue, .warning))),
            AlertRule(
                name: "CeleryTaskFailureRatio",
                expr: "sum by (stack, service) (rate(celery_task_failed_total{\(sel)}[10m])) / (sum by (stack, service) (rate(celery_task_succeeded_total{\(sel)}[10m])) + sum by (stack, service) (rate(celery_task_failed_total{\(sel)}[10m]))) > \(PromQL.number(failures))",
                duration: "10m", severity: .warning,
                summary: "Many Celery tasks of {{ $labels.service }} fail.",
                description: "More than \(PromQL.human(failures, percent: true)) of the tasks of {{ $labels.service }} (stack {{ $labels.stack }}) have failed for 10 minutes.",
                test: AlertTest(firing: tasks(failed: above(failures)), silent: tasks(failed: below(failures)), evalTime: "30m", expected: expected(base, .warning))),
        ]
    }
}
