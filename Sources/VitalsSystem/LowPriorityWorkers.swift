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
    // Guarded by `mutex`, which with `condition` lives in allocated memory: pthread objects must
    // never move, and a stored property of a class has no stable address.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private let niceness: Int32

    /// How many threads run jobs.
    public let count: Int

    /// Starts `count` threads at `niceness` (0 is normal, 19 the lowest priority).
    public init(count: Int, niceness: Int32 = 10) {
        self.count = max(1, count)
        self.niceness = niceness
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
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
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    private func work() {
        _ = vitals_set_thread_niceness(niceness)
        pthread_mutex_lock(mutex)
        while true {
            while head == jobs.count { pthread_cond_wait(condition, mutex) }
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
            pthread_mutex_unlock(mutex)
            job?()
            pthread_mutex_lock(mutex)
        }
    }
}
