import VitalsStack

/// Alerts for Celery workers, on Flower's `/metrics` (what the chatbot stacks run) or on
/// danihodovic/celery-exporter's. Failures are judged per task, so one task that always fails is
/// not hidden by many that succeed; a monitoring exporter that is down is `TargetDown`, never
/// "no workers".
enum CeleryAlerts {
    static func rules(_ service: Service, _ stack: Stack) -> [AlertRule] {
        let exporter = service.metrics?.exporter ?? .flower
        let sel = ServiceAlerts.selector(service, stack)
        let base = ServiceAlerts.labels(service, stack)
        let backlog = service.threshold("queueLength")
        let failures = service.threshold("taskFailureRatio")
        let job = PrometheusConfig.jobName(stack, service)
        let names = exporter == .flower ? Names.flower : Names.celeryExporter
        let target = ServiceAlerts.target(
            service, stack, instance: exporter == .flower ? "flower:5555" : "celery-exporter:9808")
        let up = "max by (stack, service) (up{\(sel)})"
        // Workers online, 0 when the exporter is up but has never seen one; nothing when it is down.
        let online =
            "(sum by (stack, service) (\(names.workerUp){\(sel)}) or on (stack, service) (\(up) * 0)) == 0 and on (stack, service) (\(up) == 1)"

        var rules: [AlertRule] = [
            AlertRule(
                name: "CeleryTaskFailureRatio",
                expr: names.failureRatio(sel, failures),
                duration: "10m", severity: .warning,
                summary: "Task {{ $labels.\(names.taskLabel) }} of {{ $labels.service }} fails often.",
                description:
                    "More than \(PromQL.human(failures, percent: true)) of the runs of task {{ $labels.\(names.taskLabel) }} of {{ $labels.service }} (stack {{ $labels.stack }}) have failed for 10 minutes.",
                test: names.failureTest(target, failures, base),
                dashboard: "celery"),
            AlertRule(
                name: "CeleryWorkersDown", expr: online, duration: "2m", severity: .critical,
                summary: "{{ $labels.service }} has no Celery worker online.",
                description:
                    "\(exporter == .flower ? "Flower" : "celery-exporter") is up but sees no worker of {{ $labels.service }} (stack {{ $labels.stack }}) online: tasks are not processed.",
                test: AlertTest(
                    firing: [
                        .init(
                            PromQL.series(names.workerUp, target.merging([names.workerLabel: "worker1@host"]) { $1 }),
                            "0x10"),
                        .init(PromQL.series("up", target), "1x10"),
                    ],
                    silent: [
                        .init(
                            PromQL.series(names.workerUp, target.merging([names.workerLabel: "worker1@host"]) { $1 }),
                            "1x10"),
                        .init(PromQL.series("up", target), "1x10"),
                    ],
                    evalTime: "5m",
                    expected: ServiceAlerts.expected(base, .critical, extra: ["source": "metrics", "impact": "outage"])),
                extraLabels: ["impact": "outage"], dashboard: "celery"),
            // Per worker: one that was online in the last hour and is not now, whether it said
            // goodbye (online 0) or vanished (Flower purges a killed worker's series).
            AlertRule(
                name: "CeleryWorkerLost",
                expr:
                    "max by (stack, service, \(names.workerLabel)) (max_over_time(\(names.workerUp){\(sel)}[1h])) == 1 unless on (stack, service, \(names.workerLabel)) (\(names.workerUp){\(sel)} == 1)",
                duration: "5m", severity: .warning,
                summary: "Celery worker {{ $labels.\(names.workerLabel) }} of {{ $labels.service }} is gone.",
                description:
                    "Worker {{ $labels.\(names.workerLabel) }} of {{ $labels.service }} (stack {{ $labels.stack }}) was online in the last hour and has not been for 5 minutes; the others carry its load.",
                test: AlertTest(
                    firing: [
                        .init(
                            PromQL.series(names.workerUp, target.merging([names.workerLabel: "worker1@host"]) { $1 }),
                            "1x40"),
                        .init(
                            PromQL.series(names.workerUp, target.merging([names.workerLabel: "worker2@host"]) { $1 }),
                            "1x10 _x30"),
                    ],
                    silent: [
                        .init(
                            PromQL.series(names.workerUp, target.merging([names.workerLabel: "worker1@host"]) { $1 }),
                            "1x40"),
                        .init(
                            PromQL.series(names.workerUp, target.merging([names.workerLabel: "worker2@host"]) { $1 }),
                            "1x40"),
                    ],
                    evalTime: "30m",
                    expected: ServiceAlerts.expected(
                        base.merging([names.workerLabel: "worker2@host"]) { $1 }, .warning, extra: ["source": "metrics"]
                    )),
                dashboard: "celery"),
        ]
        let queues = queueLength(service, stack, exporter: exporter)
        if let queues {
            let queue = base.merging(["queue": service.celery.queues[0]]) { $1 }
            rules.append(
                AlertRule(
                    name: "CeleryQueueBacklog", expr: "\(queues.expr) > \(PromQL.number(backlog))", duration: "10m",
                    severity: .warning,
                    summary: "Celery queue {{ $labels.queue }} of {{ $labels.service }} is backing up.",
                    description:
                        "More than \(PromQL.human(backlog)) tasks have been waiting in queue {{ $labels.queue }} of {{ $labels.service }} (stack {{ $labels.stack }}) for 10 minutes.",
                    test: AlertTest(
                        firing: queues.series(Int((backlog * 2).rounded(.up))),
                        silent: queues.series(Int((backlog / 2).rounded(.down))),
                        evalTime: "20m", expected: ServiceAlerts.expected(queue, .warning, extra: ["source": "metrics"])
                    ),
                    jobs: queues.jobs, dashboard: "celery"))
            // Flower never learns of a worker killed outright (SIGKILL, the OOM killer): it keeps
            // reporting it online. Tasks waiting while no worker took one for 5 minutes say the same.
            let stalled =
                exporter == .flower
                ? " or on (stack, service) (sum by (stack, service) (rate(flower_events_total{\(sel),type=\"task-received\"}[5m])) == 0)"
                : ""
            rules.append(
                AlertRule(
                    name: "CeleryQueueNoConsumer",
                    expr: "\(queues.expr) > 0 and on (stack, service) ((\(online))\(stalled))",
                    duration: "2m", severity: .critical,
                    summary: "Queue {{ $labels.queue }} of {{ $labels.service }} has tasks and no worker.",
                    description:
                        "Tasks are waiting in queue {{ $labels.queue }} of {{ $labels.service }} (stack {{ $labels.stack }}) and no worker is online to take them, or none has taken one for 5 minutes.",
                    test: AlertTest(
                        firing: queues.series(200) + [
                            .init(
                                PromQL.series(
                                    names.workerUp, target.merging([names.workerLabel: "worker1@host"]) { $1 }), "0x10"),
                            .init(PromQL.series("up", target), "1x10"),
                        ],
                        // Flower still reports the worker online, and it has taken nothing for 5 minutes.
                        alsoFiring: exporter == .flower
                            ? [
                                queues.series(200) + [
                                    .init(
                                        PromQL.series(
                                            names.workerUp, target.merging([names.workerLabel: "worker1@host"]) { $1 }),
                                        "1x10"),
                                    .init(PromQL.series("up", target), "1x10"),
                                ] + received(exporter, target, "50x10")
                            ] : [],
                        silent: queues.series(200) + [
                            .init(
                                PromQL.series(
                                    names.workerUp, target.merging([names.workerLabel: "worker1@host"]) { $1 }), "1x10"),
                            .init(PromQL.series("up", target), "1x10"),
                        ] + received(exporter, target, "0+10x10"),
                        evalTime: "5m", expected: ServiceAlerts.expected(queue, .critical, extra: ["source": "metrics"])
                    ),
                    jobs: Array(Set(queues.jobs + [job])).sorted(), dashboard: "celery"))
        }
        return rules
    }

