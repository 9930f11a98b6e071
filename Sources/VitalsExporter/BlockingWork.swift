import Synchronization

/// Runs blocking work (file reads, syscalls) off Swift's cooperative pool, with an optional deadline.
///
/// Kernel files can block: a hung hwmon driver, a dead NFS mount. Running collectors on a
/// ``WorkerPool`` keeps the cooperative threads and the event loops free, and the deadline lets a
/// scrape answer on time while the stuck call finishes, or never does, on its own thread; the pool
/// replaces that thread meanwhile.
enum BlockingWork {
    enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    static func run<Value: Sendable>(
        on pool: WorkerPool, timeout: Duration?, _ work: @escaping @Sendable () -> Value
    ) async -> Outcome<Value> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome<Value>, Never>) in
            let race = Race(continuation)
            let deadline = timeout.map { timeout in
                DeadlineMonitor.shared.schedule(after: timeout) {
                    if race.finish(.timedOut) == .first { pool.jobStuck() }
                }
            }
            pool.submit {
                let value = work()
                if let deadline { DeadlineMonitor.shared.cancel(deadline) }
                if race.finish(.finished(value)) == .afterDeadline { pool.stuckJobReturned() }
            }
        }
    }

    /// Resumes the continuation with whichever of the work and the deadline comes first.
    private final class Race<Value: Sendable>: Sendable {
        enum Arrival { case first, afterWork, afterDeadline }

        private struct State {
            var continuation: CheckedContinuation<Outcome<Value>, Never>?
            var deadlinePassed = false
        }

        private let state: Mutex<State>

        init(_ continuation: CheckedContinuation<Outcome<Value>, Never>) {
            state = Mutex(State(continuation: continuation))
        }

        func finish(_ outcome: Outcome<Value>) -> Arrival {
            let (pending, arrival) = state.withLock { state in
                guard let continuation = state.continuation else {
                    return (
                        CheckedContinuation<Outcome<Value>, Never>?.none,
                        state.deadlinePassed ? Arrival.afterDeadline : .afterWork
                    )
                }
                state.continuation = nil
                if case .timedOut = outcome { state.deadlinePassed = true }
                return (continuation, Arrival.first)
            }
            pending?.resume(returning: outcome)
            return arrival
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
