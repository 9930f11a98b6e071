import NIOCore
import NIOPosix
import VitalsStack

/// The kubelet's TCP probe: a completed connect is success.
struct TCPProbe: Sendable {
    let group: any EventLoopGroup
    let resolver: HostResolver

    func run(host: String, port: Int, deadline: NIODeadline) -> EventLoopFuture<ProbeResult> {
        let loop = group.any()  // the calling loop when on one: no cross-thread hop
        let timeout = deadline - .now()
        guard timeout > .zero else { return loop.makeSucceededFuture(.failure("timeout before connecting")) }
        return ProbeDialer.connect(host: host, port: port, resolver: resolver, deadline: deadline, on: loop) {
            address, timeout in
            ClientBootstrap(group: loop).connectTimeout(timeout).connect(to: address)
        }
        .flatMap { channel in channel.close().map { ProbeResult(outcome: .success) } }
        .flatMapErrorThrowing { .failure(HTTPProbe.describe($0)) }
    }
}

/// Redis' own health check: `PING` answered by `+PONG`.
struct RedisProbe: Sendable {
    let group: any EventLoopGroup
    let resolver: HostResolver

    func run(host: String, port: Int, deadline: NIODeadline) -> EventLoopFuture<ProbeResult> {
        let loop = group.any()  // the calling loop when on one: no cross-thread hop
        let timeout = deadline - .now()
        guard timeout > .zero else { return loop.makeSucceededFuture(.failure("timeout before connecting")) }
        let promise = OncePromise(loop.makePromise(of: String.self))
        return loop.runHere {
            ProbeDialer.connect(host: host, port: port, resolver: resolver, deadline: deadline, on: loop) {
                address, timeout in
                ClientBootstrap(group: loop)
                    .connectTimeout(timeout)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(LineReader(promise: promise))
                        }
                    }
                    .connect(to: address)
            }
            .flatMapError { error -> EventLoopFuture<any Channel> in
                promise.fail(error)
                return loop.makeFailedFuture(error)
            }
            .flatMap { channel -> EventLoopFuture<String> in
                let timer = channel.eventLoop.scheduleTask(deadline: deadline) {
                    promise.fail(ProbeError.timedOut)
                }
                channel.writeAndFlush(ByteBuffer(string: "PING\r\n"), promise: nil)
                return promise.future.always { _ in
                    timer.cancel()
                    channel.close(promise: nil)
                }
            }
        }.map { line in
            line == "+PONG"
                ? ProbeResult(outcome: .success) : .failure("redis answered \"\(line)\" instead of +PONG")
        }.flatMapErrorThrowing { .failure(HTTPProbe.describe($0)) }
    }
}

/// Collects bytes until the first CRLF.
private final class LineReader: ProbeAnswerHandler {
    typealias InboundIn = ByteBuffer

    let promise: OncePromise<String>
    private var buffer = ByteBuffer()

    init(promise: OncePromise<String>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        buffer.writeBuffer(&chunk)
        let view = buffer.readableBytesView
        if let newline = view.firstIndex(of: UInt8(ascii: "\n")) {
            var line = String(decoding: view[view.startIndex..<newline], as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            promise.succeed(line)
        } else if buffer.readableBytes > 1024 {
            promise.succeed(String(decoding: view.prefix(64), as: UTF8.self))
        }
    }
}
