import Foundation

/// A real child process for tests: started with arguments, its output captured, stopped by signal.
public final class ManagedProcess: @unchecked Sendable {
    public let process = Process()
    private let output = Pipe()
    /// Guards `captured` and `exited`, and wakes waiters when either changes: tests wait on
    /// output and exit as conditions, never by polling with sleeps.
    private let state = NSCondition()
    private var captured = Data()
    private var exited = false

    public init(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: String? = nil
    ) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        process.standardOutput = output
        process.standardError = output
        process.terminationHandler = { [weak self] _ in
            guard let self else { return }
            self.state.lock()
            self.exited = true
            self.state.broadcast()
            self.state.unlock()
        }
        try runWithCleanSignalMask(process)
        // Read on a thread of its own with blocking reads until end of file, which comes once the
        // child and anything it started have closed the pipe. Not `readabilityHandler`: tearing
        // down its dispatch read source races the descriptor's close, and libdispatch's manager
        // thread then crashes the whole test process (swift-corelibs-libdispatch#949, seen here
        // while a thousand connections churned descriptors). The thread holds the read end, so
        // the descriptor stays open until it is done.
        let reader = output.fileHandleForReading
        Thread.detachNewThread { [weak self] in
            let chunk = 64 * 1024
            var buffer = [UInt8](repeating: 0, count: chunk)
            while true {
                let got = buffer.withUnsafeMutableBytes { read(reader.fileDescriptor, $0.baseAddress, chunk) }
                if got < 0, errno == EINTR { continue }
                guard got > 0, let self else { break }
                self.state.lock()
                self.captured.append(contentsOf: buffer[0..<got])
                self.state.broadcast()
                self.state.unlock()
            }
            withExtendedLifetime(reader) {}
        }
    }

    /// Everything the process wrote to stdout and stderr so far.
    public var outputText: String {
        state.lock()
        defer { state.unlock() }
        return String(decoding: captured, as: UTF8.self)
    }

    public var pid: Int32 { process.processIdentifier }

    /// Waits, woken by new output and by the exit, until `found` (called under the lock with the
    /// output so far and whether the process exited) returns non-nil or `deadline` passes.
    private func waitFor<T>(until deadline: Date, _ found: (String, Bool) -> T?) -> T? {
        state.lock()
        defer { state.unlock() }
        while true {
            if let result = found(String(decoding: captured, as: UTF8.self), exited) { return result }
            if !state.wait(until: deadline) {
                return found(String(decoding: captured, as: UTF8.self), exited)
            }
        }
    }

    /// Whether the output contains `text` within `timeout` (output arrives asynchronously).
    public func output(contains text: String, within timeout: TimeInterval = 5) -> Bool {
        waitFor(until: Date().addingTimeInterval(timeout)) { output, _ in output.contains(text) ? true : nil } ?? false
    }

    /// Waits until the output contains a line matching `predicate` and returns that line.
    public func waitForLine(
        timeout: TimeInterval = 20, _ predicate: (String) -> Bool
    ) throws -> String {
        enum Outcome {
            case line(String)
            case exited
        }
        let outcome = waitFor(until: Date().addingTimeInterval(timeout)) { output, exited -> Outcome? in
            if let line = output.split(separator: "\n").map(String.init).first(where: predicate) { return .line(line) }
            return exited ? .exited : nil
        }
        switch outcome {
        case .line(let line): return line
        case .exited: throw MissingPrerequisite("process exited with \(process.terminationStatus): \(outputText)")
        case nil: throw MissingPrerequisite("timed out waiting for output; got: \(outputText)")
        }
    }

    /// Sends a signal.
    public func signal(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for exit; returns the exit status, or nil if it did not exit in time.
    @discardableResult
    public func waitForExit(timeout: TimeInterval = 10) -> Int32? {
        var done = waitFor(until: Date().addingTimeInterval(timeout)) { _, exited in exited ? true : nil } ?? false
        if !done, Self.hasExited(process.processIdentifier) {
            // The child did exit in time (it is a zombie, or already reaped); Foundation learns of
            // it on a dispatch queue that a busy test run can starve, so give it time to catch up
            // and report the status. A child still running is reported as not exited.
            done = waitFor(until: Date().addingTimeInterval(60)) { _, exited in exited ? true : nil } ?? false
        }
        return done ? process.terminationStatus : nil
    }

    /// Whether the kernel says `pid` has exited: no longer in /proc, or a zombie awaiting its reaper.
    static func hasExited(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // The state follows the command name, which is in parentheses and may hold spaces.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state == "Z" || state == "X"
    }

    /// Stops the process (SIGTERM, then SIGKILL).
    public func stop() {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if waitForExit(timeout: 5) == nil {
            signal(SIGKILL)
            waitForExit(timeout: 5)
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
    }
}

/// Starts `process` with an empty signal mask. Swift's worker threads block most signals, and a
/// spawned child inherits the mask of the thread that spawns it: without this, a child such as
/// redis-server would never see SIGTERM.
func runWithCleanSignalMask(_ process: Process) throws {
    var empty = sigset_t()
    var previous = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &previous)
    defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
    try process.run()
}

/// Runs a command to completion and returns its status and combined output, read to its end.
public func runCommand(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) throws -> (
    status: Int32, output: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try runWithCleanSignalMask(process)
    // Read on another thread until EOF, which comes once the command and anything it started
    // have closed their output; meanwhile this thread enforces the timeout.
    let reader = pipe.fileHandleForReading
    let done = DispatchSemaphore(value: 0)
    let collected = LockedBox(Data())
    Thread.detachNewThread {
        collected.set(reader.readDataToEndOfFile())
        done.signal()
    }
    guard done.wait(timeout: .now() + timeout) == .success else {
        kill(process.processIdentifier, SIGKILL)
        throw MissingPrerequisite("\(executable) \(arguments) did not finish within \(timeout)s")
    }
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: collected.get(), as: UTF8.self))
}

/// A value shared between threads under a lock.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func get() -> Value {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set(_ newValue: Value) {
        lock.lock()
        value = newValue
        lock.unlock()
    }
}
