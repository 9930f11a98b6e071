import Dispatch
import Synchronization

/// Runs blocking work (file reads, syscalls) off Swift's cooperative pool, with an optional deadline.
///
/// Kernel files can block: a hung hwmon driver, a dead NFS mount. Running each collector on a
/// Dispatch worker keeps the cooperative threads (and the event loops) free, and the deadline
/// lets a scrape answer on time while the stuck call finishes, or never does, on its own thread.
///
/// Callers pass a serial queue of their own (one per collector, one per mount point): serial
/// queues run on Dispatch's overcommitting pool, which adds a thread when the others are blocked,
/// so one hung call can never starve the rest. The global concurrent queue would not.
enum BlockingWork {
    /// Where deadlines fire; never blocked by the work itself.
    static let timerQueue = DispatchQueue(label: "vitals.blocking-work.deadlines")

    enum Outcome<Value: Sendable>: Sendable {
        case finished(Value)
        case timedOut
    }

    static func run<Value: Sendable>(
        on queue: DispatchQueue, timeout: Duration?, _ work: @escaping @Sendable () -> Value
    ) async -> Outcome<Value> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Outcome<Value>, Never>) in
            let resumed = ResumeOnce(continuation)
            queue.async {
                let value = work()
                resumed.resume(with: .finished(value))
            }
            if let timeout {
                let (seconds, attoseconds) = timeout.components
                let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
                timerQueue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
                    resumed.resume(with: .timedOut)
                }
            }
        }
    }

    /// Resumes a continuation at most once, whichever of the work and the deadline comes first.
    private final class ResumeOnce<Value: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<Outcome<Value>, Never>?>

        init(_ continuation: CheckedContinuation<Outcome<Value>, Never>) {
            self.continuation = Mutex(continuation)
        }

        func resume(with outcome: Outcome<Value>) {
            let pending = continuation.withLock { stored in
                defer { stored = nil }
                return stored
            }
            pending?.resume(returning: outcome)
        }
    }
}
