#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A pthread mutex and condition variable at a stable address, for the few places that park real
/// threads (worker pools, the deadline thread) rather than tasks.
///
/// pthread objects must never move; a stored property of a class has no guaranteed stable address,
/// so both live in memory allocated once, as NIOLock keeps its lock in a ManagedBuffer.
public final class ThreadCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    /// - Parameter monotonic: time `wait(until:)` deadlines on CLOCK_MONOTONIC, not the wall clock.
    public init(monotonic: Bool = false) {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        if monotonic { pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC) }
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` holding the lock.
    public func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal; call with the lock held.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits for a signal or until `deadline` (nanoseconds on the condition's clock); call with the
    /// lock held.
    public func wait(until deadline: UInt64) {
        var until = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        pthread_cond_timedwait(condition, mutex, &until)
    }

    public func signal() { pthread_cond_signal(condition) }
}

/// A FIFO of jobs for worker threads: a taken job is released at once, and taken slots are
/// dropped as the queue moves, so that under steady load — when the queue never drains — it holds
/// only the jobs still waiting, not every job it ever had with all that they captured.
public struct JobQueue: Sendable {
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0

    public init() {}

    public var isEmpty: Bool { head == jobs.count }
    public var count: Int { jobs.count - head }

    public mutating func append(_ job: @escaping @Sendable () -> Void) { jobs.append(job) }

    /// The oldest job, removed from the queue.
    public mutating func take() -> (@Sendable () -> Void)? {
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        jobs[head] = nil
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
