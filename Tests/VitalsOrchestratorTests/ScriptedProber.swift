import NIOCore
import NIOEmbedded
import Synchronization
import VitalsOrchestrator
import VitalsProbe
import VitalsStack

/// A probe engine whose answers a test sets per HTTP path, on one `EmbeddedEventLoop` whose clock
/// the test advances: the monitor's schedule and thresholds, checked without waiting.
final class ScriptedProber: ProbeRunner, @unchecked Sendable {
    let loop = EmbeddedEventLoop()
    private let answers = Mutex<[String: ProbeResult.Outcome]>([:])
    private let runs = Mutex<[String: Int]>([:])

    func nextEventLoop() -> any EventLoop { loop }

    func run(_ handler: ProbeHandler, endpoint: Endpoint, timeoutSeconds: Int) -> EventLoopFuture<ProbeResult> {
        guard case .httpGet(let action) = handler else {
            return loop.makeSucceededFuture(.failure("the scripted prober answers HTTP probes only"))
        }
        runs.withLock { $0[action.path, default: 0] += 1 }
        let outcome = answers.withLock { $0[action.path] } ?? .success
        return loop.makeSucceededFuture(
            outcome == .success
                ? ProbeResult(outcome: .success, statusCode: 200)
                : .failure("HTTP probe failed with statuscode: 503", statusCode: 503))
    }

    func set(_ path: String, _ outcome: ProbeResult.Outcome) { answers.withLock { $0[path] = outcome } }

    func runs(_ path: String) -> Int { runs.withLock { $0[path] ?? 0 } }

    /// Moves the loop's clock on, running every timer that falls due.
    func advance(seconds: Double) {
        loop.advanceTime(by: .nanoseconds(Int64(seconds * 1e9)))
    }
}