    /// Queue lengths with `stack`, `service` (the Celery service) and `queue` labels: Flower has
    /// none, so they come from the broker's redis_exporter (`--check-single-keys`).
    static func queueLength(_ service: Service, _ stack: Stack, exporter: MetricsExporter)
        -> (expr: String, jobs: [String], series: (Int) -> [AlertTest.Series])?
    {
        let queues = service.celery.queues
        let queueRegex = queues.map(PromQL.escapeRegex).joined(separator: "|")
        if exporter == .celeryExporter {
            let sel = ServiceAlerts.selector(service, stack)
            let target = ServiceAlerts.target(service, stack, instance: "celery-exporter:9808")
            return (
                "label_replace(sum by (stack, service, queue_name) (celery_queue_length{\(sel),queue_name=~\"\(queueRegex)\"}), \"queue\", \"$1\", \"queue_name\", \"(.+)\")",
                [PrometheusConfig.jobName(stack, service)],
                { count in
                    [
                        .init(
                            PromQL.series("celery_queue_length", target.merging(["queue_name": queues[0]]) { $1 }),
                            "\(count)x30")
                    ]
                }
            )
        }
        guard let broker = broker(of: service, in: stack) else { return nil }
        let brokerSel = PromQL.matchers([("stack", stack.name), ("service", broker.name)])
        let brokerTarget = ServiceAlerts.target(broker, stack, instance: "redis-exporter:9121")
        return (
            "label_replace(sum by (stack, queue) (label_replace(redis_key_size{\(brokerSel),key=~\"\(queueRegex)\"}, \"queue\", \"$1\", \"key\", \"(.+)\")), \"service\", \"\(service.name)\", \"\", \"\")",
            [PrometheusConfig.jobName(stack, broker)],
            { count in
                [
                    .init(
                        PromQL.series("redis_key_size", brokerTarget.merging(["db": "db0", "key": queues[0]]) { $1 }),
                        "\(count)x30")
                ]
            }
        )
    }

