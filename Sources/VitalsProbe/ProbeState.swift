import VitalsStack

/// The kubelet's result tracking for one probe of one replica.
///
/// Results are counted in runs of equal results; the reported state only changes when a run of
/// successes reaches `successThreshold` or a run of failures reaches `failureThreshold`. Initial
/// states are the kubelet's: readiness fails, liveness succeeds, startup is unknown until it
/// has a verdict.
public struct ProbeState: Sendable, Hashable {
    public private(set) var state: ProbeResult.Outcome
    public private(set) var lastResult: ProbeResult?
    /// Length of the current run of equal results.
    public private(set) var run = 0
    /// How many times the state changed.
    public private(set) var transitions = 0
    public let kind: ProbeKind
    public let successThreshold: Int
    public let failureThreshold: Int

    public init(kind: ProbeKind, timing: ProbeTiming) {
        self.kind = kind
        self.successThreshold = timing.successThreshold
        self.failureThreshold = timing.failureThreshold
        switch kind {
        case .readiness: state = .failure
        case .liveness: state = .success
        case .startup: state = .unknown
        }
    }

    /// Records one result; returns whether the state changed.
    @discardableResult
    public mutating func record(_ result: ProbeResult) -> Bool {
        if lastResult?.outcome == result.outcome {
            run += 1
        } else {
            run = 1
        }
        lastResult = result
        switch result.outcome {
        case .success where run < successThreshold, .failure where run < failureThreshold, .unknown:
            return false
        default:
            break
        }
        guard state != result.outcome else { return false }
        state = result.outcome
        transitions += 1
        return true
    }

    public var succeeded: Bool { state == .success }
}
