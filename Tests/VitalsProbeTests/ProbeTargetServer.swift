import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP server on loopback that answers each path the way a probe test needs:
/// status codes, redirects, slowness, silence, a 10 MB body, or a reset connection.
final class ProbeTargetServer: Sendable {
    let channel: any Channel
    let port: Int
    private let stats: Stats

    /// What the server saw, shared with its handlers.
    final class Stats: Sendable {
        let agents = Mutex<[String]>([])
        let counter = Mutex(0)
    }

    init() async throws {
        let stats = Stats()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Responder(stats: stats))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.stats = stats
    }

    var seenUserAgents: [String] { stats.agents.withLock { $0 } }
    var requestCount: Int { stats.counter.withLock { $0 } }

    func close() async { try? await channel.close() }

    private final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let stats: Stats

        init(stats: Stats) {
            self.stats = stats
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .head(let head) = unwrapInboundIn(data) else { return }
            stats.agents.withLock { $0.append(head.headers.first(name: "User-Agent") ?? "") }
            stats.counter.withLock { $0 += 1 }
            let path = head.uri
            switch path {
            case "/ok", "/health", "/health/live": respond(context, 200, body: "ok")
            case "/nocontent": respond(context, 204)
            case "/redirect-same": respond(context, 302, headers: [("Location", "/ok")])
            case "/redirect-loop": respond(context, 302, headers: [("Location", "/redirect-loop")])
            case "/redirect-other": respond(context, 302, headers: [("Location", "http://other.invalid:1/ok")])
            case "/notfound", "/health/ready": respond(context, 404)
            case "/error": respond(context, 500)
            case "/unavailable": respond(context, 503)
            case "/slow":
                let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .seconds(3)) {
                    let (handler, context) = bound.value
                    handler.respond(context, 200, body: "late")
                }
            case "/never":
                break
            case "/huge":
                let size = 10 * 1024 * 1024
                let headers = HTTPHeaders([("Content-Length", String(size))])
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                    promise: nil)
                let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
                for _ in 0..<(size / chunk.readableBytes) {
                    context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
                }
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            case "/reset":
                // SO_LINGER 0 makes close() send a TCP reset.
                _ = (context.channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                context.close(promise: nil)
            default:
                respond(context, 404)
            }
        }

        func respond(
            _ context: ChannelHandlerContext, _ status: Int, headers: [(String, String)] = [], body: String = ""
        ) {
            var httpHeaders = HTTPHeaders(headers)
            httpHeaders.add(name: "Content-Length", value: String(body.utf8.count))
            let head = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: httpHeaders)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
