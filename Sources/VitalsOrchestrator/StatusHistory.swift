import Synchronization
import VitalsProbe
import VitalsStack

/// What the status page remembers, in memory only (a restart loses it): per service, one bucket
/// per minute for the last hour (readiness and probe latency, for the sparkline and the 1 h uptime)
/// and one per hour for the last day (readiness, for the 24 h uptime), and the last readiness
/// transitions.
///
/// Its size is fixed by the number of services, never by time or traffic: 60 minute buckets of 6
/// bytes and 24 hour buckets of 4 bytes per service (about 460 bytes with the ring's bookkeeping),
/// and at most `transitionLimit` transitions.
public final class StatusHistory: Sendable {
    public static let minutes = 60
    public static let hours = 24
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

    /// One hour of one service: how many samples found it ready.
    struct Hour: Hashable {
        var ready: UInt16 = 0
        var samples: UInt16 = 0
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

    /// Buckets in a ring indexed by time, with the newest index they hold: moving forward clears
    /// the ones skipped, so a stale bucket never reads as current.
    struct Ring<Bucket> {
        var buckets: [Bucket]
        var newest: Int32 = -1
        let empty: Bucket

        init(count: Int, empty: Bucket) {
            buckets = [Bucket](repeating: empty, count: count)
            self.empty = empty
        }

        /// Moves the ring to `index` (a Unix minute or hour), clearing what it passes.
        mutating func advance(to index: Int32) {
            guard index > newest else { return }
            let steps = newest < 0 ? buckets.count : min(Int(index - newest), buckets.count)
            for back in 0..<steps { buckets[Int(index - Int32(back)) % buckets.count] = empty }
            newest = index
        }

        subscript(index: Int32) -> Bucket {
            get {
                guard index <= newest, index > newest - Int32(buckets.count), index >= 0 else { return empty }
                return buckets[Int(index) % buckets.count]
            }
            set {
                guard index <= newest, index > newest - Int32(buckets.count), index >= 0 else { return }
                buckets[Int(index) % buckets.count] = newValue
            }
        }
    }

    struct ServiceHistory {
        var minutes = Ring(count: StatusHistory.minutes, empty: Minute())
        var hours = Ring(count: StatusHistory.hours, empty: Hour())
        /// The sum of the current minute's latencies, for its mean.
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
        let hour = Int32(time / 3600)
        state.withLock { state in
            if state.since == nil { state.since = time }
            for service in status.services {
                var history = state.services[service.name] ?? ServiceHistory()
                if minute > history.minutes.newest { history.latencySum = 0 }
                history.minutes.advance(to: minute)
                history.hours.advance(to: hour)
                let ready = service.effectivelyReady
                var bucket = history.minutes[minute]
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
                        bucket.maxMilliseconds = max(bucket.maxMilliseconds, Self.clamped(latencies.max()! * 1000))
                    }
                    history.minutes[minute] = bucket
                }
                var hourly = history.hours[hour]
                if hourly.samples < UInt16.max {
                    hourly.samples += 1
                    if ready { hourly.ready += 1 }
                    history.hours[hour] = hourly
                }
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

    /// The share of samples that found `service` ready over the last hour (minute buckets) or
    /// the last day (hour buckets, the current one partial) before `time`; nil without samples.
    public func uptime(_ service: String, over window: Window, at time: Double) -> Double? {
        let (ready, samples): (Int, Int) = state.withLock { state in
            guard let history = state.services[service] else { return (0, 0) }
            switch window {
            case .hour:
                let now = Int32(time / 60)
                return (0..<Self.minutes).reduce((0, 0)) { sum, back in
                    let bucket = history.minutes[now - Int32(back)]
                    return (sum.0 + Int(bucket.ready), sum.1 + Int(bucket.samples))
                }
            case .day:
                let now = Int32(time / 3600)
                return (0..<Self.hours).reduce((0, 0)) { sum, back in
                    let bucket = history.hours[now - Int32(back)]
                    return (sum.0 + Int(bucket.ready), sum.1 + Int(bucket.samples))
                }
            }
        }
        return samples == 0 ? nil : Double(ready) / Double(samples)
    }

    public enum Window: Sendable {
        case hour, day
    }

    /// The last hour's minute buckets of `service`, oldest first; minutes without samples are empty.
    public func minutes(_ service: String, at time: Double) -> [Minute] {
        let now = Int32(time / 60)
        return state.withLock { state in
            guard let history = state.services[service] else { return [] }
            return (0..<Self.minutes).reversed().map { history.minutes[now - Int32($0)] }
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
