import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Waits for process signals without blocking a thread, for daemons that shut down on
/// SIGTERM/SIGINT (and, for `vitals serve`, reload on SIGHUP).
public enum ProcessSignals {
    /// Every arrival of one of `signals`, in order, for as long as the stream is iterated.
    ///
    /// One stream for a daemon's lifetime: its handlers stay installed between arrivals, so a
    /// second SIGHUP is never met by the default action (which would end the process).
    public static func stream(of signals: [Int32]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .unbounded)
        let queue = DispatchQueue(label: "vitals.signals")
        let sources = signals.map { signalNumber -> any DispatchSourceSignal in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            return source
        }
        let box = SourcesBox(sources)
        continuation.onTermination = { _ in box.cancel() }
        return stream
    }

    /// Keeps the sources alive while the stream lives.
    // Dispatch sources may be cancelled from any thread.
    private final class SourcesBox: @unchecked Sendable {
        let sources: [any DispatchSourceSignal]

        init(_ sources: [any DispatchSourceSignal]) {
            self.sources = sources
        }

        func cancel() {
            for source in sources { source.cancel() }
        }
    }
}
