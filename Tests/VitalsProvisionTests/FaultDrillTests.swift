import Foundation
import Synchronization
import Testing
import VitalsTestSupport
import VitalsTestTraits

/// Fault drills: the configuration `vitals provision --drill` generates, run by Debian's
/// Prometheus and Alertmanager against real services that are then broken one way at a time. Each
/// drill must end with its alert firing and exactly the notifications the outage deserves: one
/// page for one outage, the symptoms of what depends on the broken service held back.
///
/// Counting: a critical alert pages the `oncall` receiver (and reaches `team` too); a warning
/// reaches `team` only. After the expected notification, a quiet window of three Alertmanager group
/// intervals (2 s each in a drill) lets any extra notification arrive before the count.
@Suite(.serialized, .blockingWork) struct FaultDrillTests {
    /// Sends user requests to the replicas from a few threads until stopped.
    final class Load: @unchecked Sendable {
        private let running = Atomic<Bool>(true)
        private var threads: [Thread] = []

        init(ports: [Int], threads count: Int) {
            for index in 0..<count {
                let thread = Thread { [self] in
                    var next = index
                    while running.load(ordering: .relaxed) {
                        _ = try? httpGet(port: ports[next % ports.count], path: "/chat", timeout: 10)
                        next += 1
                    }
                }
                threads.append(thread)
                thread.start()
            }
        }

        func stop() { running.store(false, ordering: .relaxed) }
    }

    static let quietWindow: Duration = .seconds(6)

