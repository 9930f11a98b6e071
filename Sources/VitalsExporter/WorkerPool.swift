#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A small pool of threads for blocking work, that grows by one thread for every job that outlives
/// its deadline.
///
/// Collectors and statfs calls block in the kernel, sometimes forever. Dispatch's serial queues
/// would give each its own thread (dozens per scrape on a 2-core host, each with a malloc arena),
/// and its global queue stops making progress once its few threads block. This pool keeps a fixed
/// number of workers busy; when a job is declared stuck the pool adds a worker to replace the one it
/// holds, and retires one when the stuck job finally returns.
final class WorkerPool: @unchecked Sendable {
    // All state below is guarded by `mutex`. The mutex and condition live in allocated memory: a
    // pthread object must never move, and a stored property of a class has no stable address.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Queued jobs; a taken slot is cleared at once, so that a job's captures (a whole scrape's
    /// results) are released when it runs, not when the queue next drains. Under steady overlapping
    /// scrapes the queue never drains, and holding them grew the exporter by tens of MB a second.
    private var jobs: [(@Sendable () -> Void)?] = []
    private var jobsHead = 0
    private var liveWorkers = 0
    private var targetWorkers: Int
    private let name: String

    /// How many workers the pool keeps when nothing is stuck.
    let workerCount: Int

    init(name: String, workers: Int) {
        self.name = name
        self.workerCount = workers
        self.targetWorkers = workers
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    /// Queues a job; it runs on one of the pool's threads.
    func submit(_ job: @escaping @Sendable () -> Void) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        let needWorker = liveWorkers < targetWorkers
        if needWorker { liveWorkers += 1 }
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
        if needWorker { startWorker() }
    }

    /// Jobs waiting for a worker.
    var queuedJobs: Int {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return jobs.count - jobsHead
    }

    /// A job is stuck: add a worker so the pool keeps its capacity.
    func jobStuck() {
        pthread_mutex_lock(mutex)
        targetWorkers += 1
        let needWorker = jobsHead < jobs.count
        if needWorker { liveWorkers += 1 }
        pthread_mutex_unlock(mutex)
        if needWorker { startWorker() }
    }

    /// A stuck job returned: the extra worker retires when it next finds the queue empty.
    func stuckJobReturned() {
        pthread_mutex_lock(mutex)
        targetWorkers -= 1
        pthread_mutex_unlock(mutex)
    }

    private func startWorker() {
        let box = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { context in
                let pool = Unmanaged<WorkerPool>.fromOpaque(context!).takeRetainedValue()
                pool.work()
                return nil
            }, box.toOpaque())
        if created == 0 {
            pthread_detach(thread)
        } else {
            box.release()
            pthread_mutex_lock(mutex)
            liveWorkers -= 1
            pthread_mutex_unlock(mutex)
        }
    }

    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            while jobsHead == jobs.count {
                if liveWorkers > targetWorkers {
                    liveWorkers -= 1
                    pthread_mutex_unlock(mutex)
                    return
                }
                pthread_cond_wait(condition, mutex)
            }
            let job = jobs[jobsHead]
            jobs[jobsHead] = nil
            jobsHead += 1
            if jobsHead == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                jobsHead = 0
            } else if jobsHead >= 64, jobsHead * 2 >= jobs.count {
                // Taken slots are empty; drop them so the array stays as long as the real queue.
                jobs.removeFirst(jobsHead)
                jobsHead = 0
            }
            pthread_mutex_unlock(mutex)
            job?()
            pthread_mutex_lock(mutex)
        }
    }
}
