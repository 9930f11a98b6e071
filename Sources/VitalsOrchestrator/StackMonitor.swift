import NIOCore
import Synchronization
import VitalsProbe
import VitalsStack

/// Probes a stack continuously with the kubelet's semantics: each probe of each replica on its own
/// schedule, the first run as soon as `initialDelaySeconds` has passed, startup probes gating
/// liveness and readiness, and results judged in runs against the thresholds.
///
/// Probes run on SwiftNIO event loops from timers, without a task or thread per probe, so one
/// process can keep thousands of replicas under watch. Time is the loops' (`EventLoop.now`), so
/// that tests can drive the schedule with an `EmbeddedEventLoop`.
public final class StackMonitor: Sendable {
    public let stack: Stack
    public let services: [Service]
    private let prober: any ProbeRunner
    private let workers: [Worker]
    private let state: Mutex<MonitorState>
    private let onChange: @Sendable (StackStatus) -> Void
    /// Whether a change notification is already scheduled; changes until it runs share it.
    private let changeNotificationPending = Atomic<Bool>(false)

    /// How long changes are gathered before `onChange` hears of them. Judging the whole stack
    /// once per change made a stack-wide event (every replica of 2,000 turning ready at start,
    /// or failing together in an outage) cost 2,000 evaluations of 2,000 replicas each.
    static let changeCoalescing = TimeAmount.milliseconds(20)

    struct Worker: Sendable {
        var key: StateKey
        var probe: ProbeSpec
        var loop: any EventLoop
    }

    struct MonitorState: Sendable {
        var states: [StateKey: ProbeState] = [:]
        var timers: [Int: Scheduled<Void>] = [:]
        var running = false
        var lateness = LatenessHistogram()
        var probesRun = 0
    }

    /// - Parameters:
    ///   - selection: service names to watch (with everything they depend on); all when empty.
    ///   - carryOver: probe states to start from (after a reload), where the probe is unchanged.
    ///   - onChange: called with the new status whenever a probe changes state.
    public init(
        stack: Stack, selection: [String] = [], prober: any ProbeRunner,
        carryOver: [StateKey: (ProbeSpec, ProbeState)] = [:],
        onChange: @escaping @Sendable (StackStatus) -> Void = { _ in }
    ) {
        self.stack = stack
        self.services = stack.closure(of: selection)
        self.prober = prober
        self.onChange = onChange
        var workers: [Worker] = []
        var initial = MonitorState()
        for service in services {
            for (replica, endpoint) in service.endpoints.enumerated() {
                for declared in service.probes {
                    let probe = declared.forReplica(replica, stackName: stack.name)
                    let key = StateKey(service: service.name, endpoint: endpoint, probe: probe.kind)
                    workers.append(Worker(key: key, probe: probe, loop: prober.nextEventLoop()))
                    if let (spec, previous) = carryOver[key], spec == probe {
                        initial.states[key] = previous
                    } else {
                        initial.states[key] = ProbeState(kind: probe.kind, timing: probe.timing)
                    }
                }
            }
        }
        self.workers = workers
        self.state = Mutex(initial)
    }

    /// Starts probing. With `jitter`, first runs are spread over up to a second after their initial
    /// delay, so that a daemon watching many replicas does not probe them all in one burst.
    public func start(jitter: Bool = false) {
        state.withLock { $0.running = true }
        for (index, worker) in workers.enumerated() {
            var first = worker.loop.now + .seconds(Int64(worker.probe.timing.initialDelaySeconds))
            if jitter {
                let spread = min(Int64(worker.probe.timing.periodSeconds) * 1_000_000_000, 1_000_000_000)
                first = first + .nanoseconds(Int64.random(in: 0..<max(1, spread)))
            }
            schedule(index, at: first)
        }
    }

    /// Stops probing; probes in flight finish but schedule nothing more.
    public func stop() {
        let timers = state.withLock { state in
            state.running = false
            defer { state.timers.removeAll() }
            return Array(state.timers.values)
        }
        for timer in timers { timer.cancel() }
    }