    /// Progress on stderr and in $TMPDIR/vitals-fault-drill.log, as it happens, so that a drill
    /// that stalls shows where (swift test passes a test's output on only at the end).
    static func step(_ text: String) {
        let line = Data("fault drill: \(text)\n".utf8)
        FileHandle.standardError.write(line)
        let path = NSTemporaryDirectory() + "/vitals-fault-drill.log"
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil)
        }
        if let file = FileHandle(forWritingAtPath: path) {
            file.seekToEndOfFile()
            file.write(line)
            try? file.close()
        }
    }

    /// Waits for `condition`, failing the drill with `what` when it does not come.
    static func expectEventually(_ what: String, within seconds: TimeInterval, _ condition: () -> Bool) async -> Bool {
        let started = ContinuousClock.now
        let held = await eventually(within: seconds, every: 0.5, condition)
        step("  \(held ? "seen" : "NOT seen"): \(what) (\(ContinuousClock.now - started))")
        #expect(held, "\(what) did not happen within \(Int(seconds)) s")
        return held
    }

    static func firing(_ stack: DrillStack, _ name: String, _ labels: [String: String] = [:]) -> Bool {
        stack.firingAlerts().contains { alert in
            alert["alertname"] == name && labels.allSatisfy { alert[$0.key] == $0.value }
        }
    }

    /// No alert of the drill's service fires any more, so the next drill starts clean.
    static func resolved(_ stack: DrillStack, service: String) -> Bool {
        !stack.firingAlerts().contains { $0["service"] == service && $0["alertname"] != "TargetDown" }
    }

    /// The alert groups paged (critical) or notified (`team`) since `mark`, after a quiet window
    /// in which any further notification would have arrived; each with the alert names it carried.
    static func settledGroups(_ receiver: WebhookRecorder, since mark: Int, receiver name: String) async throws -> [(
        labels: [String: String], alertnames: Set<String>
    )] {
        try await Task.sleep(for: quietWindow)
        return receiver.groups(since: mark, receiver: name).values.map { notifications in
            (notifications[0].groupLabels, notifications.reduce(into: Set<String>()) { $0.formUnion($1.alertnames) })
        }
    }

    @Test(.timeLimit(.minutes(20))) func alertsFireOnRealFailuresWithOnePagePerOutage() async throws {
        let receiver = WebhookRecorder()
        try await receiver.start()
        let stack = try DrillStack(receiver: receiver)
        defer { stack.stop() }
        try await withTeardown({ await receiver.close() }) {
            Self.step("starting the stack in \(stack.work)")
            try stack.start()
            let clock = ContinuousClock()
            let started = clock.now
            try #require(await Self.expectEventually("every target up", within: 90) { stack.allTargetsUp() })
            try #require(
                await Self.expectEventually("the stack ready, nothing firing but host alerts", within: 60) {
                    stack.firingAlerts().allSatisfy { $0["scope"] == "host" }
                })

            // 1. 30% of user requests answer 500 while probes and scrapes stay 200: one page.
            Self.step("1. 30% of user requests fail")
            do {
                let mark = receiver.mark
                try stack.control("error_ratio=0.3")
                let load = Load(ports: stack.ports.replicas, threads: 6)
                defer { load.stop() }
                #expect(
                    await Self.expectEventually("FastAPIHighErrorRatio firing", within: 60) {
                        Self.firing(stack, "FastAPIHighErrorRatio")
                    })
                #expect(
                    await Self.expectEventually("its page", within: 30) {
                        !receiver.firing(since: mark, receiver: "oncall").isEmpty
                    })
                let pages = try await Self.settledGroups(receiver, since: mark, receiver: "oncall")
                #expect(pages.count == 1 && pages.first?.alertnames == ["FastAPIHighErrorRatio"], "pages: \(pages)")
                load.stop()
                try stack.control("error_ratio=0")
                #expect(
                    await Self.expectEventually("the error alert resolving", within: 60) {
                        Self.resolved(stack, service: "backend")
                    })
            }

            // 2. User requests take 3 s against a 2 s threshold: a warning, no page.
            Self.step("2. slow user requests")
            do {
                let mark = receiver.mark
                try stack.control("delay=3")
                let load = Load(ports: stack.ports.replicas, threads: 12)
                defer { load.stop() }
                #expect(
                    await Self.expectEventually("FastAPIHighLatency firing", within: 60) {
                        Self.firing(stack, "FastAPIHighLatency")
                    })
                #expect(
                    await Self.expectEventually("its notification", within: 30) {
                        receiver.firing(since: mark, receiver: "team").contains {
                            $0.alertnames.contains("FastAPIHighLatency")
                        }
                    })
                let notes = try await Self.settledGroups(receiver, since: mark, receiver: "team").filter {
                    $0.labels["service"] == "backend"
                }
                #expect(
                    notes.count == 1 && notes.first?.alertnames == ["FastAPIHighLatency"], "notifications: \(notes)")
                #expect(receiver.firing(since: mark, receiver: "oncall").isEmpty, "a warning paged")
                load.stop()
                try stack.control("delay=0")
                #expect(
                    await Self.expectEventually("the latency alert resolving", within: 60) {
                        Self.resolved(stack, service: "backend")
                    })
            }

            // 3. Redis killed: one page, for Redis; the backend's, Celery's and the stack's symptoms held back.
            Self.step("3. Redis killed")
            do {
                let mark = receiver.mark
                stack.killRedis()
                #expect(await Self.expectEventually("RedisDown firing", within: 60) { Self.firing(stack, "RedisDown") })
                #expect(
                    await Self.expectEventually("the backend's readiness alert firing and held back", within: 60) {
                        stack.alertmanagerAlerts().contains {
                            $0.labels["service"] == "backend" && $0.labels["severity"] == "critical" && $0.suppressed
                        }
                    })
                let pages = try await Self.settledGroups(receiver, since: mark, receiver: "oncall")
                #expect(pages.count == 1 && pages.first?.labels["service"] == "redis", "pages: \(pages)")
                #expect(pages.first?.alertnames.contains("RedisDown") == true)
                let symptoms = try await Self.settledGroups(receiver, since: mark, receiver: "team").filter {
                    $0.labels["service"] != "redis" && $0.labels["service"] != nil
                }
                #expect(symptoms.isEmpty, "symptoms notified: \(symptoms)")
                try stack.startRedis()
                #expect(
                    await Self.expectEventually("Redis' alerts resolving", within: 90) {
                        Self.resolved(stack, service: "redis") && Self.resolved(stack, service: "backend")
                            && Self.resolved(stack, service: "worker")
                    })
            }

            // 4. PostgreSQL stopped: one page, the backend's symptoms held back.
            Self.step("4. PostgreSQL stopped")
            do {
                let mark = receiver.mark
                stack.stopPostgres()
                #expect(
                    await Self.expectEventually("PostgresDown firing", within: 60) {
                        Self.firing(stack, "PostgresDown")
                    })
                #expect(
                    await Self.expectEventually("its page", within: 30) {
                        !receiver.firing(since: mark, receiver: "oncall").isEmpty
                    })
                let pages = try await Self.settledGroups(receiver, since: mark, receiver: "oncall")
                #expect(pages.count == 1 && pages.first?.labels["service"] == "postgres", "pages: \(pages)")
                #expect(pages.first?.alertnames.contains("PostgresDown") == true)
                try stack.startPostgres(initialize: false)
                #expect(
                    await Self.expectEventually("PostgreSQL's alerts resolving", within: 90) {
                        Self.resolved(stack, service: "postgres") && Self.resolved(stack, service: "backend")
                    })
            }

            // 5. One Celery task always fails among ten times as many that succeed: a warning for it.
            Self.step("5. one Celery task always fails")
            do {
                let mark = receiver.mark
                // A steady stream, as in production. The service as a whole fails 9% of its tasks,
                // under the 10% threshold, so a ratio over the service would stay silent.
                let tasks = try stack.celeryInBackground(
                    "import time, tasks\nwhile True:\n    for _ in range(10): tasks.ok.delay()\n    tasks.fail.delay()\n    time.sleep(0.2)\n"
                )
                defer { tasks.stop() }
                #expect(
                    await Self.expectEventually("CeleryTaskFailureRatio firing for tasks.fail", within: 90) {
                        Self.firing(stack, "CeleryTaskFailureRatio", ["task": "tasks.fail"])
                    })
                let serviceWide = stack.value(
                    "sum(rate(flower_events_total{service=\"worker\",type=\"task-failed\"}[30s])) / sum(rate(flower_events_total{service=\"worker\",type=~\"task-failed|task-succeeded\"}[30s]))"
                )
                #expect(
                    serviceWide.map { $0 < 0.1 } == true,
                    "the service-wide failure ratio is \(String(describing: serviceWide))")
                #expect(
                    await Self.expectEventually("its notification", within: 30) {
                        receiver.firing(since: mark, receiver: "team").contains {
                            $0.alertnames.contains("CeleryTaskFailureRatio")
                        }
                    })
                let notes = try await Self.settledGroups(receiver, since: mark, receiver: "team").filter {
                    $0.labels["service"] == "worker"
                }
                #expect(
                    notes.count == 1 && notes.first?.alertnames == ["CeleryTaskFailureRatio"], "notifications: \(notes)"
                )
                #expect(
                    !Self.firing(stack, "CeleryTaskFailureRatio", ["task": "tasks.ok"]),
                    "the task that succeeds was flagged")
                #expect(receiver.firing(since: mark, receiver: "oncall").isEmpty, "a warning paged")
                tasks.stop()
            }

            // 6. The Celery worker killed (SIGKILL): one page.
            Self.step("6. the Celery worker killed")
            do {
                let mark = receiver.mark
                try stack.killWorker()
                // Flower drops the worker 30 s after its heartbeats stop (--purge_offline_workers=30).
                #expect(
                    await Self.expectEventually("CeleryWorkersDown firing", within: 120) {
                        Self.firing(stack, "CeleryWorkersDown")
                    })
                #expect(
                    await Self.expectEventually("its page", within: 30) {
                        !receiver.firing(since: mark, receiver: "oncall").isEmpty
                    })
                let pages = try await Self.settledGroups(receiver, since: mark, receiver: "oncall")
                #expect(
                    pages.count == 1 && pages.first?.alertnames.contains("CeleryWorkersDown") == true, "pages: \(pages)"
                )
                // The lost worker's own warning is there, held back by the outage.
                #expect(
                    await Self.expectEventually("CeleryWorkerLost held back", within: 30) {
                        stack.alertmanagerAlerts().contains {
                            $0.labels["alertname"] == "CeleryWorkerLost" && $0.suppressed
                        }
                    })
            }

            // 7. Tasks queued with no worker to take them: the no-consumer alert joins the same page.
            Self.step("7. tasks queued with no worker")
            do {
                let mark = receiver.mark
                try stack.celery("import tasks\nfor _ in range(200): tasks.ok.delay()\n")
                #expect(
                    await Self.expectEventually("CeleryQueueNoConsumer firing", within: 60) {
                        Self.firing(stack, "CeleryQueueNoConsumer")
                    })
                #expect(
                    await Self.expectEventually("its page", within: 30) {
                        receiver.firing(since: mark, receiver: "oncall").contains {
                            $0.alertnames.contains("CeleryQueueNoConsumer")
                        }
                    })
                let pages = try await Self.settledGroups(receiver, since: mark, receiver: "oncall")
                #expect(pages.count == 1 && pages.first?.labels["service"] == "worker", "pages: \(pages)")
                try stack.startWorker()
                #expect(
                    await Self.expectEventually("the Celery alerts resolving", within: 90) {
                        Self.resolved(stack, service: "worker")
                    })
            }

            // 8. LLM spend above its threshold (20 USD an hour; a minute in a drill): a warning.
            Self.step("8. LLM spend")
            do {
                let mark = receiver.mark
                try stack.control("spend=100", replica: 0)
                #expect(
                    await Self.expectEventually("LLMCostPerHourHigh firing", within: 60) {
                        Self.firing(stack, "LLMCostPerHourHigh")
                    })
                #expect(
                    await Self.expectEventually("its notification", within: 30) {
                        receiver.firing(since: mark, receiver: "team").contains {
                            $0.alertnames.contains("LLMCostPerHourHigh")
                        }
                    })
                let notes = try await Self.settledGroups(receiver, since: mark, receiver: "team").filter {
                    $0.labels["service"] == "backend"
                }
                #expect(
                    notes.count == 1 && notes.first?.alertnames == ["LLMCostPerHourHigh"], "notifications: \(notes)")
            }

            // 9. A small filesystem filled to 97%: alerts for that mount only.
            Self.step("9. a small filesystem filled")
            do {
                let mark = receiver.mark
                try stack.fillDisk(to: 97)
                #expect(
                    await Self.expectEventually("NodeFilesystemAlmostOutOfSpace firing for the small disk", within: 90)
                    {
                        Self.firing(stack, "NodeFilesystemAlmostOutOfSpace", ["mountpoint": stack.mount])
                    })
                #expect(
                    await Self.expectEventually("its notification", within: 30) {
                        receiver.firing(since: mark).contains {
                            $0.alertnames.contains("NodeFilesystemAlmostOutOfSpace")
                        }
                    })
                try await Task.sleep(for: Self.quietWindow)
                let alerts = receiver.firing(since: mark).flatMap(\.alerts).filter {
                    $0["alertname"]?.hasPrefix("NodeFilesystem") == true
                }
                #expect(Set(alerts.compactMap { $0["mountpoint"] }) == [stack.mount], "filesystem alerts: \(alerts)")
                stack.emptyDisk()
            }

            // 10. One replica of three not ready: a warning, no page.
            Self.step("10. one replica of three not ready")
            do {
                let mark = receiver.mark
                try stack.control("ready=false", replica: 1)
                #expect(
                    await Self.expectEventually("ServiceReplicasNotReady firing", within: 60) {
                        Self.firing(stack, "ServiceReplicasNotReady")
                    })
                #expect(
                    await Self.expectEventually("its notification", within: 30) {
                        receiver.firing(since: mark, receiver: "team").contains {
                            $0.alertnames.contains("ServiceReplicasNotReady")
                        }
                    })
                let pages = try await Self.settledGroups(receiver, since: mark, receiver: "oncall")
                #expect(pages.isEmpty, "a partial outage paged: \(pages)")
                try stack.control("ready=true", replica: 1)
            }
            Self.step("done in \(clock.now - started)")
        }
    }
}
