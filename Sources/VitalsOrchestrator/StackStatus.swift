import VitalsProbe
import VitalsStack

/// Where a stack stands: per service, per replica, per probe. Computed from probe states by
/// pure functions, so `check`, `wait` and `serve` judge readiness the same way.
public struct StackStatus: Sendable {
    public var stack: Stack
    public var services: [ServiceStatus]

    /// Every selected service is effectively ready.
    public var ready: Bool { services.allSatisfy(\.effectivelyReady) }

    public func service(_ name: String) -> ServiceStatus? { services.first { $0.name == name } }
}

public struct ServiceStatus: Sendable {
    public var name: String
    public var kind: ServiceKind
    public var endpoints: [EndpointStatus]
    /// Every replica's readiness holds (and its startup probe, if any, succeeded).
    public var ready: Bool
    /// Every replica's liveness holds.
    public var live: Bool
    /// Ready, and everything it depends on is effectively ready.
    public var effectivelyReady: Bool
    /// The first dependency that is not effectively ready, when this service itself is ready.
    public var blockedBy: String?
    /// A startup probe has used up its failureThreshold on some replica.
    public var startupExhausted: Bool
    /// How many replicas are ready.
    public var readyReplicas: Int

    /// Why the service is not effectively ready, in words, or nil when it is.
    public var reason: String? {
        if effectivelyReady { return nil }
        if startupExhausted {
            return
                "a startup probe failed \(endpoints.compactMap { $0.probes[.startup]?.failureThreshold }.first ?? 0) times in a row"
        }
        if !ready {
            let failing = endpoints.filter { !$0.ready }
            let details = failing.map { endpoint -> String in
                let message = endpoint.probes.values.compactMap { $0.lastResult?.message }.first
                let waiting = endpoint.started ? "not ready" : "not started"
                return "\(endpoint.address) \(waiting)" + (message.map { ": \($0)" } ?? "")
            }
            return "\(readyReplicas)/\(endpoints.count) replicas ready; " + details.joined(separator: "; ")
        }
        if let blockedBy { return "ready, but waiting for its dependency \(blockedBy)" }
        return nil
    }
}

public struct EndpointStatus: Sendable {
    public var address: Endpoint
    public var probes: [ProbeKind: ProbeState]
    public var started: Bool
    public var ready: Bool
    public var live: Bool
}

extension StackStatus {
    /// Judges every service from the probe states of its replicas.
    public static func evaluate(stack: Stack, services: [Service], states: [StateKey: ProbeState]) -> StackStatus {
        var statuses: [ServiceStatus] = []
        for service in services {
            var endpoints: [EndpointStatus] = []
            for endpoint in service.endpoints {
                var probes: [ProbeKind: ProbeState] = [:]
                for probe in service.probes {
                    probes[probe.kind] =
                        states[StateKey(service: service.name, endpoint: endpoint, probe: probe.kind)]
                        ?? ProbeState(kind: probe.kind, timing: probe.timing)
                }
                let started = probes[.startup].map(\.succeeded) ?? true
                let ready = started && (probes[.readiness].map(\.succeeded) ?? true)
                let live = probes[.liveness].map(\.succeeded) ?? true
                endpoints.append(
                    EndpointStatus(address: endpoint, probes: probes, started: started, ready: ready, live: live))
            }
            let readyReplicas = endpoints.filter(\.ready).count
            statuses.append(
                ServiceStatus(
                    name: service.name, kind: service.kind, endpoints: endpoints,
                    ready: readyReplicas == endpoints.count,
                    live: endpoints.allSatisfy(\.live), effectivelyReady: false, blockedBy: nil,
                    startupExhausted: endpoints.contains { $0.probes[.startup]?.state == .failure },
                    readyReplicas: readyReplicas))
        }
        // Effective readiness follows dependencies; the graph has no cycles (validated on load).
        var effective: [String: Bool] = [:]
        func isEffectivelyReady(_ name: String) -> Bool {
            if let known = effective[name] { return known }
            guard let status = statuses.first(where: { $0.name == name }),
                let service = stack.service(named: name)
            else {
                // A dependency outside the selection: judged as not ready, since it is not probed.
                effective[name] = false
                return false
            }
            let value = status.ready && service.dependsOn.allSatisfy(isEffectivelyReady)
            effective[name] = value
            return value
        }
        for index in statuses.indices {
            let name = statuses[index].name
            statuses[index].effectivelyReady = isEffectivelyReady(name)
            if statuses[index].ready, !statuses[index].effectivelyReady {
                statuses[index].blockedBy = stack.service(named: name)?.dependsOn.first { !isEffectivelyReady($0) }
            }
        }
        return StackStatus(stack: stack, services: statuses)
    }
}

/// Identifies one probe of one replica.
public struct StateKey: Sendable, Hashable {
    public var service: String
    public var endpoint: Endpoint
    public var probe: ProbeKind

    public init(service: String, endpoint: Endpoint, probe: ProbeKind) {
        self.service = service
        self.endpoint = endpoint
        self.probe = probe
    }
}
