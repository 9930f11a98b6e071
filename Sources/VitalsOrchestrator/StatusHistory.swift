import Synchronization
import VitalsProbe
import VitalsStack

/// What the status page remembers, in memory only (a restart loses it): per service, one bucket
/// per minute for the last 24 hours, and the last readiness transitions.
///
/// Its size is fixed by the number of services, never by time or traffic: 1,440 buckets of 6
/// bytes per service, and at most `transitionLimit` transitions.
public final class StatusHistory: Sendable {
    public static let minutes = 24 * 60
    public static let transitionLimit = 100

    /// One minute of one service: how many samples found it ready, and its probe latency.
    public struct Minute: Sendable, Hashable {
        public var ready: UInt8 = 0
        public var samples: UInt8 = 0
        /// Mean and worst readiness probe latency of the minute, in milliseconds (saturating).
        public var meanMilliseconds: UInt16 = 0
        public var maxMilliseconds: UInt16 = 0

        public init() {}
    }

    /// A service's readiness changing.
    public struct Transition: Sendable, Hashable {
        /// Unix time, in seconds.
        public var at: Double
        public var service: String
        public var ready: Bool
        /// Why it is not ready, in the kubelet's words; nil when it became ready.
        public var reason: String?
    }

    struct ServiceHistory {
        /// Ring of minute buckets, indexed by the Unix minute modulo `minutes`.
        var buckets = [Minute](repeating: Minute(), count: StatusHistory.minutes)
        /// The Unix minute each bucket holds, so that stale ones read as empty.
        var bucketMinute = [Int32](repeating: -1, count: StatusHistory.minutes)
        var latencySum = 0.0
        var lastReady: Bool?
    }

    struct State {
        var services: [String: ServiceHistory] = [:]
        var transitions: [Transition] = []
        var since: Double?
    }

    private let state = Mutex(State())

    public init() {}

    /// Records one sample of the stack at `time` (Unix seconds): each service's readiness and the
    /// mean latency of its readiness probes' last results, and any readiness transition.
    public func record(_ status: StackStatus, at time: Double) {
        let minute = Int32(time / 60)
        let slot = Int(minute) % Self.minutes
        state.withLock { state in
            if state.since == nil { state.since = time }
            for service in status.services {
                var history = state.services[service.name] ?? ServiceHistory()
                if history.bucketMinute[slot] != minute {
                    history.bucketMinute[slot] = minute
                    history.buckets[slot] = Minute()
                    history.latencySum = 0
                }
                let ready = service.effectivelyReady
                var bucket = history.buckets[slot]
                if bucket.samples < UInt8.max {
                    bucket.samples += 1
                    if ready { bucket.ready += 1 }
                    let latencies = service.endpoints.compactMap {
                        ($0.probes[.readiness] ?? $0.probes[.liveness])?.lastResult?.durationSeconds
                    }
                    if !latencies.isEmpty {
                        let milliseconds = latencies.reduce(0, +) / Double(latencies.count) * 1000
                        history.latencySum += milliseconds
                        bucket.meanMilliseconds = Self.clamped(history.latencySum / Double(bucket.samples))
                        bucket.maxMilliseconds = max(
                            bucket.maxMilliseconds, Self.clamped(latencies.max()! * 1000))
                    }
                }
                history.buckets[slot] = bucket
                if history.lastReady != ready {
                    if history.lastReady != nil {
                        state.transitions.append(
                            Transition(at: time, service: service.name, ready: ready, reason: service.reason))
                        if state.transitions.count > Self.transitionLimit {
                            state.transitions.removeFirst(state.transitions.count - Self.transitionLimit)
                        }
                    }
                    history.lastReady = ready
                }
                state.services[service.name] = history
            }
        }
    }

    /// The share of samples that found `service` ready over the last `minutes` before `time`, or
    /// nil without samples.
    public func uptime(_ service: String, minutes: Int, at time: Double) -> Double? {
        let (ready, samples) = buckets(service, minutes: minutes, at: time).reduce((0, 0)) {
            ($0.0 + Int($1.ready), $0.1 + Int($1.samples))
        }
        return samples == 0 ? nil : Double(ready) / Double(samples)
    }

    /// The last `minutes` buckets of `service`, oldest first; minutes without samples are empty.
    public func buckets(_ service: String, minutes: Int, at time: Double) -> [Minute] {
        let now = Int32(time / 60)
        return state.withLock { state in
            guard let history = state.services[service] else { return [] }
            return (0..<min(minutes, Self.minutes)).reversed().map { back in
                let minute = now - Int32(back)
                let slot = Int(minute) % Self.minutes
                return history.bucketMinute[slot] == minute ? history.buckets[slot] : Minute()
            }
        }
    }

    /// The last transitions, newest first.
    public func transitions() -> [Transition] { state.withLock { $0.transitions.reversed() } }

    /// When the first sample was taken: what the page's history covers.
    public var since: Double? { state.withLock { $0.since } }

    static func clamped(_ milliseconds: Double) -> UInt16 {
        UInt16(max(0, min(Double(UInt16.max), milliseconds.rounded())))
    }
}
