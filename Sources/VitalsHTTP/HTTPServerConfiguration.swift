import NIOCore

/// How an ``HTTPServer`` listens and how long it lets clients take.
public struct HTTPServerConfiguration: Sendable {
    public var listenAddresses: [ListenAddress]
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// A request must be fully received within this time of its first byte (slowloris defence).
    public var requestReadTimeout: TimeAmount = .seconds(10)
    /// Largest accepted header block; bigger requests get 431.
    public var maxHeaderBytes = 16 * 1024
    /// Largest accepted request body; bigger requests get 413.
    public var maxBodyBytes = 1 << 20
    /// Gzip responses when the client accepts it.
    public var compression = true
    /// How long shutdown waits for in-flight requests before closing their connections.
    public var shutdownGracePeriod: TimeAmount = .seconds(10)
    /// Asked on every new connection; nil answers mean plain HTTP. A provider rather than a value,
    /// so that a reloaded certificate applies to the next connection without a restart.
    public var tls: (@Sendable () -> TLSSetup?)?

    public init(listenAddresses: [ListenAddress]) {
        self.listenAddresses = listenAddresses
    }
}
