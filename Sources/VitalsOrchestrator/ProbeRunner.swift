import NIOCore
import VitalsProbe
import VitalsStack

/// What the monitor needs from the probe engine: an event loop for each probe's timer, and one run
/// of a probe. `Prober` is the real one; tests stand in a scripted one on an `EmbeddedEventLoop`,
/// whose clock they advance, to check the kubelet's schedule and thresholds without waiting.
public protocol ProbeRunner: Sendable {
    /// The loop whose clock and timers one probe's schedule uses.
    func nextEventLoop() -> any EventLoop
    /// Runs one probe against one replica; never fails, a failure is a result.
    func run(_ handler: ProbeHandler, endpoint: Endpoint, timeoutSeconds: Int) -> EventLoopFuture<ProbeResult>
}

extension Prober: ProbeRunner {
    public func nextEventLoop() -> any EventLoop { group.next() }
}