    /// The current probe states, for carrying over into a monitor of a reloaded stack.
    public func probeStates() -> [StateKey: (ProbeSpec, ProbeState)] {
        let states = state.withLock { $0.states }
        var result: [StateKey: (ProbeSpec, ProbeState)] = [:]
        for worker in workers {
            if let probeState = states[worker.key] { result[worker.key] = (worker.probe, probeState) }
        }
        return result
    }

    public func status() -> StackStatus {
        StackStatus.evaluate(stack: stack, services: services, states: state.withLock { $0.states })
    }

    /// How late probes started against their schedule, and how many ran.
    public func schedulingStatistics() -> (lateness: LatenessHistogram, probesRun: Int) {
        state.withLock { ($0.lateness, $0.probesRun) }
    }

    private func schedule(_ index: Int, at deadline: NIODeadline) {
        let worker = workers[index]
        let scheduled = worker.loop.scheduleTask(deadline: deadline) { [self] in
            fire(index, scheduledFor: deadline)
        }
        let keep = state.withLock { state -> Bool in
            guard state.running else { return false }
            state.timers[index] = scheduled
            return true
        }
        if !keep { scheduled.cancel() }
    }

    private func fire(_ index: Int, scheduledFor deadline: NIODeadline) {
        let worker = workers[index]
        let started = worker.loop.now
        let period = TimeAmount.seconds(Int64(worker.probe.timing.periodSeconds))
        // The next slot on the fixed-rate schedule that is still ahead.
        let next = Self.nextSlot(after: deadline + period, period: period, now: started)

        let shouldRun: Bool = state.withLock { state in
            guard state.running else { return false }
            state.lateness.record(seconds: Double((started - deadline).nanoseconds) / 1e9)
            return Self.gateOpen(for: worker, states: state.states, key: worker.key)
        }
        guard shouldRun else {
            // Gated by an unfinished startup probe, or a finished startup probe: look again next period.
            if worker.probe.kind != .startup || !(state.withLock { $0.states[worker.key]?.succeeded ?? false }) {
                schedule(index, at: next)
            }
            return
        }
        prober.run(
            worker.probe.handler, endpoint: worker.key.endpoint, timeoutSeconds: worker.probe.timing.timeoutSeconds
        )
        .whenSuccess { [self] result in
            let (changed, succeeded) = state.withLock { state -> (Bool, Bool) in
                state.probesRun += 1
                let changed = state.states[worker.key]?.record(result) ?? false
                return (changed, state.states[worker.key]?.succeeded ?? false)
            }
            if changed { notifyChange(on: worker.loop) }
            // A startup probe that succeeded is done; everything else keeps its schedule.
            if !(worker.probe.kind == .startup && succeeded) {
                schedule(index, at: Self.nextSlot(after: next, period: period, now: worker.loop.now))
            }
        }
    }

    /// Tells `onChange` of the new status shortly, once for every change made meanwhile. The flag
    /// is cleared before the status is taken, so a change made during the evaluation schedules
    /// another notification instead of being missed.
    private func notifyChange(on loop: any EventLoop) {
        guard
            changeNotificationPending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
                .exchanged
        else { return }
        loop.scheduleTask(in: Self.changeCoalescing) { [self] in
            changeNotificationPending.store(false, ordering: .releasing)
            // A stopped monitor (replaced by a reload) reports nothing more.
            guard state.withLock({ $0.running }) else { return }
            onChange(status())
        }
    }

    /// Liveness and readiness wait for a successful startup probe; a startup probe stops once it succeeded.
    static func gateOpen(for worker: Worker, states: [StateKey: ProbeState], key: StateKey) -> Bool {
        let startupKey = StateKey(service: key.service, endpoint: key.endpoint, probe: .startup)
        switch worker.probe.kind {
        case .startup:
            return !(states[key]?.succeeded ?? false)
        case .liveness, .readiness:
            guard let startup = states[startupKey] else { return true }
            return startup.succeeded
        }
    }

    static func nextSlot(after slot: NIODeadline, period: TimeAmount, now: NIODeadline) -> NIODeadline {
        var next = slot
        while next <= now { next = next + period }
        return next
    }
}
