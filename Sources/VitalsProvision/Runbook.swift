import VitalsStack

/// `RUNBOOK.md`: an entry per alert the stack can raise — what it means for these services, what
/// to check first, and the usual causes. Every alert's `runbook_url` annotation points at its entry.
enum Runbook {
    struct Entry: Sendable {
        var meaning: String
        var checkFirst: [String]
        var causes: [String]
    }

    /// The anchor GitHub and most renderers give the heading `## name`.
    static func anchor(_ name: String) -> String { name.lowercased() }

    static func document(_ stack: Stack, groups: [RuleGroup]) -> String {
        var text = """
            # Runbook: stack \(stack.name)

            \(Provisioner.marker) from the stack file of \(stack.name); edits are overwritten.
            Every alert links here. Alerts are grouped by stack and service; while a service is down
            (an alert labelled `impact: outage`), the alerts of what depends on it are held back, so the
            first alert of a group is usually the cause.

            """
        // Looked up once for the whole document: per alert, the groups and services are walked
        // without copying the rules, so a stack of a thousand services stays linear-ish.
        let graph = stack.dependencyGraph
        let services = Dictionary(stack.services.map { ($0.name, $0) }) { first, _ in first }
        var seen: Set<String> = []
        for group in groups {
            for rule in group.rules where seen.insert(rule.name).inserted {
                let entry = entries[rule.name] ?? Entry(meaning: rule.summary, checkFirst: [], causes: [])
                let services = servicesRaising(
                    rule.name, groups: groups, stack: stack, graph: graph, services: services)
                text += "\n## \(rule.name)\n\n"
                text += "Severity: \(severities(rule.name, groups)). \(entry.meaning)\n"
                if !services.isEmpty {
                    text += "\nIn this stack: " + services.joined(separator: "; ") + ".\n"
                }
                if !entry.checkFirst.isEmpty {
                    text += "\nCheck first:\n\n" + entry.checkFirst.map { "- \($0)\n" }.joined()
                }
                if !entry.causes.isEmpty {
                    text += "\nUsual causes:\n\n" + entry.causes.map { "- \($0)\n" }.joined()
                }
            }
        }
        return text
    }

    static func severities(_ name: String, _ groups: [RuleGroup]) -> String {
        var levels: Set<String> = []
        for group in groups {
            for rule in group.rules where rule.name == name { levels.insert(rule.severity.rawValue) }
        }
        return levels.sorted().joined(separator: " and ")
    }

    /// For service alerts: which services raise it, and what waits on each of them.
    static func servicesRaising(
        _ name: String, groups: [RuleGroup], stack: Stack, graph: DependencyGraph, services: [String: Service]
    ) -> [String] {
        let outage = groups.contains { group in
            group.rules.contains { $0.name == name && $0.extraLabels["impact"] == "outage" }
        }
        let prefix = "\(stack.name)/"
        return groups.filter { group in group.name.hasPrefix(prefix) && group.rules.contains { $0.name == name } }
            .compactMap { group -> String? in
                let serviceName = String(group.name.dropFirst(prefix.count))
                guard let service = services[serviceName] else { return nil }
                var line = "`\(service.name)` (\(service.kind.rawValue))"
                if outage {
                    let dependents = graph.dependents(of: service.name)
                    if !dependents.isEmpty {
                        line +=
                            ", on which " + dependents.map { "`\($0)`" }.joined(separator: ", ")
                            + " depend: their alerts are held back while it is down"
                    }
                }
                return line
            }
    }

