/// A Kubernetes Service named as a stack endpoint: `backend.chat.svc:8000` (or
/// `backend.chat.svc.cluster.local:8000`) is the Service `backend` in namespace `chat`, port 8000.
///
/// Such an endpoint stands for every ready pod behind the Service: `vitals serve` running in the
/// cluster discovers them from the Service's EndpointSlices and probes each, and the Kubernetes
/// target of the provisioner selects the Service in its ServiceMonitor.
public struct KubernetesService: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var namespace: String
    /// The Service's port (`spec.ports[].port`), not the pods' target port.
    public var port: Int

    public init(name: String, namespace: String, port: Int) {
        self.name = name
        self.namespace = namespace
        self.port = port
    }

    public var description: String { "\(name).\(namespace).svc:\(port)" }

    /// Whether `label` is a DNS-1035 label, as Kubernetes requires of Service and namespace names.
    static func isLabel(_ label: Substring) -> Bool {
        guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
        return first.isASCII && first.isLetter && first.isLowercase
            && (last.isNumber || (last.isLetter && last.isLowercase))
            && label.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }
}

extension Endpoint {
    /// The Kubernetes Service this endpoint names, or nil when it is an ordinary host.
    public var kubernetesService: KubernetesService? {
        var host = Substring(self.host)
        if host.hasSuffix(".cluster.local") { host = host.dropLast(".cluster.local".count) }
        guard host.hasSuffix(".svc") else { return nil }
        let parts = host.dropLast(".svc".count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(KubernetesService.isLabel), port > 0 else { return nil }
        return KubernetesService(name: String(parts[0]), namespace: String(parts[1]), port: port)
    }
}
