import VitalsDocuments
import VitalsStack

/// The parts every generated Kubernetes resource shares: its metadata with the recommended
/// `app.kubernetes.io/*` labels, and names derived from the stack.
enum KubernetesObject {
    static let partOf = "vitals"
    static let managedBy = "vitals-provision"

    /// A resource's recommended labels. `instance` is the stack's name, or the component's for
    /// what is shared by every stack on a cluster (the exporter's DaemonSet).
    static func labels(name: String, instance: String, component: String) -> [String: String] {
        [
            "app.kubernetes.io/name": name,
            "app.kubernetes.io/instance": instance,
            "app.kubernetes.io/component": component,
            "app.kubernetes.io/part-of": partOf,
            "app.kubernetes.io/managed-by": managedBy,
        ]
    }

    /// The labels a selector uses: the stable two of the recommended ones.
    static func selectorLabels(name: String, instance: String) -> [String: String] {
        ["app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance]
    }

    static func resource(
        apiVersion: String, kind: String, name: String, namespace: String?, labels: [String: String],
        annotations: [String: String] = [:], body: [String: YAMLNode]
    ) -> YAMLNode {
        var metadata: [String: YAMLNode] = ["name": .string(name), "labels": strings(labels)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        if !annotations.isEmpty { metadata["annotations"] = strings(annotations) }
        var root = body
        root["apiVersion"] = .string(apiVersion)
        root["kind"] = .string(kind)
        root["metadata"] = .mapping(metadata)
        return .mapping(root)
    }

    /// Whether `text` is a DNS-1123 label, as namespace names are.
    static func isLabel(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, text.count <= 63 else { return false }
        let allowed = text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        return allowed && first != "-" && last != "-"
    }

    static func strings(_ map: [String: String]) -> YAMLNode { .mapping(map.mapValues { .string($0) }) }

    static func list(_ items: [String]) -> YAMLNode { .list(items.map { .string($0) }) }

    /// A name Kubernetes accepts (a DNS-1123 label, at most 63 characters): lowercase, with
    /// anything else turned into `-`, and a hash of the whole where it had to be shortened.
    static func name(_ parts: String...) -> String {
        let joined = parts.joined(separator: "-")
        var name = String(
            joined.lowercased().map { character -> Character in
                character.isASCII && (character.isLetter || character.isNumber) ? character : "-"
            })
        while name.hasPrefix("-") { name.removeFirst() }
        while name.hasSuffix("-") { name.removeLast() }
        if name.count > 63 {
            name = String(name.prefix(54)).trimmingSuffix("-") + "-" + FNV1a.hex32(joined)
        }
        return name
    }
}

extension String {
    fileprivate func trimmingSuffix(_ character: Character) -> String {
        var text = self
        while text.last == character { text.removeLast() }
        return text
    }
}
