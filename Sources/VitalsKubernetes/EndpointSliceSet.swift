import VitalsDocuments
import VitalsStack

/// The EndpointSlices of one Service, as a list and a watch report them, and the ready pod
/// addresses they add up to for one of the Service's ports.
///
/// A Service's endpoints are spread over several slices; each is replaced whole by a MODIFIED
/// event and removed by a DELETED one. An endpoint counts when its `ready` condition is true or
/// absent (the API says absent means ready), and not while it is terminating.
public struct EndpointSliceSet: Sendable, Hashable {
    /// One slice's ready addresses, by port name (`""` for an unnamed port).
    struct Slice: Sendable, Hashable {
        var addresses: [String]
        var ports: [String: Int]
    }

    private var slices: [String: Slice] = [:]
    /// The newest resourceVersion seen, where a watch resumes.
    public private(set) var resourceVersion: String?

    public init() {}

    /// Replaces everything with a list's items (an `EndpointSliceList`).
    public mutating func replace(withList list: JSONNode) throws(EndpointSliceError) {
        guard let items = list["items"]?.arrayValue else { throw EndpointSliceError("a list without items") }
        var slices: [String: Slice] = [:]
        for item in items {
            let (name, slice) = try Self.slice(item)
            slices[name] = slice
        }
        self.slices = slices
        resourceVersion = list["metadata"]?["resourceVersion"]?.stringValue
    }

    /// Applies one watch event (`{"type": ..., "object": ...}`); BOOKMARK events only move the
    /// resource version. Returns false for an ERROR event, whose object is a Status.
    public mutating func apply(event: JSONNode) throws(EndpointSliceError) -> Bool {
        guard let type = event["type"]?.stringValue, let object = event["object"] else {
            throw EndpointSliceError("a watch event without type or object")
        }
        if type == "ERROR" { return false }
        if let version = object["metadata"]?["resourceVersion"]?.stringValue { resourceVersion = version }
        switch type {
        case "ADDED", "MODIFIED":
            let (name, slice) = try Self.slice(object)
            slices[name] = slice
        case "DELETED":
            guard let name = object["metadata"]?["name"]?.stringValue else {
                throw EndpointSliceError("a DELETED event without a name")
            }
            slices[name] = nil
        case "BOOKMARK":
            break
        default:
            throw EndpointSliceError("an unknown watch event type \"\(type)\"")
        }
        return true
    }

    /// The ready pods' addresses on the port named `portName`, sorted so that the same pods give
    /// the same list.
    public func readyEndpoints(portName: String) -> [Endpoint] {
        var endpoints: Set<Endpoint> = []
        for slice in slices.values {
            guard let port = slice.ports[portName] else { continue }
            for address in slice.addresses { endpoints.insert(Endpoint(host: address, port: port)) }
        }
        return endpoints.sorted()
    }

    static func slice(_ object: JSONNode) throws(EndpointSliceError) -> (String, Slice) {
        guard let name = object["metadata"]?["name"]?.stringValue else {
            throw EndpointSliceError("an EndpointSlice without metadata.name")
        }
        let type = object["addressType"]?.stringValue ?? "IPv4"
        guard type == "IPv4" || type == "IPv6" else {
            // FQDN slices name hosts outside the cluster's pod network; nothing to probe per pod.
            return (name, Slice(addresses: [], ports: [:]))
        }
        var ports: [String: Int] = [:]
        for port in object["ports"]?.arrayValue ?? [] {
            guard let number = port["port"]?.integerValue, (1...65535).contains(number) else { continue }
            ports[port["name"]?.stringValue ?? ""] = number
        }
        var addresses: [String] = []
        for endpoint in object["endpoints"]?.arrayValue ?? [] {
            let conditions = endpoint["conditions"]
            let ready = conditions?["ready"]?.boolValue ?? true
            let terminating = conditions?["terminating"]?.boolValue ?? false
            guard ready, !terminating else { continue }
            for address in endpoint["addresses"]?.arrayValue ?? [] {
                if let text = address.stringValue, !text.isEmpty { addresses.append(text) }
            }
        }
        return (name, Slice(addresses: addresses, ports: ports))
    }
}

/// An EndpointSlice document that is not what the API serves.
public struct EndpointSliceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
