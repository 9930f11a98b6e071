import Foundation

/// Threads of the tests' own for test bodies that block (waiting for processes, sockets, sleeps).
///
/// Swift's cooperative pool has one thread per core. A test that blocks one of them starves every
/// other suite running at the same time, and above all the in-process servers whose responders run
/// as tasks: on two cores, two blocking tests were enough to make another suite's server miss its
/// deadlines. Test bodies run here instead (see the `.blockingWork` trait).
public final class BlockingExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = BlockingExecutor(threads: 16)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init(threads: Int) {
        for index in 0..<threads {
            let thread = Thread { [self] in run() }
            thread.name = "test-blocking-\(index)"
            thread.start()
        }
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
