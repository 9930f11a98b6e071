import Synchronization
import VitalsExposition

/// One scrape's collectors, drained by a few pool workers, with one deadline for all.
///
/// Handing each collector to the pool separately costs two thread switches per collector (dozens
/// per scrape); instead each worker takes the next collector until none are left, and the scrape
/// resumes once, when the last one finishes or the deadline passes. A collector still running at the
/// deadline is reported as timed out; its worker stays with it, and the pool replaces the worker.
final class ScrapeRun: Sendable {
    struct Result: Sendable {
        var families: [MetricFamily]
        var seconds: Double
        var error: (any Error)?
    }

    private struct State {
        var next = 0
        var started: [Bool]
        var results: [Result?]
        var remaining: Int
        var continuation: CheckedContinuation<[Result?], Never>?
        var deadline: UInt64?
        var finished = false
    }

    private let jobs: [any Collector]
    private let state: Mutex<State>
    /// Called when a job returns after the scrape already gave up on it.
    private let lateReturn: @Sendable (Int) -> Void

    init(jobs: [any Collector], lateReturn: @escaping @Sendable (Int) -> Void) {
        self.jobs = jobs
        self.lateReturn = lateReturn
        state = Mutex(
            State(
                started: Array(repeating: false, count: jobs.count), results: Array(repeating: nil, count: jobs.count),
                remaining: jobs.count))
    }

    /// Runs every job on `pool`, waiting at most `timeout`. Returns per job its result, or nil when
    /// it had not finished by the deadline; `stuck` lists the jobs that were running at that moment.
    func run(on pool: WorkerPool, timeout: Duration?) async -> (results: [Result?], stuck: [Int]) {
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
        let stuck = state.withLock { state in
            state.results.indices.filter { state.started[$0] && state.results[$0] == nil }
        }
        return (results, stuck)
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
            let clock = ContinuousClock()
            let start = clock.now
            var families: [MetricFamily] = []
            var failure: (any Error)?
            do {
                families = try jobs[index].collect()
            } catch {
                failure = error
            }
            let elapsed = clock.now - start
            let result = Result(
                families: families,
                seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
                error: failure)
            let (resume, late): (CheckedContinuation<[Result?], Never>?, Bool) = state.withLock { state in
                if state.finished { return (nil, true) }
                state.results[index] = result
                state.remaining -= 1
                guard state.remaining == 0 else { return (nil, false) }
                state.finished = true
                if let deadline = state.deadline { DeadlineMonitor.shared.cancel(deadline) }
                defer { state.continuation = nil }
                return (state.continuation, false)
            }
            if late {
                lateReturn(index)
                return  // this worker was counted as stuck and has been replaced
            }
            resume?.resume(returning: state.withLock { $0.results })
        }
    }

    private func expire(pool: WorkerPool) {
        let (resume, results, stuckCount): (CheckedContinuation<[Result?], Never>?, [Result?], Int) = state.withLock {
            state in
            guard !state.finished else { return (nil, [], 0) }
            state.finished = true
            defer { state.continuation = nil }
            let stuck = state.results.indices.filter { state.started[$0] && state.results[$0] == nil }.count
            return (state.continuation, state.results, stuck)
        }
        for _ in 0..<stuckCount { pool.jobStuck() }
        resume?.resume(returning: results)
    }
}
