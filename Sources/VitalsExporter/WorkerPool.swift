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
    /// Workers waiting for a job.
    private var idleWorkers = 0
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

    /// Queues a job when a worker will take it soon: one is waiting, or the caller is one of this
    /// pool's workers and takes it after its current job. False, with nothing queued, otherwise:
    /// every worker may be held by a hung collector.
    func submitIfWorkerFree(_ job: @escaping @Sendable () -> Void) -> Bool {
        let callerIsWorker = pthread_getspecific(Self.currentPool) == Unmanaged.passUnretained(self).toOpaque()
        condition.lock()
        guard callerIsWorker || idleWorkers > 0 else {
            condition.unlock()
            return false
        }
        jobs.append(job)
        // A worker handing a scrape over to itself takes it next; waking another costs a switch.
        let handingOver = callerIsWorker && pthread_getspecific(Self.handingOver) != nil
        if idleWorkers > 0, !handingOver { condition.signal() }
        condition.unlock()
        return true
    }

    /// Runs `body`, which resumes a scrape, on a worker that is about to go back to the queue and
    /// will take the scrape next itself: no other worker is woken for it.
    static func handingOver(_ body: () -> Void) {
        pthread_setspecific(handingOver, UnsafeRawPointer(bitPattern: 1))
        body()
        pthread_setspecific(handingOver, nil)
    }

    /// Set while ``handingOver(_:)`` runs.
    private static let handingOver: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key for the worker pool")
        return key
    }()

    /// The pool whose worker the current thread is, if any.
    private static let currentPool: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key for the worker pool")
        return key
    }()

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
        pthread_setspecific(Self.currentPool, Unmanaged.passUnretained(self).toOpaque())
        // Named for `top -H` and /proc/PID/task/*/comm; the kernel keeps 15 bytes.
        CurrentThread.setName(name)
        condition.lock()
        while true {
            while jobs.isEmpty {
                if liveWorkers > targetWorkers {
                    liveWorkers -= 1
                    condition.unlock()
                    return
                }
                idleWorkers += 1
                condition.wait()
                idleWorkers -= 1
            }
            let job = jobs.take()
            condition.unlock()
            job?()
            condition.lock()
        }
    }
}

extension WorkerPool: TaskExecutor {
    /// A scrape's own code runs on the pool when it can: the worker that finishes the last
    /// collector picks the scrape up where it waited, instead of waking another thread for it.
    /// When no worker is free (all busy, or held by hung collectors), the job goes to the global
    /// executor, so a scrape always starts and always meets its deadline.
    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let queued = submitIfWorkerFree { unowned.runSynchronously(on: self.asUnownedTaskExecutor()) }
        if !queued { globalConcurrentExecutor.enqueue(unowned) }
    }
}
