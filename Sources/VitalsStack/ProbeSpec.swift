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
    /// Ask the container engine for the replica's container: its state and its own healthcheck's
    /// verdict, so that a healthcheck run inside the container is judged as compose judges it.
    case container(ContainerSelector)

    /// The handler as one replica runs it: a compose service's container probe names the replica's
    /// container number (compose numbers replicas from 1) and, when the file left it out, the
    /// project (the stack's name). Every other handler is the same for all replicas.
    public func forReplica(_ index: Int, stackName: String) -> ProbeHandler {
        guard case .container(var selector) = self else { return self }
        if case .composeService(let project, let service, _) = selector.target {
            selector.target = .composeService(project: project ?? stackName, service: service, number: index + 1)
        }
        return .container(selector)
    }
}

/// Which container a `container` probe asks about, and where the engine listens.
public struct ContainerSelector: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        /// A replica of a compose service, found by compose's labels (`com.docker.compose.project`,
        /// `.service`, `.container-number`). Project and number are filled in per replica.
        case composeService(project: String?, service: String, number: Int?)
        /// One container by name or ID.
        case name(String)
    }

    public var target: Target

    public init(_ target: Target) {
        self.target = target
    }

    /// `service web` or `web-1`, for messages.
    public var summary: String {
        switch target {
        case .composeService(_, let service, nil): "service \(service)"
        case .composeService(_, let service, let number?): "service \(service) #\(number)"
        case .name(let name): name
        }
    }
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

    /// The probe as one replica runs it (see `ProbeHandler.forReplica`).
    public func forReplica(_ index: Int, stackName: String) -> ProbeSpec {
        var probe = self
        probe.handler = handler.forReplica(index, stackName: stackName)
        return probe
    }

    /// A short human description, such as `GET /health/ready` or `TCP :6379`.
    public var summary: String {
        switch handler {
        case .httpGet(let action): "GET \(action.path)"
        case .tcpSocket(let port): "TCP" + (port.map { " :\($0)" } ?? "")
        case .exec(let command): "exec \(command.joined(separator: " "))"
        case .redisPing: "redis PING"
        case .container(let selector): "container \(selector.summary)"
        }
    }
}
