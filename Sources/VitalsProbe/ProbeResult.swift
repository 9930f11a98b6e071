/// The outcome of one probe run, as the kubelet's prober reports it.
public struct ProbeResult: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        case success, failure, unknown
    }

    public var outcome: Outcome
    /// The final HTTP status, for HTTP probes that got an answer.
    public var statusCode: Int?
    /// Seconds from the start of the probe to its result.
    public var durationSeconds: Double
    /// Why it failed, or a warning on success (a redirect to another host).
    public var message: String?
    /// What the engine said about the container, for container probes that reached it.
    public var container: ContainerObservation?

    public init(outcome: Outcome, statusCode: Int? = nil, durationSeconds: Double = 0, message: String? = nil) {
        self.outcome = outcome
        self.statusCode = statusCode
        self.durationSeconds = durationSeconds
        self.message = message
    }

    public static func failure(_ message: String, statusCode: Int? = nil) -> ProbeResult {
        ProbeResult(outcome: .failure, statusCode: statusCode, message: message)
    }
}
