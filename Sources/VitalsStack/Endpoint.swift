/// A `host:port` address of a service replica or a scrape target.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible, Comparable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`; nil with a reason when malformed.
    public static func parse(_ text: String) -> Result<Endpoint, EndpointError> {
        guard let colon = text.lastIndex(of: ":") else {
            return .failure(EndpointError(reason: "expected host:port, such as redis:6379"))
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (1...65535).contains(port) else {
            return .failure(EndpointError(reason: "the port must be a number from 1 to 65535, got \"\(portText)\""))
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]"), host.count > 2 else {
                return .failure(EndpointError(reason: "unterminated [IPv6] address"))
            }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            return .failure(EndpointError(reason: "write IPv6 addresses in brackets, as [::1]:8000"))
        }
        guard !host.isEmpty else { return .failure(EndpointError(reason: "the host is empty")) }
        let allowed = host.allSatisfy { $0.isLetter || $0.isNumber || "-._:".contains($0) }
        guard allowed, !host.hasPrefix("-"), !host.hasPrefix(".") else {
            return .failure(EndpointError(reason: "\"\(host)\" is not a valid host name or address"))
        }
        return .success(Endpoint(host: host, port: port))
    }

    /// A replica reached only through the container engine (no address of its own): its port is 0
    /// and it is written as its name alone.
    public static func engineReplica(_ name: String) -> Endpoint { Endpoint(host: name, port: 0) }

    public var isEngineReplica: Bool { port == 0 }

    public var description: String {
        if isEngineReplica { return host }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool { lhs.description < rhs.description }
}

public struct EndpointError: Error, Sendable, Hashable {
    public var reason: String
}
