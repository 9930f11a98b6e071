import CVitalsSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A few threads at a lower scheduling priority, for CPU-heavy work (bcrypt) that must never starve
/// the threads that serve requests.
///
/// On a two-core host, two threads hashing passwords at full speed would leave nothing for the
/// event loops; one `nice`d thread leaves at least a core, and lets the scheduler prefer serving.
public final class LowPriorityWorkers: @unchecked Sendable {
    private let condition = ThreadCondition()
    /// Guarded by `condition`'s lock.
    private var jobs = JobQueue()
    private let niceness: Int32

    /// How many threads run jobs.
    public let count: Int

    /// Starts `count` threads at `niceness` (0 is normal, 19 the lowest priority).
    public init(count: Int, niceness: Int32 = 10) {
        self.count = max(1, count)
        self.niceness = niceness
        for _ in 0..<self.count {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self)
            if pthread_create(
                &thread, nil,
                { context in
                    Unmanaged<LowPriorityWorkers>.fromOpaque(context!).takeRetainedValue().work()
                    return nil
                }, box.toOpaque()) == 0
            {
                pthread_detach(thread)
            } else {
                box.release()
            }
        }
    }

    /// Queues a job for the next free thread.
    public func submit(_ job: @escaping @Sendable () -> Void) {
        condition.withLock {
            jobs.append(job)
            condition.signal()
        }
    }

    private func work() {
        _ = vitals_set_thread_niceness(niceness)
        condition.lock()
        while true {
            while jobs.isEmpty { condition.wait() }
            let job = jobs.take()
            condition.unlock()
            job?()
            condition.lock()
        }
    }
}