    /// The broker: the one the stack file names, else the first redis service the worker depends on.
    static func broker(of service: Service, in stack: Stack) -> Service? {
        if let name = service.celery.broker { return stack.service(named: name) }
        return service.dependsOn.compactMap { stack.service(named: $0) }.first { $0.kind == .redis }
    }

    /// Flower's count of tasks a worker received, for the no-consumer tests: rising while a worker
    /// takes tasks, flat when none does. celery-exporter's tests need none.
    static func received(_ exporter: MetricsExporter, _ target: [String: String], _ values: String) -> [AlertTest
        .Series]
    {
        guard exporter == .flower else { return [] }
        let labels = target.merging(["worker": "worker1@host", "task": "tasks.summarize", "type": "task-received"]) {
            $1
        }
        return [.init(PromQL.series("flower_events_total", labels), values)]
    }

    /// The metric and label names of one exporter.
    struct Names: Sendable {
        var workerUp: String
        var workerLabel: String
        var taskLabel: String
        var failureRatio: @Sendable (String, Double) -> String
        var failureTest: @Sendable ([String: String], Double, [String: String]) -> AlertTest

        static let flower = Names(
            workerUp: "flower_worker_online", workerLabel: "worker", taskLabel: "task",
            failureRatio: { sel, ratio in
                "sum by (stack, service, task) (rate(flower_events_total{\(sel),type=\"task-failed\"}[10m])) / sum by (stack, service, task) (rate(flower_events_total{\(sel),type=~\"task-failed|task-succeeded\"}[10m])) > \(PromQL.number(ratio))"
            },
            failureTest: { target, ratio, base in
                let worker = target.merging(["worker": "worker1@host"]) { $1 }
                func events(_ task: String, _ type: String, _ perMinute: Int) -> AlertTest.Series {
                    .init(
                        PromQL.series("flower_events_total", worker.merging(["task": task, "type": type]) { $1 }),
                        "0+\(perMinute)x40")
                }
                // One task that fails as often as the test needs, beside a busy one that never fails.
                func input(_ failed: Int) -> [AlertTest.Series] {
                    [
                        events("tasks.summarize", "task-failed", failed),
                        events("tasks.summarize", "task-succeeded", 1000 - failed),
                        events("tasks.embed", "task-succeeded", 60000),
                    ]
                }
                return AlertTest(
                    firing: input(ServiceAlerts.above(ratio)), silent: input(ServiceAlerts.below(ratio)),
                    evalTime: "30m",
                    expected: ServiceAlerts.expected(
                        base.merging(["task": "tasks.summarize"]) { $1 }, .warning, extra: ["source": "metrics"]))
            })

        static let celeryExporter = Names(
            workerUp: "celery_worker_up", workerLabel: "hostname", taskLabel: "name",
            failureRatio: { sel, ratio in
                "sum by (stack, service, name) (rate(celery_task_failed_total{\(sel)}[10m])) / (sum by (stack, service, name) (rate(celery_task_succeeded_total{\(sel)}[10m])) + sum by (stack, service, name) (rate(celery_task_failed_total{\(sel)}[10m]))) > \(PromQL.number(ratio))"
            },
            failureTest: { target, ratio, base in
                func input(_ failed: Int) -> [AlertTest.Series] {
                    [
                        .init(
                            PromQL.series(
                                "celery_task_failed_total", target.merging(["name": "tasks.summarize"]) { $1 }),
                            "0+\(failed)x40"),
                        .init(
                            PromQL.series(
                                "celery_task_succeeded_total", target.merging(["name": "tasks.summarize"]) { $1 }),
                            "0+\(1000 - failed)x40"),
                        .init(
                            PromQL.series(
                                "celery_task_succeeded_total", target.merging(["name": "tasks.embed"]) { $1 }),
                            "0+60000x40"),
                    ]
                }
                return AlertTest(
                    firing: input(ServiceAlerts.above(ratio)), silent: input(ServiceAlerts.below(ratio)),
                    evalTime: "30m",
                    expected: ServiceAlerts.expected(
                        base.merging(["name": "tasks.summarize"]) { $1 }, .warning, extra: ["source": "metrics"]))
            })
    }
}
