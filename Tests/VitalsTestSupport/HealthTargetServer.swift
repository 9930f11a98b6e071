import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP service on loopback whose health endpoints a test can switch at run time, on one
/// port or many (each port stands for one replica). Unknown paths answer 404.
///
/// `/health`, `/health/live` and `/health/ready` answer 200 until told otherwise.
public final class HealthTargetServer: Sendable {
    public let ports: [Int]
    public var port: Int { ports[0] }
    private let channels: [any Channel]
    private let state: State

    final class State: Sendable {
        let routes = Mutex<[String: Int]>(["/health": 200, "/health/live": 200, "/health/ready": 200])
        let hits = Mutex<[String: Int]>([:])
        /// Per path, how many requests each port (by its position in `ports`) answered with a failure.
        let failures = Mutex<[String: [Int: Int]]>([:])
        let bodies = Mutex<[String: @Sendable () -> (contentType: String, body: String)]>([:])
    }

    /// Listens on `count` ports of 127.0.0.1.
    public convenience init(ports count: Int = 1, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws
    {
        try await self.init(bindings: Array(repeating: ("127.0.0.1", 0), count: count), group: group)
    }

    /// Listens on one port, the same on each of `addresses` (loopback ones, such as 127.0.0.2 and
    /// 127.0.0.3), each address standing for one pod; `ports` holds that port once per address.
    public convenience init(addresses: [String], group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws
    {
        var port = 0
        var lastError: (any Error)?
        // A port free on the first address may be taken on another: try a few.
        for _ in 0..<5 {
            port = freePort()
            do {
                try await self.init(bindings: addresses.map { ($0, port) }, group: group)
                return
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    private init(bindings: [(host: String, port: Int)], group: any EventLoopGroup) async throws {
        let state = State()
        var channels: [any Channel] = []
        do {
            for (replica, (host, port)) in bindings.enumerated() {
                let channel = try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .serverChannelOption(.backlog, value: 1024)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                            try channel.pipeline.syncOperations.addHandler(Handler(state: state, replica: replica))
                        }
                    }
                    .bind(host: host, port: port).get()
                channels.append(channel)
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        self.channels = channels
        self.ports = channels.map { $0.localAddress!.port! }
        self.state = state
    }

    /// Makes `path` answer with `status` from now on.
    public func set(_ path: String, status: Int) {
        state.routes.withLock { $0[path] = status }
    }

    /// Makes `path` answer 200 with a body made for each request (such as a metrics page).
    public func serve(
        _ path: String, contentType: String = "text/plain; version=0.0.4", body: @escaping @Sendable () -> String
    ) {
        state.bodies.withLock { $0[path] = { (contentType, body()) } }
    }

    /// How many requests `path` has received, over all ports.
    public func hits(_ path: String) -> Int {
        state.hits.withLock { $0[path] ?? 0 }
    }

    /// Per port (in the order of `ports`), how many requests to `path` it answered with a status
    /// of 400 or more. Counted before the answer is sent, so a client that has seen a failure
    /// finds it counted.
    public func failures(_ path: String) -> [Int] {
        let counts = state.failures.withLock { $0[path] ?? [:] }
        return ports.indices.map { counts[$0] ?? 0 }
    }

    public func close() async {
        for channel in channels { try? await channel.close() }
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let state: State
        let replica: Int

        init(state: State, replica: Int) {
            self.state = state
            self.replica = replica
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            let path = String(head.uri.prefix { $0 != "?" })
            state.hits.withLock { $0[path, default: 0] += 1 }
            var status = state.routes.withLock { $0[path] } ?? 404
            var contentType = "application/json"
            var body = ByteBuffer(string: status < 400 ? "{\"status\":\"pass\"}" : "{\"status\":\"fail\"}")
            if let provider = state.bodies.withLock({ $0[path] }) {
                let page = provider()
                (status, contentType, body) = (200, page.contentType, ByteBuffer(string: page.body))
            }
            if status >= 400 { state.failures.withLock { $0[path, default: [:]][replica, default: 0] += 1 } }
            var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", String(body.readableBytes))])
            if !head.isKeepAlive { headers.add(name: "Connection", value: "close") }
            let responseHead = HTTPResponseHead(
                version: head.version, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            let keepAlive = head.isKeepAlive
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { channel.close(promise: nil) }
            }
        }
    }
}
