import VitalsDocuments
import VitalsOrchestrator
import VitalsProbe
import VitalsStack

/// `GET /api/v1/status`: what the page shows, as JSON with a stable schema
/// (schemas/status.schema.json, documented in docs/orchestrator.md). Every key is always present,
/// null when it has no value, so scripts can rely on the shape.
public struct StatusDocument: Sendable {
    public static let schemaVersion = 1
    /// The stack's headline: every service effectively ready, some service with no ready replica,
    /// or anything in between.
    public enum State: String, Sendable {
        case ready, degraded, down
    }

    /// A service's state: ready and so is everything it depends on; ready but waiting for a
    /// dependency; some replicas ready; none.
    public enum ServiceState: String, Sendable {
        case ready, blocked, degraded, down
    }

    public var status: StackStatus
    public var history: StatusHistory
    /// Unix seconds.
    public var now: Double
    public var version: String

    public init(status: StackStatus, history: StatusHistory, now: Double, version: String) {
        self.status = status
        self.history = history
        self.now = now
        self.version = version
    }

    public var state: State {
        if status.ready { return .ready }
        return status.services.contains { serviceState($0) == .down } ? .down : .degraded
    }

    public func serviceState(_ service: ServiceStatus) -> ServiceState {
        if service.effectivelyReady { return .ready }
        if service.ready { return .blocked }
        return service.readyReplicas > 0 ? .degraded : .down
    }

    /// `3 of 4 services ready`.
    public var summary: String {
        let ready = status.services.filter(\.effectivelyReady).count
        return "\(ready) of \(status.services.count) service\(status.services.count == 1 ? "" : "s") ready"
    }

    /// The last error of a service in the kubelet's words: the message of a failing probe.
    public func lastError(_ service: ServiceStatus) -> String? {
        for endpoint in service.endpoints {
            for kind in [ProbeKind.startup, .readiness, .liveness] {
                if let state = endpoint.probes[kind], let result = state.lastResult, result.outcome == .failure {
                    return "\(endpoint.address): \(result.message ?? "\(kind.rawValue) probe failed")"
                }
            }
        }
        return nil
    }

    /// Mean readiness latency per minute over the sparkline's window, in seconds; nil for minutes
    /// without samples.
    public func latency(_ service: String) -> [Double?] {
        history.minutes(service, at: now).map { $0.samples == 0 ? nil : Double($0.meanMilliseconds) / 1000 }
    }

    public var json: JSONNode {
        func optional<T>(_ value: T?, _ wrap: (T) -> JSONNode) -> JSONNode { value.map(wrap) ?? .null }
        return [
            "schemaVersion": .integer(Self.schemaVersion),
            "stack": .string(status.stack.name),
            "state": .string(state.rawValue),
            "summary": .string(summary),
            "generatedAt": .number(now),
            "historySince": optional(history.since, JSONNode.number),
            "version": .string(version),
            "services": .array(
                status.services.map { service in
                    [
                        "name": .string(service.name),
                        "kind": .string(service.kind.rawValue),
                        "state": .string(serviceState(service).rawValue),
                        "ready": .boolean(service.ready),
                        "live": .boolean(service.live),
                        "effectivelyReady": .boolean(service.effectivelyReady),
                        "readyReplicas": .integer(service.readyReplicas),
                        "replicas": .integer(service.endpoints.count),
                        "blockedBy": optional(service.blockedBy, JSONNode.string),
                        "lastError": optional(lastError(service), JSONNode.string),
                        "uptime": [
                            "1h": optional(history.uptime(service.name, over: .hour, at: now), JSONNode.number),
                            "24h": optional(history.uptime(service.name, over: .day, at: now), JSONNode.number),
                        ],
                        "latencySeconds": .array(latency(service.name).map { optional($0, JSONNode.number) }),
                        "endpoints": .array(service.endpoints.map(Self.endpoint)),
                    ]
                }),
            "transitions": .array(
                history.transitions().map { transition in
                    [
                        "at": .number(transition.at), "service": .string(transition.service),
                        "ready": .boolean(transition.ready),
                        "reason": optional(transition.reason, JSONNode.string),
                    ]
                }),
        ]
    }

    static func endpoint(_ endpoint: EndpointStatus) -> JSONNode {
        func optional<T>(_ value: T?, _ wrap: (T) -> JSONNode) -> JSONNode { value.map(wrap) ?? .null }
        let probes = endpoint.probes.sorted { $0.key < $1.key }.map { kind, state -> JSONNode in
            let result = state.lastResult
            return [
                "probe": .string(kind.rawValue),
                "state": .string(state.state.rawValue),
                "lastResult": optional(result?.outcome.rawValue, JSONNode.string),
                "statusCode": optional(result?.statusCode, JSONNode.integer),
                "latencySeconds": optional(result?.durationSeconds, JSONNode.number),
                "message": optional(result?.message, JSONNode.string),
                "container": optional(result?.container, \.json),
            ]
        }
        return [
            "address": .string(endpoint.address.description), "ready": .boolean(endpoint.ready),
            "live": .boolean(endpoint.live), "probes": .array(probes),
        ]
    }
}
