import NIOCore
import VitalsSystem

/// How an ``HTTPServer`` listens and how long it lets clients take.
public struct HTTPServerConfiguration: Sendable {
    public var listenAddresses: [ListenAddress]
    /// A keep-alive connection with no request for this long is closed.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// A request must be fully received within this time of its first byte (slowloris defence).
    public var requestReadTimeout: TimeAmount = .seconds(10)
    /// A response the client has not taken within this time closes its connection, so that a
    /// client that never reads cannot pin the response's memory.
    public var writeTimeout: TimeAmount = .seconds(30)
    /// Connections held at once; at the cap the idlest keep-alive connection makes room for a new
    /// one. The default leaves a quarter of the descriptor limit to collectors and probes.
    public var maxConnections = ResourceLimits.defaultMaxConnections(descriptorLimit: ResourceLimits.descriptorLimit())
    /// Largest accepted header block; bigger requests get 431.
    public var maxHeaderBytes = 16 * 1024
    /// Largest accepted request body; bigger requests get 413 before their body is read. The
    /// daemons take no request bodies, so the default is none.
    public var maxBodyBytes = 0
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