    static let entries: [String: Entry] = [
        "TargetDown": Entry(
            meaning:
                "Prometheus cannot scrape a target: the service or its exporter is down, or unreachable from Prometheus. The alerts computed from that target's metrics are held back meanwhile, because they cannot be trusted.",
            checkFirst: [
                "The target's page in Prometheus (Status → Targets) and its last error.",
                "Whether the process or container runs (`docker ps`, `systemctl status`).",
                "Whether Prometheus can reach the port (`curl` from the Prometheus host).",
            ],
            causes: [
                "The exporter or service crashed or was not restarted after a deploy.",
                "A firewall, network policy or a changed port.",
                "The target answers too slowly for the scrape timeout.",
            ]),
        "ProbeFailing": Entry(
            meaning:
                "A probe of one replica fails, as `vitals serve` runs it with the kubelet's semantics. Alone it is a warning; readiness alerts say when it matters.",
            checkFirst: [
                "The error on the stack health dashboard or `vitals check STACKFILE`.",
                "The replica's logs around the time the probe started failing.",
            ],
            causes: ["The replica is overloaded or restarting.", "A dependency the health endpoint checks is down."]),
        "ServiceReplicasNotReady": Entry(
            meaning:
                "Some replicas of a service fail readiness; the others still serve, with less capacity. It is a warning, not a page.",
            checkFirst: [
                "Which replicas, and the probe errors: stack health dashboard or `vitals check`.",
                "Recent deploys or restarts of those replicas.",
            ],
            causes: ["A replica stuck after a deploy.", "One host or container running out of resources."]),
        "ServiceNoReadyReplica": Entry(
            meaning:
                "No replica of a service passes readiness: the service is down. What depends on it is held back from paging, so this is the alert to act on.",
            checkFirst: [
                "The probe errors (`vitals check STACKFILE --service NAME`).",
                "Whether the processes or containers run, and their logs.",
                "The service's own dependencies on the stack health dashboard.",
            ],
            causes: [
                "The service crashed or cannot start.", "A dependency it checks in its readiness endpoint is down.",
                "Resources exhausted on its host (memory, disk, descriptors).",
            ]),
        "StackNotReady": Entry(
            meaning:
                "A service of the stack, or one it depends on, is not effectively ready. The service-level alerts hold this one back, so it only pages when nothing more specific explains it.",
            checkFirst: [
                "`/health/ready` of `vitals serve`, which names the blocking service.", "The stack health dashboard.",
            ],
            causes: ["A service blocked by a dependency whose own alerts are silenced or not configured."]),
        "FastAPIHighErrorRatio": Entry(
            meaning:
                "Users get 5xx answers. Probes and Prometheus' scrapes are left out of the ratio, so it is the users' experience.",
            checkFirst: [
                "The HTTP dashboard: which handler, which replicas, since when.",
                "The service's logs and traces for the failing handler.",
                "The dependencies it calls (Redis, PostgreSQL, the LLM provider).",
            ],
            causes: [
                "A bad deploy.", "A dependency failing or timing out.",
                "Rate limits or quota errors from an upstream API.",
            ]),
        "FastAPIHighLatency": Entry(
            meaning:
                "The 95th percentile of request duration is above the threshold, from the fine-bucket histogram that sees up to 60 s.",
            checkFirst: [
                "The HTTP dashboard's latency panels, per replica and handler.",
                "CPU, memory and in-progress requests of the replicas.",
                "The latency of upstream calls (LLM APIs, the database).",
            ],
            causes: [
                "A slow upstream (LLM provider, database queries).",
                "Saturated workers: too few replicas for the load.",
                "Long garbage-collection or blocking calls in async handlers.",
            ]),
        "LLMCostPerHourHigh": Entry(
            meaning: "LLM spend over the last hour is above the budget set in the stack file.",
            checkFirst: [
                "The LLM dashboard: spend per model and provider, tokens by type.",
                "Request volume: is traffic up, or cost per request?",
            ],
            causes: [
                "A traffic spike or abuse.", "A switch to a more expensive model.",
                "A prompt change that sends more tokens; a cache that stopped hitting.",
            ]),
        "LLMCacheHitRatioLow": Entry(
            meaning: "Few LLM calls are served from the cache, which raises cost and latency.",
            checkFirst: ["The cache's health (Redis memory, evictions).", "Recent changes to prompts or cache keys."],
            causes: [
                "Cache flushed or evicting under memory pressure.",
                "Prompts that vary per request and defeat the cache.",
            ]),
        "RedisDown": Entry(
            meaning:
                "redis_exporter is up but cannot reach Redis. Everything that depends on this Redis is held back from paging.",
            checkFirst: [
                "Whether redis-server runs, and its log.", "`redis-cli -h HOST PING`.",
                "Memory and disk of its host (an OOM kill, a full disk for persistence).",
            ],
            causes: [
                "redis-server crashed or was killed (OOM).", "Authentication changed without updating the exporter.",
                "Network or firewall changes.",
            ]),
        "RedisMemoryHigh": Entry(
            meaning:
                "Redis uses most of its maxmemory, or of the host's memory where maxmemory is 0 (Redis' default, where it grows until the kernel kills it).",
            checkFirst: [
                "The Redis dashboard: memory, keys per database, evictions, fragmentation.",
                "Which keys grow (`redis-cli --bigkeys`).",
            ],
            causes: [
                "Keys without TTLs piling up.", "A Celery result backend never cleaned.",
                "Fragmentation after many deletes.",
            ]),
        "RedisTooManyConnections": Entry(
            meaning: "Connected clients are close to maxclients (10000 is assumed where CONFIG is disabled).",
            checkFirst: ["Which clients (`CLIENT LIST`), per host.", "Connection pool settings of the services."],
            causes: ["A connection leak in a client.", "Too many workers or replicas, each with a large pool."]),
        "RedisRejectedConnections": Entry(
            meaning: "Redis refused connections because maxclients was reached; clients see errors now.",
            checkFirst: ["The same as RedisTooManyConnections, urgently."],
            causes: ["A connection leak or a sudden scale-out."]),
        "CeleryTaskFailureRatio": Entry(
            meaning:
                "One task fails often. It is judged per task, so a task that always fails is not hidden by busy tasks that succeed.",
            checkFirst: [
                "The Celery dashboard: failures and retries per task.",
                "The worker logs for the task's traceback (Flower shows the last failures).",
            ],
            causes: [
                "A bug in the task or its inputs.", "A dependency the task calls failing.",
                "Time limits hit by slow calls.",
            ]),
        "CeleryWorkersDown": Entry(
            meaning:
                "The monitoring (Flower or celery-exporter) is up and sees no worker online: tasks are not processed. If the monitoring itself is down, TargetDown fires instead.",
            checkFirst: [
                "Whether the worker processes or containers run, and their logs.",
                "The broker (Redis): workers stop when they lose it.",
            ],
            causes: [
                "Workers crashed, were OOM-killed or not restarted after a deploy.", "Workers cannot reach the broker.",
            ]),
        "CeleryWorkerLost": Entry(
            meaning:
                "One worker that was online in the last hour is gone; the others carry its load, so tasks may slow down. While no worker at all is online, CeleryWorkersDown pages instead and this alert is held back.",
            checkFirst: [
                "Whether that worker's process or container still runs, and its last log lines.",
                "The host's OOM kills (NodeOOMKillDetected) and memory.",
            ],
            causes: [
                "The worker was OOM-killed or crashed.",
                "A scale-down or deploy removed it (the alert ends an hour later).",
            ]),
        "CeleryQueueBacklog": Entry(
            meaning: "Tasks wait in a queue longer than usual: the workers do not keep up.",
            checkFirst: ["Queue length and task runtimes on the Celery dashboard.", "Worker count and concurrency."],
            causes: ["More tasks than the workers can take.", "Tasks became slower.", "Some workers are down."]),
        "CeleryQueueNoConsumer": Entry(
            meaning: "Tasks are waiting in a queue and no worker is online to take them.",
            checkFirst: ["Start or restart the workers.", "Whether the workers listen on this queue (`-Q`)."],
            causes: ["All workers down.", "A queue added without workers for it."]),
        "PostgresDown": Entry(
            meaning:
                "postgres_exporter is up but cannot connect to PostgreSQL. Everything that depends on it is held back from paging.",
            checkFirst: [
                "Whether PostgreSQL runs (`pg_isready`), and its log.", "Disk space of the data directory and the WAL.",
                "Connection limits and authentication (pg_hba.conf).",
            ],
            causes: [
                "PostgreSQL stopped or crashed.", "A full disk.",
                "max_connections exhausted, so the exporter cannot connect.",
            ]),
        "PostgresTooManyConnections": Entry(
            meaning: "Connections are close to max_connections; new ones will be refused.",
            checkFirst: ["`pg_stat_activity` by application and state.", "Idle-in-transaction sessions."],
            causes: [
                "Connection pools too large for the number of replicas.",
                "A leak or sessions stuck idle in transaction.",
            ]),
        "PostgresDeadlocks": Entry(
            meaning: "PostgreSQL aborted transactions to break deadlocks.",
            checkFirst: ["The server log: it prints the statements involved."],
            causes: ["Two code paths locking the same rows in a different order."]),
        "PostgresLongTransaction": Entry(
            meaning: "A transaction has been open for long: it holds locks and keeps vacuum from cleaning up.",
            checkFirst: ["`SELECT pid, now() - xact_start, state, query FROM pg_stat_activity ORDER BY xact_start;`"],
            causes: ["A session left idle in transaction by a client.", "A long report or migration."]),
        "PostgresHighRollbackRatio": Entry(
            meaning: "Many transactions roll back: the application is failing somewhere.",
            checkFirst: [
                "Application error logs.", "Constraint violations and serialization failures in the server log.",
            ],
            causes: ["A bug causing failed writes.", "Retries under contention."]),
        "PostgresExporterErrors": Entry(
            meaning: "postgres_exporter's queries fail, so the PostgreSQL alerts are blind.",
            checkFirst: ["The exporter's log.", "The exporter's database user and its permissions."],
            causes: ["Permissions changed.", "A PostgreSQL version the exporter's queries do not support."]),
        "NodeFilesystemSpaceFillingUp": Entry(
            meaning: "A filesystem is predicted to run out of space within a day.",
            checkFirst: [
                "What grows: `du -xh --max-depth=2 MOUNTPOINT | sort -h`.",
                "Logs, Docker images and volumes (`docker system df`).",
            ],
            causes: ["Logs without rotation.", "Docker images and build cache.", "Database WAL or backups."]),
        "NodeFilesystemAlmostOutOfSpace": Entry(
            meaning: "A filesystem has almost no space left (warning at 5%, critical at 3%); writes will fail.",
            checkFirst: ["Free space now, on this mount only: the alert is per mount point and device."],
            causes: ["As for NodeFilesystemSpaceFillingUp."]),
        "NodeFilesystemFilesFillingUp": Entry(
            meaning: "A filesystem is predicted to run out of inodes within a day.",
            checkFirst: [
                "Directories with many small files (`find MOUNTPOINT -xdev -type f | cut -d/ -f2-3 | sort | uniq -c | sort -n`)."
            ],
            causes: ["Session or cache files never cleaned.", "Mail or queue spools."]),
        "NodeFilesystemAlmostOutOfFiles": Entry(
            meaning: "A filesystem has almost no inodes left; creating files will fail.",
            checkFirst: ["As for NodeFilesystemFilesFillingUp."],
            causes: ["As for NodeFilesystemFilesFillingUp."]),
        "NodeMemoryHighUtilization": Entry(
            meaning: "Memory on a host is more than 90% used; the kernel will start killing processes.",
            checkFirst: ["The biggest processes (`ps aux --sort=-rss | head`).", "Container memory limits."],
            causes: ["A memory leak.", "Too many replicas or workers on one host."]),
        "NodeCPUHighUsage": Entry(
            meaning: "A host's CPU has been busy for 15 minutes.",
            checkFirst: ["`top`, per process and per container."],
            causes: ["Load beyond the host's capacity.", "A runaway process."]),
        "NodeSystemSaturation": Entry(
            meaning: "Load per core is above 2: work waits for CPU or IO.",
            checkFirst: ["CPU and IO wait on the host dashboard.", "Pressure (PSI) panels."],
            causes: ["CPU or disk saturation."]),
        "NodeDiskIOSaturation": Entry(
            meaning: "A disk's IO queue has been long for 30 minutes.",
            checkFirst: ["`iostat -x 1`, per device.", "Which processes do IO (`iotop`)."],
            causes: ["A database without enough IOPS.", "Swapping."]),
        "NodeOOMKillDetected": Entry(
            meaning: "The kernel killed a process because the host ran out of memory.",
            checkFirst: ["`dmesg | grep -i 'killed process'`."],
            causes: ["A process or container over its memory budget."]),
        "NodeClockSkewDetected": Entry(
            meaning: "A host's clock is off and not converging; TLS, tokens and logs suffer.",
            checkFirst: ["`timedatectl`, `chronyc tracking`."],
            causes: ["NTP not running or unreachable."]),
        "NodeClockNotSynchronising": Entry(
            meaning: "A host's clock is not synchronising.",
            checkFirst: ["`timedatectl`, the NTP daemon's status."],
            causes: ["NTP not running or unreachable."]),
        "NodeConntrackTableFilling": Entry(
            meaning: "The connection tracking table is filling; when full, new connections are dropped.",
            checkFirst: ["`conntrack -C`, and connections per destination."],
            causes: ["Many short connections (no keep-alive).", "A small nf_conntrack_max."]),
    ]
}
