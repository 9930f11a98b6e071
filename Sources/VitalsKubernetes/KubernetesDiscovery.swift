import NIOCore
import Synchronization
import VitalsStack

/// The ready pods behind every Kubernetes Service a stack names, kept current by one watcher per
/// Service, and the stack with those pods as the replicas.
public final class KubernetesDiscovery: Sendable {
    public let client: KubernetesAPIClient
    public let services: [KubernetesService]
    private let discovered: Mutex<[KubernetesService: [Endpoint]]> = Mutex([:])
    private let timing: ServiceEndpointsWatcher.Timing

    public init(client: KubernetesAPIClient, stack: Stack, timing: ServiceEndpointsWatcher.Timing = .init()) {
        self.client = client
        self.services = Self.services(in: stack)
        self.timing = timing
    }

    /// The Kubernetes Services a stack's replicas name, in file order, without repeats.
    public static func services(in stack: Stack) -> [KubernetesService] {
        var seen: Set<KubernetesService> = []
        var result: [KubernetesService] = []
        for service in stack.services {
            for endpoint in service.endpoints {
                if let named = endpoint.kubernetesService, seen.insert(named).inserted { result.append(named) }
            }
        }
        return result
    }

    /// Watches every Service until cancelled; `changed` is called after each change of pods.
    public func run(
        changed: @escaping @Sendable () -> Void,
        failed: @escaping @Sendable (KubernetesService, KubernetesAPIError) -> Void
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for service in services {
                var watcher = ServiceEndpointsWatcher(client: client, service: service)
                watcher.timing = timing
                group.addTask { [self] in
                    await watcher.run(
                        update: { endpoints in
                            self.discovered.withLock { $0[service] = endpoints }
                            changed()
                        },
                        failed: { error in failed(service, error) })
                }
            }
        }
    }

    /// The pods found so far, by Service.
    public var current: [KubernetesService: [Endpoint]] { discovered.withLock { $0 } }

    /// The stack with each Kubernetes Service endpoint replaced by the ready pods behind it.
    /// A Service whose pods are not known yet, or with no ready pod, keeps its own address, so
    /// that it is probed as its clients reach it (and fails as they would).
    public static func resolve(_ stack: Stack, with pods: [KubernetesService: [Endpoint]]) -> Stack {
        var resolved = stack
        for index in resolved.services.indices {
            var endpoints: [Endpoint] = []
            for endpoint in resolved.services[index].endpoints {
                if let named = endpoint.kubernetesService, let found = pods[named], !found.isEmpty {
                    endpoints += found.filter { !endpoints.contains($0) }
                } else {
                    endpoints.append(endpoint)
                }
            }
            resolved.services[index].endpoints = endpoints
        }
        return resolved
    }
}
