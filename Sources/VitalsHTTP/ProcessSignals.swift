#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch

/// Waits for process signals without blocking a thread, for daemons that shut down on
/// SIGTERM/SIGINT (and, for `vitals serve`, reload on SIGHUP).
public enum ProcessSignals {
    /// Suspends until one of `signals` arrives and returns it.
    public static func next(of signals: [Int32]) async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let queue = DispatchQueue(label: "vitals.signals")
            let sources = signals.map { signalNumber -> any DispatchSourceSignal in
                signal(signalNumber, SIG_IGN)
                return DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            }
            let box = SourcesBox(sources)
            for (index, source) in sources.enumerated() {
                let signalNumber = signals[index]
                source.setEventHandler {
                    guard box.claim() else { return }
                    for other in box.sources { other.cancel() }
                    continuation.resume(returning: signalNumber)
                }
                source.resume()
            }
        }
    }

    /// Holds the sources alive and makes sure only the first signal resumes the waiter.
    private final class SourcesBox: @unchecked Sendable {
        // Only touched on the serial signal queue.
        let sources: [any DispatchSourceSignal]
        private var claimed = false

        init(_ sources: [any DispatchSourceSignal]) {
            self.sources = sources
        }

        func claim() -> Bool {
            defer { claimed = true }
            return !claimed
        }
    }
}
