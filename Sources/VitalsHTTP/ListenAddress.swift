/// A `host:port` to listen on, in node_exporter's `--web.listen-address` syntax:
/// `:9100` (every interface), `127.0.0.1:9100`, `[::1]:9100`, `localhost:9100`.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// nil for every interface.
    public var host: String?
    public var port: Int

    public init(host: String?, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses the flag syntax; the message names what is wrong.
    public init(parsing text: String) throws(ListenAddressError) {
        guard let colon = text.lastIndex(of: ":") else {
            throw ListenAddressError(text: text, reason: "expected host:port or :port")
        }
        var host = String(text[..<colon])
        let portText = text[text.index(after: colon)...]
        guard let port = Int(portText), (0...65535).contains(port) else {
            throw ListenAddressError(text: text, reason: "the port must be a number from 0 to 65535")
        }
        if host.hasPrefix("[") {
            guard host.hasSuffix("]") else { throw ListenAddressError(text: text, reason: "unterminated [IPv6] host") }
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw ListenAddressError(text: text, reason: "IPv6 addresses must be written in brackets, as [::1]:9100")
        }
        self.host = host.isEmpty ? nil : host
        self.port = port
    }

    public var description: String {
        guard let host else { return ":\(port)" }
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// A listen address that does not parse.
public struct ListenAddressError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var reason: String

    public var description: String { "invalid listen address \"\(text)\": \(reason)" }
}
