import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTPCompression
import NIOPosix
import NIOSSL
import Synchronization

/// A small production HTTP/1.1 server: keep-alive with idle and read timeouts, size limits,
/// optional gzip, and a graceful shutdown that closes idle connections at once and lets
/// in-flight requests finish.
public final class HTTPServer: Sendable {
    public let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let logger: Logger
    private let group: any EventLoopGroup
    private let quiescing: ServerQuiescingHelper
    private let connections: ConnectionRegistry
    private let state = Mutex<State>(State())

    private struct State {
        var channels: [any Channel] = []
        var shutdownStarted = false
    }

    public init(
        configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.group = group
        self.quiescing = ServerQuiescingHelper(group: group)
        self.connections = ConnectionRegistry(maxConnections: configuration.maxConnections, logger: logger)
    }

    /// Connections open now.
    public var connectionCount: Int { connections.count }

    /// Open connections with no request in progress: the ones a new connection may displace at
    /// the cap. A connection turns idle once its last response has been flushed to the socket.
    public var idleConnectionCount: Int { connections.idleCount }

    /// Binds every listen address and returns the bound socket addresses (useful with port 0).
    @discardableResult
    public func start() async throws -> [SocketAddress] {
        var bound: [SocketAddress] = []
        for address in configuration.listenAddresses {
            let channel = try await bind(address)
            state.withLock { $0.channels.append(channel) }
            if let local = channel.localAddress {
                bound.append(local)
                logger.info("Listening on", metadata: ["address": "\(Self.describe(local))"])
            }
        }
        return bound
    }

    /// `127.0.0.1:9100` or `[::]:9100`, as operators write addresses.
    public static func describe(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port.map(String.init) ?? "?"
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    private func bind(_ address: ListenAddress) async throws -> any Channel {
        let bootstrap = makeBootstrap()
        guard let host = address.host else {
            // Every interface: dual-stack IPv6 where the host has it, IPv4 otherwise.
            do {
                return try await bootstrap.bind(host: "::", port: address.port).get()
            } catch {
                return try await bootstrap.bind(host: "0.0.0.0", port: address.port).get()
            }
        }
        return try await bootstrap.bind(host: host, port: address.port).get()
    }

    private func makeBootstrap() -> ServerBootstrap {
        let configuration = self.configuration
        let responder = self.responder
        let logger = self.logger
        let quiescing = self.quiescing
        let connections = self.connections
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 8)
            .childChannelInitializer { channel in
                guard let connection = connections.admit(channel) else {
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connection.remove() }
                return channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let setup = configuration.tls?() {
                        try pipeline.addHandler(Self.tlsHandler(setup, logger: logger))
                    }
                    try pipeline.addHandler(
                        ConnectionTimeoutHandler(
                            idleTimeout: configuration.idleTimeout, readTimeout: configuration.requestReadTimeout))
                    var limits = NIOHTTPDecoderLimitConfiguration()
                    limits.maxHeaderListSize = configuration.maxHeaderBytes
                    limits.maxHeaderFieldSize = configuration.maxHeaderBytes
                    // Pipelining is handled by HTTPRequestHandler, which also applies backpressure.
                    try pipeline.configureHTTPServerPipeline(
                        withPipeliningAssistance: false, withErrorHandling: false,
                        withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
                    try pipeline.addHandler(ProtocolErrorHandler(logger: logger))
                    if configuration.compression {
                        try pipeline.addHandler(
                            HTTPResponseCompressor(responseCompressionPredicate: { head, _ in
                                Self.worthCompressing(head)
                            }))
                    }
                    try pipeline.addHandler(
                        HTTPRequestHandler(
                            responder: responder, maxBodyBytes: configuration.maxBodyBytes,
                            writeTimeout: configuration.writeTimeout, connection: connection, logger: logger))
                }
            }
    }

    /// The TLS handler for one connection, with exporter-toolkit's client certificate rules.
    private static func tlsHandler(_ setup: TLSSetup, logger: Logger) -> NIOSSLServerHandler {
        if setup.acceptAnyClientCertificate {
            // RequireAnyClientCert: any certificate, verified only against the allowed SANs.
            return NIOSSLServerHandler(context: setup.context) { certificates, promise in
                let allowed = certificates.first.map(setup.permits) ?? false
                if !allowed { logger.warning("rejected client certificate: no allowed SAN") }
                promise.succeed(allowed ? .certificateVerified : .failed)
            }
        }
        guard setup.allowedSANs != nil else { return NIOSSLServerHandler(context: setup.context) }
        // Verified against the CA by BoringSSL first, then against the allowed SANs.
        return NIOSSLServerHandler._makeSSLServerHandler(context: setup.context) { certificate, channel in
            guard setup.permits(certificate) else {
                logger.warning(
                    "rejected client certificate: no allowed SAN",
                    metadata: ["remote": "\(channel.remoteAddress?.description ?? "unknown")"])
                return channel.eventLoop.makeFailedFuture(ClientCertificateRejected())
            }
            return channel.eventLoop.makeSucceededVoidFuture()
        }
    }

    struct ClientCertificateRejected: Error {}

    /// Bodies below this size are sent as they are; gzip would not pay for itself.
    private static func worthCompressing(_ head: HTTPResponseHead) -> HTTPResponseCompressor.CompressionIntent {
        guard let length = head.headers.first(name: "Content-Length").flatMap(Int.init) else {
            return .compressIfPossible
        }
        return length >= 512 ? .compressIfPossible : .doNotCompress
    }

    /// Stops accepting, closes idle keep-alive connections at once, lets in-flight requests
    /// finish for up to the grace period, then closes what is left.
    public func shutdown() async {
        let channels: [any Channel] = state.withLock { state in
            defer { state.shutdownStarted = true }
            return state.shutdownStarted ? [] : state.channels
        }
        guard !channels.isEmpty else { return }
        let promise = group.next().makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: promise)
        let grace = group.next().scheduleTask(in: configuration.shutdownGracePeriod) {}
        let finished = promise.futureResult
        // Wait for the quiesce to complete or the grace period, whichever comes first.
        let first = group.next().makePromise(of: Void.self)
        finished.cascade(to: first)
        grace.futureResult.whenComplete { _ in first.succeed() }
        try? await first.futureResult.get()
        grace.cancel()
        for channel in channels { try? await channel.close().get() }
        logger.info("HTTP server stopped")
    }
}
