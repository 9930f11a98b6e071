/// The three kinds of Kubernetes probe, with the kubelet's meaning.
public enum ProbeKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Gates the other two: until it succeeds, liveness and readiness are not run.
    case startup
    /// Whether the replica is alive (a failure would mean a restart in Kubernetes).
    case liveness
    /// Whether the replica should receive traffic.
    case readiness

    public static func < (lhs: ProbeKind, rhs: ProbeKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How a probe checks a replica.
public enum ProbeHandler: Sendable, Hashable {
    case httpGet(HTTPGetAction)
    /// Connect to the port (the endpoint's unless given).
    case tcpSocket(port: Int?)
    case exec(command: [String])
    /// Send `PING`, expect `+PONG` (the `redis` kind's default).
    case redisPing(port: Int?)
}

/// An HTTP GET probe, with Kubernetes' `httpGet` fields.
public struct HTTPGetAction: Sendable, Hashable {
    public var path: String
    public var port: Int?
    public var host: String?
    public var scheme: Scheme
    public var headers: [Header]
    /// HTTPS certificates are not verified unless the stack file asks (`tlsVerify: true`).
    public var verifyTLS: Bool
    /// Asked instead when `path` answers 404: the `/health` fallback of the HTTP kinds.
    public var fallbackPath: String?

    public enum Scheme: String, Sendable, Hashable {
        case http = "HTTP"
        case https = "HTTPS"
    }

    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(
        path: String, port: Int? = nil, host: String? = nil, scheme: Scheme = .http, headers: [Header] = [],
        verifyTLS: Bool = false, fallbackPath: String? = nil
    ) {
        self.path = path
        self.port = port
        self.host = host
        self.scheme = scheme
        self.headers = headers
        self.verifyTLS = verifyTLS
        self.fallbackPath = fallbackPath
    }
}

/// Timing and thresholds, with Kubernetes' names, defaults and limits.
public struct ProbeTiming: Sendable, Hashable {
    public var initialDelaySeconds = 0
    public var periodSeconds = 10
    public var timeoutSeconds = 1
    public var successThreshold = 1
    public var failureThreshold = 3

    public init() {}
}

/// One probe of a service.
public struct ProbeSpec: Sendable, Hashable {
    public var kind: ProbeKind
    public var handler: ProbeHandler
    public var timing: ProbeTiming

    public init(kind: ProbeKind, handler: ProbeHandler, timing: ProbeTiming) {
        self.kind = kind
        self.handler = handler
        self.timing = timing
    }

    /// A short human description, such as `GET /health/ready` or `TCP :6379`.
    public var summary: String {
        switch handler {
        case .httpGet(let action): "GET \(action.path)"
        case .tcpSocket(let port): "TCP" + (port.map { " :\($0)" } ?? "")
        case .exec(let command): "exec \(command.joined(separator: " "))"
        case .redisPing: "redis PING"
        }
    }
}
