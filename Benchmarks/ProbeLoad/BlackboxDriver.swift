import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import VitalsStack

/// Sends `/probe?module=http_2xx&target=…` requests to blackbox_exporter at a fixed rate over a
/// pool of keep-alive connections, as Prometheus would when scraping one target per endpoint.
final class BlackboxDriver: Sendable {
    struct Result: Sendable {
        var requested = 0
        var completed = 0
        var succeeded = 0
        /// Ticks where every connection was still busy: the exporter fell behind the rate.
        var skipped = 0
    }

    /// Shared with the connections' handlers.
    final class Shared: Sendable {
        let idle: Mutex<[Int]>
        let tally = Mutex(Result())

        init(connections: Int) {
            idle = Mutex(Array(0..<connections))
        }
    }

    private let connections: [any Channel]
    private let shared: Shared
    private let loop: any EventLoop
    private let host: String

    init(blackbox: Endpoint, connections count: Int) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        host = blackbox.description
        let shared = Shared(connections: count)
        self.shared = shared
        var channels: [any Channel] = []
        for index in 0..<count {
            let channel = try await ClientBootstrap(group: loop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            ResponseCounter { success in
                                shared.tally.withLock {
                                    $0.completed += 1
                                    if success { $0.succeeded += 1 }
                                }
                                shared.idle.withLock { $0.append(index) }
                            })
                    }
                }
                .connect(host: blackbox.host, port: blackbox.port).get()
            channels.append(channel)
        }
        connections = channels
    }

    func drive(endpoints: [Endpoint], rate: Int, seconds: Int) async throws -> Result {
        let tick = TimeAmount.milliseconds(10)
        let perTick = Double(rate) / 100
        let total = rate * seconds
        let started = NIODeadline.now()
        var next = 0
        var sent = 0
        while sent < total {
            let elapsedTicks = (NIODeadline.now() - started).nanoseconds / tick.nanoseconds
            let due = min(total, Int(Double(elapsedTicks + 1) * perTick))
            while sent < due {
                let endpoint = endpoints[next % endpoints.count]
                next += 1
                sent += 1
                guard let connection = shared.idle.withLock({ $0.popLast() }) else {
                    shared.tally.withLock { $0.skipped += 1 }
                    continue
                }
                shared.tally.withLock { $0.requested += 1 }
                let uri = "/probe?module=http_2xx&target=http://\(endpoint)/health/ready"
                let head = HTTPRequestHead(
                    version: .http1_1, method: .GET, uri: uri, headers: ["Host": host, "Accept": "text/plain"])
                let channel = connections[connection]
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
            try await Task.sleep(until: .now + .milliseconds(10))
        }
        // Let the last requests finish.
        for _ in 0..<200 where shared.idle.withLock({ $0.count }) < connections.count {
            try await Task.sleep(for: .milliseconds(10))
        }
        return shared.tally.withLock { $0 }
    }
}

/// Reads one response at a time and reports whether blackbox said `probe_success 1`.
private final class ResponseCounter: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPClientResponsePart
    let done: @Sendable (Bool) -> Void
    private let body = Mutex<[UInt8]>([])

    init(done: @escaping @Sendable (Bool) -> Void) {
        self.done = done
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: body.withLock { $0.removeAll(keepingCapacity: true) }
        case .body(let buffer): body.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        case .end:
            let text = body.withLock { String(decoding: $0, as: UTF8.self) }
            done(text.contains("\nprobe_success 1"))
        }
    }
}
