import VitalsSystem

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
    private let condition = ThreadCondition()
    // All state below is guarded by `condition`'s lock.
    /// Queued jobs. A job's captures (a whole scrape's results) must be released when it runs, not
    /// when the queue next drains: under steady overlapping scrapes the queue never drains, and
    /// holding them grew the exporter by tens of MB a second.
    private var jobs = JobQueue()
    private var liveWorkers = 0
    private var targetWorkers: Int
    private let name: String

    /// How many workers the pool keeps when nothing is stuck.
    let workerCount: Int

    init(name: String, workers: Int) {
        self.name = name
        self.workerCount = workers
        self.targetWorkers = workers
    }

    /// Queues a job; it runs on one of the pool's threads.
    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        let needWorker = liveWorkers < targetWorkers
        if needWorker { liveWorkers += 1 }
        condition.signal()
        condition.unlock()
        if needWorker { startWorker() }
    }

    /// Jobs waiting for a worker.
    var queuedJobs: Int { condition.withLock { jobs.count } }

    /// A job is stuck: add a worker so the pool keeps its capacity.
    func jobStuck() {
        condition.lock()
        targetWorkers += 1
        let needWorker = !jobs.isEmpty
        if needWorker { liveWorkers += 1 }
        condition.unlock()
        if needWorker { startWorker() }
    }

    /// A stuck job returned: the extra worker retires when it next finds the queue empty.
    func stuckJobReturned() {
        condition.withLock { targetWorkers -= 1 }
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
            condition.withLock { liveWorkers -= 1 }
        }
    }

    private func work() {
        condition.lock()
        while true {
            while jobs.isEmpty {
                if liveWorkers > targetWorkers {
                    liveWorkers -= 1
                    condition.unlock()
                    return
                }
                condition.wait()
            }
            let job = jobs.take()
            condition.unlock()
            job?()
            condition.lock()
        }
    }
}
