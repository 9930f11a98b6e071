import Synchronization
import VitalsExposition

/// One scrape's collectors, drained by a few pool workers, with one deadline for all.
///
/// Handing each collector to the pool separately costs two thread switches per collector (dozens
/// per scrape); instead each worker takes the next collector until none are left, and the scrape
/// resumes once, when the last one finishes or the deadline passes: on the worker that finished
/// it, when the scrape runs with the pool as its executor (``WorkerPool/enqueue(_:)``). A collector that another
/// scrape is already running is joined, not run again (``CollectorFlights``). A collector still
/// running at the deadline is reported as timed out; its worker stays with it, and the pool
/// replaces the worker.
final class ScrapeRun: Sendable {
    struct Result: Sendable {
        var families: [MetricFamily]
        var seconds: Double
        var error: (any Error)?
    }

    /// A job: a collector, and the name it is known by to other scrapes (nil for the exporter's own).
    struct Job: Sendable {
        var name: String?
        var collector: any Collector
    }

    private struct State {
        var next = 0
        var started: [Bool]
        /// Whether this run executes the job itself (rather than waiting for another scrape's run).
        var owned: [Bool]
        /// Jobs whose worker was reported stuck to the pool at the deadline.
        var countedStuck: [Bool]
        var results: [Result?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result?], Never>?
        var deadline: UInt64?
        var finished = false
    }

    private let jobs: [Job]
    private let flights: CollectorFlights
    private let state: Mutex<State>
    /// Called when a job this run executed returns after the scrape already gave up on it.
    private let lateReturn: @Sendable () -> Void

    init(jobs: [Job], flights: CollectorFlights, lateReturn: @escaping @Sendable () -> Void) {
        self.jobs = jobs
        self.flights = flights
        self.lateReturn = lateReturn
        state = Mutex(
            State(
                started: Array(repeating: false, count: jobs.count), owned: Array(repeating: false, count: jobs.count),
                countedStuck: Array(repeating: false, count: jobs.count),
                results: Array(repeating: nil, count: jobs.count), remaining: jobs.count))
    }

    /// Runs every job on `pool`, waiting at most `timeout`. Returns per job its result, or nil when
    /// it had not finished by the deadline, and which of the unfinished jobs were joined runs of
    /// other scrapes.
    func run(on pool: WorkerPool, timeout: Duration?) async -> (results: [Result?], joined: Set<Int>) {
        guard !jobs.isEmpty else { return ([], []) }
        let results = await withCheckedContinuation { (continuation: CheckedContinuation<[Result?], Never>) in
            state.withLock { $0.continuation = continuation }
            if let timeout {
                let deadline = DeadlineMonitor.shared.schedule(after: timeout) { [self] in expire(pool: pool) }
                let alreadyDone = state.withLock { state in
                    state.deadline = deadline
                    return state.finished
                }
                if alreadyDone { DeadlineMonitor.shared.cancel(deadline) }
            }
            for _ in 0..<min(pool.workerCount, jobs.count) {
                pool.submit { [self] in drain() }
            }
        }
        let joined = state.withLock { state in
            Set(state.results.indices.filter { state.started[$0] && !state.owned[$0] && state.results[$0] == nil })
        }
        return (results, joined)
    }

    private func drain() {
        while true {
            let index: Int? = state.withLock { state in
                guard !state.finished, state.next < jobs.count else { return nil }
                defer { state.next += 1 }
                state.started[state.next] = true
                return state.next
            }
            guard let index else { return }
            let job = jobs[index]
            if let name = job.name, flights.start(name, for: .init(run: self, index: index)) == .joined {
                continue
            }
            state.withLock { $0.owned[index] = true }
            let result = Self.execute(job.collector)
            let waiters = job.name.map(flights.finish) ?? []
            for waiter in waiters { waiter.run.deliver(result, to: waiter.index) }
            if !deliver(result, to: index, onItsLastWorker: true) {
                if state.withLock({ $0.countedStuck[index] }) {
                    lateReturn()
                    return  // this worker was counted as stuck and has been replaced
                }
            }
        }
    }

    private static func execute(_ collector: any Collector) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        var families: [MetricFamily] = []
        var failure: (any Error)?
        do {
            families = try collector.collect()
        } catch {
            failure = error
        }
        let elapsed = clock.now - start
        return Result(
            families: families,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            error: failure)
    }

    /// Records a job's result; false when the scrape had already given up (the result is late).
    /// - Parameter onItsLastWorker: the caller is a worker draining this run, which has nothing
    ///   left to do once this result completes the run, and so takes the resumed scrape itself.
    @discardableResult
    func deliver(_ result: Result, to index: Int, onItsLastWorker: Bool = false) -> Bool {
        let (resume, accepted): (CheckedContinuation<[Result?], Never>?, Bool) = state.withLock { state in
            if state.finished { return (nil, false) }
            state.results[index] = result
            state.remaining -= 1
            guard state.remaining == 0 else { return (nil, true) }
            state.finished = true
            if let deadline = state.deadline { DeadlineMonitor.shared.cancel(deadline) }
            defer { state.continuation = nil }
            return (state.continuation, true)
        }
        if let resume {
            let results = state.withLock { $0.results }
            if onItsLastWorker {
                WorkerPool.handingOver { resume.resume(returning: results) }
            } else {
                resume.resume(returning: results)
            }
        }
        return accepted
    }

    private func expire(pool: WorkerPool) {
        let (resume, results, stuckCount): (CheckedContinuation<[Result?], Never>?, [Result?], Int) = state.withLock {
            state in
            guard !state.finished else { return (nil, [], 0) }
            state.finished = true
            defer { state.continuation = nil }
            // Only runs this scrape executes hold one of its workers.
            let stuck = state.results.indices.filter { state.owned[$0] && state.results[$0] == nil }
            for index in stuck { state.countedStuck[index] = true }
            return (state.continuation, state.results, stuck.count)
        }
        for _ in 0..<stuckCount { pool.jobStuck() }
        resume?.resume(returning: results)
    }
}
