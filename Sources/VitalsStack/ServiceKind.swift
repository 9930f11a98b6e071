/// What a service is; it decides the probes a service gets when it declares none, and (for the
/// provisioner) which alerts and dashboards it gets.
public enum ServiceKind: String, Sendable, Hashable, CaseIterable {
    case fastapi, redis, celery, postgres, prometheus, alertmanager, grafana, vitals, http, tcp

    /// The probes a service of this kind gets when its stack file declares none.
    ///
    /// - fastapi, http: liveness `GET /health/live`, readiness `GET /health/ready`; each falls back to
    ///   `GET /health` when its path answers 404, for services that only have that one.
    /// - vitals: liveness and readiness both on `/health/live`: its `/health/ready` reports the whole
    ///   stack, which would make a `vitals serve` that watches its own stack wait on itself.
    /// - prometheus, alertmanager: liveness `/-/healthy`, readiness `/-/ready`.
    /// - grafana: both on `/api/health`.
    /// - redis: both send `PING` and expect `+PONG`.
    /// - postgres, tcp, celery: both a TCP connect (celery: to whatever endpoints are listed, such as
    ///   its metrics exporter; a celery service without endpoints has no probes and counts as ready).
    public func defaultProbes(timing: ProbeTiming) -> [ProbeSpec] {
        func http(_ liveness: String, _ readiness: String, fallback: String? = nil) -> [ProbeSpec] {
            [
                ProbeSpec(
                    kind: .liveness, handler: .httpGet(HTTPGetAction(path: liveness, fallbackPath: fallback)),
                    timing: timing.forcingSingleSuccess()),
                ProbeSpec(
                    kind: .readiness, handler: .httpGet(HTTPGetAction(path: readiness, fallbackPath: fallback)),
                    timing: timing),
            ]
        }
        func both(_ handler: ProbeHandler) -> [ProbeSpec] {
            [
                ProbeSpec(kind: .liveness, handler: handler, timing: timing.forcingSingleSuccess()),
                ProbeSpec(kind: .readiness, handler: handler, timing: timing),
            ]
        }
        switch self {
        case .fastapi, .http: return http("/health/live", "/health/ready", fallback: "/health")
        case .vitals: return http("/health/live", "/health/live")
        case .prometheus, .alertmanager: return http("/-/healthy", "/-/ready")
        case .grafana: return http("/api/health", "/api/health")
        case .redis: return both(.redisPing(port: nil))
        case .postgres, .tcp, .celery: return both(.tcpSocket(port: nil))
        }
    }
}

extension ProbeTiming {
    /// Liveness and startup probes must have successThreshold 1 (a Kubernetes rule).
    func forcingSingleSuccess() -> ProbeTiming {
        var timing = self
        timing.successThreshold = 1
        return timing
    }
}
