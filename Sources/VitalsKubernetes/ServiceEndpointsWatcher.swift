import NIOCore
import VitalsDocuments
import VitalsStack

/// Follows the ready pods behind one Kubernetes Service, as kube-proxy does: reads the Service to
/// learn which EndpointSlice port its port is, lists the Service's EndpointSlices, then watches
/// them from the list's resource version. A watch that ends or breaks resumes from the last
/// version seen; one whose version expired (410 Gone) lists again. Failures (an unreachable or
/// slow API server, RBAC refusing) are reported and retried with a growing pause; the last
/// known pods are kept meanwhile.
public struct ServiceEndpointsWatcher: Sendable {
    /// How long each step may take, and how long to pause after a failure.
    public struct Timing: Sendable {
        public var request: TimeAmount = .seconds(10)
        /// The server ends each watch after this long (`timeoutSeconds`); a quiet watch is
        /// given 30 s more before it is taken for broken.
        public var watchSeconds = 300
        public var firstRetry: TimeAmount = .seconds(1)
        public var maximumRetry: TimeAmount = .seconds(30)

        public init() {}
    }

    public let client: KubernetesAPIClient
    public let service: KubernetesService
    public var timing = Timing()

    public init(client: KubernetesAPIClient, service: KubernetesService) {
        self.client = client
        self.service = service
    }

    var servicePath: String { "/api/v1/namespaces/\(service.namespace)/services/\(service.name)" }

    var slicesPath: String {
        "/apis/discovery.k8s.io/v1/namespaces/\(service.namespace)/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D\(service.name)"
    }

    /// Runs until the task is cancelled, calling `update` with the ready pods whenever they change,
    /// and `failed` with each failure.
    public func run(
        update: @Sendable ([Endpoint]) -> Void, failed: @Sendable (KubernetesAPIError) -> Void
    ) async {
        var pause = timing.firstRetry
        var last: [Endpoint]?
        func publish(_ endpoints: [Endpoint]) {
            if endpoints != last {
                last = endpoints
                update(endpoints)
            }
        }
        while !Task.isCancelled {
            do throws(KubernetesAPIError) {
                let portName = try await self.portName()
                var slices = EndpointSliceSet()
                let list = try await getJSON(slicesPath)
                do {
                    try slices.replace(withList: list)
                } catch {
                    throw .malformed(path: slicesPath, reason: error.description)
                }
                publish(slices.readyEndpoints(portName: portName))
                pause = timing.firstRetry
                try await follow(&slices, portName: portName, publish: publish, failed: failed)
            } catch {
                failed(error)
                try? await Task.sleep(nanoseconds: UInt64(pause.nanoseconds))
                pause = min(pause * 2, timing.maximumRetry)
            }
        }
    }

    /// Watches from the list's version until the version expires (then returns, to list again).
    private func follow(
        _ slices: inout EndpointSliceSet, portName: String, publish: ([Endpoint]) -> Void,
        failed: (KubernetesAPIError) -> Void
    ) async throws(KubernetesAPIError) {
        var pause = timing.firstRetry
        while !Task.isCancelled {
            let version = slices.resourceVersion ?? ""
            let path =
                slicesPath + "&watch=1&allowWatchBookmarks=true&timeoutSeconds=\(timing.watchSeconds)"
                + "&resourceVersion=\(version)"
            do throws(KubernetesAPIError) {
                try await client.watch(
                    path, idleTimeout: .seconds(Int64(timing.watchSeconds) + 30),
                    lifetime: .seconds(Int64(timing.watchSeconds) + 60)
                ) { event throws(KubernetesAPIError) in
                    let applied: Bool
                    do throws(EndpointSliceError) {
                        applied = try slices.apply(event: event)
                    } catch {
                        throw .malformed(path: path, reason: error.description)
                    }
                    guard applied else {
                        // An ERROR event carries a Status; 410 means the version expired.
                        let status = event["object"]
                        let code = status?["code"]?.integerValue ?? 0
                        throw code == 410
                            ? .gone
                            : .status(code: code, path: path, message: status?["message"]?.stringValue ?? "watch error")
                    }
                    publish(slices.readyEndpoints(portName: portName))
                }
                pause = timing.firstRetry
            } catch .gone {
                return
            } catch let error where error.isUnreadableEvent {
                // Resuming from the last version would be sent the same event again: list afresh,
                // which also moves past it.
                failed(error)
                return
            } catch .forbidden(let path, let message) {
                throw .forbidden(path: path, message: message)
            } catch {
                // Broken, quiet for too long, or refused: resume from the last version seen.
                failed(error)
                try? await Task.sleep(nanoseconds: UInt64(pause.nanoseconds))
                pause = min(pause * 2, timing.maximumRetry)
            }
        }
    }

    /// The name of the Service's port (`""` when unnamed), which the EndpointSlices' ports carry.
    func portName() async throws(KubernetesAPIError) -> String {
        let object = try await getJSON(servicePath)
        let ports = object["spec"]?["ports"]?.arrayValue ?? []
        guard let port = ports.first(where: { $0["port"]?.integerValue == service.port }) else {
            let known = ports.compactMap { $0["port"]?.integerValue }.map(String.init).joined(separator: ", ")
            throw .malformed(
                path: servicePath,
                reason:
                    "Service \(service.namespace)/\(service.name) has no port \(service.port) (its ports: \(known.isEmpty ? "none" : known))"
            )
        }
        return port["name"]?.stringValue ?? ""
    }

    private func getJSON(_ path: String) async throws(KubernetesAPIError) -> JSONNode {
        let answer = try await client.get(path, timeout: timing.request)
        guard answer.status == 200 else {
            throw KubernetesAPIClient.error(status: answer.status, path: path, body: answer.body)
        }
        do {
            return try JSONReader().read(answer.body)
        } catch {
            throw .malformed(path: path, reason: error.description)
        }
    }
}
